"""Her applications on her timeline (一码归集, ``core.timeline``): every step she can see of every
application she made, linked to her 我的求职 page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from talentpark.core import timeline
from talentpark.recruitment.models import ApplicationEvent


def application_events(talent: Any, viewer: Any) -> Iterator[timeline.TimelineEvent]:
    events = ApplicationEvent.objects.filter(
        application__person_id=talent.person_id, public=True
    ).select_related("application__position__enterprise")
    url = reverse("recruitment:mine")
    for event in events.order_by("-at", "-id"):
        position = event.application.position
        yield timeline.TimelineEvent(
            at=event.at,
            title=gettext("求职：%(kind)s") % {"kind": gettext(event.get_kind_display())},
            detail=f"{position.enterprise.name}「{position.title}」· {event.text[:60]}",
            url=url,
        )


timeline.register_source("recruitment", gettext_noop("求职招聘"), application_events)
