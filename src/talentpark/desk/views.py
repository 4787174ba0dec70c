"""The service desk's pages. Thin: parse, check the permission and the row's scope, call
``services`` / ``portfolio``; a ``ValidationError`` re-shows the form with every bad field named
(status 400); a :class:`~talentpark.desk.services.Refused` change is a message, nothing saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from talentpark.accounts.access import get_for, has_perm, restrict
from talentpark.accounts.models import Department, User
from talentpark.core.context import ActionContext
from talentpark.core.roles import Role
from talentpark.desk import access, clocks, portfolio, services
from talentpark.desk import categories as cats
from talentpark.desk.models import Assignment, Clock, Part, Request, ServiceItem, Visit, VisitIssue
from talentpark.registry.models import Enterprise, EnterpriseAccount, Talent
from talentpark.registry.wallet import documents_of, upload_document

S = Request.Status


def _ctx(request: HttpRequest, reason: str) -> ActionContext:
    return ActionContext.from_request(request, reason=reason)


def _own_subject(request: HttpRequest) -> Talent | Enterprise | None:
    """The requester's own record: her talent record (the newest, or ``?t=``), or the HR's enterprise."""
    user: Any = request.user
    if user.role == Role.TALENT:
        mine = restrict(Talent.objects.select_related("person", "zone", "employer"), user).order_by("-id")
        chosen = request.GET.get("t") or request.POST.get("t") or ""
        found: Talent | None = mine.filter(pk=chosen).first() if chosen.isdigit() else mine.first()
        return found
    if user.role == Role.HR:
        account = EnterpriseAccount.objects.select_related("enterprise").filter(user=user).first()
        return account.enterprise if account else None
    return None


def _request(request: HttpRequest, pk: int) -> Request:
    qs = restrict(
        Request.objects.select_related("talent__person", "enterprise", "specialist", "filed_by"), request.user
    )
    found: Request = get_for(qs, request.user, "view", pk=pk)
    return found


def _refused(request: HttpRequest, exc: services.Refused) -> None:
    messages.error(request, str(exc))


def _back(req: Request) -> HttpResponse:
    return redirect(services.link(req))


# -- the requester ---------------------------------------------------------------------------------


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """我的诉求: the talent's or enterprise's own requests, newest first, with their state."""
    if not has_perm(request.user, access.FILE):
        raise PermissionDenied
    rows = list(restrict(Request.objects.all(), request.user).order_by("-created_at")[:100])
    for r in rows:
        r.category_label = cats.label(r.zone_id, r.category)  # type: ignore[attr-defined]
    return render(request, "desk/mine.html", {"rows": rows})


def _documents(subject: Any) -> list[Any]:
    return list(documents_of(subject)) if isinstance(subject, Talent) else []


def _file_form(
    request: HttpRequest,
    *,
    zone_id: int,
    subject: Any,
    choices: list[tuple[str, str]] | None,
    save: Callable[[dict[str, Any]], Request],
    on_behalf: bool,
) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "contact_name": getattr(getattr(subject, "person", None), "name", "")
        or getattr(subject, "contact_name", ""),
        "channel": Request.Channel.WALK_IN if on_behalf else Request.Channel.ONLINE,
    }
    if request.method == "POST":
        values = {**request.POST.dict(), "documents": request.POST.getlist("documents")}
        try:
            req = save(values)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, gettext("诉求已提交，受理编号 %(n)s") % {"n": req.number})
            return _back(req)
    categories = cats.categories(zone_id)
    context = {
        "subject": subject,
        "subject_choices": choices,
        "categories": categories,
        "documents": _documents(subject),
        "values": values,
        "errors": errors,
        "on_behalf": on_behalf,
        "channels": [c for c in Request.Channel.choices if on_behalf or c[0] == Request.Channel.ONLINE],
        "chosen_docs": {str(d) for d in values.get("documents") or []},
    }
    return render(request, "desk/file.html", context, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def file(request: HttpRequest) -> HttpResponse:
    """One window: a talent or enterprise files any request; a specialist or the office files on
    someone's behalf (``?talent=<id>`` / ``?enterprise=<id>``, or chosen from her portfolio)."""
    user: Any = request.user
    if has_perm(user, access.FILE):
        subject = _own_subject(request)
        if subject is None:
            raise Http404
        field = "talent" if isinstance(subject, Talent) else "enterprise"

        def save(data: dict[str, Any]) -> Request:
            data = {**data, field: subject}
            return services.file_request(_ctx(request, "提交服务诉求"), subject.zone_id, data)

        return _file_form(
            request, zone_id=subject.zone_id, subject=subject, choices=None, save=save, on_behalf=False
        )
    if not has_perm(user, access.HANDLE) or user.zone_id is None:
        raise PermissionDenied
    chosen: Any = None
    for field, model in (("talent", Talent), ("enterprise", Enterprise)):
        raw = request.GET.get(field) or ""
        if raw.isdigit():
            chosen = get_for(restrict(model.objects.all(), user), user, "view", pk=int(raw))
    choices = None if chosen else _portfolio_choices(user)

    def save_for(data: dict[str, Any]) -> Request:
        data = dict(data)
        if chosen is not None:
            data["talent" if isinstance(chosen, Talent) else "enterprise"] = chosen
        else:
            kind, _, pk = str(data.get("subject") or "").partition(":")
            data["talent" if kind == "t" else "enterprise"] = pk
        channel = str(data.get("channel") or Request.Channel.WALK_IN)
        return services.file_request(_ctx(request, "代为登记服务诉求"), user.zone_id, data, channel=channel)

    return _file_form(
        request, zone_id=user.zone_id, subject=chosen, choices=choices, save=save_for, on_behalf=True
    )


