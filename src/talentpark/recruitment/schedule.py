"""Closing dates as a scheduled job (``core.scheduling``): the row ``recruitment.close_expired``
(daily at 00:05, created by the migration ``recruitment/0005_close_expired_job``) closes every open
position whose closing date has passed. Pages and services never wait for it:
``services.public_positions`` already hides such a position and ``services.apply`` refuses it."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from talentpark.core import scheduling

JOB_KIND = "recruitment.close_expired"


def close_expired(zone_id: int | None = None) -> str:
    from talentpark.recruitment import services

    return f"关闭已过截止日期的岗位 {services.close_expired()} 个"


def register() -> None:
    scheduling.register_job(
        JOB_KIND,
        close_expired,
        label=gettext_noop("岗位截止关闭"),
        description=gettext_noop("每天关闭已过截止日期的招聘岗位"),
    )
