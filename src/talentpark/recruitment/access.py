"""Who sees and does what in 招才引智.

- anyone in the zone sees the public positions (open, not past their closing date); an
  enterprise's HR also sees and edits all of its own (drafts, under review, closed); the office
  sees every position of its zone and reviews the submitted ones;
- an application is seen by the person who made it, by the enterprise it went to (never another
  enterprise's applicants) and by the office; only the enterprise moves it through its pipeline;
- demands are the enterprise's (it files them) and the office's, specialists' and departments'
  to read (the talent map reads them);
- a job seeker's 求职意向 is her own; enterprises and the office meet it only through matching,
  and only when she chose to be visible (``open_to_offers``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from talentpark.accounts.access import grant, register_scope, talent_zone_ids, zone_q
from talentpark.accounts.roles import Role
from talentpark.recruitment import services
from talentpark.recruitment.models import (
    Application,
    Fair,
    FairBooth,
    Interview,
    JobSeeker,
    PersonnelDemand,
    Position,
    SavedSearch,
)
from talentpark.registry.access import hr_enterprise_id

APPLY = "recruitment.application.apply"  # apply, keep her 求职意向 and saved searches (talent)
PIPELINE = "recruitment.application.change"  # move her enterprise's applicants (HR)
APPLICATIONS = "recruitment.application.view"
REVIEW = "recruitment.position.review"  # approve or return submitted positions (office)
POST = "recruitment.position.change"  # post and edit its positions (HR)
DEMAND_CHANGE = "recruitment.demand.change"
MATCH = "recruitment.match.view"  # a job's best-fitting talents (HR for its jobs, office)
FAIRS = "recruitment.fair.view"
FAIR_MANAGE = "recruitment.fair.change"  # schedule fairs, check visitors in (office)


@register_scope(Position, "recruitment.position")
def position_scope(user: Any, qs: QuerySet[Position], action: str) -> QuerySet[Position]:
    if user.role == Role.HR:
        own = Q(enterprise_id=hr_enterprise_id(user) or 0)
        return (
            qs.filter(own) if action != "view" else qs.filter(zone_q(user)).filter(own | services.public_q())
        )
    if user.role == Role.OFFICE:
        return qs.filter(zone_q(user))
    if action != "view":
        return qs.none()
    if user.role == Role.TALENT:
        return qs.filter(services.public_q(), zone_id__in=talent_zone_ids(user))
    if user.role in (Role.SPECIALIST, Role.DEPT, Role.AMBASSADOR, Role.PROVINCE):
        return qs.filter(zone_q(user)).filter(services.public_q())
    return qs.none()


@register_scope(PersonnelDemand, "recruitment.demand")
def demand_scope(user: Any, qs: QuerySet[PersonnelDemand], action: str) -> QuerySet[PersonnelDemand]:
    if user.role == Role.HR:
        return qs.filter(enterprise_id=hr_enterprise_id(user) or 0)
    if user.role in (Role.OFFICE, Role.SPECIALIST, Role.DEPT) and action == "view":
        return qs.filter(zone_q(user))
    return qs.none()


def application_q(user: Any, prefix: str = "") -> Q:
    if user.role == Role.TALENT:
        return Q(**{f"{prefix}person__user": user})
    if user.role == Role.HR:
        return Q(**{f"{prefix}enterprise_id": hr_enterprise_id(user) or 0})
    if user.role == Role.OFFICE:
        return zone_q(user, f"{prefix}zone")
    return Q(pk__in=[])


@register_scope(Application, "recruitment.application")
def application_scope(user: Any, qs: QuerySet[Application], action: str) -> QuerySet[Application]:
    if action != "view" and user.role == Role.OFFICE:
        return qs.none()  # the office watches the pipeline; the enterprise runs it
    return qs.filter(application_q(user))


@register_scope(Interview, "recruitment.application")
def interview_scope(user: Any, qs: QuerySet[Interview], action: str) -> QuerySet[Interview]:
    return qs.filter(application_q(user, "application__"))


@register_scope(JobSeeker, "recruitment.seeker")
def seeker_scope(user: Any, qs: QuerySet[JobSeeker], action: str) -> QuerySet[JobSeeker]:
    if user.role == Role.TALENT:
        return qs.filter(person__user=user)
    if user.role in (Role.HR, Role.OFFICE) and action == "view":
        return qs.filter(zone_q(user), open_to_offers=True)
    return qs.none()


@register_scope(Fair, "recruitment.fair")
def fair_scope(user: Any, qs: QuerySet[Fair], action: str) -> QuerySet[Fair]:
    if user.role == Role.TALENT:
        return qs.filter(zone_id__in=talent_zone_ids(user)) if action == "view" else qs.none()
    if action != "view" and user.role != Role.OFFICE:
        return qs.none()
    return qs.filter(zone_q(user))


@register_scope(FairBooth, "recruitment.fair")
def booth_scope(user: Any, qs: QuerySet[FairBooth], action: str) -> QuerySet[FairBooth]:
    return qs.filter(fair__in=fair_scope(user, Fair.objects.all(), action))


@register_scope(SavedSearch, "recruitment.search")
def search_scope(user: Any, qs: QuerySet[SavedSearch], action: str) -> QuerySet[SavedSearch]:
    return qs.filter(user=user)


# What each role may do in 招才引智 (rows: the scopes above).
grant(
    {
        Role.TALENT: {
            "recruitment.position.view",
            APPLY,
            APPLICATIONS,
            "recruitment.seeker.view",
            "recruitment.search.view",
            FAIRS,
        },
        Role.HR: {
            "recruitment.position.view",
            POST,
            "recruitment.demand.view",
            DEMAND_CHANGE,
            APPLICATIONS,
            PIPELINE,
            MATCH,
            "recruitment.seeker.view",
            FAIRS,
        },
        Role.SPECIALIST: {"recruitment.position.view", "recruitment.demand.view", FAIRS},
        Role.DEPT: {"recruitment.position.view", "recruitment.demand.view", FAIRS},
        Role.OFFICE: {
            "recruitment.position.view",
            "recruitment.demand.view",
            REVIEW,
            APPLICATIONS,
            MATCH,
            "recruitment.seeker.view",
            FAIRS,
            FAIR_MANAGE,
        },
        Role.AMBASSADOR: {"recruitment.position.view"},
    }
)
