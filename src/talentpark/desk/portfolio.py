"""专员服务 and 1+N 包保: every talent, enterprise and project has a named specialist.

- :func:`assign` gives a subject its specialist (the office chooses, or takes the suggestion of
  :func:`talentpark.desk.services.suggest_specialist`); a reassignment ends the open assignment and
  starts a new one, so the rows are the history. The subject's own ``specialist`` column follows.
  At most one open assignment per subject, by constraint.
- A new assignment starts a first-contact clock of one working day (Changzhi's promise);
  :func:`record_contact` stops it. Until then the specialist's portfolio shows it as 待首次联系.
- The specialist then writes the subject's personal service list (个性化服务清单, :func:`add_item`,
  :func:`complete_item`).
- Enterprises get a visit every month (:func:`record_visit`); anything raised becomes a request in
  one click (:func:`issue_to_request`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from talentpark.accounts.models import User
from talentpark.core import audit, notify
from talentpark.core.context import ActionContext
from talentpark.core.roles import Role
from talentpark.core.validation import FieldErrors
from talentpark.desk import categories as cats
from talentpark.desk import clocks, services
from talentpark.desk.models import Assignment, Clock, Request, ServiceItem, Visit, VisitIssue
from talentpark.registry.models import Enterprise, Project, Talent

Subject = Talent | Enterprise | Project


def _field(subject: Subject) -> str:
    return (
        "talent"
        if isinstance(subject, Talent)
        else "enterprise"
        if isinstance(subject, Enterprise)
        else "project"
    )


def current(subject: Subject) -> Assignment | None:
    return Assignment.objects.filter(**{_field(subject): subject}, ended_at__isnull=True).first()


def _specialist(zone_id: int, raw: Any) -> User:
    user = None
    if isinstance(raw, User):
        user = raw
    elif str(raw or "").isdigit():
        user = User.objects.filter(pk=int(raw)).first()
    if user is None or user.zone_id != zone_id or user.role != Role.SPECIALIST or not user.is_active:
        raise ValidationError({"specialist": ["服务专员：请选择本园区在岗的服务专员"]})
    return user


def assign(
    ctx: ActionContext, subject: Subject, specialist: Any, reason: str = "", at: dt.datetime | None = None
) -> Assignment:
    """Make ``specialist`` the subject's named specialist (ending the current assignment)."""
    user = _specialist(subject.zone_id, specialist)
    errors = FieldErrors()
    reason = services._text(errors, {"reason": reason}, "reason", "指派原因", 200, False)
    errors.raise_if_any()
    now = at or timezone.now()
    field = _field(subject)
    try:
        with transaction.atomic():
            old = (
                Assignment.objects.select_for_update()
                .filter(**{field: subject}, ended_at__isnull=True)
                .first()
            )
            if old is not None:
                if old.specialist_id == user.pk:
                    raise ValidationError({"specialist": ["服务专员：已是该对象的服务专员"]})
                old.ended_at = now
                old.save(update_fields=["ended_at"])
                clock = Clock.objects.filter(assignment=old, stopped_at__isnull=True).first()
                if clock is not None:
                    clocks.stop(clock, now)
            new = Assignment.objects.create(
                zone_id=subject.zone_id,
                specialist=user,
                assigned_at=now,
                assigned_by=ctx.user,
                reason=reason,
                **{field: subject},
            )
            clocks.start(Clock.Kind.CONTACT, subject.zone_id, days=cats.CONTACT_DAYS, at=now, assignment=new)
            if field != "project":
                type(subject).objects.filter(pk=subject.pk).update(specialist=user)  # type: ignore[misc]
                subject.specialist = user  # type: ignore[union-attr]
            audit.record(
                ctx,
                "desk.assignment.change" if old else "desk.assignment.create",
                new,
                before={"specialist": old.specialist_id} if old else None,
                after={"specialist": user.pk, field: subject.pk, "reason": reason},
            )
            notify.notify(
                services.SLA_KIND,
                f"您新包保了{new.subject_kind}“{subject}”，请在1个工作日内首次联系",
                [user.pk],
                link="/desk/portfolio/",
                zone_id=subject.zone_id,
            )
    except IntegrityError:
        raise ValidationError({"specialist": ["服务专员：该对象刚被他人指派，请刷新后重试"]}) from None
    return new


def record_contact(
    ctx: ActionContext, assignment: Assignment, note: str, at: dt.datetime | None = None
) -> Assignment:
    errors = FieldErrors()
    note = services._text(errors, {"note": note}, "note", "首次联系情况", 300, True)
    errors.raise_if_any()
    with transaction.atomic():
        a = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if a.ended_at is not None:
            raise services.Refused("该包保关系已结束")
        if a.contacted_at is not None:
            raise services.Refused("已登记过首次联系")
        a.contacted_at, a.contact_note = at or timezone.now(), note
        a.save(update_fields=["contacted_at", "contact_note"])
        clock = Clock.objects.filter(assignment=a).first()
        if clock is not None:
            clocks.stop(clock, a.contacted_at)
        audit.record(ctx, "desk.assignment.contact", a, after={"note": note})
    return a


