"""招才引智's workflow: posting and review, the public marketplace, applications through the
pipeline, interviews with slots she picks, saved searches.

Every change is one transaction: the row, its history event, the audit row and the notices are
written together or not at all. Bad input is a ``ValidationError`` naming each field in Chinese;
a change not allowed now is :class:`Refused` with a Chinese reason.

Positions: 草稿 → 待审核 (the enterprise submits) → 招聘中 (the office approves; published today)
or 未通过审核 (with the office's note; the enterprise edits and submits again) → 已结束 (the
enterprise closes it, or its closing date passes: :func:`close_expired`, and no page or service
treats a position past its date as open even before the job runs: :func:`public_positions`).

Applications: 新投递 → 初筛通过 → 面试 → 录用意向 → 已入职, or 未录用 (with a reason) from any of the
first four; she may withdraw until she is hired. Two people moving the same application at once
are serialised by a row lock; one application per person and job is a unique constraint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from talentpark.core import audit, notify
from talentpark.core.codes import Degree
from talentpark.core.context import ActionContext
from talentpark.core.models import Division, PIIAccessLog, Zone
from talentpark.core.roles import Role
from talentpark.core.validation import FieldErrors, parse_date, starts_like_formula
from talentpark.recruitment import facts, matching, occupations
from talentpark.recruitment.models import (
    Application,
    ApplicationEvent,
    EmploymentType,
    Interview,
    InterviewSlot,
    JobSeeker,
    PersonnelDemand,
    Position,
    SavedSearch,
)
from talentpark.registry.models import Enterprise, EnterpriseAccount, Person, Talent

APPLICATION_KIND = "recruitment.application"
APPLICANT_KIND = "recruitment.applicant"
MATCH_KIND = "recruitment.match"
REVIEW_KIND = "recruitment.review"
notify.register_kind(APPLICATION_KIND, gettext_noop("求职进度"), channels=(notify.SMS,))
notify.register_kind(APPLICANT_KIND, gettext_noop("收到简历"))
notify.register_kind(MATCH_KIND, gettext_noop("岗位订阅"))
notify.register_kind(REVIEW_KIND, gettext_noop("岗位审核"))

PS = Position.Status
AS = Application.Stage
EK = ApplicationEvent.Kind

SALARY_CAP = 200_000
MAX_SKILLS = 12
MAX_SLOTS = 5
CLOSING_HORIZON_DAYS = 366
# Where an application may go next, and who moves it (the enterprise; she only withdraws).
TRANSITIONS: dict[str, set[str]] = {
    AS.NEW: {AS.SCREENED, AS.REJECTED},
    AS.SCREENED: {AS.INTERVIEW, AS.REJECTED},
    AS.INTERVIEW: {AS.OFFER, AS.REJECTED},
    AS.OFFER: {AS.HIRED, AS.REJECTED},
    AS.HIRED: set(),
    AS.REJECTED: set(),
    AS.WITHDRAWN: set(),
}
LIVE_STAGES = (AS.NEW, AS.SCREENED, AS.INTERVIEW, AS.OFFER)


class Refused(Exception):
    """A change not allowed now, with the Chinese reason shown to the user."""


# -- reading ---------------------------------------------------------------------------------------


def today() -> dt.date:
    return timezone.localdate()


def public_q(on: dt.date | None = None, prefix: str = "") -> Q:
    """Open and not past its closing date: what anyone may see and apply to."""
    on = on or today()
    return Q(**{f"{prefix}status": PS.OPEN}) & (
        Q(**{f"{prefix}closes_on__isnull": True}) | Q(**{f"{prefix}closes_on__gte": on})
    )


def public_positions(zone_ids: Iterable[int], on: dt.date | None = None) -> QuerySet[Position]:
    return Position.objects.filter(public_q(on), zone_id__in=list(zone_ids))


def is_public(position: Position, on: dt.date | None = None) -> bool:
    on = on or today()
    return position.status == PS.OPEN and (position.closes_on is None or position.closes_on >= on)


def districts(zone: Zone | int) -> list[Division]:
    """The counties a zone's jobs may be in: the current ones of its prefecture."""
    zone_obj = zone if isinstance(zone, Zone) else Zone.objects.get(pk=zone)
    return list(Division.objects.filter(parent_id=zone_obj.division_id, is_current=True).order_by("code"))


