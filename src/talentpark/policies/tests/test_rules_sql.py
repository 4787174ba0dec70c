"""The SQL engine: lean SQL text per dialect, escaping, and SQLite results equal to Python's."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from talentpark.policies.rules import Clause, CompiledRule, Rule, Type, compile_rule
from talentpark.policies.rules.testing import CATALOGUE, create_table_sql, sql_row

TODAY = dt.date(2026, 11, 22)
PLAIN = {f.name: f.name for f in CATALOGUE}


def rule(expr: str, outcome: str | None = None, outcome_type: Type = Type.NUMBER) -> CompiledRule:
    return compile_rule(
        Rule(
            clauses=(Clause("第一条", "x", expr),),
            outcome=outcome,
            outcome_type=outcome_type,
            outcome_article="第二条",
        ),
        CATALOGUE,
    )


def sql(expr: str, dialect: str = "sqlite", **kw: Any) -> str:
    return rule(expr).to_sql(dialect, PLAIN, TODAY, **kw).clauses[0]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expr", "sqlite", "postgresql"),
    [
        ("degree_level >= 4", "degree_level >= 4", "degree_level >= 4"),
        ("papers != 4", "papers <> 4", "papers <> 4"),
        ("papers > -1", "papers > (-1)", "papers > (-1)"),
        ("papers - -1 > 0", "papers - (-1) > 0", "papers::bigint - (-1) > 0"),
        ("papers * 2 > 3", "papers * 2 > 3", "papers::bigint * 2 > 3"),
        ("(papers + 1) * 2 > 3", "(papers + 1) * 2 > 3", "(papers::bigint + 1) * 2 > 3"),
        (
            "papers - (1 - degree_level) > 0",
            "papers - (1 - degree_level) > 0",
            "papers::bigint - (1::bigint - degree_level) > 0",
        ),
        ("salary * 0.5 >= 2.5", "salary * 0.5 >= 2.5", "salary * 0.5::float8 >= 2.5::float8"),
        ("salary > -2.5", "salary > (-2.5)", "salary > (-2.5::float8)"),
        ("papers / 2 == 1.5", "papers / 2.0 = 1.5", "papers / 2.0::float8 = 1.5::float8"),
        ("-papers < 1", "-papers < 1", "-papers < 1"),
        ("-(papers + 1) < 1", "-(papers + 1) < 1", "-(papers::bigint + 1) < 1"),
        ("!(papers > 1)", "NOT papers > 1", "NOT papers > 1"),
        ("!has_patent", "NOT has_patent", "NOT has_patent"),
        (
            "(has_patent || full_time) && papers > 1",
            "(has_patent OR full_time) AND papers > 1",
            "(has_patent OR full_time) AND papers > 1",
        ),
        (
            "has_patent || full_time && papers > 1",
            "has_patent OR full_time AND papers > 1",
            "has_patent OR full_time AND papers > 1",
        ),
        ("!(has_patent && full_time)", "NOT (has_patent AND full_time)", "NOT (has_patent AND full_time)"),
        ("(papers > 1) == has_patent", "(papers > 1) = has_patent", "(papers > 1) = has_patent"),
        ("has_patent == true", "has_patent = TRUE", "has_patent = TRUE"),
        ("papers == null", "papers IS NULL", "papers IS NULL"),
        ("null != papers", "papers IS NOT NULL", "papers IS NOT NULL"),
        ("(papers > 1) == null", "(papers > 1) IS NULL", "(papers > 1) IS NULL"),
        ('tier in ["A", "B"]', "tier IN ('A', 'B')", "tier IN ('A', 'B')"),
        ("papers in [1, 2.5]", "papers IN (1, 2.5)", "papers IN (1, 2.5::float8)"),
        (
            'birth_date in [date("2000-01-01")]',
            "birth_date IN ('2000-01-01')",
            "birth_date IN (DATE '2000-01-01')",
        ),
        (
            'industry_code.startsWith("C39")',
            "substr(industry_code, 1, 3) = 'C39'",
            "starts_with(industry_code, 'C39')",
        ),
        (
            'birth_date > date("1981-01-01") && arrival_date <= today',
            "birth_date > '1981-01-01' AND arrival_date <= '2026-11-22'",
            "birth_date > DATE '1981-01-01' AND arrival_date <= DATE '2026-11-22'",
        ),
        (
            "has_patent ? papers > 1 : salary < 2",
            "CASE WHEN has_patent THEN papers > 1 ELSE salary < 2 END",
            "CASE WHEN has_patent THEN papers > 1 ELSE salary < 2 END",
        ),
        (
            '{"A": 1, "B": 2}[tier] == 1',
            "CASE tier WHEN 'A' THEN 1 WHEN 'B' THEN 2 END = 1",
            "CASE tier WHEN 'A' THEN 1 WHEN 'B' THEN 2 END = 1",
        ),
        (
            "min(salary * 0.3, 200000) > 1",
            "min(salary * 0.3, 200000) > 1",
            "CASE WHEN salary IS NOT NULL THEN LEAST(salary * 0.3::float8, 200000) END > 1",
        ),
        (
            "max(papers, degree_level + papers) > 1",
            "max(papers, degree_level + papers) > 1",
            "CASE WHEN papers IS NOT NULL AND degree_level IS NOT NULL "
            "THEN GREATEST(papers, degree_level::bigint + papers) END > 1",
        ),
        ("max(1, 2) > 1", "max(1, 2) > 1", "GREATEST(1, 2) > 1"),
        ("true", "TRUE", "TRUE"),
    ],
)
def test_lean_sql(expr: str, sqlite: str, postgresql: str) -> None:
    assert sql(expr, "sqlite") == sqlite
    assert sql(expr, "postgresql") == postgresql


def test_string_literals_are_escaped() -> None:
    expr = 'name == "it\'s 100% a\\\\b"'
    assert sql(expr, "sqlite") == "name = 'it''s 100% a\\b'"
    assert sql(expr, "postgresql") == "name = E'it''s 100% a\\\\b'"
    assert sql(expr, "sqlite", percent_escape=True) == "name = 'it''s 100%% a\\b'"
    assert sql(expr, "postgresql", percent_escape=True) == "name = E'it''s 100%% a\\\\b'"
    assert sql('name == "\'); DROP TABLE t; --"', "postgresql") == "name = '''); DROP TABLE t; --'"


def test_eligible_joins_clauses_with_and() -> None:
    compiled = compile_rule(
        Rule(
            clauses=(
                Clause("第一条", "a", "papers > 1 || has_patent"),
                Clause("第二条", "b", "degree_level >= 4"),
                Clause("第三条", "c", "!full_time"),
            ),
            outcome='{"A": 500000, "B": 300000}[tier]',
            outcome_article="第四条",
        ),
        CATALOGUE,
    )
    out = compiled.to_sql("postgresql", {n: f"t.{n}" for n in compiled.fields}, TODAY)
    assert out.clauses == ["t.papers > 1 OR t.has_patent", "t.degree_level >= 4", "NOT t.full_time"]
    assert out.eligible == "(t.papers > 1 OR t.has_patent) AND t.degree_level >= 4 AND NOT t.full_time"
    assert out.outcome == "CASE t.tier WHEN 'A' THEN 500000 WHEN 'B' THEN 300000 END"
    single = rule("papers > 1 || has_patent").to_sql("sqlite", PLAIN, TODAY)
    assert single.eligible == "papers > 1 OR has_patent"
    assert single.outcome is None


def test_columns_are_caller_expressions() -> None:
    compiled = rule("papers > 1 && salary > 2")
    out = compiled.to_sql("sqlite", {"papers": '"t"."papers"', "salary": "coalesce(s.a, s.b)"}, TODAY)
    assert out.eligible == '"t"."papers" > 1 AND (coalesce(s.a, s.b)) > 2'
    with pytest.raises(KeyError, match="salary"):
        compiled.to_sql("sqlite", {"papers": "papers"}, TODAY)
    with pytest.raises(ValueError, match="dialect"):
        compiled.to_sql("mysql", PLAIN, TODAY)  # type: ignore[arg-type]


def test_string_outcome() -> None:
    compiled = rule(
        "true", outcome='papers >= 10 ? "A" : (papers >= 5 ? "B" : null)', outcome_type=Type.STRING
    )
    out = compiled.to_sql("sqlite", PLAIN, TODAY)
    assert (
        out.outcome == "CASE WHEN papers >= 10 THEN 'A' ELSE CASE WHEN papers >= 5 THEN 'B' ELSE NULL END END"
    )


# -- SQLite gives Python's answers ------------------------------------------------------------------


@pytest.fixture
def db() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    conn.execute(create_table_sql(CATALOGUE, "t", "sqlite"))
    yield conn
    conn.close()


RECORDS: list[dict[str, Any]] = [
    {},
    {
        "degree_level": 4,
        "years_in_park": 0,
        "papers": 2,
        "salary": 320000.5,
        "score": -1.5,
        "has_patent": True,
        "full_time": False,
        "tier": "A",
        "degree": "博士",
        "industry_code": "C3911",
        "name": "it's 100% a\\b",
        "birth_date": dt.date(1981, 1, 1),
        "arrival_date": TODAY,
    },
    {
        "papers": 0,
        "salary": 0.0,
        "has_patent": False,
        "full_time": None,
        "industry_code": "c39",
        "name": "张三",
    },
    {
        "papers": -3,
        "salary": 3.0,
        "has_patent": None,
        "full_time": True,
        "tier": "E",
        "name": "",
        "birth_date": TODAY,
    },
]

EXPRESSIONS = [
    "has_patent && full_time",
    "has_patent || full_time",
    "!has_patent",
    "papers > 1 || salary > 1",
    "papers * 0.1 > 0.3 || papers / 3 < -0.9",
    "salary * 0.1 > 0.3",
    'industry_code.startsWith("C39")',
    'industry_code.startsWith("")',
    'name == "it\'s 100% a\\\\b"',
    'name in ["张三", ""]',
    "has_patent ? papers > 1 : salary > 1",
    "(has_patent ? null : true) == null",
    'birth_date >= date("1981-01-01")',
    "arrival_date == today",
    "min(papers, salary) < 1",
    "max(papers, 2.5) >= 2.5",
    '{"A": true, "E": false}[tier]',
    "papers == null",
    "(has_patent && full_time) != null",
    "-papers > 0",
]


@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_sqlite_agrees_with_python(db: sqlite3.Connection, expr: str) -> None:
    compiled = rule(expr, outcome="has_patent ? min(salary * 0.3, 200000) : papers * 1000")
    out = compiled.to_sql("sqlite", {n: f'"{n}"' for n in CATALOGUE.by_name}, TODAY)
    placeholders = ", ".join("?" for _ in range(len(CATALOGUE.fields) + 1))
    db.executemany(
        f"INSERT INTO t VALUES ({placeholders})",  # noqa: S608 - placeholders only
        [(i, *sql_row(CATALOGUE, r, "sqlite")) for i, r in enumerate(RECORDS)],
    )
    query = f"SELECT {out.clauses[0]}, {out.eligible}, {out.outcome} FROM t ORDER BY id"  # noqa: S608 - compiled rule
    rows = db.execute(query).fetchall()
    for record, (clause, eligible, outcome) in zip(RECORDS, rows, strict=True):
        (expected,) = compiled.clause_values(record, TODAY)
        assert (None if clause is None else bool(clause)) is expected, record
        assert bool(eligible) is compiled.eligible(record, TODAY)
        expected_outcome = compiled.outcome_value(record, TODAY)
        if expected_outcome is None or outcome is None:
            assert outcome is expected_outcome, record
        else:
            assert outcome == pytest.approx(expected_outcome, rel=1e-12), record