def _portfolio_choices(user: Any) -> list[tuple[str, str]]:
    held = restrict(Assignment.objects.filter(ended_at__isnull=True), user).select_related(
        "talent__person", "enterprise"
    )
    if user.role == Role.SPECIALIST:
        held = held.filter(specialist=user)
    out = [("", "— 请选择 —")]
    for a in held.order_by("-assigned_at")[:200]:
        if a.talent is not None:
            out.append((f"t:{a.talent_id}", f"人才 · {a.talent.person.name}"))
        elif a.enterprise is not None:
            out.append((f"e:{a.enterprise_id}", f"企业 · {a.enterprise.name}"))
    return out


@login_required
@require_safe
def suggest(request: HttpRequest) -> HttpResponse:
    """The category suggested for the text being typed (htmx), as a short hint."""
    user: Any = request.user
    subject = _own_subject(request)
    zone_id = subject.zone_id if subject is not None else user.zone_id
    if zone_id is None:
        return HttpResponse("")
    text = (request.GET.get("title", "") + " " + request.GET.get("description", ""))[:2000]
    found = cats.suggest(zone_id, text)
    return render(request, "desk/_suggest.html", {"found": found})


# -- one request -----------------------------------------------------------------------------------


def _timeline(req: Request, user: Any) -> list[Any]:
    steps = restrict(req.steps.select_related("part__department", "document"), user)
    return list(steps.order_by("at", "id"))


@login_required
@require_safe
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(request, pk)
    user: Any = request.user
    parts = list(restrict(req.parts.select_related("department", "handler", "request"), user))
    part_clocks = {c.part_id: c for c in Clock.objects.filter(part__in=parts)}
    now = timezone.now()
    for p in parts:
        clock = part_clocks.get(p.pk)
        p.clock_state = clocks.state(clock, now)  # type: ignore[attr-defined]
        p.clock_label = clocks.STATE_LABELS[p.clock_state]  # type: ignore[attr-defined]
        p.due = clock.due_at if clock else None  # type: ignore[attr-defined]
        p.mine = services.may_handle_part(user, p)  # type: ignore[attr-defined]
    clock = services.request_clock(req)
    requester = services.is_requester(user, req)
    handle = has_perm(user, access.HANDLE) and user.role in (Role.SPECIALIST, Role.OFFICE)
    context = {
        "req": req,
        "category_label": cats.label(req.zone_id, req.category),
        "steps": _timeline(req, user),
        "parts": parts,
        "clock": clock,
        "clock_state": clocks.state(clock, now),
        "clock_label": clocks.STATE_LABELS[clocks.state(clock, now)],
        "requester": requester,
        "staff": user.role in (Role.SPECIALIST, Role.OFFICE, Role.DEPT),
        "handle": handle,
        "answer_queue": req.is_unfit and has_perm(user, access.QUEUE),
        "can_reopen": requester and services.can_reopen(req),
        "can_rate": requester and req.status == S.DONE and req.rating is None,
        "documents": _documents(req.talent) if requester and req.talent_id else [],
        "categories": cats.categories(req.zone_id) if handle and req.status == S.NEW else [],
        "departments": Department.objects.filter(zone_id=req.zone_id).order_by("path", "id")
        if handle
        else [],
        "specialists": User.objects.filter(
            zone_id=req.zone_id, role=Role.SPECIALIST, is_active=True
        ).order_by("username")
        if has_perm(user, access.QUEUE)
        else [],
        "subject_name": services.subject_name(req),
        "stars": range(1, 6),
    }
    return render(request, "desk/request.html", context)


