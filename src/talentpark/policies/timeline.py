"""政策兑现 on a talent's timeline (一码归集, ``core.timeline``): every step of her claims.

One event per ``ClaimEvent``: found eligible (免申即享, waiting for her confirmation) or asked to
apply, confirmed, each level approved, approved for payment, paid, rejected, declined, paused,
reversed. A claim links to its page only for a viewer who may open it (``restrict`` on the claim:
a department handler sees only what waits at her levels). Staff see who acted; the talent does
not. No bank account appears (the ledger's note names the voucher and amount only).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from talentpark.accounts.access import restrict
from talentpark.core import timeline
from talentpark.core.roles import Role
from talentpark.policies.models import Claim, ClaimEvent

S = Claim.Status


def _title(event: ClaimEvent, policy: str) -> str:
    to, before = event.to_status, event.from_status
    if not before and to == S.NOTIFIED:
        return gettext("免申即享：经比对符合《%(p)s》，待确认") % {"p": policy}
    if not before and to == S.APPLYING:
        return gettext("符合《%(p)s》申报条件，待申报") % {"p": policy}
    if to == S.REVIEWING and before in (S.NOTIFIED, S.APPLYING):
        return gettext("已确认申领《%(p)s》，进入审核") % {"p": policy}
    if to == S.REVIEWING and before == S.REVIEWING:
        return gettext("《%(p)s》第%(n)s级审核通过") % {"p": policy, "n": event.level or ""}
    if to == S.APPROVED:
        return gettext("《%(p)s》审核通过，待拨付") % {"p": policy}
    if to == S.PAID:
        return gettext("《%(p)s》已兑现") % {"p": policy}
    if to == S.REJECTED:
        return gettext("《%(p)s》未通过审核") % {"p": policy}
    if to == S.DECLINED:
        return gettext("已放弃《%(p)s》") % {"p": policy}
    return gettext("《%(p)s》：%(s)s") % {"p": policy, "s": gettext(S(to).label)}


def claim_events(talent: Any, viewer: Any) -> Iterator[timeline.TimelineEvent]:
    claims = Claim.objects.filter(talent_id=talent.pk)
    openable = set(restrict(claims, viewer, "view").values_list("pk", flat=True))
    staff = getattr(viewer, "role", None) not in (Role.TALENT, Role.HR)
    events = (
        ClaimEvent.objects.filter(claim__talent_id=talent.pk)
        .select_related("claim__policy")
        .order_by("at", "id")
    )
    for event in events:
        claim = event.claim
        parts = [event.note] if event.note else []
        if staff and event.actor_name:
            parts.append(gettext("操作人：%(a)s") % {"a": event.actor_name})
        yield timeline.TimelineEvent(
            at=event.at,
            title=_title(event, claim.policy.title),
            detail="；".join(parts),
            url=reverse("policies:claim_detail", args=[claim.pk]) if claim.pk in openable else "",
        )


timeline.register_source("claim", gettext_noop("政策兑现"), claim_events)
