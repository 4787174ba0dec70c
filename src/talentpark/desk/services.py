"""The service desk's workflow: one window (filing), 集中办理 (parts per department), 全程跟踪 (steps,
replies, rating, reopening).

Every change is one transaction: the request, its parts, steps, clocks, audit row and the
requester's notice are written together or not at all. Bad input is a ``ValidationError`` naming
each field in Chinese; a change not allowed in the request's state is :class:`Refused` with a
Chinese reason. State changes that two people could make at once (two departments finishing the
last parts, a double click on 办结) lock the request row first, so "done when every part is" is
decided once.

Status of a request: 待受理 (new: filed, not yet routed, or in the 办不成事 queue) → 办理中 → 待补充材料
(waiting on the requester: its clocks stand still) → 办理中 … → 已办结 (every part done, or answered
by its specialist or the office); within :data:`REOPEN_DAYS` days of 办结 the requester may reopen it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from talentpark.accounts.models import Department, User
from talentpark.core import audit, notify
from talentpark.core.context import ActionContext
from talentpark.core.roles import Role
from talentpark.core.validation import FieldErrors, starts_like_formula
from talentpark.desk import categories as cats
from talentpark.desk import clocks
from talentpark.desk.models import Assignment, Clock, Part, Request, SpecialistProfile, Step
from talentpark.registry.models import Document, Enterprise, EnterpriseAccount, Talent

REOPEN_DAYS = 7
NOTICE_KIND = "desk.request"
SLA_KIND = "desk.sla"
notify.register_kind(NOTICE_KIND, gettext_noop("服务诉求"), channels=(notify.SMS,))
notify.register_kind(SLA_KIND, gettext_noop("办理时限提醒"))

S = Request.Status
P = Part.Status
K = Step.Kind


class Refused(Exception):
    """A change not allowed now, with the Chinese reason shown to the user."""


# -- reading ---------------------------------------------------------------------------------------


def requester_users(req: Request) -> list[int]:
    """Who hears of her request: the talent's login, or the enterprise's HR logins."""
    if req.talent_id:
        uid = Talent.objects.filter(pk=req.talent_id).values_list("person__user_id", flat=True).first()
        return [uid] if uid else []
    return list(
        EnterpriseAccount.objects.filter(enterprise_id=req.enterprise_id or 0).values_list(
            "user_id", flat=True
        )
    )


def is_requester(user: Any, req: Request) -> bool:
    return bool(user.is_authenticated) and user.pk in requester_users(req)


def may_handle_part(user: Any, part: Part) -> bool:
    """A department's handler acts on her department's parts; the 人才服务中心's share of a request
    (人才认定 …) is its specialist's, who works there."""
    if user.role == Role.DEPT:
        return bool(user.department_id) and part.department_id == user.department_id
    if user.role == Role.SPECIALIST:
        return (
            part.department.kind == Department.Kind.SERVICE_CENTRE and part.request.specialist_id == user.pk
        )
    return False


def link(req: Request) -> str:
    return reverse("desk:request_detail", args=[req.pk])


def request_clock(req: Request) -> Clock | None:
    return req.clocks.filter(kind=Clock.Kind.REQUEST).first()


def subject_name(req: Request) -> str:
    if req.talent is not None:
        return str(req.talent.person.name)
    return str(req.enterprise.name) if req.enterprise is not None else ""


# -- small helpers ---------------------------------------------------------------------------------


def _text(
    errors: FieldErrors, data: dict[str, Any], name: str, label: str, limit: int, required: bool
) -> str:
    value = str(data.get(name) or "").strip()
    if required and not value:
        errors.add(name, label, "不能为空")
    elif len(value) > limit:
        errors.add(name, label, f"不能超过{limit}个字")
    elif value and starts_like_formula(value):
        errors.add(name, label, "不能以 = + - @ 开头")
    return value


def _actor_label(ctx: ActionContext) -> str:
    user = ctx.user
    if user is None:
        return "系统"
    name = user.display_name or user.username
    if user.role == Role.DEPT and user.department is not None:
        return f"{user.department.name} {name}"
    return f"{Role(user.role).label} {name}" if user.role in (Role.SPECIALIST, Role.OFFICE) else name