def _act(
    request: HttpRequest, pk: int, perm_check: Callable[[Any, Request], bool], fn: Callable[[Request], str]
) -> HttpResponse:
    req = _request(request, pk)
    if not perm_check(request.user, req):
        raise PermissionDenied
    try:
        done = fn(req)
    except ValidationError as exc:
        for errs in exc.message_dict.values():
            for e in errs:
                messages.error(request, e)
    except services.Refused as exc:
        _refused(request, exc)
    else:
        messages.success(request, done)
    return _back(req)


def _is_requester(user: Any, req: Request) -> bool:
    return services.is_requester(user, req)


def _handles(user: Any, req: Request) -> bool:
    return has_perm(user, access.HANDLE) and user.role in (Role.SPECIALIST, Role.OFFICE)


def _office(user: Any, req: Request) -> bool:
    return has_perm(user, access.QUEUE)


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    def go(req: Request) -> str:
        ctx = _ctx(request, "诉求人回复")
        document: Any = request.POST.get("document")
        upload = request.FILES.get("file")
        with transaction.atomic():  # a new file goes into her 材料库 and onto the request, or neither
            if upload is not None and req.talent is not None:
                document = upload_document(ctx, req.talent, upload, title=request.POST.get("file_title", ""))[
                    0
                ].pk
            services.reply(ctx, req, request.POST.get("text", ""), document)
        return gettext("已提交")

    return _act(request, pk, _is_requester, go)


@login_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    def go(req: Request) -> str:
        services.rate(
            _ctx(request, "评价服务"), req, request.POST.get("rating"), request.POST.get("comment", "")
        )
        return gettext("感谢您的评价")

    return _act(request, pk, _is_requester, go)


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    def go(req: Request) -> str:
        services.reopen(_ctx(request, "重新办理"), req, request.POST.get("reason", ""))
        return gettext("已重新提交办理")

    return _act(request, pk, _is_requester, go)


@login_required
@require_POST
def ask(request: HttpRequest, pk: int) -> HttpResponse:
    def go(req: Request) -> str:
        services.ask(_ctx(request, "请诉求人补充"), req, request.POST.get("text", ""))
        return gettext("已通知诉求人补充，计时暂停")

    return _act(request, pk, _handles, go)


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    def go(req: Request) -> str:
        services.complete_request(_ctx(request, "办结诉求"), req, request.POST.get("answer", ""))
        return gettext("已办结")

    return _act(request, pk, lambda u, r: _handles(u, r) or _office(u, r), go)


@login_required
@require_POST
def categorise(request: HttpRequest, pk: int) -> HttpResponse:
    def go(req: Request) -> str:
        services.categorise(_ctx(request, "确定诉求类别"), req, request.POST.get("category", ""))
        return gettext("已确定类别并分派")

    return _act(request, pk, _handles, go)


@login_required
@require_POST
def add_part(request: HttpRequest, pk: int) -> HttpResponse:
    def go(req: Request) -> str:
        post = request.POST
        services.add_part(
            _ctx(request, "分派部门"), req, post.get("department"), post.get("task", ""), post.get("days")
        )
        return gettext("已分派")

    return _act(request, pk, _handles, go)


@login_required
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    def go(req: Request) -> str:
        user: Any = request.user
        part = req.parts.filter(department_id=user.department_id).first() if user.role == Role.DEPT else None
        public = request.POST.get("public") == "1" and part is None
        services.note(_ctx(request, "办理备注"), req, request.POST.get("text", ""), public, part=part)
        return gettext("已记录")

    return _act(request, pk, lambda u, r: u.role in (Role.SPECIALIST, Role.OFFICE, Role.DEPT), go)


@login_required
@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    def go(req: Request) -> str:
        services.reassign(
            _ctx(request, "更换服务专员"), req, request.POST.get("specialist"), request.POST.get("reason", "")
        )
        return gettext("已更换服务专员")

    return _act(request, pk, _office, go)


# -- a department's part ---------------------------------------------------------------------------


def _part(request: HttpRequest, pk: int) -> Part:
    user: Any = request.user
    if not has_perm(user, access.PART):
        raise PermissionDenied
    found: Part = get_for(
        restrict(Part.objects.select_related("request", "department"), user), user, "view", pk=pk
    )
    if not services.may_handle_part(user, found):
        raise PermissionDenied
    return found