def person_of(user: Any, zone_id: int) -> Person | None:
    """Her person row in a zone (the one her talent record hangs on)."""
    if not user.is_authenticated or user.role != Role.TALENT:
        return None
    return Person.objects.filter(user=user, zone_id=zone_id).order_by("-pk").first()


def hr_users(enterprise_id: int) -> list[int]:
    return list(
        EnterpriseAccount.objects.filter(enterprise_id=enterprise_id).values_list("user_id", flat=True)
    )


def applicant_user(app: Application) -> int | None:
    uid: int | None = Person.objects.filter(pk=app.person_id).values_list("user_id", flat=True).first()
    return uid


def link(app: Application) -> str:
    return reverse("recruitment:application", args=[app.pk])


def position_link(position: Position) -> str:
    return reverse("recruitment:job", args=[position.pk])


# -- small helpers ---------------------------------------------------------------------------------


def _text(
    errors: FieldErrors, data: dict[str, Any], name: str, label: str, limit: int, required: bool = False
) -> str:
    value = " ".join(str(data.get(name) or "").split()) if limit <= 200 else str(data.get(name) or "").strip()
    if required and not value:
        errors.add(name, label, "不能为空")
    elif len(value) > limit:
        errors.add(name, label, f"不能超过{limit}个字")
    elif value and starts_like_formula(value):
        errors.add(name, label, "不能以 = + - @ 开头")
    return value


def _int(
    errors: FieldErrors,
    data: dict[str, Any],
    name: str,
    label: str,
    low: int,
    high: int,
    *,
    required: bool = True,
    default: int | None = None,
) -> int | None:
    raw = str(data.get(name) if data.get(name) is not None else "").strip().replace(",", "")
    if not raw:
        if required and default is None:
            errors.add(name, label, "不能为空")
        return default
    if not raw.isdigit():
        errors.add(name, label, "应为整数")
        return None
    value = int(raw)
    if not low <= value <= high:
        errors.add(name, label, f"应在{low}到{high}之间")
        return None
    return value


def _choice(
    errors: FieldErrors, data: dict[str, Any], name: str, label: str, choices: Any, default: str = ""
) -> str:
    value = str(data.get(name) or default)
    if value not in dict(choices):
        errors.add(name, label, "不是可选的值")
    return value


def _list(
    errors: FieldErrors, data: dict[str, Any], name: str, label: str, limit: int, item_limit: int = 20
) -> list[str]:
    raw = data.get(name) or []
    if isinstance(raw, str):
        raw = raw.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    items: list[str] = []
    for item in raw:
        text = " ".join(str(item).split())
        if text and text not in items:
            items.append(text)
    if len(items) > limit:
        errors.add(name, label, f"最多{limit}项")
    for text in items:
        if len(text) > item_limit:
            errors.add(name, label, f"“{text[:10]}…”超过{item_limit}个字")
            break
        if starts_like_formula(text):
            errors.add(name, label, "不能以 = + - @ 开头")
            break
    return items


def _occupation(errors: FieldErrors, value: Any, name: str, label: str, required: bool) -> str:
    code = str(value or "").strip()
    if not code:
        if required:
            errors.add(name, label, "请选择职业分类")
        return ""
    found = occupations.get(code)
    if found is None or found.level != 4:
        errors.add(name, label, f"{code}不是2022版职业分类大典中的职业（细类）")
    return code


def _event(
    ctx: ActionContext, app: Application, kind: str, text: str = "", *, public: bool = True
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=app,
        at=timezone.now(),
        kind=kind,
        stage=app.stage,
        actor=ctx.user,
        text=text,
        public=public,
    )


def _tell_applicant(app: Application, text: str) -> None:
    uid = applicant_user(app)
    if uid:
        notify.notify(APPLICATION_KIND, text, [uid], link=reverse("recruitment:mine"), zone_id=app.zone_id)


def _tell_enterprise(app: Application, text: str) -> None:
    users = hr_users(app.enterprise_id)
    if users:
        notify.notify(APPLICANT_KIND, text, users, link=link(app), zone_id=app.zone_id)


def _locked(app: Application) -> Application:
    return Application.objects.select_for_update().select_related("position").get(pk=app.pk)


# -- positions: posting and review -----------------------------------------------------------------

POSITION_FIELDS = (
    "title",
    "occupation",
    "category",
    "headcount",
    "min_degree",
    "major",
    "skills",
    "min_experience",
    "salary_min",
    "salary_max",
    "district",
    "employment_type",
    "closes_on",
    "description",
)