def _step(
    ctx: ActionContext,
    req: Request,
    kind: str,
    text: str = "",
    *,
    part: Part | None = None,
    document: Document | None = None,
    public: bool = True,
    at: dt.datetime | None = None,
) -> Step:
    return Step.objects.create(
        zone_id=req.zone_id,
        request=req,
        part=part,
        at=at or timezone.now(),
        actor=ctx.user,
        actor_label=_actor_label(ctx),
        kind=kind,
        text=text,
        document=document,
        public=public,
    )


def _tell(req: Request, text: str) -> None:
    """The requester's notice of a change (inbox always, SMS as she chooses)."""
    users = requester_users(req)
    if users:
        notify.notify(NOTICE_KIND, f"【{req.number}】{text}", users, link=link(req), zone_id=req.zone_id)


def _locked(req: Request) -> Request:
    return Request.objects.select_for_update().get(pk=req.pk)


def _documents(errors: FieldErrors, talent: Talent | None, ids: Iterable[Any]) -> list[Document]:
    wanted = [int(i) for i in ids if str(i).isdigit()]
    if not wanted:
        return []
    if talent is None:
        errors.add("documents", "材料", "企业诉求不能引用个人材料库")
        return []
    found = list(Document.objects.filter(talent=talent, pk__in=wanted))
    if len(found) != len(set(wanted)):
        errors.add("documents", "材料", "所选材料不在本人材料库中")
    return found


# -- specialists and caseload ----------------------------------------------------------------------


def caseloads(zone_id: int) -> dict[int, int]:
    """Open assignments plus open requests per specialist of the zone."""
    loads: dict[int, int] = dict.fromkeys(
        User.objects.filter(zone_id=zone_id, role=Role.SPECIALIST, is_active=True).values_list(
            "pk", flat=True
        ),
        0,
    )
    for uid, n in (
        Assignment.objects.filter(zone_id=zone_id, ended_at__isnull=True)
        .values_list("specialist_id")
        .annotate(n=Count("id"))
    ):
        if uid in loads:
            loads[uid] += n
    for uid, n in (
        Request.objects.filter(zone_id=zone_id, specialist__isnull=False)
        .exclude(status=S.DONE)
        .values_list("specialist_id")
        .annotate(n=Count("id"))
    ):
        if uid in loads:
            loads[uid] += n
    return loads


def suggest_specialist(zone_id: int, category: str = "") -> User | None:
    """The least-loaded active specialist of the zone whose skills include ``category`` (any
    specialist when none has it); ties go to the lower id."""
    loads = caseloads(zone_id)
    if not loads:
        return None
    skilled = {
        p.user_id
        for p in SpecialistProfile.objects.filter(user_id__in=loads)
        if category and category in p.skills
    }
    pool = skilled or set(loads)
    best = min(pool, key=lambda uid: (loads[uid], uid))
    return User.objects.get(pk=best)


# -- filing ----------------------------------------------------------------------------------------


def _requester(
    errors: FieldErrors, zone_id: int, data: dict[str, Any]
) -> tuple[Talent | None, Enterprise | None]:
    talent = data.get("talent")
    enterprise = data.get("enterprise")
    if isinstance(talent, Talent):
        if talent.zone_id != zone_id:
            errors.add("talent", "诉求人", "不在本园区")
        return talent, None
    if isinstance(enterprise, Enterprise):
        if enterprise.zone_id != zone_id:
            errors.add("enterprise", "诉求企业", "不在本园区")
        return None, enterprise
    raw_t, raw_e = str(talent or "").strip(), str(enterprise or "").strip()
    if raw_t.isdigit():
        found_t = Talent.objects.filter(zone_id=zone_id, pk=int(raw_t)).first()
        if found_t is None:
            errors.add("talent", "诉求人", "本园区没有这位人才")
        return found_t, None
    if raw_e.isdigit():
        found_e = Enterprise.objects.filter(zone_id=zone_id, pk=int(raw_e)).first()
        if found_e is None:
            errors.add("enterprise", "诉求企业", "本园区没有这家企业")
        return None, found_e
    errors.add("talent", "诉求人", "请选择人才或企业")
    return None, None


