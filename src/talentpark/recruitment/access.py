"""Jobs are public within a zone; demands are the enterprise's and the office's business."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from talentpark.accounts.access import grant, register_scope, zone_public_scope, zone_q
from talentpark.accounts.roles import Role
from talentpark.recruitment.models import PersonnelDemand, Position
from talentpark.registry.access import hr_enterprise_id


@register_scope(Position, "recruitment.position")
def position_scope(user: Any, qs: QuerySet[Position], action: str) -> QuerySet[Position]:
    if action != "view" and user.role == Role.HR:
        return qs.filter(enterprise_id=hr_enterprise_id(user) or 0)
    return zone_public_scope(user, qs, action)


@register_scope(PersonnelDemand, "recruitment.demand")
def demand_scope(user: Any, qs: QuerySet[PersonnelDemand], action: str) -> QuerySet[PersonnelDemand]:
    if user.role == Role.HR:
        return qs.filter(enterprise_id=hr_enterprise_id(user) or 0)
    if user.role in (Role.OFFICE, Role.SPECIALIST, Role.DEPT) and action == "view":
        return qs.filter(zone_q(user))
    return qs.none()


# What each role may do in 招聘引才 (rows: the scopes above).
grant(
    {
        Role.TALENT: {"recruitment.position.view"},
        Role.HR: {"recruitment.position.view", "recruitment.position.change", "recruitment.demand.view"},
        Role.SPECIALIST: {"recruitment.position.view", "recruitment.demand.view"},
        Role.DEPT: {"recruitment.position.view", "recruitment.demand.view"},
        Role.OFFICE: {"recruitment.position.view", "recruitment.demand.view"},
        Role.AMBASSADOR: {"recruitment.position.view"},
    }
)
