"""The ledger under real concurrency: one payment per claim, never beyond the budget.

Runs with real threads and their own connections on whichever database the suite uses:
on PostgreSQL the claim row lock and the conditional budget UPDATE decide; on SQLite the
IMMEDIATE transactions serialise writers (CON-4: no unhandled "database is locked").
"""

from __future__ import annotations

import decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from talentpark.core.context import ActionContext
from talentpark.core.tests.threads import race
from talentpark.policies import ledger, redemption, runs
from talentpark.policies.models import Claim, LedgerEntry, Policy
from talentpark.policies.tests.factories import AS_OF, make_policy, make_version
from talentpark.registry.tests.factories import TalentFactory

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 10


def _approved_claims(world: Any, n: int, budget: str, amount: str = "1000") -> tuple[Policy, list[Claim]]:
    for _ in range(n):
        TalentFactory(zone=world.zone, person__highest_degree="11")
    policy = make_policy(world.zone, budget_total=decimal.Decimal(budget), approval_levels=1)
    office = ActionContext(user=world.alice, role=world.alice.role, zone_id=world.zone.pk)
    version = make_version(
        policy,
        outcome_expr=amount,
        clauses=[{"article": "第三条", "text": "博士", "expr": "degree_level >= 4"}],
    )
    try:
        runs.publish(office, version, AS_OF)
    except runs.OverBudget as over:  # over budget on purpose: the office confirms the figure
        runs.publish(office, version, AS_OF, confirm_amount=over.amount)
    claims = list(Claim.objects.filter(policy=policy).order_by("pk"))[:n]
    # approval straight through the workflow as the department would
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(
        status=Claim.Status.REVIEWING, payee_name="测试", bank_name="测试银行"
    )
    redemption.approve_claims(office, list(Claim.objects.filter(pk__in=[c.pk for c in claims])))
    return policy, list(Claim.objects.filter(pk__in=[c.pk for c in claims]).order_by("pk"))


def test_ten_threads_paying_the_same_claim_make_one_entry(world) -> None:
    policy, [claim] = _approved_claims(world, 1, "100000")
    ctx = ActionContext(user=world.alice, role=world.alice.role, zone_id=world.zone.pk)
    results = race(THREADS, lambda i: ledger.pay_claim(ctx, claim.pk, "same-key"))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r.pk for r in results}) == 1
    assert LedgerEntry.objects.filter(claim=claim).count() == 1
    policy.refresh_from_db()
    assert policy.budget_paid == decimal.Decimal("1000")


def test_ten_threads_with_different_keys_still_pay_once(world) -> None:
    policy, [claim] = _approved_claims(world, 1, "100000")
    ctx = ActionContext(user=world.alice, role=world.alice.role, zone_id=world.zone.pk)
    results = race(THREADS, lambda i: ledger.pay_claim(ctx, claim.pk, f"key-{i}"))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert LedgerEntry.objects.filter(claim=claim).count() == 1
    policy.refresh_from_db()
    assert policy.budget_paid == decimal.Decimal("1000")


def test_ten_threads_against_the_last_of_a_budget_never_overspend(world) -> None:
    # budget for 3 payments of 1000, ten approved claims racing for it
    policy, claims = _approved_claims(world, THREADS, "3500")
    assert len(claims) == THREADS
    ctx = ActionContext(user=world.alice, role=world.alice.role, zone_id=world.zone.pk)
    results = race(THREADS, lambda i: ledger.pay_claim(ctx, claims[i].pk, f"claim-{claims[i].pk}"))
    paid = [r for r in results if isinstance(r, LedgerEntry)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(paid) == 3 and len(refused) == THREADS - 3, results
    assert all("预算余额不足" in str(r) for r in refused)
    policy.refresh_from_db()
    assert policy.budget_paid == decimal.Decimal("3000") <= policy.budget_total
    assert ledger.reconcile(policy).balanced
