"""Read queries for the home pages: what a talent or an enterprise has to do, and its progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from talentpark.accounts.access import restrict
from talentpark.policies.models import Claim, ClaimEvent, ReviewRequest
from talentpark.registry.services import held_tier

S = Claim.Status
TODO = (S.NOTIFIED, S.APPLYING)


# Certified tiers from the highest (A) down: a talent holding a valid tier is never urged to
# apply for one at or below it (a valid B is not asked to apply for C).
TIER_RANK = {"A": 5, "B": 4, "C": 3, "D": 2, "E": 1}


def _below_held_tier(claim: Claim, today: dt.date) -> bool:
    if not claim.tier or claim.talent is None:
        return False
    held = held_tier(claim.talent, today)
    return bool(held) and TIER_RANK.get(claim.tier, 0) <= TIER_RANK.get(held, 0)


# What a to-do card (policies/_home_claims.html) and the tier check read.
TODO_CARD_FIELDS = (
    *("id", "status", "amount", "tier", "cycle", "policy", "version", "decision", "talent"),
    *("policy__title", "policy__recurrence", "version__benefit", "decision__explanation"),
    *("talent__tier", "talent__tier_valid_until"),
)


def claims_to_do(user: Any, limit: int = 20) -> list[Claim]:
    """The user's own claims waiting for her (待确认 / 待申报), newest first.

    A certification offer at or below the tier she already validly holds is left out.
    """
    qs = (
        Claim.objects.filter(status__in=TODO)
        .select_related("policy", "version", "decision", "talent")
        .only(*TODO_CARD_FIELDS)  # the card's fields, not the policies' full texts and the rule sources
    )
    today = timezone.localdate()
    claims = restrict(qs, user, "own").order_by("-id")[: limit * 2]
    return [c for c in claims if not _below_held_tier(c, today)][:limit]


def progress(user: Any, limit: int = 15) -> QuerySet[ClaimEvent]:
    """The latest steps of the user's claims (我的办事进度), payments included."""
    claims = restrict(Claim.objects.all(), user, "own").values("pk")
    return (
        ClaimEvent.objects.filter(claim__in=claims)
        .select_related("claim__policy")
        .only("id", "at", "claim", "to_status", "note", "claim__policy", "claim__policy__title")
        .order_by("-at", "-id")[:limit]
    )


def office_counts(user: Any) -> dict[str, int]:
    """The staff home page's figures: her own review queue (what waits at a level routed to her),
    claims waiting for payment, open review requests."""
    claims = restrict(Claim.objects.all(), user)
    return {
        "reviewing": restrict(Claim.objects.filter(status=S.REVIEWING), user, "approve").count(),
        "approved": claims.filter(status=S.APPROVED).count(),
        "open_reviews": restrict(
            ReviewRequest.objects.filter(status=ReviewRequest.Status.OPEN), user
        ).count(),
    }