def _clean_position(zone: Zone, data: dict[str, Any], on: dt.date) -> dict[str, Any]:
    errors = FieldErrors()
    values: dict[str, Any] = {
        "title": _text(errors, data, "title", "岗位名称", 60, required=True),
        "occupation": _occupation(errors, data.get("occupation"), "occupation", "职业分类", required=True),
        "category": _choice(errors, data, "category", "岗位类别", Position.Category.choices),
        "headcount": _int(errors, data, "headcount", "招聘人数", 1, 999),
        "min_degree": _choice(errors, data, "min_degree", "最低学历", Degree.choices),
        "major": _text(errors, data, "major", "专业要求", 60),
        "skills": _list(errors, data, "skills", "技能要求", MAX_SKILLS),
        "min_experience": _int(errors, data, "min_experience", "工作经验", 0, 40, default=0),
        "salary_min": _int(errors, data, "salary_min", "月薪下限", 1, SALARY_CAP),
        "salary_max": _int(errors, data, "salary_max", "月薪上限", 1, SALARY_CAP),
        "employment_type": _choice(
            errors, data, "employment_type", "用工形式", EmploymentType.choices, EmploymentType.FULL_TIME
        ),
        "description": _text(errors, data, "description", "岗位职责", 2000),
    }
    low, high = values["salary_min"], values["salary_max"]
    if low is not None and high is not None and high < low:
        errors.add("salary_max", "月薪上限", "不能低于月薪下限")
    district = str(data.get("district") or "").strip()
    if district and district not in {d.code for d in districts(zone)}:
        errors.add("district", "工作地点", "不在本园区所在城市的区县中")
    values["district_id"] = district or None
    closes = str(data.get("closes_on") or "").strip()
    values["closes_on"] = None
    if closes:
        when = errors.check("closes_on", "截止日期", parse_date, closes)
        if when is not None and when < on:
            errors.add("closes_on", "截止日期", "不能早于今天")
        elif when is not None and when > on + dt.timedelta(days=CLOSING_HORIZON_DAYS):
            errors.add("closes_on", "截止日期", "不能晚于一年以后")
        else:
            values["closes_on"] = when
    errors.raise_if_any()
    return values


def save_position(
    ctx: ActionContext,
    enterprise: Enterprise,
    data: dict[str, Any],
    position: Position | None = None,
    *,
    submit: bool = False,
) -> Position:
    """Create or edit an enterprise's position (a draft, or submitted for review with ``submit``).

    An open position edited goes back to review: what the public sees has always been reviewed.
    """
    on = today()
    zone = Zone.objects.get(pk=enterprise.zone_id)
    values = _clean_position(zone, data, on)
    with transaction.atomic():
        if position is None:
            position = Position(
                zone_id=enterprise.zone_id, enterprise=enterprise, published_on=on, created_by=ctx.user
            )
            before: dict[str, Any] | None = None
        else:
            position = Position.objects.select_for_update().get(pk=position.pk)
            if position.enterprise_id != enterprise.pk:
                raise Refused("不是本企业的岗位")
            if position.status == PS.CLOSED:
                raise Refused("岗位已结束，不能修改")
            before = {"status": position.status}
        for name, value in values.items():
            setattr(position, name, value)
        position.status = PS.PENDING if submit or position.status in (PS.OPEN, PS.PENDING) else PS.DRAFT
        position.review_note = ""
        position.save()
        audit.record(
            ctx,
            "recruitment.position.save",
            position,
            before=before,
            after={"title": position.title, "status": position.status},
        )
        if position.status == PS.PENDING:
            _tell_office(position)
    return position


def _tell_office(position: Position) -> None:
    from talentpark.accounts.models import User

    office = User.objects.filter(zone_id=position.zone_id, role=Role.OFFICE, is_active=True).values_list(
        "pk", flat=True
    )
    notify.notify(
        REVIEW_KIND,
        f"岗位待审核：{position.enterprise.name}「{position.title}」",
        office,
        link=reverse("recruitment:review"),
        zone_id=position.zone_id,
    )


def submit_position(ctx: ActionContext, position: Position) -> Position:
    with transaction.atomic():
        position = Position.objects.select_for_update().select_related("enterprise").get(pk=position.pk)
        if position.status not in (PS.DRAFT, PS.REJECTED):
            raise Refused("只有草稿或未通过审核的岗位可以提交审核")
        if position.closes_on is not None and position.closes_on < today():
            raise Refused("截止日期已过，请先修改截止日期")
        position.status = PS.PENDING
        position.save(update_fields=["status"])
        audit.record(ctx, "recruitment.position.submit", position, after={"status": position.status})
        _tell_office(position)
    return position


