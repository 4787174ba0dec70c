"""Who may do what at the service desk, and which rows each sees.

- a talent files requests and sees only her own; an enterprise's HR sees its enterprise's;
- a specialist sees the requests she owns, filed, or that belong to her portfolio (and, as a team
  lead, those of her team); she files on behalf, routes, asks, answers and keeps her 1+N portfolio;
- a department handler sees the requests with a part routed to her department, and of those only
  her department's parts (:func:`part_scope`);
- the office sees the zone: every request, the 办不成事 queue it must answer, caseloads, reports.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from talentpark.accounts.access import grant, register_scope, zone_q
from talentpark.core.roles import Role
from talentpark.desk.models import (
    Assignment,
    Clock,
    Part,
    Request,
    ServiceItem,
    SpecialistProfile,
    Step,
    Visit,
)

FILE = "desk.request.file"  # file her own requests (talent, enterprise)
HANDLE = "desk.request.handle"  # file on behalf, route, ask, answer (specialist, office)
PART = "desk.part.handle"  # take and finish her department's parts
QUEUE = "desk.queue.answer"  # answer the 办不成事 queue, reassign (office)
PORTFOLIO = "desk.portfolio.view"
PORTFOLIO_CHANGE = "desk.portfolio.change"
REPORT = "desk.report.view"


def _hr_enterprise(user: Any) -> int:
    account = getattr(user, "enterprise_account", None)
    return account.enterprise_id if account else 0


def request_q(user: Any, prefix: str = "") -> Q:
    """The requests ``user`` may see, as a Q over ``Request`` (with ``prefix`` for a relation)."""

    def f(name: str) -> str:
        return f"{prefix}{name}"

    if user.role == Role.TALENT:
        return Q(**{f("talent__person__user"): user})
    if user.role == Role.HR:
        return Q(**{f("enterprise_id"): _hr_enterprise(user)})
    if user.role == Role.SPECIALIST:
        mine = (
            Q(**{f("specialist"): user})
            | Q(**{f("filed_by"): user})
            | Q(**{f("talent__specialist"): user})
            | Q(**{f("enterprise__specialist"): user})
            | Q(**{f("specialist__desk_profile__lead"): user})
        )
        return zone_q(user, f("zone")) & mine
    if user.role == Role.DEPT:
        return zone_q(user, f("zone")) & Q(**{f("parts__department_id"): user.department_id or 0})
    if user.role == Role.OFFICE:
        return zone_q(user, f("zone"))
    return Q(pk__in=[])


@register_scope(Request, "desk.request")
def request_scope(user: Any, qs: QuerySet[Request], action: str) -> QuerySet[Request]:
    q = request_q(user)
    return qs.filter(q).distinct() if user.role == Role.DEPT else qs.filter(q)


@register_scope(Part, "desk.request")
def part_scope(user: Any, qs: QuerySet[Part], action: str) -> QuerySet[Part]:
    """A department sees its own parts only; everyone else the parts of the requests they see."""
    if user.role == Role.DEPT:
        return qs.filter(zone_q(user), department_id=user.department_id or 0)
    return qs.filter(request_q(user, "request__"))


@register_scope(Step, "desk.request")
def step_scope(user: Any, qs: QuerySet[Step], action: str) -> QuerySet[Step]:
    """Requesters see the public steps; a department the steps of its parts and the request's own
    (filing, acceptance, completion), never another department's."""
    if user.role in (Role.TALENT, Role.HR):
        return qs.filter(request_q(user, "request__"), public=True)
    if user.role == Role.DEPT:
        return (
            qs.filter(request_q(user, "request__"))
            .filter(Q(part__isnull=True) | Q(part__department_id=user.department_id or 0))
            .distinct()
        )
    return qs.filter(request_q(user, "request__"))


def _portfolio(user: Any, qs: QuerySet[Any], action: str) -> QuerySet[Any]:
    if user.role == Role.OFFICE:
        return qs.filter(zone_q(user))
    if user.role == Role.SPECIALIST:
        return qs.filter(zone_q(user)).filter(Q(specialist=user) | Q(specialist__desk_profile__lead=user))
    return qs.none()


register_scope(Assignment, "desk.portfolio")(_portfolio)
register_scope(Visit, "desk.portfolio")(_portfolio)


@register_scope(ServiceItem, "desk.portfolio")
def item_scope(user: Any, qs: QuerySet[ServiceItem], action: str) -> QuerySet[ServiceItem]:
    return qs.filter(assignment__in=_portfolio(user, Assignment.objects.all(), action))


@register_scope(SpecialistProfile, "desk.portfolio")
def profile_scope(user: Any, qs: QuerySet[SpecialistProfile], action: str) -> QuerySet[SpecialistProfile]:
    return qs.filter(zone_q(user)) if user.role in (Role.OFFICE, Role.SPECIALIST) else qs.none()


@register_scope(Clock, "desk.request")
def clock_scope(user: Any, qs: QuerySet[Clock], action: str) -> QuerySet[Clock]:
    return qs.filter(zone_q(user)) if user.role == Role.OFFICE else qs.none()


grant(
    {
        Role.TALENT: {FILE, "desk.request.view"},
        Role.HR: {FILE, "desk.request.view"},
        # a specialist handles the 人才服务中心's parts of her own requests (services.may_handle_part)
        Role.SPECIALIST: {HANDLE, PART, "desk.request.view", PORTFOLIO, PORTFOLIO_CHANGE},
        Role.DEPT: {PART, "desk.request.view"},
        Role.OFFICE: {HANDLE, QUEUE, "desk.request.view", PORTFOLIO, PORTFOLIO_CHANGE, REPORT},
    }
)
