"""人工复核: a person re-examines an automated decision on request (PIPL art. 24).

The subject asks (``request_review``: one open request per decision); the office resolves it
(``resolve_review``), upholding or correcting the decision, with an opinion the subject reads.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.core.validation import FieldErrors
from talentpark.policies.models import Decision, ReviewRequest


def request_review(ctx: ActionContext, decision: Decision, reason: str) -> ReviewRequest:
    """Ask a person to re-examine an automated decision (PIPL art. 24): a task for the office."""
    if ctx.user is None:
        raise ValidationError({"reason": ["复核理由：请先登录"]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["复核理由：请说明需要人工复核的原因"]})
    if len(reason) > 1000:
        raise ValidationError({"reason": ["复核理由：不能超过1000字"]})
    with transaction.atomic():
        if ReviewRequest.objects.filter(decision=decision, status=ReviewRequest.Status.OPEN).exists():
            raise ValidationError({"reason": ["复核理由：该判定已有待处理的复核申请"]})
        review = ReviewRequest.objects.create(
            zone_id=decision.zone_id, decision=decision, requested_by=ctx.user, reason=reason
        )
        audit.record(ctx, "policy.review.request", review, after={"decision": decision.pk})
    return review


def resolve_review(ctx: ActionContext, review: ReviewRequest, outcome: str, resolution: str) -> ReviewRequest:
    errors = FieldErrors()
    if outcome not in (ReviewRequest.Status.UPHELD, ReviewRequest.Status.CORRECTED):
        errors.add("outcome", "处理结果", "请选择维持或更正")
    if not (resolution or "").strip():
        errors.add("resolution", "处理意见", "请填写处理意见，将告知申请人")
    errors.raise_if_any()
    with transaction.atomic():
        locked = ReviewRequest.objects.select_for_update().get(pk=review.pk)
        if locked.status != ReviewRequest.Status.OPEN:
            raise ValidationError({"outcome": ["处理结果：该复核已处理"]})
        locked.status, locked.resolution = outcome, resolution.strip()
        locked.resolved_by, locked.resolved_at = ctx.user, timezone.now()
        locked.save()
        audit.record(ctx, "policy.review.resolve", locked, after={"status": outcome})
    return locked
