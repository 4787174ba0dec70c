"""The preview's money total is what a run pays: the sum over records of each record's amount,
rounded to the fen and never below zero exactly as the run writes it onto each claim.

A formula that goes negative for some people must not cancel out others' amounts (the preview
once summed the raw outcomes and clamped the sum once), and per-record rounding must not be lost."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentpark.core.context import ActionContext
from talentpark.policies import engine, runs
from talentpark.policies.models import Claim, PublishRun
from talentpark.policies.tests.factories import make_policy, make_version
from talentpark.registry.tests.factories import PersonFactory, TalentFactory

AS_OF = dt.date(2026, 11, 2)
ZERO = decimal.Decimal(0)
CLAUSES = [{"article": "第二条", "text": "在区内企业就业", "expr": "has_employer"}]

# Each formula is negative for some of the people below, and most have fractions of a fen.
FORMULAS = [
    "age * 1234.565 - 40000",  # under 33: negative
    "years_in_zone * 1000.005 - 2500.0049",  # under 3 years in the zone: negative
    'degree == "博士" ? 100000 : -250000',  # the negative ones outweigh the positive
    "age / 3 - 11",  # thirds: per-record rounding
    '{"博士": 0.125, "硕士": -0.125}[degree]',  # null for the others: pays nothing
]


@pytest.fixture
def people(world) -> None:
    degrees = ["11", "14", "21", "31", "PD"]
    for i in range(24):
        person = PersonFactory(
            zone=world.zone,
            birth_date=dt.date(1960 + 2 * i, 1 + i % 12, 1 + i % 27),
            highest_degree=degrees[i % 5],
        )
        TalentFactory(
            zone=world.zone,
            person=person,
            employer=world.enterprise,
            zone_entry_date=dt.date(2015 + i % 11, 3, 1),
        )


def _per_record_total(version, today: dt.date) -> decimal.Decimal:
    """What a run would pay: the Python engine's outcome per record, through ``to_amount``."""
    rule = engine.compiled(version)
    ids = [rid for rid, _ in engine.eligible_rows(version, today)]
    records = engine.load_records(version.target, version.zone_id, rule.fields, today, ids)
    total = ZERO
    for record in records.values():
        decision = rule.evaluate(record, today)
        assert decision.eligible
        total += engine.to_amount(decision.outcome)
    return total


@pytest.mark.django_db
@pytest.mark.parametrize("formula", FORMULAS)
def test_the_preview_total_is_what_the_run_pays(world, people, formula: str) -> None:
    policy = make_policy(world.zone, budget_total=decimal.Decimal("100000000"))
    version = make_version(policy, clauses=CLAUSES, outcome_expr=formula)
    shown = engine.preview(version, AS_OF)
    raw = sum(float(out) for _, out in engine.eligible_rows(version, AS_OF) if out is not None)
    assert shown.eligible >= 20
    ctx = ActionContext(user=world.alice, role=world.alice.role, zone_id=world.zone.pk)
    run = runs.publish(ctx, version, AS_OF)
    run.refresh_from_db()
    assert run.status == PublishRun.Status.DONE and run.eligible == shown.eligible
    paid = sum((c.amount for c in Claim.objects.filter(policy=policy, cycle=run.cycle)), ZERO)
    assert run.amount == paid
    assert shown.amount == paid, (formula, shown.amount, paid, raw)
    # The formula does go negative for some (so clamping the raw sum once would show less).
    assert engine.to_amount(raw) != paid


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    a=st.decimals(min_value=-5000, max_value=5000, places=3),
    b=st.decimals(min_value=-200000, max_value=200000, places=4),
    degree_bonus=st.integers(min_value=-100000, max_value=100000),
)
def test_the_preview_total_is_the_sum_of_the_per_record_amounts(world, people, a, b, degree_bonus) -> None:
    formula = f"age * {a} + ({b}) + (degree_level >= 4 ? {degree_bonus} : 0)"
    policy = make_policy(world.zone, title=f"试算 {a} {b} {degree_bonus}")
    version = make_version(policy, clauses=CLAUSES, outcome_expr=formula)
    assert engine.preview(version, AS_OF).amount == _per_record_total(version, AS_OF), formula


@pytest.mark.django_db
def test_a_tier_or_no_outcome_previews_no_money(world, people) -> None:
    policy = make_policy(world.zone)
    tiered = make_version(policy, clauses=CLAUSES, outcome_kind="tier", outcome_expr='age > 40 ? "A" : "B"')
    shown = engine.preview(tiered, AS_OF)
    assert shown.amount == ZERO and sum(shown.tiers.values()) == shown.eligible > 0
    none = make_version(policy, clauses=CLAUSES, outcome_kind="none", outcome_expr="")
    assert engine.preview(none, AS_OF).amount == ZERO
