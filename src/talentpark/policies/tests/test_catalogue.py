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


def test_every_text_field_is_coded_and_documented_in_its_stored_form() -> None:
    """A text field lists its values or holds a code table (no free text: a rule could not be
    checked against what the data holds), and the office's doc shows them as the data holds them."""
    doc = render_markdown()
    for kind in KINDS.values():
        for s in kind.sources:
            f = s.field
            if f.type is not Type.STRING:
                continue
            assert f.coded, f.name
            row = next(line for line in doc.splitlines() if line.startswith(f"| `{f.name}` |"))
            for value in f.choices or f.code_examples:
                assert value in row, (f.name, value)
    industry = KINDS["enterprise"].catalogue.by_name["industry"]
    assert {"C", "39", "391", "3911"} <= industry.codes and "C39" not in industry.codes


@pytest.mark.django_db
def test_the_data_holds_only_the_documented_values_of_coded_fields(world) -> None:
    """Every raw code the registry can store comes out of the catalogue's SQL as a documented
    value (labels for the listed fields, codes of the table for industries)."""
    from talentpark.core.models import Industry
    from talentpark.registry.models import Enterprise, EnterpriseChainRole, IndustryChain, Person, Talent
    from talentpark.registry.tests.factories import EnterpriseFactory, PersonFactory, TalentFactory

    industries = list(Industry.objects.order_by("code"))
    assert {i.code for i in industries} == KINDS["enterprise"].catalogue.by_name["industry"].codes
    levels = {i.level: i for i in industries}
    chain = IndustryChain.objects.create(zone=world.zone, name="测试链")
    enterprises = []
    for i, scale in enumerate(Enterprise.Scale.values):
        e = EnterpriseFactory(zone=world.zone, scale=scale, industry=list(levels.values())[i % len(levels)])
        enterprises.append(e)
    roles = ["master", "leading", "supporting"]
    for e, role in zip(enterprises, roles, strict=False):
        EnterpriseChainRole.objects.create(zone=world.zone, enterprise=e, chain=chain, role=role)
    sexes = [c for c, _ in Person._meta.get_field("sex").choices]
    degrees = [c for c, _ in Person._meta.get_field("highest_degree").choices] + [""]
    talent_choices = {
        name: [c for c, _ in Talent._meta.get_field(name).choices]
        for name in ("professional_title", "skill_level", "programme_level", "housing", "tier")
    }
    width = max(len(degrees), *(len(v) for v in talent_choices.values()))
    for i in range(width):
        person = PersonFactory(
            zone=world.zone, sex=sexes[i % len(sexes)], highest_degree=degrees[i % len(degrees)]
        )
        TalentFactory(
            zone=world.zone,
            person=person,
            employer=enterprises[i % len(enterprises)],
            **{name: values[i % len(values)] for name, values in talent_choices.items()},
        )
    today = dt.date(2026, 11, 2)
    for name, kind in KINDS.items():
        coded = [s.field for s in kind.sources if s.field.coded]
        model = Talent if name == "talent" else Enterprise
        ids = list(model.objects.filter(zone=world.zone).values_list("pk", flat=True))
        records = engine.load_records(name, world.zone.pk, [f.name for f in coded], today, ids)
        assert len(records) == len(ids) > 3
        for f in coded:
            seen = {r[f.name] for r in records.values()} - {None}
            assert seen and all(f.admits(v) for v in seen), (f.name, seen)
