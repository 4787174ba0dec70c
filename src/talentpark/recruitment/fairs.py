"""Job fairs (线下招聘会 and 空中双选会): the office schedules one; enterprises take a booth with their
public positions; talents register, check in with their talent code at the door (on site) or by
opening the fair (online), record an intention at a booth in one tap and deliver résumés there; the
fair's report counts enterprises, jobs, visitors, résumés, intentions and hires.

Every change is one transaction with its audit row; bad input is a ``ValidationError`` naming the
field in Chinese; what is not allowed now is ``services.Refused``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from talentpark.core import audit, notify, talent_codes
from talentpark.core.context import ActionContext
from talentpark.core.validation import FieldErrors
from talentpark.recruitment import services
from talentpark.recruitment.models import Application, Fair, FairBooth, FairIntention, FairVisitor, Position
from talentpark.registry.models import Enterprise, Person, Talent

Refused = services.Refused
MAX_BOOTH_POSITIONS = 20


def state(fair: Fair, now: dt.datetime | None = None) -> str:
    """报名中 (before it opens), 进行中, 已结束, 已取消."""
    now = now or timezone.now()
    if fair.cancelled:
        return "cancelled"
    if now < fair.starts_at:
        return "upcoming"
    return "live" if now < fair.ends_at else "finished"


STATE_LABELS = {"upcoming": "报名中", "live": "进行中", "finished": "已结束", "cancelled": "已取消"}


def _when(errors: FieldErrors, data: dict[str, Any], name: str, label: str) -> dt.datetime | None:
    text = str(data.get(name) or "").strip()
    if not text:
        errors.add(name, label, "不能为空")
        return None
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        errors.add(name, label, f"{text}不是有效的时间")
        return None
    return timezone.make_aware(when) if timezone.is_naive(when) else when


def schedule(ctx: ActionContext, zone_id: int, data: dict[str, Any]) -> Fair:
    """The office schedules a fair of its zone."""
    errors = FieldErrors()
    title = services._text(errors, data, "title", "名称", 80, required=True)
    kind = services._choice(errors, data, "kind", "形式", Fair.Kind.choices, Fair.Kind.ONSITE)
    venue = services._text(errors, data, "venue", "地点/链接", 200, required=kind == Fair.Kind.ONSITE)
    description = services._text(errors, data, "description", "简介", 2000)
    starts = _when(errors, data, "starts_at", "开始时间")
    ends = _when(errors, data, "ends_at", "结束时间")
    if starts and ends and ends <= starts:
        errors.add("ends_at", "结束时间", "应晚于开始时间")
    if starts and starts < timezone.now():
        errors.add("starts_at", "开始时间", "不能早于现在")
    errors.raise_if_any()
    assert starts is not None and ends is not None  # raise_if_any refused them
    with transaction.atomic():
        fair = Fair.objects.create(
            zone_id=zone_id,
            title=title,
            kind=kind,
            venue=venue,
            starts_at=starts,
            ends_at=ends,
            description=description,
            created_by=ctx.user,
        )
        audit.record(ctx, "recruitment.fair.schedule", fair, after={"title": title, "kind": kind})
    return fair


def take_booth(ctx: ActionContext, fair: Fair, enterprise: Enterprise, position_ids: list[Any]) -> FairBooth:
    """An enterprise takes (or updates) its booth with some of its public positions."""
    if fair.zone_id != enterprise.zone_id:
        raise Refused("只能参加本园区的招聘会")
    if state(fair) in ("finished", "cancelled"):
        raise Refused("招聘会已结束或已取消")
    wanted = {int(p) for p in position_ids if str(p).isdigit()}
    if not wanted:
        raise ValidationError({"positions": ["参会岗位：请至少选择一个在招岗位"]})
    if len(wanted) > MAX_BOOTH_POSITIONS:
        raise ValidationError({"positions": [f"参会岗位：最多{MAX_BOOTH_POSITIONS}个"]})
    positions = list(
        services.public_positions([enterprise.zone_id]).filter(enterprise=enterprise, pk__in=wanted)
    )
    if len(positions) != len(wanted):
        raise ValidationError({"positions": ["参会岗位：只能选择本企业正在招聘的岗位"]})
    with transaction.atomic():
        booth, made = FairBooth.objects.get_or_create(fair=fair, enterprise=enterprise)
        if made:
            booth.number = f"{FairBooth.objects.filter(fair=fair).count():03d}"
            booth.save(update_fields=["number"])
        booth.positions.set(positions)
        audit.record(
            ctx, "recruitment.fair.booth", booth, zone_id=fair.zone_id, after={"positions": sorted(wanted)}
        )
    return booth


def register(ctx: ActionContext, fair: Fair, person: Person) -> FairVisitor:
    if person.zone_id != fair.zone_id:
        raise Refused("只能报名本园区的招聘会")
    if state(fair) in ("finished", "cancelled"):
        raise Refused("招聘会已结束或已取消")
    try:
        with transaction.atomic():
            visitor = FairVisitor.objects.create(fair=fair, person=person, registered_at=timezone.now())
            audit.record(ctx, "recruitment.fair.register", visitor, zone_id=fair.zone_id)
    except IntegrityError:
        raise Refused("您已报名该招聘会") from None
    return visitor


def check_in(ctx: ActionContext, fair: Fair, code_text: str) -> FairVisitor:
    """At the door: her talent code (scanned, or the 8 digits) checks her in; a talent who had not
    registered is registered on the spot."""
    if state(fair) != "live":
        raise Refused("招聘会未开始或已结束，不能签到")
    try:
        talent_id = talent_codes.read(code_text, fair.zone_id)
    except talent_codes.Unreadable as exc:
        raise ValidationError({"code": [f"人才码：{exc}"]}) from None
    person_id = Talent.objects.filter(pk=talent_id).values_list("person_id", flat=True).get()
    now = timezone.now()
    with transaction.atomic():
        visitor, _ = FairVisitor.objects.select_for_update().get_or_create(
            fair=fair, person_id=person_id, defaults={"registered_at": now}
        )
        if visitor.checked_in_at is not None:
            raise Refused(f"已签到（{timezone.localtime(visitor.checked_in_at):%H:%M}）")
        visitor.checked_in_at, visitor.checked_in_by = now, ctx.user
        visitor.save(update_fields=["checked_in_at", "checked_in_by"])
        audit.record(ctx, "recruitment.fair.check_in", visitor, zone_id=fair.zone_id)
    return visitor


def join_online(ctx: ActionContext, fair: Fair, person: Person) -> FairVisitor:
    """空中双选会: opening the live fair is her check-in."""
    if fair.kind != Fair.Kind.ONLINE or state(fair) != "live":
        raise Refused("该招聘会不是进行中的空中双选会")
    with transaction.atomic():
        visitor, _ = FairVisitor.objects.select_for_update().get_or_create(
            fair=fair, person=person, defaults={"registered_at": timezone.now()}
        )
        if visitor.checked_in_at is None:
            visitor.checked_in_at = timezone.now()
            visitor.save(update_fields=["checked_in_at"])
            audit.record(ctx, "recruitment.fair.check_in", visitor, zone_id=fair.zone_id)
    return visitor


def intend(ctx: ActionContext, booth: FairBooth, person: Person) -> FairIntention:
    """Her intention at a booth, in one tap, while the fair is on and she has checked in."""
    fair = booth.fair
    if state(fair) != "live":
        raise Refused("招聘会进行中才能登记意向")
    if not FairVisitor.objects.filter(fair=fair, person=person, checked_in_at__isnull=False).exists():
        raise Refused("请先签到（在入口出示人才码）")
    try:
        with transaction.atomic():
            made = FairIntention.objects.create(booth=booth, person=person, at=timezone.now())
            audit.record(ctx, "recruitment.fair.intention", made, zone_id=fair.zone_id)
            users = services.hr_users(booth.enterprise_id)
            if users:
                notify.notify(
                    services.APPLICANT_KIND,
                    f"{fair.title}：{person.name} 在展位 {booth.number} 登记了求职意向",
                    users,
                    zone_id=fair.zone_id,
                )
    except IntegrityError:
        raise Refused("已登记过该展位的意向") from None
    return made


def apply_at(ctx: ActionContext, booth: FairBooth, person: Person, position: Position) -> Application:
    """A résumé delivered at the fair: an application with the fair, to one of the booth's jobs."""
    if not booth.positions.filter(pk=position.pk).exists():
        raise Refused("该岗位不在本展位")
    if state(booth.fair) not in ("upcoming", "live"):
        raise Refused("招聘会已结束")
    app = services.apply(ctx, person, position, source=Application.Source.FAIR)
    Application.objects.filter(pk=app.pk).update(fair=booth.fair)
    app.fair = booth.fair
    return app


def report(fair: Fair) -> dict[str, int]:
    """The fair's figures: enterprises, jobs (and headcount), visitors registered and checked in,
    résumés, intentions, and hires from its résumés."""
    booths = FairBooth.objects.filter(fair=fair)
    jobs = Position.objects.filter(fair_booths__fair=fair).distinct()
    visitors = FairVisitor.objects.filter(fair=fair).aggregate(
        registered=Count("id"), checked_in=Count("id", filter=Q(checked_in_at__isnull=False))
    )
    apps = Application.objects.filter(fair=fair).aggregate(
        resumes=Count("id"), hired=Count("id", filter=Q(stage=Application.Stage.HIRED))
    )
    return {
        "enterprises": booths.count(),
        "jobs": jobs.count(),
        "headcount": sum(jobs.values_list("headcount", flat=True)),
        "registered": visitors["registered"],
        "checked_in": visitors["checked_in"],
        "resumes": apps["resumes"],
        "intentions": FairIntention.objects.filter(booth__fair=fair).count(),
        "hired": apps["hired"],
    }
