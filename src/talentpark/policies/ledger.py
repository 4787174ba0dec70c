"""The payment ledger: paying an approved claim, reversing a payment, reconciling a policy.

Guarantees, each enforced by the database rather than by a Python check:

* a claim is paid at most once — partial unique index on (claim) for payments, unique
  idempotency key, and the claim row locked (``SELECT … FOR UPDATE`` on PostgreSQL; the
  SQLite connection opens IMMEDIATE transactions, so writers are serialised there);
* a policy's budget is never exceeded — the budget moves by a conditional
  ``UPDATE … SET budget_paid = budget_paid + x WHERE budget_paid + x <= budget_total``
  (the row lock makes racing payers wait and re-check) and a CHECK constraint;
* entries are never edited: a reversal is a new, negative entry pointing at the payment.

A retry with the same idempotency key returns the first result.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum

from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.policies import workflow
from talentpark.policies.models import Claim, LedgerEntry, Policy

S = Claim.Status
ZERO = decimal.Decimal(0)


def _voucher(kind: str, claim: Claim) -> str:
    prefix = "FK" if kind == LedgerEntry.Kind.PAYMENT else "CZ"
    return f"{prefix}{claim.zone_id:02d}{claim.policy_id:04d}{claim.pk:08d}"


def pay_claim(ctx: ActionContext, claim_id: int, idempotency_key: str) -> LedgerEntry:
    """Pay an approved claim once. Same key (or an already paid claim) → the first entry."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > 80:
        raise ValidationError({"idempotency_key": ["幂等键：不能为空且不超过80个字符"]})
    try:
        with transaction.atomic():
            return _pay(ctx, claim_id, key)
    except IntegrityError:
        # Lost a race that the locks did not serialise (e.g. two keys, same claim): the
        # constraint held; answer with the entry that won.
        existing = LedgerEntry.objects.filter(claim_id=claim_id, kind=LedgerEntry.Kind.PAYMENT).first()
        if existing is None:
            raise
        return existing


def _pay(ctx: ActionContext, claim_id: int, key: str) -> LedgerEntry:
    prior = LedgerEntry.objects.filter(idempotency_key=key).first()
    if prior is not None:
        if prior.claim_id != claim_id:
            raise ValidationError({"idempotency_key": ["幂等键：该键已用于另一笔拨付"]})
        return prior
    claim = Claim.objects.select_for_update().select_related("policy").get(pk=claim_id)
    paid = LedgerEntry.objects.filter(claim=claim, kind=LedgerEntry.Kind.PAYMENT).first()
    if paid is not None:
        return paid
    if claim.status != S.APPROVED:
        raise ValidationError({"status": [f"状态：该事项当前为“{claim.get_status_display()}”，不能拨付"]})
    if claim.amount <= 0:
        raise ValidationError({"amount": ["金额：该事项没有应拨付金额"]})
    policy = claim.policy
    if policy.budget_total is not None:
        moved = Policy.objects.filter(pk=policy.pk, budget_paid__lte=F("budget_total") - claim.amount).update(
            budget_paid=F("budget_paid") + claim.amount
        )
        if not moved:
            total, spent = Policy.objects.values_list("budget_total", "budget_paid").get(pk=policy.pk)
            left = (total or ZERO) - spent
            raise ValidationError(
                {"amount": [f"金额：政策预算余额不足（剩余 {left} 元，本笔 {claim.amount} 元）"]}
            )
    else:
        Policy.objects.filter(pk=policy.pk).update(budget_paid=F("budget_paid") + claim.amount)
    entry = LedgerEntry.objects.create(
        zone_id=claim.zone_id,
        policy=policy,
        claim=claim,
        kind=LedgerEntry.Kind.PAYMENT,
        amount=claim.amount,
        idempotency_key=key,
        voucher=_voucher(LedgerEntry.Kind.PAYMENT, claim),
        payee_name=claim.payee_name,
        bank_name=claim.bank_name,
        payee_account_masked=str(claim.bank_account) if claim.bank_account else "",
        note=f"{policy.title} {claim.cycle if claim.cycle != 'once' else ''}".strip()[:200],
        created_by=ctx.user,
    )
    workflow.transition(ctx, claim, S.PAID, note=f"已拨付 {claim.amount} 元，凭证号 {entry.voucher}")
    claim.save()
    audit.record(ctx, "policy.ledger.pay", entry, zone_id=claim.zone_id, after={"amount": str(entry.amount)})
    return entry


