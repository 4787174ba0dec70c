"""Background tasks (Django tasks framework; ``db_worker`` runs them beside the web server)."""

from __future__ import annotations

from django.tasks import task


@task()
def evaluate_policy(run_id: int) -> int:
    """Publish or re-check a policy version over its zone; returns how many qualified."""
    from talentpark.policies.services import execute_run

    return execute_run(run_id).eligible
