"""Partner-window services on a talent's timeline (一码归集, ``core.timeline``): each green-channel
service recorded at a window, at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext, gettext_noop

from talentpark.core import timeline
from talentpark.talentcode.models import ServiceRecord


def service_events(talent: Any, viewer: Any) -> Iterator[timeline.TimelineEvent]:
    rows = ServiceRecord.objects.filter(talent=talent).select_related("service", "partner", "window")
    for r in rows.order_by("-at"):
        where = r.partner.name + (f"·{r.window.name}" if r.window_id and r.window else "")
        yield timeline.TimelineEvent(
            at=r.at,
            title=gettext("合作窗口服务：%(s)s") % {"s": r.service.name},
            detail=where,
        )


timeline.register_source("talentcode", gettext_noop("合作窗口服务"), service_events)
