"""Read queries for the home pages: what a talent or an enterprise has to do, and its progress."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from talentpark.accounts.access import restrict
from talentpark.policies.models import Claim, ClaimEvent, ReviewRequest

S = Claim.Status
TODO = (S.NOTIFIED, S.APPLYING)


def claims_to_do(user: Any, limit: int = 20) -> list[Claim]:
    """The user's own claims waiting for her (待确认 / 待申报), newest first."""
    qs = Claim.objects.filter(status__in=TODO).select_related("policy", "version", "decision")
    return list(restrict(qs, user, "own").order_by("-id")[:limit])


def progress(user: Any, limit: int = 15) -> QuerySet[ClaimEvent]:
    """The latest steps of the user's claims (我的办事进度), payments included."""
    claims = restrict(Claim.objects.all(), user, "own").values("pk")
    return (
        ClaimEvent.objects.filter(claim__in=claims)
        .select_related("claim__policy")
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