def _date(errors: FieldErrors, raw: Any, name: str, label: str, required: bool) -> dt.date | None:
    text = str(raw or "").strip()
    if not text:
        if required:
            errors.add(name, label, "不能为空")
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors.add(name, label, "日期格式应为 YYYY-MM-DD")
        return None


def add_item(ctx: ActionContext, assignment: Assignment, data: dict[str, Any]) -> ServiceItem:
    """One more line of the subject's personal service list."""
    errors = FieldErrors()
    text = services._text(errors, data, "text", "服务事项", 200, True)
    due_on = _date(errors, data.get("due_on"), "due_on", "计划完成", False)
    if assignment.ended_at is not None:
        errors.add("text", "服务事项", "该包保关系已结束")
    errors.raise_if_any()
    with transaction.atomic():
        item = ServiceItem.objects.create(
            zone_id=assignment.zone_id,
            assignment=assignment,
            text=text,
            due_on=due_on,
            created_at=timezone.now(),
        )
        audit.record(ctx, "desk.item.create", item, after={"text": text})
    return item


def complete_item(ctx: ActionContext, item: ServiceItem) -> ServiceItem:
    with transaction.atomic():
        done = ServiceItem.objects.filter(pk=item.pk, status=ServiceItem.Status.PLANNED).update(
            status=ServiceItem.Status.DONE, done_at=timezone.now()
        )
        if not done:
            raise services.Refused("该事项已完成")
        item.refresh_from_db()
        audit.record(ctx, "desk.item.complete", item)
    return item


def record_visit(ctx: ActionContext, enterprise: Enterprise, data: dict[str, Any]) -> Visit:
    """A visit to an enterprise: date, who received the specialist, what was said, and the issues
    raised (``data["issues"]``: one per line), each kept for a one-click request."""
    errors = FieldErrors()
    visited_on = _date(errors, data.get("visited_on"), "visited_on", "走访日期", True)
    if visited_on and visited_on > timezone.localdate():
        errors.add("visited_on", "走访日期", "不能晚于今天")
    met_with = services._text(errors, data, "met_with", "接待人员", 120, True)
    summary = services._text(errors, data, "summary", "走访情况", 2000, False)
    raw_issues = data.get("issues") or ""
    lines = raw_issues if isinstance(raw_issues, list) else str(raw_issues).splitlines()
    issues = [line.strip() for line in lines if line.strip()]
    if any(len(i) > 300 for i in issues):
        errors.add("issues", "反映问题", "每条不超过300字")
    if len(issues) > 20:
        errors.add("issues", "反映问题", "一次最多登记20条")
    user = ctx.user
    if user is None or user.role not in (Role.SPECIALIST, Role.OFFICE) or user.zone_id != enterprise.zone_id:
        errors.add("visited_on", "走访专员", "只有本园区的服务专员可以登记走访")
    errors.raise_if_any()
    assert user is not None and visited_on is not None
    with transaction.atomic():
        visit = Visit.objects.create(
            zone_id=enterprise.zone_id,
            enterprise=enterprise,
            specialist=user,
            visited_on=visited_on,
            met_with=met_with,
            summary=summary,
            created_at=timezone.now(),
        )
        VisitIssue.objects.bulk_create(
            [VisitIssue(zone_id=enterprise.zone_id, visit=visit, text=t) for t in issues]
        )
        audit.record(ctx, "desk.visit.create", visit, after={"issues": len(issues)})
    return visit


def issue_to_request(ctx: ActionContext, issue: VisitIssue) -> Request:
    """Make a raised issue a request of the visited enterprise (channel 走访收集), once."""
    with transaction.atomic():
        locked = VisitIssue.objects.select_for_update().select_related("visit__enterprise").get(pk=issue.pk)
        if locked.request_id:
            raise services.Refused("该问题已转为诉求")
        enterprise = locked.visit.enterprise
        req = services.file_request(
            ctx,
            enterprise.zone_id,
            {"enterprise": enterprise, "title": locked.text[:80], "description": locked.text},
            channel=Request.Channel.VISIT,
        )
        locked.request = req
        locked.save(update_fields=["request"])
    return req


def visits_due(zone_id: int, specialist: Any = None, today: dt.date | None = None) -> list[Enterprise]:
    """Enterprises in the portfolio (of ``specialist``, or the zone) not visited this month."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    held = Assignment.objects.filter(zone_id=zone_id, enterprise__isnull=False, ended_at__isnull=True)
    if specialist is not None:
        held = held.filter(specialist=specialist)
    visited = Visit.objects.filter(zone_id=zone_id, visited_on__gte=first).values("enterprise_id")
    return list(
        Enterprise.objects.filter(pk__in=held.values("enterprise_id"))
        .exclude(pk__in=visited)
        .order_by("name")
    )
