"""The field catalogue: every field's SQL runs on both vendors and the office's doc is current."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from talentpark.policies import engine
from talentpark.policies.catalogue import KINDS, render_markdown
from talentpark.policies.management.commands.policy_catalogue import DOC
from talentpark.policies.rules import Type


def test_docs_match_the_catalogue() -> None:
    assert DOC.read_text(encoding="utf-8").strip() == render_markdown().strip(), (
        "docs/policy-rules.md is stale: run `talentpark policy_catalogue --write`"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_field_computes_with_its_type(world, kind: str) -> None:
    world.enterprise.employee_count = 12
    world.enterprise.save()
    names = [s.field.name for s in KINDS[kind].sources]
    ids = [world.talent.pk] if kind == "talent" else [world.enterprise.pk]
    records = engine.load_records(kind, world.zone.pk, names, dt.date(2026, 11, 2), ids)
    record = records[ids[0]]
    assert set(record) == set(names)
    py_types = {Type.BOOL: bool, Type.INT: int, Type.NUMBER: float, Type.STRING: str, Type.DATE: dt.date}
    for s in KINDS[kind].sources:
        value = record[s.field.name]
        if value is not None:
            assert isinstance(value, py_types[s.field.type]), (s.field.name, value, connection.vendor)
            if s.field.choices:
                assert value in s.field.choices, (s.field.name, value)
    if kind == "talent":
        person = world.talent.person
        assert record["age"] == person.age_on(dt.date(2026, 11, 2))
        assert record["years_in_zone"] == 6  # entered 2020-03-01
        assert record["has_employer"] is True and record["children_count"] == 0
    else:
        assert record["employee_count"] == 12 and record["talent_count"] == 1


@pytest.mark.django_db
def test_postgresql_sessions_run_without_jit() -> None:
    """JIT compiled an over-estimated 20 ms query for 315 ms (docs/benchmarks.md): it is off."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no JIT; the suite runs this on PostgreSQL")
    with connection.cursor() as cur:
        cur.execute("SHOW jit")
        assert cur.fetchone()[0] == "off"
