"""The claim workflow: one table of allowed transitions, one ``transition()``, one event per change."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from talentpark.core.context import ActionContext
from talentpark.policies import notices
from talentpark.policies.models import Claim, ClaimEvent

S = Claim.Status

ALLOWED: dict[str, frozenset[str]] = {
    "": frozenset({S.NOTIFIED, S.APPLYING, S.APPROVED, S.PAUSED}),
    S.NOTIFIED: frozenset({S.REVIEWING, S.DECLINED, S.PAUSED}),
    S.APPLYING: frozenset({S.REVIEWING, S.DECLINED, S.PAUSED}),
    S.REVIEWING: frozenset({S.REVIEWING, S.APPROVED, S.REJECTED, S.CERTIFIED, S.GRANTED}),
    S.APPROVED: frozenset({S.PAID, S.REJECTED}),
    S.PAID: frozenset({S.REVERSED}),
    S.REJECTED: frozenset(),
    S.DECLINED: frozenset(),
    S.PAUSED: frozenset(),
    S.CERTIFIED: frozenset(),
    S.GRANTED: frozenset(),
    S.REVERSED: frozenset(),
}

# What a person sees as the next step, per status.
NEXT_STEP = {
    S.NOTIFIED: "请确认是否申领（意愿确认）",
    S.APPLYING: "请补充申报材料后提交",
    S.REVIEWING: "部门审核中",
    S.APPROVED: "审核通过，等待拨付",
    S.PAID: "已拨付到账",
    S.CERTIFIED: "认定完成",
    S.GRANTED: "可享受该项服务",
    S.REJECTED: "未通过审核",
    S.DECLINED: "本人已放弃",
    S.PAUSED: "本期不再符合条件，已暂停",
    S.REVERSED: "拨付已冲正",
}


def check(claim: Claim, to: str) -> None:
    if to not in ALLOWED[claim.status]:
        current = Claim.Status(claim.status).label
        raise ValidationError(
            {"status": [f"状态：该事项当前为“{current}”，不能变为“{Claim.Status(to).label}”"]}
        )


def transition(
    ctx: ActionContext, claim: Claim, to: str, *, note: str = "", level: int | None = None
) -> ClaimEvent:
    """Move ``claim`` to ``to`` (must be allowed) and write its event; the caller saves and audits."""
    check(claim, to)
    before = claim.status
    claim.status = to
    if note:
        claim.status_reason = note[:300]
    if to == S.PAID:
        claim.paid_at = timezone.now()
    return record_event(ctx, claim, before, to, note=note, level=level)


def record_event(
    ctx: ActionContext, claim: Claim, before: str, to: str, *, note: str = "", level: int | None = None
) -> ClaimEvent:
    event = ClaimEvent.objects.create(
        claim=claim,
        actor=ctx.user,
        actor_name=ctx.user.get_username() if ctx.user else "系统",
        from_status=before,
        to_status=to,
        level=level,
        note=note[:300],
    )
    if to != before:
        notices.claims_moved([claim], to)
    return event