def file_request(
    ctx: ActionContext,
    zone_id: int,
    data: dict[str, Any],
    *,
    channel: str = Request.Channel.ONLINE,
    at: dt.datetime | None = None,
) -> Request:
    """File a request: by the talent or enterprise herself (``data["talent"]``/``["enterprise"]`` is
    her record), or by a specialist on her behalf (ids, and a channel other than online).

    ``data``: title, description, category (a value of the dictionary; empty → suggested from the
    text; ``"none"`` or no suggestion → the 办不成事 queue), contact_name, documents (wallet ids).
    A categorised request is routed at once to the category's departments; its specialist is the
    requester's named specialist, else the least-loaded one with the skill.
    """
    errors = FieldErrors()
    talent, enterprise = _requester(errors, zone_id, data)
    title = _text(errors, data, "title", "诉求标题", 80, True)
    description = _text(errors, data, "description", "诉求内容", 2000, True)
    contact = _text(errors, data, "contact_name", "联系人", 50, False)
    if channel not in Request.Channel.values:
        errors.add("channel", "受理渠道", "请选择")
    raw_category = str(data.get("category") or "").strip()
    category: cats.Category | None = None
    if raw_category and raw_category != "none":
        category = cats.get(zone_id, raw_category)
        if category is None:
            errors.add("category", "诉求类别", "不是本园区的诉求类别")
    elif not raw_category:
        category = cats.suggest(zone_id, f"{title} {description}")
    documents = _documents(errors, talent, data.get("documents") or [])
    errors.raise_if_any()
    now = at or timezone.now()
    subject = talent or enterprise
    specialist = getattr(subject, "specialist", None)
    if specialist is None or not specialist.is_active:
        specialist = suggest_specialist(zone_id, category.value if category else "")
    with transaction.atomic():
        req = Request.objects.create(
            zone_id=zone_id,
            number=f"T{uuid.uuid4().hex}"[:24],  # replaced by the real number below, in this transaction
            talent=talent,
            enterprise=enterprise,
            requester=ctx.user if ctx.user and ctx.user.role in (Role.TALENT, Role.HR) else None,
            category=category.value if category else "",
            title=title,
            description=description,
            contact_name=contact,
            channel=channel,
            filed_by=ctx.user,
            specialist=specialist,
            created_at=now,
        )
        req.number = f"FW{timezone.localtime(now):%Y%m%d}{req.pk:06d}"
        req.save(update_fields=["number"])
        how = "" if channel == Request.Channel.ONLINE else f"（{Request.Channel(channel).label}，代为登记）"
        _step(ctx, req, K.FILED, f"{title}{how}", at=now)
        for doc in documents:
            _step(ctx, req, K.DOCUMENT, doc.title, document=doc, at=now)
        audit.record(ctx, "desk.request.file", req, after={"number": req.number, "category": req.category})
        if category is None:
            office = User.objects.filter(zone_id=zone_id, role=Role.OFFICE, is_active=True)
            notify.notify(
                SLA_KIND,
                f"“办不成事”窗口收到新诉求【{req.number}】{title}",
                office,
                link=link(req),
                zone_id=zone_id,
            )
            clocks.start(Clock.Kind.REQUEST, zone_id, days=cats.DEFAULT_DAYS, at=now, request=req)
            _tell(req, "已收到您的诉求，人才办将尽快答复")
        else:
            _route(_auto(req), req, category, now)
            _tell(req, f"已受理，分派{req.parts.count()}个部门办理" if req.parts.exists() else "已受理")
        if specialist is not None:
            notify.notify(
                SLA_KIND, f"新诉求【{req.number}】{title}", [specialist.pk], link=link(req), zone_id=zone_id
            )
    return req


def _auto(req: Request) -> ActionContext:
    """What the desk does by itself (accepting a categorised request, closing it when every part
    is done) is the system's step, not the person's whose action triggered it."""
    return ActionContext.system("一窗受理自动办理", zone_id=req.zone_id)


def _route(ctx: ActionContext, req: Request, category: cats.Category, now: dt.datetime) -> None:
    """Accept a categorised request: parts for its departments, the clocks started."""
    req.status = S.PROCESSING
    req.save(update_fields=["status"])
    _step(ctx, req, K.ACCEPTED, f"诉求类别：{category.label}", at=now)
    clock = request_clock(req)
    if clock is None:
        clocks.start(Clock.Kind.REQUEST, req.zone_id, days=category.days, at=now, request=req)
    for dept in cats.departments_for(req.zone_id, category):
        _add_part(ctx, req, dept, f"{category.label}：{req.title}", category.part_days, now)