def review_position(ctx: ActionContext, position: Position, approve: bool, note: str = "") -> Position:
    """The office's decision on a submitted position; approved ones are public from today."""
    note = " ".join(str(note or "").split())
    if not approve and not note:
        raise ValidationError({"review_note": ["审核意见：退回时请写明原因"]})
    if len(note) > 200:
        raise ValidationError({"review_note": ["审核意见：不能超过200个字"]})
    with transaction.atomic():
        position = Position.objects.select_for_update().select_related("enterprise").get(pk=position.pk)
        if position.status != PS.PENDING:
            raise Refused("该岗位不在待审核状态（可能已被他人处理）")
        position.status = PS.OPEN if approve else PS.REJECTED
        position.reviewed_by = ctx.user
        position.reviewed_at = timezone.now()
        position.review_note = note
        if approve:
            position.published_on = today()
        position.save()
        audit.record(
            ctx,
            "recruitment.position.review",
            position,
            after={"status": position.status, "note": note},
        )
        verdict = "已通过审核，现已公开" if approve else f"未通过审核：{note}"
        users = hr_users(position.enterprise_id)
        if users:
            notify.notify(
                REVIEW_KIND,
                f"岗位「{position.title}」{verdict}",
                users,
                link=reverse("recruitment:post_edit", args=[position.pk]),
                zone_id=position.zone_id,
            )
        if approve:
            pk = position.pk
            transaction.on_commit(lambda: alert_task.enqueue(pk))
    return position


def close_position(ctx: ActionContext, position: Position) -> Position:
    with transaction.atomic():
        position = Position.objects.select_for_update().get(pk=position.pk)
        if position.status == PS.CLOSED:
            raise Refused("岗位已结束")
        position.status = PS.CLOSED
        position.save(update_fields=["status"])
        audit.record(ctx, "recruitment.position.close", position, after={"status": position.status})
    return position


def close_expired(on: dt.date | None = None) -> int:
    """Close every open position whose closing date has passed (the scheduled job's body)."""
    on = on or today()
    with transaction.atomic():
        expired = Position.objects.filter(status=PS.OPEN, closes_on__lt=on)
        ids = list(expired.values_list("pk", flat=True))
        if ids:
            Position.objects.filter(pk__in=ids).update(status=PS.CLOSED)
    return len(ids)


# -- personnel demands -----------------------------------------------------------------------------


def save_demand(
    ctx: ActionContext, enterprise: Enterprise, data: dict[str, Any], demand: PersonnelDemand | None = None
) -> PersonnelDemand:
    errors = FieldErrors()
    on = today()
    values = {
        "title": _text(errors, data, "title", "需求岗位/方向", 60, required=True),
        "occupation": _occupation(errors, data.get("occupation"), "occupation", "职业分类", required=False),
        "major": _text(errors, data, "major", "专业方向", 60),
        "min_degree": _choice(errors, data, "min_degree", "学历要求", Degree.choices),
        "count": _int(errors, data, "count", "需求人数", 1, 9999),
        "urgency": _choice(
            errors,
            data,
            "urgency",
            "紧迫程度",
            PersonnelDemand.Urgency.choices,
            PersonnelDemand.Urgency.NORMAL,
        ),
        "year": _int(errors, data, "year", "需求年度", on.year - 1, on.year + 2, default=on.year),
        "note": _text(errors, data, "note", "备注", 200),
    }
    errors.raise_if_any()
    with transaction.atomic():
        if demand is None:
            demand = PersonnelDemand(zone_id=enterprise.zone_id, enterprise=enterprise, reported_on=on)
        elif demand.enterprise_id != enterprise.pk:
            raise Refused("不是本企业的人才需求")
        for name, value in values.items():
            setattr(demand, name, value)
        demand.save()
        audit.record(
            ctx, "recruitment.demand.save", demand, after={"title": demand.title, "count": demand.count}
        )
    return demand


