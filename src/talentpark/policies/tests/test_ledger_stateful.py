"""CON-3: whatever sequence of payments, retries and reversals, the ledger balances.

A hypothesis state machine pays, re-pays (same and new keys) and reverses claims of one
policy with a tight budget; after every step the ledger's net equals the policy's budget
counter equals the sum of claims currently paid, and the budget is never exceeded.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from talentpark.core.context import ActionContext
from talentpark.policies import ledger
from talentpark.policies.models import Claim, Decision, LedgerEntry, Policy
from talentpark.policies.tests.factories import make_policy, make_version
from talentpark.registry.tests.factories import TalentFactory

D = decimal.Decimal
_keys = itertools.count()


@pytest.mark.django_db
def test_ledger_balances_under_any_sequence(world) -> None:
    office = ActionContext(user=world.alice, role=world.alice.role, zone_id=world.zone.pk)
    talents = [TalentFactory(zone=world.zone) for _ in range(4)]

    class LedgerMachine(RuleBasedStateMachine):
        @initialize(budget=st.integers(1, 8), amounts=st.lists(st.integers(1, 4), min_size=4, max_size=4))
        def setup(self, budget: int, amounts: list[int]) -> None:
            self.policy = make_policy(world.zone, budget_total=D(budget * 1000), approval_levels=1)
            version = make_version(self.policy)
            self.claims = []
            for talent, amount in zip(talents, amounts, strict=True):
                decision = Decision.objects.create(
                    zone=world.zone,
                    policy=self.policy,
                    version=version,
                    talent=talent,
                    as_of=dt.date(2026, 11, 2),
                    eligible=True,
                    amount=D(amount * 1000),
                    inputs={},
                    clauses={},
                    explanation="符合第三条：测试",
                )
                self.claims.append(
                    Claim.objects.create(
                        zone=world.zone,
                        policy=self.policy,
                        version=version,
                        decision=decision,
                        talent=talent,
                        status=Claim.Status.APPROVED,
                        amount=D(amount * 1000),
                        levels_done=1,
                    )
                )
            self.keys: dict[int, str] = {}

        @rule(i=st.integers(0, 3), fresh_key=st.booleans())
        def pay(self, i: int, fresh_key: bool) -> None:
            claim = self.claims[i]
            key = self.keys.get(i) if not fresh_key and i in self.keys else f"k{next(_keys)}"
            try:
                entry = ledger.pay_claim(office, claim.pk, key)
            except ValidationError as exc:
                assert "预算余额不足" in str(exc) or "不能拨付" in str(exc)
                return
            self.keys.setdefault(i, entry.idempotency_key)

        @rule(i=st.integers(0, 3))
        def reverse(self, i: int) -> None:
            payment = LedgerEntry.objects.filter(claim=self.claims[i], kind=LedgerEntry.Kind.PAYMENT).first()
            if payment is None:
                return
            try:
                ledger.reverse_payment(office, payment.pk, "测试冲正", f"r{next(_keys)}")
            except ValidationError as exc:
                assert "已冲正" in str(exc)

        @invariant()
        def balanced(self) -> None:
            if not hasattr(self, "policy"):
                return
            report = ledger.reconcile(Policy.objects.get(pk=self.policy.pk))
            assert report.balanced, report
            assert report.budget_paid <= report.budget_total
            assert report.budget_paid >= 0
            for claim in self.claims:
                assert LedgerEntry.objects.filter(claim=claim, kind=LedgerEntry.Kind.PAYMENT).count() <= 1

    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=15, stateful_step_count=10, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