@login_required
@require_POST
def part_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    part = _part(request, pk)
    ctx = _ctx(request, "部门办理")
    try:
        if action == "start":
            services.start_part(ctx, part)
            messages.success(request, gettext("已开始办理"))
        elif action == "complete":
            services.complete_part(ctx, part, request.POST.get("result", ""))
            messages.success(request, gettext("本部门办件已办结"))
        elif action == "ask":
            services.ask(ctx, part.request, request.POST.get("text", ""), part=part)
            messages.success(request, gettext("已通知诉求人补充，计时暂停"))
        else:
            raise Http404
    except ValidationError as exc:
        for errs in exc.message_dict.values():
            for e in errs:
                messages.error(request, e)
    except services.Refused as exc:
        _refused(request, exc)
    return _back(part.request)


@login_required
@require_safe
def part_link(request: HttpRequest, pk: int) -> HttpResponse:
    """A part's list link: its request's page, at the part."""
    user: Any = request.user
    part: Part = get_for(restrict(Part.objects.select_related("request"), user), user, "view", pk=pk)
    return redirect(services.link(part.request) + f"#part-{part.pk}")


@login_required
@require_safe
def request_link(request: HttpRequest, pk: int) -> HttpResponse:
    """A queue row's list link: the request's page."""
    return redirect(services.link(_request(request, pk)))


# -- 1+N: assignments, service lists, visits -------------------------------------------------------


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    user: Any = request.user
    if not has_perm(user, access.PORTFOLIO_CHANGE):
        raise PermissionDenied
    found: Assignment = get_for(restrict(Assignment.objects.all(), user), user, "view", pk=pk)
    return found


def _portfolio_act(request: HttpRequest, fn: Callable[[], str], back: str) -> HttpResponse:
    try:
        messages.success(request, fn())
    except ValidationError as exc:
        for errs in exc.message_dict.values():
            for e in errs:
                messages.error(request, e)
    except services.Refused as exc:
        _refused(request, exc)
    return redirect(back)


@login_required
@require_POST
def assignment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    a = _assignment(request, pk)
    ctx = _ctx(request, "包保服务")
    back = reverse("desk:assignment_detail", args=[a.pk])
    post = request.POST

    def go() -> str:
        if action == "contact":
            portfolio.record_contact(ctx, a, post.get("note", ""))
            return gettext("已登记首次联系")
        if action == "item":
            portfolio.add_item(ctx, a, post.dict())
            return gettext("已加入服务清单")
        if action == "reassign":
            if not has_perm(request.user, access.QUEUE):
                raise PermissionDenied
            subject: Any = a.subject
            new = portfolio.assign(ctx, subject, post.get("specialist"), post.get("reason", ""))
            nonlocal back
            back = reverse("desk:assignment_detail", args=[new.pk])
            return gettext("已改派")
        raise Http404

    return _portfolio_act(request, go, back)


