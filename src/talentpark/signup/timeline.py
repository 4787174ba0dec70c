"""Registration and consent on a talent's timeline (一码归集, ``core.timeline``).

``signup`` 注册与授权: her own registration (the ``signup.talent`` audit row of her account) and
each version of the privacy notice she accepted. A talent the office registered without a login
has neither. The notice is public, so every viewer gets its link; nothing of the registration's
phone or IP is shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from talentpark.core import timeline
from talentpark.core.models import AuditLog
from talentpark.signup.models import PrivacyConsent


def signup_events(talent: Any, viewer: Any) -> Iterator[timeline.TimelineEvent]:
    user_id = talent.person.user_id
    if user_id is None:
        return
    registered = AuditLog.objects.filter(
        action="signup.talent", object_type="accounts.user", object_id=str(user_id), zone_id=talent.zone_id
    ).order_by("at", "id")
    for row in registered:
        yield timeline.TimelineEvent(at=row.at, title=gettext("本人在线注册账号"))
    privacy = reverse("signup:privacy")
    for consent in (
        PrivacyConsent.objects.filter(user_id=user_id).select_related("notice").order_by("accepted_at")
    ):
        yield timeline.TimelineEvent(
            at=consent.accepted_at,
            title=gettext("同意《%(t)s》") % {"t": consent.notice.title},
            detail=gettext("版本：%(v)s") % {"v": consent.notice.version},
            url=privacy,
        )


timeline.register_source("signup", gettext_noop("注册与授权"), signup_events)
