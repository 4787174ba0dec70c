"""The service desk's lists, declared once as listings: every request of the zone (staff), a
department's parts (部门办件), the 办不成事 queue, 1+N assignments and enterprise visits. A request's
own page is :func:`talentpark.desk.views.request_detail`; the lists of requests and parts link to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext

from talentpark.accounts.access import can, has_perm, restrict, user_zone_ids
from talentpark.accounts.models import Department, User
from talentpark.core.listing import Col, Filter, Listing, Related
from talentpark.core.roles import Role
from talentpark.desk import access, clocks
from talentpark.desk import categories as cats
from talentpark.desk.models import Assignment, Clock, Part, Request, Visit
from talentpark.registry.pages import ENTERPRISES, PROJECTS, TALENTS


def _category(obj: Any) -> str:
    labelled = getattr(obj, "category_label", None)  # annotated by DeskListing, one read per page
    return labelled or cats.label(obj.zone_id, obj.category)


def category_labels(user: Any, prefix: str = "") -> Any:
    """A SQL expression giving each row's category label in the zones ``user`` reads (the
    dictionary read once per page, not once per row); 办不成事 for an empty category."""
    whens = [
        When(**{f"{prefix}zone_id": zone_id, f"{prefix}category": c.value}, then=Value(c.label))
        for zone_id in user_zone_ids(user)
        for c in cats.categories(zone_id)
    ]
    return Case(When(**{f"{prefix}category": ""}, then=Value("办不成事")), *whens, default=Value(""))


def _category_choices(user: Any) -> list[tuple[str, str]]:
    if not user.zone_id:
        return []
    return [(c.value, c.label) for c in cats.categories(user.zone_id)]


def _requester(obj: Request) -> str:
    if obj.talent is not None:
        return f"人才 · {obj.talent.person.name}"
    return f"企业 · {obj.enterprise.name}" if obj.enterprise is not None else ""


def _specialists(user: Any) -> list[tuple[int, str]]:
    staff = User.objects.filter(zone_id=user.zone_id, role=Role.SPECIALIST).order_by("username")
    return [(u.pk, str(u)) for u in staff]


def _departments(user: Any) -> list[tuple[int, str]]:
    return [(d.pk, d.name) for d in Department.objects.filter(zone_id=user.zone_id).order_by("path", "id")]


def _clock_q(state: str) -> Q:
    """Requests whose whole-request clock is in ``state`` (a subquery over the stored columns)."""
    from django.utils import timezone

    now = timezone.now()
    base = Clock.objects.filter(kind=Clock.Kind.REQUEST)
    rows = {
        "overdue": base.filter(stopped_at__isnull=True, due_at__lt=now),
        "at_risk": base.filter(stopped_at__isnull=True, level__gte=1, due_at__gte=now),
        "paused": base.filter(stopped_at__isnull=True, paused_at__isnull=False),
        "breached": base.filter(met=False),
        "met": base.filter(met=True),
    }[state]
    return Q(pk__in=rows.values("request_id"))


CLOCK_CHOICES = [(k, clocks.STATE_LABELS[k]) for k in ("overdue", "at_risk", "paused", "met", "breached")]


def _due(obj: Request) -> str:
    clock = next((c for c in obj.clocks.all() if c.kind == Clock.Kind.REQUEST), None)
    if clock is None:
        return ""
    return gettext(clocks.STATE_LABELS[clocks.state(clock)])


@dataclass
class DeskListing(Listing):
    """A listing over a fixed part of its model (``only``) with related rows fetched per page."""

    only: dict[str, Any] = field(default_factory=dict)
    prefetch: tuple[str, ...] = ()

    def queryset(self, user: Any) -> Any:
        qs = super().queryset(user).filter(**self.only)
        if self.model is Request:
            qs = qs.annotate(category_label=category_labels(user))
        return qs.prefetch_related(*self.prefetch) if self.prefetch else qs


REQUESTS = DeskListing(
    model=Request,
    slug="request",
    namespace="desk",
    title="服务诉求",
    search=("number", "title", "talent__person__name", "enterprise__name"),
    search_hint="受理编号、标题、诉求人",
    select_related=("talent__person", "enterprise", "specialist"),
    columns=(
        Col("受理编号", "number", link=True),
        Col("诉求标题", "title"),
        Col("诉求类别", _category),
        Col("诉求人", _requester, personal=True),
        Col("受理渠道", "channel"),
        Col("服务专员", "specialist", personal=True),
        Col("状态", "status"),
        Col("时限", _due),
        Col("提交时间", "created_at"),
    ),
    filters=(
        Filter("status", "状态", "status", Request.Status.choices),
        Filter("category", "诉求类别", "category", _category_choices),
        Filter("channel", "受理渠道", "channel", Request.Channel.choices),
        Filter("specialist", "服务专员", "specialist_id", _specialists),
        Filter("clock", "时限", _clock_q, CLOCK_CHOICES),
    ),
    create=("代为登记诉求", "desk:file", access.HANDLE),
    prefetch=("clocks",),
)

QUEUE = DeskListing(
    model=Request,
    slug="queue",
    namespace="desk",
    title="办不成事",
    search=("number", "title", "description"),
    search_hint="受理编号、标题、内容",
    select_related=("talent__person", "enterprise"),
    order_by=("status", "created_at"),
    columns=(
        Col("受理编号", "number", link=True),
        Col("诉求标题", "title"),
        Col("诉求人", _requester, personal=True),
        Col("状态", "status"),
        Col("提交时间", "created_at"),
        Col("办结时间", "done_at"),
    ),
    filters=(Filter("status", "状态", "status", Request.Status.choices),),
    only={"category": ""},
)


def _part_request(obj: Part) -> str:
    return obj.request.number


def _part_due(obj: Part) -> str:
    clock = getattr(obj, "clock", None)
    if clock is None:
        return ""
    from django.utils import timezone

    due = timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M") if clock.due_at else gettext("暂停计时")
    return f"{due}（{gettext(clocks.STATE_LABELS[clocks.state(clock)])}）"


PARTS = Listing(
    model=Part,
    slug="part",
    namespace="desk",
    title="部门办件",
    search=("request__number", "task"),
    search_hint="受理编号、办理事项",
    select_related=("request", "department", "handler", "clock"),
    order_by=("status", "-created_at"),
    columns=(
        Col("受理编号", _part_request, link=True),
        Col("办理事项", "task"),
        Col("办理部门", "department"),
        Col("经办人", "handler", personal=True),
        Col("状态", "status"),
        Col("办理时限", _part_due),
        Col("分派时间", "created_at"),
    ),
    filters=(
        Filter("status", "状态", "status", Part.Status.choices),
        Filter("department", "办理部门", "department_id", _departments),
    ),
)


def _subject(obj: Assignment) -> str:
    return f"{obj.subject_kind} · {obj.subject}"


def _contact(obj: Assignment) -> str:
    if obj.contacted_at:
        from django.utils import timezone

        return timezone.localtime(obj.contacted_at).strftime("%Y-%m-%d %H:%M")
    return "待首次联系"


def _assignment_actions(obj: Assignment, request: Any) -> dict[str, Any]:
    user = request.user
    from talentpark.accounts.models import User as U

    return {
        "assignment": obj,
        "can_change": has_perm(user, access.PORTFOLIO_CHANGE) and obj.ended_at is None,
        "can_reassign": has_perm(user, access.QUEUE) and obj.ended_at is None,
        "specialists": U.objects.filter(zone_id=obj.zone_id, role=Role.SPECIALIST, is_active=True).order_by(
            "username"
        )
        if has_perm(user, access.QUEUE)
        else [],
        "items": obj.items.all(),
        "past": Assignment.objects.filter(
            zone_id=obj.zone_id,
            talent=obj.talent,
            enterprise=obj.enterprise,
            project=obj.project,
        ).select_related("specialist", "assigned_by"),
    }


ASSIGNMENTS = Listing(
    model=Assignment,
    slug="assignment",
    namespace="desk",
    title="包保关系",
    search=("talent__person__name", "enterprise__name", "project__name"),
    search_hint="人才、企业或项目名称",
    select_related=("talent__person", "enterprise", "project", "specialist"),
    columns=(
        Col("包保对象", _subject, link=True, personal=True),
        Col("服务专员", "specialist", personal=True),
        Col("包保开始", "assigned_at"),
        Col("首次联系", _contact),
        Col("包保结束", "ended_at"),
    ),
    filters=(
        Filter("specialist", "服务专员", "specialist_id", _specialists),
        Filter(
            "kind",
            "对象类型",
            lambda v: Q(**{f"{v}__isnull": False}),
            [("talent", "人才"), ("enterprise", "企业"), ("project", "项目")],
        ),
        Filter("open", "包保中", "ended_at__isnull", [("True", "是"), ("False", "否（历史）")]),
        Filter("contacted", "已首次联系", "contacted_at__isnull", [("False", "是"), ("True", "否")]),
    ),
    sections=(
        (
            "包保信息",
            (
                Col("包保对象", _subject, personal=True),
                Col("服务专员", "specialist", personal=True),
                Col("包保开始", "assigned_at"),
                Col("指派原因", "reason"),
                Col("首次联系", _contact),
                Col("首次联系情况", "contact_note"),
                Col("包保结束", "ended_at"),
            ),
        ),
    ),
    detail_actions="desk/_assignment_actions.html",
    extra_context=_assignment_actions,
)


def _visit_actions(obj: Visit, request: Any) -> dict[str, Any]:
    return {
        "visit": obj,
        "issues": obj.issues.select_related("request"),
        "can_change": has_perm(request.user, access.PORTFOLIO_CHANGE),
    }


VISITS = Listing(
    model=Visit,
    slug="visit",
    namespace="desk",
    title="企业走访",
    search=("enterprise__name", "met_with", "summary"),
    search_hint="企业名称、接待人员、走访情况",
    select_related=("enterprise", "specialist"),
    columns=(
        Col("企业", "enterprise", link=True),
        Col("走访日期", "visited_on"),
        Col("走访专员", "specialist", personal=True),
        Col("接待人员", "met_with", personal=True),
        Col("走访情况", "summary"),
    ),
    filters=(Filter("specialist", "走访专员", "specialist_id", _specialists),),
    sections=(
        (
            "走访信息",
            (
                Col("企业", "enterprise"),
                Col("走访日期", "visited_on"),
                Col("走访专员", "specialist", personal=True),
                Col("接待人员", "met_with", personal=True),
                Col("走访情况", "summary"),
            ),
        ),
    ),
    related=(
        Related(
            "转为诉求的问题",
            lambda v, u: [i.request for i in v.issues.select_related("request") if i.request_id],
            (Col("受理编号", "number"), Col("诉求标题", "title"), Col("状态", "status")),
            url_name="desk:request_detail",
        ),
    ),
    detail_actions="desk/_visit_actions.html",
    extra_context=_visit_actions,
)

LISTINGS = (REQUESTS, QUEUE, PARTS, ASSIGNMENTS, VISITS)


# -- on 一网四库's pages: a talent's and an enterprise's requests, and the desk's actions ------------


def _requests_of(field: str) -> Any:
    def rows(obj: Any, user: Any) -> Any:
        if not can(user, Request, "view"):
            return []
        return restrict(Request.objects.filter(**{field: obj}), user).order_by("-created_at")[:20]

    return rows


REQUEST_COLS = (
    Col("受理编号", "number"),
    Col("诉求标题", "title"),
    Col("诉求类别", _category),
    Col("状态", "status"),
)
TALENTS.add_related(Related("服务诉求", _requests_of("talent"), REQUEST_COLS, url_name="desk:request_detail"))
ENTERPRISES.add_related(
    Related("服务诉求", _requests_of("enterprise"), REQUEST_COLS, url_name="desk:request_detail")
)
ENTERPRISES.add_related(
    Related(
        "企业走访",
        lambda e, u: restrict(Visit.objects.filter(enterprise=e), u)[:12] if can(u, Visit, "view") else [],
        (
            Col("走访日期", "visited_on"),
            Col("走访专员", "specialist", personal=True),
            Col("接待人员", "met_with"),
        ),
        url_name="desk:visit_detail",
    )
)


def _desk_links(field: str) -> Any:
    def links(obj: Any, request: Any) -> list[tuple[str, str]]:
        user = request.user
        out = []
        if field != "project" and has_perm(user, access.HANDLE):
            out.append(("代为登记诉求", f"{reverse('desk:file')}?{field}={obj.pk}"))
        if has_perm(user, access.QUEUE):
            out.append(("指派服务专员", f"{reverse('desk:assign')}?{field}={obj.pk}"))
        if field == "enterprise" and has_perm(user, access.PORTFOLIO_CHANGE):
            out.append(("登记走访", f"{reverse('desk:visit_new')}?enterprise={obj.pk}"))
        return out

    return links


TALENTS.add_links(_desk_links("talent"))
ENTERPRISES.add_links(_desk_links("enterprise"))
PROJECTS.add_links(_desk_links("project"))