def set_demand_status(ctx: ActionContext, demand: PersonnelDemand, status: str) -> PersonnelDemand:
    if status not in (PersonnelDemand.Status.MET, PersonnelDemand.Status.WITHDRAWN):
        raise Refused("不支持的状态")
    with transaction.atomic():
        demand = PersonnelDemand.objects.select_for_update().get(pk=demand.pk)
        if demand.status != PersonnelDemand.Status.OPEN:
            raise Refused("该需求已不在对接中")
        demand.status = status
        demand.save(update_fields=["status"])
        audit.record(ctx, "recruitment.demand.status", demand, after={"status": status})
    return demand


# -- her 求职意向 ------------------------------------------------------------------------------------


def save_seeker(ctx: ActionContext, person: Person, data: dict[str, Any]) -> JobSeeker:
    errors = FieldErrors()
    codes = _list(errors, data, "occupations", "意向职业", 3, item_limit=12)
    for code in codes:
        _occupation(errors, code, "occupations", "意向职业", required=False)
    allowed = {d.code for d in districts(person.zone_id)}
    chosen = _list(errors, data, "districts", "意向工作地点", 10, item_limit=6)
    if any(code not in allowed for code in chosen):
        errors.add("districts", "意向工作地点", "不在本园区所在城市的区县中")
    values = {
        "occupations": codes,
        "skills": _list(errors, data, "skills", "技能", 20),
        "experience_years": _int(errors, data, "experience_years", "工作年限", 0, 50, default=0),
        "expected_salary": _int(errors, data, "expected_salary", "期望月薪", 1, SALARY_CAP, required=False),
        "districts": chosen,
        "employment_type": _choice(
            errors, data, "employment_type", "用工形式", EmploymentType.choices, EmploymentType.FULL_TIME
        ),
        "summary": _text(errors, data, "summary", "自我介绍", 500),
        "open_to_offers": str(data.get("open_to_offers") or "") in ("1", "on", "true", "True"),
    }
    errors.raise_if_any()
    with transaction.atomic():
        seeker, _ = JobSeeker.objects.update_or_create(
            person=person, defaults={"zone_id": person.zone_id, **values}
        )
        audit.record(
            ctx,
            "recruitment.seeker.save",
            seeker,
            zone_id=person.zone_id,
            after={"open": seeker.open_to_offers},
        )
    return seeker


# -- applications ----------------------------------------------------------------------------------


def _named(label: Any) -> str:
    """A code's label for a résumé; "无" (none) says nothing there."""
    text = str(label or "")
    return "" if text == "无" else text


def resume_of(person: Person) -> dict[str, Any]:
    """What her application carries: her record (一次申报) and her 求职意向, as of now."""
    talent = (
        Talent.objects.filter(person=person)
        .select_related("employer")
        .order_by("-zone_entry_date", "-pk")
        .first()
    )
    seeker = JobSeeker.objects.filter(person=person).first()
    educations = [
        {
            "degree": e.get_degree_display(),
            "major": e.major,
            "university": e.university.name,
            "graduated_on": e.graduated_on.isoformat() if e.graduated_on else "",
        }
        for e in person.educations.select_related("university").order_by("-graduated_on", "-pk")
    ]
    age = None
    if person.birth_date:
        on = today()
        age = (
            on.year
            - person.birth_date.year
            - ((on.month, on.day) < (person.birth_date.month, person.birth_date.day))
        )
    return {
        "name": person.name,
        "sex": person.get_sex_display(),
        "age": age,
        "degree": person.get_highest_degree_display() if person.highest_degree else "",
        "educations": educations,
        "title": _named(talent.get_professional_title_display())
        if talent and talent.professional_title
        else "",
        "skill_level": _named(talent.get_skill_level_display()) if talent and talent.skill_level else "",
        "employer": talent.employer.name if talent and talent.employer else "",
        "position_title": talent.position_title if talent else "",
        "tier": talent.get_tier_display() if talent and talent.tier else "",
        "skills": list(seeker.skills) if seeker else [],
        "experience_years": seeker.experience_years if seeker else 0,
        "expected_salary": seeker.expected_salary if seeker else None,
        "summary": seeker.summary if seeker else "",
    }


