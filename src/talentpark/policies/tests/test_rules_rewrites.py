"""The filtering form of a rule (``SqlRule.where``): where field rewrites apply and where not."""

from __future__ import annotations

import datetime as dt

from talentpark.policies.rules import Clause, Rule, compile_rule
from talentpark.policies.rules.testing import CATALOGUE

TODAY = dt.date(2026, 11, 22)
PLAIN = {f.name: f.name for f in CATALOGUE}
SEEN: list[tuple[str, object]] = []


def tier_rewrite(op: str, literal: object) -> str | None:
    SEEN.append((op, literal))
    if op == "in":
        assert isinstance(literal, tuple)
        return "raw_tier IN (" + ", ".join(f"'{v}'" for v in literal) + ")"
    if op == "==":
        return f"raw_tier = '{literal}'"
    return None  # e.g. "<": keep the plain comparison


def years_rewrite(op: str, literal: object) -> str | None:
    SEEN.append((op, literal))
    return f"arrival_date {op} CUT{literal}" if op in ("<=", ">=") else None


REWRITES = {"tier": tier_rewrite, "years_in_park": years_rewrite}


def where(*exprs: str) -> tuple[str, frozenset[str], str]:
    rule = compile_rule(
        Rule(clauses=tuple(Clause(f"第{i}条", "x", e) for i, e in enumerate(exprs, 1)), outcome=None),
        CATALOGUE,
    )
    sql = rule.to_sql("sqlite", PLAIN, TODAY, rewrites=REWRITES)
    return sql.where, sql.where_fields, sql.eligible


def test_rewrites_apply_under_and_and_or_and_report_the_fields_still_read() -> None:
    text, fields, eligible = where('tier in ["A", "B"] || years_in_park >= 3', "papers > 2")
    assert text == "((raw_tier IN ('A', 'B')) OR (arrival_date >= CUT3)) AND papers > 2"
    assert fields == {"papers"}  # tier and years_in_park are read through their raw columns only
    assert eligible == "(tier IN ('A', 'B') OR years_in_park >= 3) AND papers > 2"


def test_a_literal_on_the_left_is_flipped() -> None:
    SEEN.clear()
    text, _, _ = where("3 >= years_in_park")
    assert SEEN == [("<=", 3)] and text == "(arrival_date <= CUT3)"


def test_no_rewrite_under_negation_conditionals_or_arithmetic() -> None:
    for expr in ('!(tier == "A")', 'has_patent ? tier == "A" : false', "years_in_park + 1 >= 3"):
        text, _, eligible = where(expr)
        assert text == eligible, expr
        assert "raw_tier" not in text and "CUT" not in text
    assert where('!(tier == "A")')[1] == {"tier"}


def test_a_field_without_a_rewrite_or_a_declined_one_keeps_the_plain_comparison() -> None:
    text, fields, _ = where('tier != "C"', "degree_level >= 4")
    assert text == "tier <> 'C' AND degree_level >= 4"
    assert fields == {"tier", "degree_level"}


def test_null_literals_are_never_rewritten() -> None:
    SEEN.clear()
    text, _, _ = where("tier == null")
    assert SEEN == [] and "raw_tier" not in text


def test_without_rewrites_the_filter_is_the_eligibility_test() -> None:
    rule = compile_rule(
        Rule(clauses=(Clause("第一条", "x", 'tier == "A" && papers > 1'),), outcome=None), CATALOGUE
    )
    sql = rule.to_sql("postgresql", PLAIN, TODAY)
    assert sql.where == sql.eligible and sql.where_fields == {"tier", "papers"}