def reverse_payment(ctx: ActionContext, entry_id: int, reason: str, idempotency_key: str) -> LedgerEntry:
    """Undo a payment with a new negative entry (never an edit); the budget is released."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["冲正原因：必须填写"]})
    key = (idempotency_key or "").strip()
    if not key:
        raise ValidationError({"idempotency_key": ["幂等键：不能为空"]})
    with transaction.atomic():
        prior = LedgerEntry.objects.filter(idempotency_key=key).first()
        if prior is not None:
            return prior
        payment = LedgerEntry.objects.select_related("claim").get(pk=entry_id)
        if payment.kind != LedgerEntry.Kind.PAYMENT:
            raise ValidationError({"entry": ["台账记录：只能冲正拨付记录"]})
        claim = Claim.objects.select_for_update().get(pk=payment.claim_id)
        if LedgerEntry.objects.filter(reverses=payment).exists():
            raise ValidationError({"entry": ["台账记录：该笔拨付已冲正"]})
        Policy.objects.filter(pk=payment.policy_id).update(budget_paid=F("budget_paid") - payment.amount)
        entry = LedgerEntry.objects.create(
            zone_id=payment.zone_id,
            policy_id=payment.policy_id,
            claim=claim,
            kind=LedgerEntry.Kind.REVERSAL,
            amount=-payment.amount,
            idempotency_key=key,
            reverses=payment,
            voucher=_voucher(LedgerEntry.Kind.REVERSAL, claim),
            payee_name=payment.payee_name,
            bank_name=payment.bank_name,
            payee_account_masked=payment.payee_account_masked,
            note=f"冲正：{reason}"[:200],
            created_by=ctx.user,
        )
        workflow.transition(ctx, claim, S.REVERSED, note=f"拨付已冲正：{reason}")
        claim.save()
        audit.record(ctx, "policy.ledger.reverse", entry, zone_id=claim.zone_id, after={"reason": reason})
    return entry


@dataclass
class Reconciliation:
    policy: Policy
    budget_total: decimal.Decimal | None
    budget_paid: decimal.Decimal
    ledger_net: decimal.Decimal
    payments: decimal.Decimal
    reversals: decimal.Decimal
    paid_claims_total: decimal.Decimal
    approved_unpaid: decimal.Decimal
    by_status: list[tuple[str, int, decimal.Decimal]] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        """Ledger net = the budget counter = the amounts of claims currently paid."""
        return self.ledger_net == self.budget_paid == self.paid_claims_total

    @property
    def budget_left(self) -> decimal.Decimal | None:
        return None if self.budget_total is None else self.budget_total - self.budget_paid


def reconcile(policy: Policy) -> Reconciliation:
    policy.refresh_from_db(fields=["budget_total", "budget_paid"])
    sums: dict[str, Any] = LedgerEntry.objects.filter(policy=policy).aggregate(
        net=Sum("amount"),
        pay=Sum("amount", filter=Q(kind=LedgerEntry.Kind.PAYMENT)),
        rev=Sum("amount", filter=Q(kind=LedgerEntry.Kind.REVERSAL)),
    )
    claims = Claim.objects.filter(policy=policy)
    paid_claims = claims.filter(status=S.PAID).aggregate(s=Sum("amount"))["s"] or ZERO
    approved = claims.filter(status=S.APPROVED).aggregate(s=Sum("amount"))["s"] or ZERO
    by_status = [
        (Claim.Status(row["status"]).label, row["n"], row["s"] or ZERO)
        for row in claims.values("status").annotate(n=Count("id"), s=Sum("amount")).order_by("status")
    ]
    return Reconciliation(
        policy=policy,
        budget_total=policy.budget_total,
        budget_paid=policy.budget_paid,
        ledger_net=sums["net"] or ZERO,
        payments=sums["pay"] or ZERO,
        reversals=sums["rev"] or ZERO,
        paid_claims_total=paid_claims,
        approved_unpaid=approved,
        by_status=by_status,
    )