def apply(
    ctx: ActionContext,
    person: Person,
    position: Position,
    *,
    note: str = "",
    source: str = Application.Source.MARKET,
    at: dt.datetime | None = None,
) -> Application:
    """Her one-click application: her profile as it is now, scored against the job."""
    errors = FieldErrors()
    note = _text(errors, {"note": note}, "note", "附言", 300)
    if source not in Application.Source.values:
        errors.add("source", "来源", "不是可选的值")
    errors.raise_if_any()
    if person.zone_id != position.zone_id:
        raise Refused("只能投递本人所在园区的岗位")
    if not is_public(position):
        raise Refused("该岗位已截止或未公开，不能投递")
    now = at or timezone.now()
    match = matching.points(facts.job_of(position), facts.person_facts(person))
    try:
        with transaction.atomic():
            app = Application.objects.create(
                zone_id=position.zone_id,
                position=position,
                enterprise_id=position.enterprise_id,
                person=person,
                source=source,
                resume=resume_of(person),
                score=match,
                note=note,
                created_at=now,
                updated_at=now,
            )
            _event(ctx, app, EK.APPLIED, f"投递「{position.title}」")
            audit.record(
                ctx, "recruitment.application.apply", app, after={"position": position.pk, "score": match}
            )
            _tell_enterprise(app, f"收到新简历：{person.name} 投递「{position.title}」（匹配度 {match}%）")
            _tell_applicant(app, f"已投递「{position.title}」，企业查看后将在此通知您")
    except IntegrityError:
        raise Refused("您已投递过该岗位") from None
    return app


def move(ctx: ActionContext, app: Application, to: str, *, reason: str = "", note: str = "") -> Application:
    """The enterprise moves an application one step (or rejects it, with a reason)."""
    errors = FieldErrors()
    note = _text(errors, {"note": note}, "note", "说明", 200)
    if to == AS.REJECTED and reason not in Application.Reason.values:
        errors.add("reason", "未录用原因", "请选择原因")
    errors.raise_if_any()
    with transaction.atomic():
        app = _locked(app)
        if to not in TRANSITIONS.get(app.stage, set()):
            raise Refused(f"当前进度为“{app.get_stage_display()}”，不能改为“{AS(to).label}”")
        if to == AS.INTERVIEW:
            raise Refused("请通过“邀请面试”提供面试时间")
        before = app.stage
        app.stage = to
        app.updated_at = timezone.now()
        if to == AS.REJECTED:
            app.reason, app.reason_note = reason, note
            Interview.objects.filter(application=app, status=Interview.Status.OFFERED).update(
                status=Interview.Status.CANCELLED
            )
        if to == AS.HIRED:
            app.hired_on = today()
        app.save()
        text = f"{AS(before).label} → {app.get_stage_display()}"
        if to == AS.REJECTED:
            text += f"（{app.get_reason_display()}{'：' + note if note else ''}）"
        elif note:
            text += f"：{note}"
        _event(ctx, app, EK.STAGE, text)
        audit.record(ctx, "recruitment.application.move", app, before={"stage": before}, after={"stage": to})
        title = app.position.title
        words: dict[str, str] = {
            AS.SCREENED: f"您投递的「{title}」已通过初筛",
            AS.OFFER: f"恭喜！「{title}」向您发出录用意向",
            AS.HIRED: f"「{title}」已确认您入职",
            AS.REJECTED: f"很遗憾，「{title}」暂未录用您（{app.get_reason_display()}）",
        }
        _tell_applicant(app, words[to])
    return app


def withdraw(ctx: ActionContext, app: Application) -> Application:
    with transaction.atomic():
        app = _locked(app)
        if app.stage not in LIVE_STAGES:
            raise Refused("该申请已结束，不能撤回")
        app.stage = AS.WITHDRAWN
        app.updated_at = timezone.now()
        app.save(update_fields=["stage", "updated_at"])
        Interview.objects.filter(
            application=app, status__in=[Interview.Status.OFFERED, Interview.Status.ACCEPTED]
        ).update(status=Interview.Status.CANCELLED)
        _event(ctx, app, EK.WITHDRAWN, "求职人撤回申请")
        audit.record(ctx, "recruitment.application.withdraw", app, after={"stage": app.stage})
        _tell_enterprise(app, f"{app.resume.get('name', '')} 撤回了对「{app.position.title}」的申请")
    return app