@login_required
@require_POST
def item_done(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    if not has_perm(user, access.PORTFOLIO_CHANGE):
        raise PermissionDenied
    item: ServiceItem = get_for(restrict(ServiceItem.objects.all(), user), user, "view", pk=pk)
    back = reverse("desk:assignment_detail", args=[item.assignment_id])
    return _portfolio_act(
        request, lambda: (portfolio.complete_item(_ctx(request, "服务清单"), item), "已完成")[1], back
    )


@login_required
@require_http_methods(["GET", "POST"])
def assign_new(request: HttpRequest) -> HttpResponse:
    """The office names a subject's specialist (``?talent=``/``?enterprise=``/``?project=``),
    with the least-loaded skilled specialist suggested."""
    user: Any = request.user
    if not has_perm(user, access.QUEUE):
        raise PermissionDenied
    from talentpark.registry.models import Project

    subject: Any = None
    for field, model in (("talent", Talent), ("enterprise", Enterprise), ("project", Project)):
        raw = request.GET.get(field) or ""
        if raw.isdigit():
            subject = get_for(restrict(model.objects.all(), user), user, "view", pk=int(raw))
    if subject is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            made = portfolio.assign(
                _ctx(request, "指派服务专员"),
                subject,
                request.POST.get("specialist"),
                request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, gettext("已指派服务专员"))
            return redirect(reverse("desk:assignment_detail", args=[made.pk]))
    loads = services.caseloads(subject.zone_id)
    suggested = services.suggest_specialist(subject.zone_id)
    specialists = User.objects.filter(pk__in=loads).order_by("username")
    context = {
        "subject": subject,
        "current": portfolio.current(subject),
        "specialists": [(s, loads[s.pk]) for s in specialists],
        "suggested": suggested,
        "errors": errors,
    }
    return render(request, "desk/assign.html", context, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not has_perm(user, access.PORTFOLIO_CHANGE):
        raise PermissionDenied
    raw = request.GET.get("enterprise") or request.POST.get("enterprise") or ""
    enterprise = get_for(
        restrict(Enterprise.objects.all(), user), user, "view", pk=int(raw) if raw.isdigit() else 0
    )
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {"visited_on": timezone.localdate().isoformat()}
    if request.method == "POST":
        values = request.POST.dict()
        try:
            visit = portfolio.record_visit(_ctx(request, "登记企业走访"), enterprise, values)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, gettext("走访已登记"))
            return redirect(reverse("desk:visit_detail", args=[visit.pk]))
    return render(
        request,
        "desk/visit_form.html",
        {"enterprise": enterprise, "values": values, "errors": errors},
        status=400 if errors else 200,
    )


@login_required
@require_POST
def issue_to_request(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    if not has_perm(user, access.PORTFOLIO_CHANGE):
        raise PermissionDenied
    issue = VisitIssue.objects.filter(pk=pk, visit__in=restrict(Visit.objects.all(), user)).first()
    if issue is None:
        raise Http404
    try:
        req = portfolio.issue_to_request(_ctx(request, "走访问题转诉求"), issue)
    except (ValidationError, services.Refused) as exc:
        messages.error(request, str(exc.messages[0] if isinstance(exc, ValidationError) else exc))
        return redirect(reverse("desk:visit_detail", args=[issue.visit_id]))
    messages.success(request, gettext("已转为诉求 %(n)s") % {"n": req.number})
    return _back(req)


@login_required
@require_safe
def my_portfolio(request: HttpRequest) -> HttpResponse:
    """The specialist's 1+N page: her subjects, first contacts due, this month's visits due, her
    open requests by clock state. The office sees caseloads per specialist."""
    user: Any = request.user
    if not has_perm(user, access.PORTFOLIO):
        raise PermissionDenied
    now = timezone.now()
    held = restrict(Assignment.objects.filter(ended_at__isnull=True), user).select_related(
        "talent__person", "enterprise", "project", "specialist"
    )
    if user.role == Role.SPECIALIST:
        held = held.filter(specialist=user)
    contact_due = list(held.filter(contacted_at__isnull=True).order_by("assigned_at")[:50])
    contact_clocks = {c.assignment_id: c for c in Clock.objects.filter(assignment__in=contact_due)}
    for a in contact_due:
        c = contact_clocks.get(a.pk)
        a.due = c.due_at if c else None  # type: ignore[attr-defined]
        a.late = bool(c and c.due_at and c.due_at < now)  # type: ignore[attr-defined]
    open_requests = restrict(Request.objects.exclude(status=S.DONE), user)
    if user.role == Role.SPECIALIST:
        open_requests = open_requests.filter(specialist=user)
    open_list = list(open_requests.order_by("created_at")[:50])
    req_clocks = {
        c.request_id: c for c in Clock.objects.filter(kind=Clock.Kind.REQUEST, request__in=open_list)
    }
    for r in open_list:
        c = req_clocks.get(r.pk)
        r.clock_label = clocks.STATE_LABELS[clocks.state(c, now)]  # type: ignore[attr-defined]
        r.clock_state = clocks.state(c, now)  # type: ignore[attr-defined]
        r.due = c.due_at if c else None  # type: ignore[attr-defined]
    context = {
        "counts": {
            "talents": held.filter(talent__isnull=False).count(),
            "enterprises": held.filter(enterprise__isnull=False).count(),
            "projects": held.filter(project__isnull=False).count(),
        },
        "contact_due": contact_due,
        "visits_due": portfolio.visits_due(
            user.zone_id, specialist=user if user.role == Role.SPECIALIST else None
        )[:50],
        "open_requests": open_list,
        "caseloads": _caseloads(user) if user.role == Role.OFFICE else None,
    }
    return render(request, "desk/portfolio.html", context)


def _caseloads(user: Any) -> list[dict[str, Any]]:
    loads = services.caseloads(user.zone_id)
    users = {u.pk: u for u in User.objects.filter(pk__in=loads).select_related("desk_profile")}
    rows = []
    for uid, load in sorted(loads.items(), key=lambda kv: (-kv[1], kv[0])):
        u = users[uid]
        profile = getattr(u, "desk_profile", None)
        rows.append(
            {
                "user": u,
                "load": load,
                "capacity": profile.capacity if profile else None,
                "skills": "、".join(cats.label(user.zone_id, s) for s in (profile.skills if profile else [])),
                "over": bool(profile and load > profile.capacity),
            }
        )
    return rows
