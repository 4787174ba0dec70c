"""The service desk's clock scan as a scheduled job (``core.scheduling``): the row ``desk.sla_scan``
(every five minutes, created by the migration ``desk/0002_categories_and_scan_job``) announces every
working-time threshold due (:func:`talentpark.desk.clocks.scan`), each once."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from talentpark.core import scheduling

JOB_KIND = "desk.sla_scan"


def sla_scan(zone_id: int | None = None) -> str:
    from talentpark.desk import clocks

    return f"发出时限提醒 {clocks.scan(zone_id)} 条"


def register() -> None:
    scheduling.register_job(
        JOB_KIND,
        sla_scan,
        label=gettext_noop("办理时限扫描"),
        description=gettext_noop("检查首次联系、部门办件和诉求的工作日时限，按比例预警和督办"),
    )