def _add_part(
    ctx: ActionContext, req: Request, dept: Department, task: str, days: int, now: dt.datetime
) -> Part:
    part = Part.objects.create(
        zone_id=req.zone_id, request=req, department=dept, task=task[:120], created_at=now
    )
    clocks.start(Clock.Kind.PART, req.zone_id, days=days, at=now, part=part)
    _step(ctx, req, K.ROUTED, dept.name, part=part, at=now)
    handlers = User.objects.filter(department=dept, role=Role.DEPT, is_active=True)
    notify.notify(
        SLA_KIND, f"新办件【{req.number}】{task[:60]}", handlers, link=link(req), zone_id=req.zone_id
    )
    return part


def categorise(ctx: ActionContext, req: Request, value: str) -> Request:
    """The office (or the specialist) gives a 办不成事 request a category: it is routed like any other."""
    category = cats.get(req.zone_id, value)
    if category is None:
        raise ValidationError({"category": ["诉求类别：请选择本园区的诉求类别"]})
    with transaction.atomic():
        req = _locked(req)
        if req.status != S.NEW:
            raise Refused("该诉求已受理，不能再更改类别")
        req.category = category.value
        req.save(update_fields=["category"])
        clock = request_clock(req)
        if clock is not None:
            clocks.set_limit(clock, category.days)
        _step(ctx, req, K.CATEGORISED, category.label)
        _route(ctx, req, category, timezone.now())
        audit.record(ctx, "desk.request.categorise", req, after={"category": value})
        _tell(req, f"已确定为“{category.label}”类诉求并分派办理")
    return req


def add_part(ctx: ActionContext, req: Request, department_id: Any, task: str, days: Any = None) -> Part:
    """The specialist routes one more part to a department."""
    errors = FieldErrors()
    dept = None
    if str(department_id).isdigit():
        dept = Department.objects.filter(zone_id=req.zone_id, pk=int(department_id)).first()
    if dept is None:
        errors.add("department", "办理部门", "请选择本园区的部门")
    task = _text(errors, {"task": task}, "task", "办理事项", 120, True)
    limit = cats.DEFAULT_PART_DAYS
    if days not in (None, ""):
        if not str(days).isdigit() or not 1 <= int(str(days)) <= 365:
            errors.add("days", "办理时限", "应为1到365之间的工作日数")
        else:
            limit = int(str(days))
    if dept is not None and req.parts.filter(department=dept).exists():
        errors.add("department", "办理部门", "该部门已有本诉求的办件")
    errors.raise_if_any()
    assert dept is not None
    with transaction.atomic():
        req = _locked(req)
        if req.status == S.DONE:
            raise Refused("诉求已办结，请先重新办理")
        if req.status == S.NEW:
            req.status = S.PROCESSING
            req.save(update_fields=["status"])
        part = _add_part(ctx, req, dept, task, limit, timezone.now())
        audit.record(ctx, "desk.part.add", part, after={"department": dept.pk, "task": task})
    return part


# -- departments -----------------------------------------------------------------------------------


def _locked_part(part: Part) -> tuple[Request, Part]:
    req = _locked(part.request)
    return req, Part.objects.select_for_update().get(pk=part.pk)


def start_part(ctx: ActionContext, part: Part) -> Part:
    """A department's handler takes the part (办理中)."""
    with transaction.atomic():
        req, part = _locked_part(part)
        if part.status != P.PENDING:
            raise Refused("该办件已在办理")
        part.status, part.handler = P.PROCESSING, ctx.user
        part.save(update_fields=["status", "handler"])
        _step(ctx, req, K.PART_STARTED, part.department.name, part=part)
        audit.record(ctx, "desk.part.start", part)
        _tell(req, f"{part.department.name}已开始办理")
    return part


