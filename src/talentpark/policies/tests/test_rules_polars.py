"""The Polars engine: frame schema, Polars' own null semantics, and results equal to Python's."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from talentpark.policies.rules import Clause, CompiledRule, Rule, Type, compile_rule, frame_schema
from talentpark.policies.rules.testing import CATALOGUE
from talentpark.policies.tests.test_rules_sql import EXPRESSIONS, RECORDS

TODAY = dt.date(2026, 11, 22)


def rule(*exprs: str, outcome: str | None = None, outcome_type: Type = Type.NUMBER) -> CompiledRule:
    return compile_rule(
        Rule(
            clauses=tuple(Clause(f"第{i + 1}条", "x", e) for i, e in enumerate(exprs)),
            outcome=outcome,
            outcome_type=outcome_type,
            outcome_article="第九条",
        ),
        CATALOGUE,
    )


def frame(records: list[dict[str, object]]) -> pl.DataFrame:
    schema = frame_schema(CATALOGUE)
    return pl.DataFrame([{name: r.get(name) for name in schema} for r in records], schema=schema)


def test_frame_schema() -> None:
    assert frame_schema(CATALOGUE, ["papers", "salary", "has_patent", "tier", "birth_date"]) == {
        "papers": pl.Int64(),
        "salary": pl.Float64(),
        "has_patent": pl.Boolean(),
        "tier": pl.String(),
        "birth_date": pl.Date(),
    }
    assert list(frame_schema(CATALOGUE)) == [f.name for f in CATALOGUE]
    compiled = rule("salary > 1 && papers > 1", outcome='{"A": 1}[tier]')
    assert compiled.frame_schema() == {"papers": pl.Int64(), "salary": pl.Float64(), "tier": pl.String()}


def test_polars_semantics_the_engine_relies_on() -> None:
    """Checked, not assumed: Kleene &/|, when(null) -> otherwise, null-propagating comparisons and is_in."""
    t, f, n = True, False, None
    df = pl.DataFrame(
        {"a": [t, t, t, f, f, f, n, n, n], "b": [t, f, n] * 3}, schema={"a": pl.Boolean, "b": pl.Boolean}
    )
    out = df.select(
        a_and_b=pl.col("a") & pl.col("b"),
        a_or_b=pl.col("a") | pl.col("b"),
        not_a=~pl.col("a"),
        pick=pl.when(pl.col("a")).then(pl.lit(1)).otherwise(pl.lit(2)),
    )
    assert out["a_and_b"].to_list() == [t, f, n, f, f, f, n, f, n]
    assert out["a_or_b"].to_list() == [t, t, t, t, f, n, t, n, n]
    assert out["not_a"].to_list() == [f, f, f, t, t, t, n, n, n]
    assert out["pick"].to_list() == [1, 1, 1, 2, 2, 2, 2, 2, 2]
    nums = pl.DataFrame({"x": [1, None]}, schema={"x": pl.Int64})
    out = nums.select(
        eq=pl.col("x") == pl.lit(1),
        isin=pl.col("x").is_in(pl.Series([1, 2], dtype=pl.Int64).implode()),
        horizontal=pl.min_horizontal(pl.col("x"), pl.lit(5)),
    )
    assert out["eq"].to_list() == [True, None]
    assert out["isin"].to_list() == [True, None]
    assert out["horizontal"].to_list() == [1, 5]  # ignores nulls: why min/max are not compiled to it


@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_polars_agrees_with_python(expr: str) -> None:
    compiled = rule(expr, outcome="has_patent ? min(salary * 0.3, 200000) : papers * 1000")
    out = compiled.to_polars(TODAY)
    assert out.outcome is not None
    result = frame(RECORDS).with_columns(c=out.clauses[0], e=out.eligible, o=out.outcome)
    for record, clause, eligible, outcome in zip(
        RECORDS, result["c"].to_list(), result["e"].to_list(), result["o"].to_list(), strict=True
    ):
        (expected,) = compiled.clause_values(record, TODAY)
        assert clause is expected, record
        assert (eligible is True) is compiled.eligible(record, TODAY)
        expected_outcome = compiled.outcome_value(record, TODAY)
        if expected_outcome is None or outcome is None:
            assert outcome is expected_outcome
        else:
            assert outcome == pytest.approx(expected_outcome, rel=1e-12)


def test_eligible_is_kleene_conjunction_and_filters() -> None:
    compiled = rule("papers > 1", "has_patent", outcome='{"A": 500000, "B": 300000}[tier]')
    df = frame(
        [
            {"papers": 2, "has_patent": True, "tier": "A"},
            {"papers": 2, "has_patent": None, "tier": "B"},
            {"papers": 0, "has_patent": None, "tier": "B"},
            {"papers": 5, "has_patent": True, "tier": "C"},
        ]
    )
    out = compiled.to_polars(TODAY)
    assert out.outcome is not None
    assert df.select(out.eligible)["papers"].to_list() == [True, None, False, True]
    paid = df.filter(out.eligible).with_columns(amount=out.outcome)
    assert paid["amount"].to_list() == [500000, None]
    assert paid.schema["amount"] == pl.Int64()


def test_constant_expressions_broadcast() -> None:
    compiled = rule("true", "1 < 2", outcome='"A"', outcome_type=Type.STRING)
    out = compiled.to_polars(TODAY)
    assert out.outcome is not None
    result = frame([{}, {}, {}]).with_columns(e=out.eligible, o=out.outcome)
    assert result["e"].to_list() == [True] * 3
    assert result["o"].to_list() == ["A"] * 3


def test_dtypes_of_outcomes() -> None:
    df = frame([{"papers": 3, "salary": 10.0, "has_patent": True}])
    for expr, dtype in [
        ("papers * 2", pl.Int64()),
        ("papers / 2", pl.Float64()),
        ("has_patent ? papers : salary", pl.Float64()),
        ("min(papers, 2)", pl.Int64()),
        ("has_patent ? null : 1", pl.Int64()),
    ]:
        out = rule("true", outcome=expr).to_polars(TODAY)
        assert out.outcome is not None
        assert df.select(o=out.outcome).schema["o"] == dtype, expr


def test_constant_compared_with_ternary_when_no_row_takes_the_branch() -> None:
    """Polars 2.1 returns a length-1 column for ``lit < when(c).then(col).otherwise(lit)`` when ``c`` is
    never true (found by the agreement test); the engine puts the constant on the right instead."""
    compiled = rule(
        "today < (has_patent ? birth_date : null)",
        '"a" == (has_patent ? name : "b")',
        "min(3, has_patent ? papers : 5) == 3",
    )
    out = compiled.to_polars(TODAY)
    df = frame([{"has_patent": None, "papers": 1}, {"has_patent": False, "name": "a"}])
    result = df.with_columns(c0=out.clauses[0], c1=out.clauses[1], c2=out.clauses[2])
    assert result["c0"].to_list() == [None, None]
    assert result["c1"].to_list() == [False, False]
    assert result["c2"].to_list() == [True, True]
