"""The catalogue's rewrites select exactly the rows the plain comparisons select, on both vendors.

Records sit on both sides of every cut-off (anniversaries a day before, on and after the as-of
date, 29 February birthdays, expired and open-ended tiers, missing degrees and graduation dates),
and every rewritable field is compared with several operators and literals on several as-of dates
(29 February, 28 February and 1 March of a leap and a common year)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection

from talentpark.core.models import University
from talentpark.policies import engine
from talentpark.policies.catalogue import TALENT, _anniversary
from talentpark.policies.rules import Clause, Rule, compile_rule
from talentpark.registry.models import Education, FamilyMember
from talentpark.registry.tests.factories import PersonFactory, TalentFactory

AS_OF = [dt.date(2028, 2, 29), dt.date(2027, 2, 28), dt.date(2027, 3, 1), dt.date(2026, 11, 22)]


def _around(years: list[int]) -> list[dt.date]:
    """Dates a day before, on and a day after the anniversaries that the cut-offs test."""
    days = {dt.date(1992, 2, 29), dt.date(2000, 2, 29), dt.date(2024, 2, 29)}
    for today, n in itertools.product(AS_OF, years):
        cut = _anniversary(today, n)
        assert cut is not None
        days |= {cut - dt.timedelta(days=1), cut, cut + dt.timedelta(days=1)}
    return sorted(days)


CASES: dict[str, list[str]] = {
    "age": [f"age {op} {n}" for op in ("<", "<=", ">", ">=", "==") for n in (30, 35)],
    "years_in_zone": [f"years_in_zone {op} {n}" for op in ("<", "<=", ">", ">=", "==") for n in (0, 1, 5)],
    "years_since_graduation": [
        f"years_since_graduation {op} {n}" for op in ("<", "<=", ">", ">=", "==") for n in (1, 3)
    ],
    "youngest_child_age": [f"youngest_child_age {op} {n}" for op in ("<", ">=", "==") for n in (3, 18)],
    "tier": ['tier in ["A", "B", "C"]', 'tier == "D"', 'tier != "A"'],
    "degree": ['degree in ["博士", "博士后"]', 'degree == "硕士"', 'degree != "本科"'],
    "degree_level": ["degree_level >= 4", "degree_level < 3", "degree_level == 2", "degree_level in [1, 5]"],
    "title": ['title == "正高级"', 'title != "无"', 'title == "无"'],
    "title_level": ["title_level >= 3", "title_level < 1", "title_level != 0"],
    "skill_level": ["skill_level >= 4", "skill_level == 0", "skill_level > 0"],
    "programme": ['programme in ["国家级", "省级"]', 'programme == "无"'],
    "housing": ['housing in ["租房", "暂无住房"]', 'housing != "自有住房"'],
}


@pytest.fixture
def records(world) -> None:
    births = _around([30, 35, 36])
    entries = _around([0, 1, 2, 5, 6])
    graduations = _around([1, 2, 3, 4])
    children = _around([3, 4, 18, 19])
    degrees = ["31", "21", "14", "11", "PD", ""]
    titles = ["", "4", "3", "2", "1"]
    skills = ["", "5", "4", "3", "2", "1"]
    programmes = ["", "zone", "municipal", "provincial", "national"]
    housing = ["owned", "rented", "apartment", "dormitory", "none"]
    tiers = [("", None), ("A", None), ("B", dt.date(2027, 2, 28)), ("C", dt.date(2030, 1, 1)), ("D", None)]
    university = University.objects.order_by("pk").first()
    n = max(len(births), len(entries), len(graduations), len(children))
    for i in range(n):
        person = PersonFactory(
            zone=world.zone, birth_date=births[i % len(births)], highest_degree=degrees[i % len(degrees)]
        )
        tier, valid = tiers[i % len(tiers)]
        TalentFactory(
            zone=world.zone,
            employer=world.enterprise,
            person=person,
            zone_entry_date=entries[i % len(entries)],
            professional_title=titles[i % len(titles)],
            skill_level=skills[i % len(skills)],
            programme_level=programmes[i % len(programmes)],
            housing=housing[i % len(housing)],
            tier=tier,
            tier_valid_until=valid,
        )
        if i % 7:  # some have no education at all, one an undated one
            graduated = None if i % 7 == 1 else graduations[i % len(graduations)]
            Education.objects.create(
                person=person, degree="21", major="计算机", university=university, graduated_on=graduated
            )
            if i % 3 == 0:
                Education.objects.create(
                    person=person,
                    degree="14",
                    major="软件",
                    university=university,
                    graduated_on=graduations[(i * 5) % len(graduations)],
                )
        if i % 4:
            FamilyMember.objects.create(
                person=person, relation="child", name="孩子", birth_date=children[i % len(children)]
            )
            if i % 4 == 2:
                FamilyMember.objects.create(
                    person=person, relation="child", name="二孩", birth_date=children[(i * 3) % len(children)]
                )


def _ids(query: str) -> set[int]:
    with connection.cursor() as cur:
        cur.execute(query)
        return {row[0] for row in cur.fetchall()}


@pytest.mark.django_db
@pytest.mark.parametrize("field", sorted(CASES))
def test_rewrites_select_the_same_rows_as_the_plain_comparison(world, records, field: str) -> None:
    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    selected = 0
    for today, expr in itertools.product(AS_OF, CASES[field]):
        rule = compile_rule(Rule(clauses=(Clause("第一条", "x", expr),), outcome=None), TALENT.catalogue)
        sql = rule.to_sql(
            vendor, TALENT.columns(vendor, today), today, rewrites=TALENT.rewrites(vendor, today)
        )
        frm = TALENT.from_clause(vendor, today, rule.fields)
        zone = TALENT.zone_filter.format(zone=world.zone.pk)
        plain = _ids(f"SELECT t.id FROM {frm} WHERE {zone} AND ({sql.eligible})")  # noqa: S608
        fast = _ids(engine.eligible_query(TALENT, rule, world.zone.pk, today, outcome=False, vendor=vendor))
        assert fast == plain, (field, expr, today, sql.where)
        selected += len(plain)
    assert selected, field  # the cases do select rows
    declined = {'title == "无"', "title_level < 1", "skill_level == 0", 'programme == "无"'}
    for expr in set(CASES[field]) - declined:
        rule = compile_rule(Rule(clauses=(Clause("第一条", "x", expr),), outcome=None), TALENT.catalogue)
        today = AS_OF[0]
        sql = rule.to_sql(
            vendor, TALENT.columns(vendor, today), today, rewrites=TALENT.rewrites(vendor, today)
        )
        assert field not in sql.where_fields, (expr, sql.where)  # the rewrite was used


@pytest.mark.django_db
@pytest.mark.parametrize("today", AS_OF[:2])
def test_bulk_loading_reads_the_same_values_as_per_row_subqueries(world, records, today: dt.date) -> None:
    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    names = [s.field.name for s in TALENT.sources]
    assert any(s.bulk for s in TALENT.sources)
    zone = TALENT.zone_filter.format(zone=world.zone.pk)

    def load(bulk: bool) -> dict[int, tuple[object, ...]]:
        columns = TALENT.columns(vendor, today, names, bulk=bulk)
        select = ", ".join(["t.id", *(columns[n] for n in names)])
        frm = TALENT.from_clause(vendor, today, names, bulk=bulk)
        with connection.cursor() as cur:
            cur.execute(f"SELECT {select} FROM {frm} WHERE {zone}")  # noqa: S608
            return {
                row[0]: tuple(
                    engine.typed(s.field.type, v) for s, v in zip(TALENT.sources, row[1:], strict=True)
                )
                for row in cur.fetchall()
            }

    per_row, bulk = load(False), load(True)
    assert len(per_row) > 30 and per_row == bulk


def _demo_versions(world) -> list:
    from talentpark.demo.policy_rules import RULES
    from talentpark.policies.tests.factories import make_policy, make_version

    versions = []
    for title, spec in RULES.items():
        for vs in spec.versions:
            policy = make_policy(world.zone, title=title.format(zone="测试区"), target=vs.target)
            versions.append(
                make_version(
                    policy,
                    target=vs.target,
                    clauses=vs.clauses_json(),
                    outcome_kind=vs.outcome_kind,
                    outcome_expr=vs.outcome_expr,
                    outcome_article=vs.outcome_article,
                )
            )
    return versions


@pytest.mark.django_db
@pytest.mark.parametrize("bits", [62, 3])
def test_one_query_for_many_policies_admits_what_each_policy_admits(
    world, records, monkeypatch, bits
) -> None:
    monkeypatch.setattr(engine, "MASK_BITS", bits)  # 3: several queries per record kind
    versions = _demo_versions(world)
    assert {v.target for v in versions} == {"talent", "enterprise"}
    for today in AS_OF[1:3]:
        sets = engine.eligible_sets(versions, today)
        admitted = 0
        for v in versions:
            expected = sorted(rid for rid, _ in engine.eligible_rows(v, today))
            assert sorted(sets[v.pk]) == expected, (v.policy.title, today)
            admitted += len(expected)
        assert admitted  # the demo rules do admit some of these records


@pytest.mark.django_db
def test_the_preview_counts_what_the_filter_admits(world, records) -> None:
    """The preview computes every clause for every row (bulk forms on PostgreSQL); publishing
    filters with the rewritten form: both must count the same records."""
    today = AS_OF[2]
    counted = 0
    for v in _demo_versions(world):
        shown = engine.preview(v, today)
        admitted = engine.eligible_rows(v, today)
        if v.outcome_kind == "tier":
            assert sum(shown.tiers.values()) == len([r for r in admitted if r[1]]), v.policy.title
        assert shown.eligible == len(admitted), v.policy.title
        counted += shown.eligible
    assert counted


# -- whole years on 29 February: the calendar, not a vendor's date arithmetic ----------------------


def _whole_years(since: dt.date, today: dt.date) -> int:
    """Completed years from ``since`` to ``today`` by the calendar (a 29 February anniversary falls
    on 1 March in a common year): the oracle every engine is held to."""
    return today.year - since.year - ((today.month, today.day) < (since.month, since.day))


def _oracle_talents(zone_id: int, today: dt.date) -> dict[int, dict[str, object]]:
    """The whole-year fields of every active talent of the zone, computed in Python from the rows."""
    from talentpark.registry.models import Talent

    out: dict[int, dict[str, object]] = {}
    talents = Talent.objects.filter(zone_id=zone_id, status="active").select_related("person")
    for t in talents.prefetch_related("person__educations", "person__family"):
        graduations = [e.graduated_on for e in t.person.educations.all() if e.graduated_on]
        children = [f.birth_date for f in t.person.family.all() if f.relation == "child"]
        dated = [b for b in children if b is not None]
        out[t.pk] = {
            "age": _whole_years(t.person.birth_date, today),
            "years_in_zone": _whole_years(t.zone_entry_date, today),
            "years_since_graduation": _whole_years(max(graduations), today) if graduations else None,
            "youngest_child_age": _whole_years(max(dated), today) if dated else None,
            "children_count": len(children),
            "children_under_18": sum(1 for b in dated if _whole_years(b, today) < 18),
        }
    return out


@pytest.fixture
def platforms(world) -> None:
    """Enterprises whose academician workstations and postdoc stations were approved around the
    one-year anniversaries of the as-of dates (29 February among them)."""
    from talentpark.registry.models import Platform
    from talentpark.registry.tests.factories import EnterpriseFactory

    for i, day in enumerate(_around([1])):
        enterprise = EnterpriseFactory(zone=world.zone, name=f"认定日测试企业{i}")
        kind = "academician" if i % 2 else "postdoc_station"
        Platform.objects.create(
            zone=world.zone,
            name=f"平台{i}",
            kind=kind,
            level="provincial",
            enterprise=enterprise,
            approved_on=day,
        )


WHOLE_YEAR_RULES = [
    "children_under_18 > 0",
    "children_under_18 == 0",
    "youngest_child_age < 18",
    "youngest_child_age >= 18",
    "age >= 36",
    "age < 35",
    "years_in_zone >= 1",
    "years_in_zone < 1",
    "years_since_graduation <= 3",
]


@pytest.mark.django_db
def test_whole_years_follow_the_calendar_on_29_february_in_every_engine(world, records, platforms) -> None:
    """Births on 29 February and the days around every cut-off, as-of dates on 28/29 February and
    1 March of leap and common years: the catalogue's SQL values (per row and bulk forms), the SQL
    filter (rewrites), the preview's count, the Python evaluator and Polars all give the calendar's
    whole years. SQLite's ``date(x, '-18 years')`` lands on 1 March from 29 February (PostgreSQL's
    interval on 28 February), so a child who is 17 would count as an adult there."""
    import polars as pl

    from talentpark.policies.catalogue import ENTERPRISE
    from talentpark.policies.tests.factories import make_policy, make_version
    from talentpark.registry.models import Platform

    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    names = ["age", "years_in_zone", "years_since_graduation", "youngest_child_age", "children_count"]
    names.append("children_under_18")
    zone = world.zone.pk
    differ = 0
    for today in AS_OF:
        oracle = _oracle_talents(zone, today)
        ids = sorted(oracle)
        for bulk in (False, True):
            columns = TALENT.columns(vendor, today, names, bulk=bulk)
            frm = TALENT.from_clause(vendor, today, names, bulk=bulk)
            select = ", ".join(["t.id", *(columns[n] for n in names)])
            with connection.cursor() as cur:
                cur.execute(f"SELECT {select} FROM {frm} WHERE {TALENT.zone_filter.format(zone=zone)}")  # noqa: S608
                loaded = {row[0]: dict(zip(names, row[1:], strict=True)) for row in cur.fetchall()}
            wrong = {
                i: (loaded.get(i), oracle.get(i))
                for i in set(loaded) | set(oracle)
                if loaded.get(i) != oracle.get(i)
            }
            assert not wrong, (today, bulk, vendor, wrong)
        assert engine.load_records("talent", zone, names, today, ids) == oracle
        for expr in WHOLE_YEAR_RULES:
            rule = compile_rule(Rule(clauses=(Clause("第一条", "x", expr),), outcome=None), TALENT.catalogue)
            expected = {i for i in ids if rule.eligible(oracle[i], today)}
            schema = rule.frame_schema()
            frame = pl.DataFrame([{"id": i, **{n: oracle[i][n] for n in schema}} for i in ids])
            by_polars = set(frame.filter(rule.to_polars(today).eligible)["id"].to_list())
            assert by_polars == expected, (expr, today)
            version = make_version(
                make_policy(world.zone, title=f"{expr} {today}"),
                clauses=[{"article": "第一条", "text": "x", "expr": expr}],
                outcome_kind="none",
                outcome_expr="",
            )
            assert {rid for rid, _ in engine.eligible_rows(version, today)} == expected, (expr, today)
            assert engine.preview(version, today).eligible == len(expected), (expr, today)
            differ += 0 < len(expected) < len(ids)
        # Enterprises: "approved within the year before the as-of date" = less than one whole year.
        platforms_ = Platform.objects.filter(zone_id=zone, enterprise__isnull=False, level="provincial")
        want = {
            (p.enterprise_id, p.kind): int(_whole_years(p.approved_on, today) < 1)
            for p in platforms_
            if p.approved_on is not None
        }
        counts = ["new_academician_stations", "new_postdoc_stations"]
        got = engine.load_records("enterprise", zone, counts, today, sorted({e for e, _ in want}))
        for (eid, kind), n in want.items():
            field = "new_academician_stations" if kind == "academician" else "new_postdoc_stations"
            assert got[eid][field] == n, (today, eid, kind, vendor)
        columns = ENTERPRISE.columns(vendor, today, counts)
        assert {s.field.name for s in ENTERPRISE.sources if s.field.name in counts} == set(columns)
    assert differ  # the rules split the records on every kind of cut-off


def _hand_sql():  # type: ignore[no-untyped-def]
    """bench/policy_hand_sql.py (the benchmark's hand-written queries; bench/ is not a package)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[4] / "bench" / "policy_hand_sql.py"
    spec = importlib.util.spec_from_file_location("policy_hand_sql", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["schooling", "platform_reward", "rent", "living_v1", "apartment"])
def test_the_benchmarks_hand_written_sql_admits_what_the_compiled_rule_admits(
    world, records, platforms, key: str
) -> None:
    """The benchmark compares speeds only if both admit the same records: on 29 February too."""
    from talentpark.demo import policy_rules
    from talentpark.policies.tests.factories import make_policy, make_version
    from talentpark.registry.models import Talent

    hand_sql = _hand_sql()
    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    const, number = hand_sql.POLICIES[key]
    spec = next(v for v in getattr(policy_rules, const).versions if v.number == number)
    version = make_version(
        make_policy(world.zone, title=key, target=spec.target),
        target=spec.target,
        clauses=spec.clauses_json(),
        outcome_kind=spec.outcome_kind,
        outcome_expr=spec.outcome_expr,
        outcome_article=spec.outcome_article,
    )
    if key == "schooling":  # the records' tiers are few: give everyone one, so children decide
        Talent.objects.filter(zone=world.zone).update(tier="A", tier_valid_until=None)
    admitted = 0
    for today in AS_OF:
        compiled = {rid for rid, _ in engine.eligible_rows(version, today)}
        with connection.cursor() as cur:
            cur.execute(hand_sql.HAND_SQL[key](hand_sql.Hand(vendor, world.zone.pk, today)))
            hand = {row[0] for row in cur.fetchall()}
        assert hand == compiled, (key, today, sorted(hand ^ compiled))
        admitted += len(compiled)
    assert admitted, key


def test_sqlites_own_arithmetic_agrees_with_the_calendar_on_the_catalogues_cut_offs() -> None:
    """Without Django: stdlib sqlite3 evaluates the catalogue's whole-years SQL and its cut-offs for
    every pair of days around 28/29 February and 1 March of leap and common years. ``date(x, '-18
    years')`` fails this (from 2028-02-29 it gives 2010-03-01, so a child born that day, 17, is
    not a minor); the cut-offs the catalogue computes in Python do not."""
    import sqlite3

    from talentpark.policies.catalogue import _years, fill_dates

    days = [
        dt.date(year, month, day)
        for year in (2008, 2009, 2010, 2011, 2026, 2027, 2028)
        for month, day in ((2, 27), (2, 28), (2, 29), (3, 1))
        if not (month == 2 and day == 29 and year % 4)
    ]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE d (day TEXT)")
    db.executemany("INSERT INTO d VALUES (?)", [(d.isoformat(),) for d in days])
    for today in [d for d in days if d.year >= 2026]:
        for years in (1, 18):
            under = fill_dates(f"SELECT day FROM d WHERE day > {{T-{years}y}}", "sqlite", today)  # noqa: S608
            got = {dt.date.fromisoformat(r[0]) for r in db.execute(under)}
            assert got == {d for d in days if _whole_years(d, today) < years}, (today, years)
        age = fill_dates(f"SELECT day, {_years('day')['sqlite']} FROM d", "sqlite", today)  # noqa: S608
        assert {dt.date.fromisoformat(d): n for d, n in db.execute(age)} == {
            d: _whole_years(d, today) for d in days
        }, today
    modifier = "SELECT day FROM d WHERE day > date('2028-02-29', '-18 years')"
    assert dt.date(2010, 3, 1) not in {dt.date.fromisoformat(r[0]) for r in db.execute(modifier)}
    assert _whole_years(dt.date(2010, 3, 1), dt.date(2028, 2, 29)) == 17  # why the modifier is not used
