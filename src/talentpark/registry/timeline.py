"""一网四库's events on a talent's timeline (一码归集, ``core.timeline``).

- ``record`` 建档入区: her zone record created (by the office, an import or herself), her entry
  into the zone, her login opened;
- ``tier`` 人才认定: a tier granted or changed (the ``talent.tier`` audit rows);
- ``profile`` 档案变更: fields she changed herself, changes she asked for and their review.

Links: the talent is sent to 我的档案, staff to the talent's page (the timeline's caller has
checked that they may see it) or, for a pending change, to the review queue if they may review.
No value of the phone ever appears: a change of it is named, not shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from talentpark.accounts.access import restrict
from talentpark.core import timeline
from talentpark.core.models import AuditLog
from talentpark.core.roles import Role
from talentpark.registry.models import ProfileChange, Talent
from talentpark.registry.services import PROFILE_LABELS


def _is_self(talent: Talent, viewer: Any) -> bool:
    return getattr(viewer, "role", None) == Role.TALENT and talent.person.user_id == viewer.pk


def _record_url(talent: Talent, viewer: Any) -> str:
    if _is_self(talent, viewer):
        return f"{reverse('registry:profile')}?t={talent.pk}"
    return reverse("registry:talent_detail", args=[talent.pk])


def _audit_rows(talent: Talent, actions: tuple[str, ...]) -> Any:
    return AuditLog.objects.filter(
        object_type="registry.talent", object_id=str(talent.pk), action__in=actions
    ).order_by("at", "id")


def _tier_label(code: Any) -> str:
    if not code:
        return gettext("未认定")
    try:
        return gettext(Talent.Tier(code).label)
    except ValueError:
        return str(code)


def record_events(talent: Talent, viewer: Any) -> Iterator[timeline.TimelineEvent]:
    url = _record_url(talent, viewer)
    zone_name = talent.zone.name
    employer = talent.employer
    yield timeline.TimelineEvent(
        at=timeline.day_start(talent.zone_entry_date),
        title=gettext("入区：%(zone)s") % {"zone": zone_name},
        detail=(gettext("工作单位：%(e)s") % {"e": employer.name}) if employer is not None else "",
        url=url,
    )
    registered = _audit_rows(talent, ("talent.register",)).first()
    by_self = registered is not None and registered.role == Role.TALENT
    detail = ""
    if talent.tier and not _audit_rows(talent, ("talent.tier",)).exists():
        detail = gettext("人才层次：%(t)s") % {"t": _tier_label(talent.tier)}
    yield timeline.TimelineEvent(
        at=talent.created_at,
        title=gettext("本人注册，人才库建档") if by_self else gettext("人才办登记，人才库建档"),
        detail=detail,
        url=url,
    )
    for row in [] if by_self else _audit_rows(talent, ("talent.login.link",)):  # signup tells hers
        yield timeline.TimelineEvent(at=row.at, title=gettext("开通登录账号"), url=url)


def tier_events(talent: Talent, viewer: Any) -> Iterator[timeline.TimelineEvent]:
    url = _record_url(talent, viewer)
    for row in _audit_rows(talent, ("talent.tier",)):
        before, after = row.before or {}, row.after or {}
        old, new = before.get("tier") or "", after.get("tier") or ""
        if new and not old:
            title = gettext("人才认定：%(t)s") % {"t": _tier_label(new)}
        elif not new:
            title = gettext("人才层次撤销（原为%(t)s）") % {"t": _tier_label(old)}
        else:
            title = gettext("人才层次变更：%(a)s → %(b)s") % {"a": _tier_label(old), "b": _tier_label(new)}
        until = after.get("tier_valid_until")
        detail = gettext("认定有效期至 %(d)s") % {"d": until} if new and until else ""
        yield timeline.TimelineEvent(at=row.at, title=title, detail=detail, url=url)


def _fields(names: Any) -> str:
    return "、".join(gettext(PROFILE_LABELS[n]) for n in names if n in PROFILE_LABELS)


def profile_events(talent: Talent, viewer: Any) -> Iterator[timeline.TimelineEvent]:
    own = _is_self(talent, viewer)
    url = _record_url(talent, viewer)
    for row in _audit_rows(talent, ("talent.profile.update",)):
        applied = sorted((row.after or {}).get("applied") or {})
        if applied:
            yield timeline.TimelineEvent(
                at=row.at, title=gettext("更新档案：%(f)s") % {"f": _fields(applied)}, url=url
            )
    changes = list(ProfileChange.objects.filter(talent=talent).order_by("id"))
    may_review = (
        not own
        and any(c.status == ProfileChange.Status.PENDING for c in changes)
        and restrict(Talent.objects.filter(pk=talent.pk), viewer, "change").exists()
    )
    for change in changes:
        names = [n for n in PROFILE_LABELS if n in change.changes or (n == "phone" and change.new_phone)]
        pending = change.status == ProfileChange.Status.PENDING
        if own:
            link = url
        elif pending and may_review:
            link = reverse("registry:profile_change_list")
        else:
            link = ""
        yield timeline.TimelineEvent(
            at=change.created_at,
            title=gettext("提交档案变更申请：%(f)s") % {"f": _fields(names)},
            detail=change.note,
            url=link,
        )
        if change.reviewed_at is not None:
            approved = change.status == ProfileChange.Status.APPROVED
            yield timeline.TimelineEvent(
                at=change.reviewed_at,
                title=gettext("档案变更已通过：%(f)s") % {"f": _fields(names)}
                if approved
                else gettext("档案变更已退回：%(f)s") % {"f": _fields(names)},
                detail="" if approved else change.review_note,
                url=url if own else "",
            )


timeline.register_source("record", gettext_noop("建档入区"), record_events)
timeline.register_source("tier", gettext_noop("人才认定"), tier_events)
timeline.register_source("profile", gettext_noop("档案变更"), profile_events)