def invite(
    ctx: ActionContext,
    app: Application,
    slots: list[Any],
    *,
    mode: str = Interview.Mode.ONSITE,
    place: str = "",
    minutes: Any = 30,
) -> Interview:
    """Invite to an interview with up to :data:`MAX_SLOTS` times she picks from."""
    errors = FieldErrors()
    place = _text(errors, {"place": place}, "place", "地点/链接", 200)
    if mode not in Interview.Mode.values:
        errors.add("mode", "面试方式", "不是可选的值")
    length = _int(errors, {"minutes": minutes}, "minutes", "时长", 10, 240, default=30)
    now = timezone.now()
    times: list[dt.datetime] = []
    for raw in slots:
        text = str(raw or "").strip()
        if not text:
            continue
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError:
            errors.add("slots", "面试时间", f"{text}不是有效的时间")
            continue
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        if when <= now:
            errors.add("slots", "面试时间", f"{timezone.localtime(when):%Y-%m-%d %H:%M}已过")
        elif when not in times:
            times.append(when)
    if not times and "slots" not in errors.errors:
        errors.add("slots", "面试时间", "请至少提供一个时间")
    if len(times) > MAX_SLOTS:
        errors.add("slots", "面试时间", f"最多提供{MAX_SLOTS}个时间")
    errors.raise_if_any()
    with transaction.atomic():
        app = _locked(app)
        if app.stage not in (AS.SCREENED, AS.INTERVIEW):
            raise Refused("初筛通过后才能邀请面试")
        if Interview.objects.filter(application=app, status=Interview.Status.OFFERED).exists():
            raise Refused("已有一个待确认的面试邀请")
        Interview.objects.filter(application=app, status=Interview.Status.ACCEPTED).update(
            status=Interview.Status.CANCELLED
        )
        interview = Interview.objects.create(
            application=app, mode=mode, place=place, created_at=now, created_by=ctx.user
        )
        InterviewSlot.objects.bulk_create(
            [InterviewSlot(interview=interview, starts_at=t, minutes=length or 30) for t in sorted(times)]
        )
        before = app.stage
        app.stage = AS.INTERVIEW
        app.updated_at = now
        app.save(update_fields=["stage", "updated_at"])
        _event(ctx, app, EK.INVITED, f"{interview.get_mode_display()}，可选时间 {len(times)} 个")
        audit.record(
            ctx, "recruitment.application.invite", app, before={"stage": before}, after={"slots": len(times)}
        )
        _tell_applicant(app, f"「{app.position.title}」邀请您{interview.get_mode_display()}，请选择面试时间")
    return interview


def pick_slot(ctx: ActionContext, interview: Interview, slot_id: Any) -> Interview:
    """She picks one of the offered times; from now on the enterprise may see her phone."""
    with transaction.atomic():
        interview = (
            Interview.objects.select_for_update().select_related("application__position").get(pk=interview.pk)
        )
        if interview.status != Interview.Status.OFFERED:
            raise Refused("该面试邀请已确认或已取消")
        slot = interview.slots.filter(pk=int(slot_id) if str(slot_id).isdigit() else 0).first()
        if slot is None:
            raise ValidationError({"slot": ["面试时间：请选择邀请中的一个时间"]})
        if slot.starts_at <= timezone.now():
            raise Refused("该时间已过，请选择其他时间")
        interview.status = Interview.Status.ACCEPTED
        interview.chosen = slot
        interview.save(update_fields=["status", "chosen"])
        app = interview.application
        when = f"{timezone.localtime(slot.starts_at):%m月%d日 %H:%M}"
        _event(ctx, app, EK.SLOT, f"确认面试时间 {when}")
        audit.record(
            ctx, "recruitment.interview.accept", interview, zone_id=app.zone_id, after={"slot": slot.pk}
        )
        _tell_enterprise(app, f"{app.resume.get('name', '')} 确认了「{app.position.title}」的面试：{when}")
    return interview


def decline_interview(ctx: ActionContext, interview: Interview) -> Interview:
    with transaction.atomic():
        interview = (
            Interview.objects.select_for_update().select_related("application__position").get(pk=interview.pk)
        )
        if interview.status not in (Interview.Status.OFFERED, Interview.Status.ACCEPTED):
            raise Refused("该面试邀请已结束")
        interview.status = Interview.Status.DECLINED
        interview.save(update_fields=["status"])
        app = interview.application
        _event(ctx, app, EK.DECLINED, "求职人婉拒面试")
        audit.record(ctx, "recruitment.interview.decline", interview, zone_id=app.zone_id)
        _tell_enterprise(app, f"{app.resume.get('name', '')} 婉拒了「{app.position.title}」的面试")
    return interview


def phone_visible(app: Application) -> bool:
    """The enterprise sees her phone once she has accepted an interview (or got further)."""
    return (
        app.stage in (AS.OFFER, AS.HIRED) or app.interviews.filter(status=Interview.Status.ACCEPTED).exists()
    )


