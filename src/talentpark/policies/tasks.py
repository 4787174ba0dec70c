"""Background tasks (Django tasks framework; ``db_worker`` runs them beside the web server)."""

from __future__ import annotations

from django.tasks import task


@task()
def evaluate_policy(run_id: int) -> int:
    """Publish or re-check a policy version over its zone; returns how many qualified."""
    from talentpark.policies.runs import execute_run

    return execute_run(run_id).eligible


@task()
def sweep_zone(zone_id: int, policy_id: int | None = None, reason: str = "每日补充比对") -> int:
    """补充比对 for a zone (or one of its policies); returns how many were newly notified."""
    from talentpark.core.context import ActionContext
    from talentpark.policies.runs import sweep

    ctx = ActionContext.system(reason=reason, zone_id=zone_id)
    return sum(run.eligible for run in sweep(ctx, zone_id, policy_id=policy_id))


@task()
def reevaluate_records(zone_id: int, talents: list[int], enterprises: list[int], reason: str = "") -> int:
    """一键直达: re-evaluate changed talents and enterprises against every live policy of the
    zone (queued with the change, ``policies.reevaluate``); returns how many newly qualified."""
    from talentpark.policies.reevaluate import reevaluate

    return reevaluate(zone_id, talents, enterprises, reason=reason)