def complete_part(ctx: ActionContext, part: Part, result: str) -> Part:
    """The department finishes its part; the last one to finish closes the request."""
    errors = FieldErrors()
    result = _text(errors, {"result": result}, "result", "办理结果", 2000, True)
    errors.raise_if_any()
    with transaction.atomic():
        req, part = _locked_part(part)
        if part.status == P.DONE:
            raise Refused("该办件已办结")
        if req.status == S.WAITING and part.status == P.WAITING:
            raise Refused("正在等待诉求人补充材料")
        now = timezone.now()
        part.status, part.result, part.done_at = P.DONE, result, now
        part.handler = part.handler or ctx.user
        part.save(update_fields=["status", "result", "done_at", "handler"])
        clock = Clock.objects.filter(part=part).first()
        if clock is not None:
            clocks.stop(clock, now)
        _step(ctx, req, K.PART_DONE, f"{part.department.name}：{result}", part=part, at=now)
        audit.record(ctx, "desk.part.complete", part, after={"result": result[:200]})
        if not req.parts.exclude(status=P.DONE).exists():
            _finish(_auto(req), req, "各部门均已办结", now)
        else:
            _tell(req, f"{part.department.name}已办结：{result[:60]}")
    return part


# -- the specialist --------------------------------------------------------------------------------


def _finish(ctx: ActionContext, req: Request, answer: str, now: dt.datetime) -> None:
    req.status, req.done_at = S.DONE, now
    req.answer = answer
    req.save(update_fields=["status", "done_at", "answer"])
    clock = request_clock(req)
    if clock is not None:
        clocks.stop(clock, now)
    _step(ctx, req, K.DONE, answer, at=now)
    _tell(req, f"已办结：{answer[:60]}。欢迎评价")


def complete_request(ctx: ActionContext, req: Request, answer: str) -> Request:
    """The specialist (or the office, for 办不成事) answers and closes a request whose parts are done."""
    errors = FieldErrors()
    answer = _text(errors, {"answer": answer}, "answer", "办理结果", 2000, True)
    errors.raise_if_any()
    with transaction.atomic():
        req = _locked(req)
        if req.status == S.DONE:
            raise Refused("诉求已办结")
        if req.parts.exclude(status=P.DONE).exists():
            raise Refused("还有部门办件未办结")
        _finish(ctx, req, answer, timezone.now())
        audit.record(ctx, "desk.request.complete", req, after={"answer": answer[:200]})
    return req


def ask(ctx: ActionContext, req: Request, text: str, part: Part | None = None) -> Request:
    """Ask the requester for more (待补充材料): the request's clock, and the asking part's (or every
    open part's when the specialist asks), stand still until she replies."""
    errors = FieldErrors()
    text = _text(errors, {"text": text}, "text", "需补充的内容", 500, True)
    errors.raise_if_any()
    with transaction.atomic():
        req = _locked(req)
        if req.status in (S.DONE, S.NEW):
            raise Refused("该诉求当前不能要求补充材料")
        now = timezone.now()
        parts = [part] if part is not None else list(req.parts.exclude(status=P.DONE))
        for p in parts:
            if p.status == P.DONE:
                raise Refused("该办件已办结")
            p.status = P.WAITING
            p.save(update_fields=["status"])
            clock = Clock.objects.filter(part=p).first()
            if clock is not None:
                clocks.pause(clock, now)
        clock = request_clock(req)
        if clock is not None:
            clocks.pause(clock, now)
        req.status = S.WAITING
        req.save(update_fields=["status"])
        _step(ctx, req, K.ASK, text, part=part, at=now)
        audit.record(ctx, "desk.request.ask", req, after={"text": text})
        _tell(req, f"请补充：{text[:60]}")
    return req


def reply(ctx: ActionContext, req: Request, text: str, document: Any = None) -> Request:
    """The requester answers (text, a document from her wallet, or both): the clocks run again."""
    errors = FieldErrors()
    text = _text(errors, {"text": text}, "text", "回复内容", 1000, False)
    docs = _documents(errors, req.talent, [document] if document not in (None, "") else [])
    if not text and not docs:
        errors.add("text", "回复内容", "请填写回复或选择材料")
    errors.raise_if_any()
    with transaction.atomic():
        req = _locked(req)
        if req.status == S.DONE:
            raise Refused("诉求已办结；如仍有问题，请点“重新办理”")
        now = timezone.now()
        if text:
            _step(ctx, req, K.REPLY, text, at=now)
        for doc in docs:
            _step(ctx, req, K.DOCUMENT, doc.title, document=doc, at=now)
        if req.status == S.WAITING:
            for p in req.parts.filter(status=P.WAITING):
                p.status = P.PROCESSING if p.handler_id else P.PENDING
                p.save(update_fields=["status"])
                clock = Clock.objects.filter(part=p).first()
                if clock is not None:
                    clocks.resume(clock, now)
            clock = request_clock(req)
            if clock is not None:
                clocks.resume(clock, now)
            req.status = S.PROCESSING
            req.save(update_fields=["status"])
        audit.record(ctx, "desk.request.reply", req, after={"documents": [d.pk for d in docs]})
        handlers = [req.specialist_id] if req.specialist_id else []
        handlers += [p.handler_id for p in req.parts.exclude(status=P.DONE) if p.handler_id]
        if handlers:
            notify.notify(
                SLA_KIND, f"【{req.number}】诉求人已回复", handlers, link=link(req), zone_id=req.zone_id
            )
    return req


