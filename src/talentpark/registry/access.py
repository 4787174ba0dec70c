"""Which registry rows each role may see and change (registered with the permission layer)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from talentpark.accounts.access import (
    data_scope_q,
    grant,
    register_scope,
    talent_zone_ids,
    zone_public_scope,
    zone_q,
)
from talentpark.accounts.roles import Role
from talentpark.registry.models import (
    Document,
    Enterprise,
    ImportJob,
    IndustryChain,
    Person,
    Platform,
    Project,
    Talent,
)


def hr_enterprise_id(user: Any) -> int | None:
    account = getattr(user, "enterprise_account", None)
    return account.enterprise_id if account else None


@register_scope(Talent, "registry.talent")
def talent_scope(user: Any, qs: QuerySet[Talent], action: str) -> QuerySet[Talent]:
    if user.role == Role.TALENT:
        return qs.filter(person__user=user)
    if user.role in (Role.OFFICE, Role.SPECIALIST, Role.DEPT):
        return qs.filter(zone_q(user) & data_scope_q(user))
    return qs.none()


@register_scope(Person, "registry.talent")
def person_scope(user: Any, qs: QuerySet[Person], action: str) -> QuerySet[Person]:
    if user.role == Role.TALENT:
        return qs.filter(user=user)
    visible = talent_scope(user, Talent.objects.all(), action).values("person_id")
    return qs.filter(pk__in=visible)


@register_scope(Enterprise, "registry.enterprise")
def enterprise_scope(user: Any, qs: QuerySet[Enterprise], action: str) -> QuerySet[Enterprise]:
    if action == "view":
        if user.role == Role.TALENT:
            # A talent browses the enterprises of the zones she lives or works in.
            return qs.filter(zone_id__in=talent_zone_ids(user))
        if user.role == Role.HR:
            return qs.filter(pk=hr_enterprise_id(user) or 0)
        return qs.filter(zone_q(user))
    # change
    if user.role == Role.HR:
        return qs.filter(pk=hr_enterprise_id(user) or 0)
    if user.role in (Role.OFFICE, Role.SPECIALIST):
        return qs.filter(zone_q(user) & data_scope_q(user))
    return qs.none()


@register_scope(Document, "registry.document")
def document_scope(user: Any, qs: QuerySet[Document], action: str) -> QuerySet[Document]:
    """材料库: the talent her own documents; staff those of the talents in their zone and data scope."""
    if user.role == Role.TALENT:
        return qs.filter(talent__person__user=user)
    if user.role in (Role.OFFICE, Role.SPECIALIST, Role.DEPT):
        return qs.filter(
            zone_q(user), talent__in=talent_scope(user, Talent.objects.all(), "view").values("pk")
        )
    return qs.none()


# 材料库 (registry.wallet): the talent keeps hers ("own": list, upload, delete); she and the staff
# who may see her record download them ("view").
grant(
    {
        Role.TALENT: {"registry.document.own", "registry.document.view"},
        Role.OFFICE: {"registry.document.view"},
        Role.SPECIALIST: {"registry.document.view"},
        Role.DEPT: {"registry.document.view"},
    }
)

register_scope(Platform, "registry.platform")(zone_public_scope)
register_scope(Project, "registry.project")(zone_public_scope)
register_scope(IndustryChain, "registry.chain")(zone_public_scope)


@register_scope(ImportJob, "registry")
def import_job_scope(user: Any, qs: QuerySet[ImportJob], action: str) -> QuerySet[ImportJob]:
    """Excel import jobs: the action is "import" (permission ``registry.import``); only one's own."""
    return qs.filter(zone_q(user), user=user) if action == "import" else qs.none()


# What each role may do in 一网四库 (rows: the scopes above).
_READ = {"registry.enterprise.view", "registry.platform.view", "registry.project.view", "registry.chain.view"}
grant(
    {
        Role.TALENT: _READ | {"registry.talent.view", "registry.talent.change_self"},
        Role.HR: _READ | {"registry.enterprise.change"},
        Role.SPECIALIST: _READ
        | {"registry.talent.view", "registry.talent.change", "registry.enterprise.change"},
        Role.DEPT: _READ | {"registry.talent.view"},
        Role.OFFICE: _READ
        | {
            "registry.talent.view",
            "registry.talent.change",
            "registry.enterprise.change",
            "registry.platform.change",
            "registry.project.change",
            "registry.import",  # Excel import of talents, enterprises, platforms and projects
        },
        Role.AMBASSADOR: {"registry.enterprise.view"},
        # Figures across all zones, never personal data: no talent access.
        Role.PROVINCE: _READ,
    }
)
