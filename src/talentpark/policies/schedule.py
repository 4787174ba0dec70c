"""The nightly 补充比对 as a scheduled job (``core.scheduling``): the row ``policies.sweep`` (every
day at 02:00, created by the migration ``core/0014_scheduled_jobs``) runs :func:`sweep_zones` in the
task worker. The office changes its time, disables it or runs it now under 系统管理 → 定时任务;
``talentpark policy_sweep`` still runs it by hand.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext_noop

from talentpark.core import scheduling

log = logging.getLogger(__name__)

JOB_KIND = "policies.sweep"


def sweep_zones(zone_id: int | None = None) -> str:
    """补充比对 for one zone, or (``None``) every zone; the run's result summary."""
    from talentpark.core.context import ActionContext
    from talentpark.core.models import Zone
    from talentpark.policies.runs import sweep

    zone_ids = (
        [zone_id] if zone_id is not None else list(Zone.objects.order_by("pk").values_list("pk", flat=True))
    )
    notified = 0
    for zid in zone_ids:
        ctx = ActionContext.system(reason="每日补充比对", zone_id=zid)
        notified += sum(run.eligible for run in sweep(ctx, zid))
    return f"{len(zone_ids)} 个园区，新符合条件 {notified} 个"


def register() -> None:
    scheduling.register_job(
        JOB_KIND,
        sweep_zones,
        label=gettext_noop("补充比对"),
        description=gettext_noop("通知政策发布后新符合条件的人才和企业"),
    )
