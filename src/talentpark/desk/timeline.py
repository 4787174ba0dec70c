"""Service requests on a talent's timeline (一码归集, ``core.timeline``): every step she can see of
every request she filed or that was filed for her, linked to the request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from talentpark.core import timeline
from talentpark.desk.models import Step


def request_events(talent: Any, viewer: Any) -> Iterator[timeline.TimelineEvent]:
    steps = Step.objects.filter(request__talent=talent, public=True).select_related("request")
    for step in steps.order_by("-at", "-id"):
        req = step.request
        yield timeline.TimelineEvent(
            at=step.at,
            title=gettext("服务诉求 %(n)s：%(k)s") % {"n": req.number, "k": gettext(step.get_kind_display())},
            detail=f"{req.title} · {step.text[:60]}" if step.text else req.title,
            url=reverse("desk:request_detail", args=[req.pk]),
        )


timeline.register_source("desk", gettext_noop("服务诉求"), request_events)
