"""Background tasks of the registry (Django tasks framework; ``talentpark task_worker`` runs them)."""

from __future__ import annotations

from typing import Any

from django.tasks import task


@task()
def import_step(job_id: int, step: str, payload: dict[str, Any]) -> str:
    """Validate ("validate") or commit ("commit") an Excel import job; returns its status."""
    from talentpark.registry.excel.importer import run_step

    return run_step(job_id, step, payload)
