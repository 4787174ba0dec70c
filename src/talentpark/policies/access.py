"""Who sees which policy rows: registered with the permission layer (``accounts.access``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from talentpark.accounts.access import register_scope, zone_public_scope, zone_q
from talentpark.accounts.roles import Role
from talentpark.policies.models import (
    Claim,
    Decision,
    LedgerEntry,
    Policy,
    PolicyVersion,
    PublishRun,
    ReviewRequest,
)

register_scope(Policy, "policies.policy")(zone_public_scope)


@register_scope(PolicyVersion, "policies.policy")
def version_scope(user: Any, qs: QuerySet[Any], action: str) -> QuerySet[Any]:
    """Rules are the office's working papers: drafts only for staff, published for everyone in the zone."""
    if user.role in (Role.OFFICE, Role.DEPT, Role.SPECIALIST):
        return qs.filter(zone_q(user)) if action == "view" or user.role == Role.OFFICE else qs.none()
    return zone_public_scope(user, qs, action).filter(status=PolicyVersion.Status.PUBLISHED)


register_scope(PublishRun, "policies.policy")(
    lambda user, qs, action: qs.filter(zone_q(user)) if user.role == Role.OFFICE else qs.none()
)


def _subject_q(user: Any, prefix: str = "") -> Q:
    if user.role == Role.TALENT:
        return Q(**{f"{prefix}talent__person__user": user})
    if user.role == Role.HR:
        account = getattr(user, "enterprise_account", None)
        return Q(**{f"{prefix}enterprise_id": account.enterprise_id if account else 0})
    if user.role == Role.SPECIALIST:
        return zone_q(user, f"{prefix}zone") & (
            Q(**{f"{prefix}talent__specialist": user}) | Q(**{f"{prefix}enterprise__specialist": user})
        )
    if user.role in (Role.OFFICE, Role.DEPT):
        return zone_q(user, f"{prefix}zone")
    return Q(pk__in=[])


@register_scope(Claim, "policies.claim")
def claim_scope(user: Any, qs: QuerySet[Any], action: str) -> QuerySet[Any]:
    return qs.filter(_subject_q(user))


@register_scope(Decision, "policies.claim")
def decision_scope(user: Any, qs: QuerySet[Any], action: str) -> QuerySet[Any]:
    return qs.filter(_subject_q(user))


@register_scope(ReviewRequest, "policies.review")
def review_scope(user: Any, qs: QuerySet[Any], action: str) -> QuerySet[Any]:
    return qs.filter(zone_q(user))


@register_scope(LedgerEntry, "policies.ledger")
def ledger_scope(user: Any, qs: QuerySet[Any], action: str) -> QuerySet[Any]:
    return qs.filter(zone_q(user))