def note(ctx: ActionContext, req: Request, text: str, public: bool = False, part: Part | None = None) -> Step:
    """A note on the request (a department's on its own part: other departments do not see it)."""
    errors = FieldErrors()
    text = _text(errors, {"text": text}, "text", "备注", 1000, True)
    errors.raise_if_any()
    with transaction.atomic():
        step = _step(ctx, req, K.NOTE, text, public=public, part=part)
        audit.record(ctx, "desk.request.note", req, after={"public": public})
        if public:
            _tell(req, text[:80])
    return step


def reassign(ctx: ActionContext, req: Request, specialist_id: Any, reason: str = "") -> Request:
    errors = FieldErrors()
    user = None
    if str(specialist_id).isdigit():
        user = User.objects.filter(
            pk=int(specialist_id), zone_id=req.zone_id, role=Role.SPECIALIST, is_active=True
        ).first()
    if user is None:
        errors.add("specialist", "服务专员", "请选择本园区在岗的服务专员")
    reason = _text(errors, {"reason": reason}, "reason", "原因", 200, False)
    errors.raise_if_any()
    assert user is not None
    with transaction.atomic():
        req = _locked(req)
        before = req.specialist_id
        req.specialist = user
        req.save(update_fields=["specialist"])
        _step(
            ctx,
            req,
            K.REASSIGNED,
            f"服务专员改为{user.display_name or user.username}{('：' + reason) if reason else ''}",
        )
        audit.record(
            ctx, "desk.request.reassign", req, before={"specialist": before}, after={"specialist": user.pk}
        )
        notify.notify(
            SLA_KIND,
            f"您接手了诉求【{req.number}】{req.title}",
            [user.pk],
            link=link(req),
            zone_id=req.zone_id,
        )
    return req


# -- the requester after 办结 ------------------------------------------------------------------------


def rate(ctx: ActionContext, req: Request, rating: Any, comment: str = "") -> Request:
    errors = FieldErrors()
    value = int(rating) if str(rating).strip() in {"1", "2", "3", "4", "5"} else None
    if value is None:
        errors.add("rating", "满意度", "请选择1到5星")
    comment = _text(errors, {"comment": comment}, "comment", "评价", 300, False)
    errors.raise_if_any()
    with transaction.atomic():
        req = _locked(req)
        if ctx.user is None or not is_requester(ctx.user, req):
            raise Refused("只有诉求人可以评价")
        if req.status != S.DONE:
            raise Refused("诉求办结后才能评价")
        if req.rating is not None:
            raise Refused("您已评价过本次办理")
        req.rating, req.rating_comment = value, comment
        req.save(update_fields=["rating", "rating_comment"])
        _step(ctx, req, K.RATED, f"{value}星{('：' + comment) if comment else ''}")
        audit.record(ctx, "desk.request.rate", req, after={"rating": value})
    return req


def can_reopen(req: Request, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        req.status == S.DONE
        and req.done_at is not None
        and now - req.done_at <= dt.timedelta(days=REOPEN_DAYS)
    )