def applicant_phone(ctx: ActionContext, app: Application) -> str:
    """Her phone for the enterprise, unmasked once she accepted an interview (the read is logged);
    masked before."""
    person = Person.objects.get(pk=app.person_id)
    phone: Any = person.phone
    if phone is None:
        return ""
    if not phone_visible(app):
        return str(phone.masked)
    PIIAccessLog.objects.create(
        zone_id=app.zone_id,
        actor=ctx.user,
        actor_name=ctx.user.get_username() if ctx.user else "",
        role=ctx.role,
        subject_type=Person._meta.label_lower,
        subject_id=str(person.pk),
        subject_repr=str(person)[:200],
        field="phone",
        reason=f"面试联系（求职申请 {app.pk}）",
        granted=True,
        ip=ctx.ip,
        request_id=ctx.request_id,
    )
    return str(phone.plaintext_for_processing())


# -- saved searches --------------------------------------------------------------------------------

SEARCH_KEYS = ("q", "salary", "district", "degree", "chain", "type", "occupation")


def query(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


def clean_params(data: dict[str, Any]) -> dict[str, str]:
    return {k: str(data.get(k) or "").strip()[:60] for k in SEARCH_KEYS if str(data.get(k) or "").strip()}


def filter_positions(qs: QuerySet[Position], params: dict[str, str]) -> QuerySet[Position]:
    """The marketplace's filters (keyword, salary at least, district, degree she has, chain, type)."""
    from talentpark.core.codes import DEGREE_RANK

    q = params.get("q", "")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(enterprise__name__icontains=q) | Q(major__icontains=q))
    salary = params.get("salary", "")
    if salary.isdigit():
        qs = qs.filter(salary_max__gte=int(salary))
    if params.get("district"):
        qs = qs.filter(district_id=params["district"])
    degree = params.get("degree", "")
    if degree in DEGREE_RANK:
        qs = qs.filter(min_degree__in=[d for d, r in DEGREE_RANK.items() if r <= DEGREE_RANK[degree]])
    chain = params.get("chain", "")
    if chain.isdigit():
        qs = qs.filter(enterprise__chain_roles__chain_id=int(chain)).distinct()
    if params.get("type") in EmploymentType.values:
        qs = qs.filter(employment_type=params["type"])
    if params.get("occupation"):
        qs = qs.filter(occupation__startswith=params["occupation"])
    return qs


def save_search(
    ctx: ActionContext, user: Any, zone_id: int, name: str, params: dict[str, Any]
) -> SavedSearch:
    errors = FieldErrors()
    name = _text(errors, {"name": name}, "name", "订阅名称", 40) or "我的岗位订阅"
    cleaned = clean_params(params)
    if not cleaned:
        errors.add("params", "订阅条件", "请至少设置一个筛选条件")
    if SavedSearch.objects.filter(user=user).count() >= 10:
        errors.add("params", "订阅条件", "最多保存10个订阅")
    errors.raise_if_any()
    with transaction.atomic():
        saved = SavedSearch.objects.create(zone_id=zone_id, user=user, name=name, params=cleaned)
        audit.record(ctx, "recruitment.search.save", saved, zone_id=zone_id, after=cleaned)
    return saved


def alert_saved_searches(position: Position) -> int:
    """Tell every saved search that the newly public ``position`` passes (one notice per search)."""
    searches = list(
        SavedSearch.objects.filter(zone_id=position.zone_id, notify=True).exclude(user__is_active=False)
    )
    items = []
    base = Position.objects.filter(pk=position.pk)
    for s in searches:
        if filter_positions(base, s.params).exists():
            items.append(
                (
                    s.user_id,
                    f"您订阅的「{s.name}」有新岗位：{position.enterprise.name}「{position.title}」",
                    position_link(position),
                )
            )
    if items:
        with transaction.atomic():
            notify.notify_each(MATCH_KIND, items, zone_id=position.zone_id)
            SavedSearch.objects.filter(pk__in=[s.pk for s in searches]).filter(
                user_id__in=[i[0] for i in items]
            ).update(last_notified_at=timezone.now())
    return len(items)


@task()
def alert_task(position_id: int) -> int:
    position = Position.objects.select_related("enterprise").filter(pk=position_id).first()
    return alert_saved_searches(position) if position is not None and is_public(position) else 0