def reopen(ctx: ActionContext, req: Request, reason: str) -> Request:
    """The requester reopens a request closed less than seven days ago: its clock starts again and
    its rating is cleared (she rates the new outcome)."""
    errors = FieldErrors()
    reason = _text(errors, {"reason": reason}, "reason", "重新办理原因", 500, True)
    errors.raise_if_any()
    with transaction.atomic():
        req = _locked(req)
        if ctx.user is None or not is_requester(ctx.user, req):
            raise Refused("只有诉求人可以重新办理")
        if req.status != S.DONE:
            raise Refused("诉求尚未办结")
        if not can_reopen(req):
            raise Refused(f"办结超过{REOPEN_DAYS}天的诉求不能重新办理，请提交新的诉求")
        now = timezone.now()
        req.status, req.done_at, req.reopened = S.PROCESSING, None, req.reopened + 1
        req.rating, req.rating_comment = None, ""
        req.save(update_fields=["status", "done_at", "reopened", "rating", "rating_comment"])
        clock = request_clock(req)
        if clock is not None:
            clocks.restart(clock, now)
        _step(ctx, req, K.REOPENED, reason, at=now)
        audit.record(ctx, "desk.request.reopen", req, after={"reason": reason})
        if req.specialist_id:
            notify.notify(
                SLA_KIND,
                f"诉求【{req.number}】被重新打开：{reason[:40]}",
                [req.specialist_id],
                link=link(req),
                zone_id=req.zone_id,
            )
    return req


# -- thresholds ------------------------------------------------------------------------------------


def _holders(clock: Clock) -> tuple[list[int], str, Request | None]:
    """Who holds the clock's work, a Chinese name of the work, and its request."""
    if clock.kind == Clock.Kind.PART and clock.part_id:
        part = Part.objects.select_related("request", "department").get(pk=clock.part_id)
        users = (
            [part.handler_id]
            if part.handler_id
            else list(
                User.objects.filter(department=part.department, role=Role.DEPT, is_active=True).values_list(
                    "pk", flat=True
                )
            )
        )
        if not users and part.request.specialist_id:  # the service centre's share: its specialist's
            users = [part.request.specialist_id]
        return users, f"【{part.request.number}】{part.department.name}办件", part.request
    if clock.kind == Clock.Kind.REQUEST and clock.request_id:
        req = Request.objects.get(pk=clock.request_id)
        return ([req.specialist_id] if req.specialist_id else []), f"诉求【{req.number}】", req
    assignment = Assignment.objects.get(pk=clock.assignment_id or 0)
    return [assignment.specialist_id], f"包保对象“{assignment.subject}”的首次联系", None


def _lead_of(user_ids: list[int]) -> list[int]:
    return [
        lead
        for lead in SpecialistProfile.objects.filter(user_id__in=user_ids).values_list("lead_id", flat=True)
        if lead
    ]


def announce(clock: Clock, level: int) -> None:
    """Tell the right people that ``clock`` passed threshold ``level`` (1–4)."""
    users, what, req = _holders(clock)
    due = timezone.localtime(clock.due_at).strftime("%m-%d %H:%M") if clock.due_at else ""
    if level == 1:
        text, to = f"{what}即将到期（{due}）", users
    elif level == 2:
        text, to = f"{what}已到期，请尽快办理", users
    elif level == 3:
        owner = [req.specialist_id] if req and req.specialist_id else users
        text, to = f"{what}超时未办，请督办", _lead_of(owner) or owner
        to = sorted(set(to) | set(owner if clock.kind == Clock.Kind.PART else []))
    else:
        text = f"{what}严重超时，请人才办督办"
        to = list(
            User.objects.filter(zone_id=clock.zone_id, role=Role.OFFICE, is_active=True).values_list(
                "pk", flat=True
            )
        )
    link_to = link(req) if req else reverse("desk:portfolio")
    if to:
        notify.notify(SLA_KIND, text, to, link=link_to, zone_id=clock.zone_id)
    if req is not None:
        ctx = ActionContext.system("办理时限", zone_id=clock.zone_id)
        kind = K.WARNED if level <= 2 else K.ESCALATED
        part = clock.part if clock.kind == Clock.Kind.PART else None
        _step(ctx, req, kind, f"{clocks.LEVEL_LABELS[level]}：{what}", part=part, public=False)


for _kind in Clock.Kind.values:
    clocks.on_threshold(_kind)(announce)


def requests_for_office_queue(zone_id: int) -> Any:
    """The 办不成事 queue: uncategorised requests not yet answered, oldest first."""
    return Request.objects.filter(zone_id=zone_id, category="", status__in=[S.NEW]).order_by("created_at")
