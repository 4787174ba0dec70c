"""The rules engine's Python evaluator: operators, null semantics, outcome and explanations."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time

import pytest

from talentpark.policies.rules import Clause, CompiledRule, Rule, Type, compile_rule
from talentpark.policies.rules.testing import CATALOGUE

TODAY = dt.date(2026, 11, 22)
T, F, N = True, False, None


def clause(expr: str) -> CompiledRule:
    return compile_rule(Rule(clauses=(Clause("第一条", "测试", expr),)), CATALOGUE)


def value(expr: str, **record: object) -> bool | None:
    """The clause's three-valued result; also checks evaluate() and eligible() agree with it."""
    rule = clause(expr)
    (v,) = rule.clause_values(record, TODAY)
    decision = rule.evaluate(record, TODAY)
    assert decision.clauses[0].passed is v
    assert decision.eligible is (v is True) is rule.eligible(record, TODAY)
    return v


def outcome(expr: str, outcome_type: Type = Type.NUMBER, **record: object) -> object:
    rule = compile_rule(
        Rule(
            clauses=(Clause("第一条", "总是", "true"),),
            outcome=expr,
            outcome_type=outcome_type,
            outcome_article="第九条",
        ),
        CATALOGUE,
    )
    v = rule.outcome_value(record, TODAY)
    assert rule.evaluate(record, TODAY).outcome == v
    return v


@pytest.mark.parametrize(
    ("expr", "record", "expected"),
    [
        ("degree_level >= 4", {"degree_level": 4}, T),
        ("degree_level > 4", {"degree_level": 4}, F),
        ("degree_level < 4", {"degree_level": 3}, T),
        ("degree_level <= 3", {"degree_level": 4}, F),
        ("degree_level == 4", {"degree_level": 4}, T),
        ("degree_level != 4", {"degree_level": 4}, F),
        ("salary > 2", {"salary": 2.5}, T),
        ("papers == 2.0", {"papers": 2}, T),
        ("papers < 2.5", {"papers": 2}, T),
        ("papers + 1 == 3", {"papers": 2}, T),
        ("papers - 1 == 1", {"papers": 2}, T),
        ("papers * 3 == 6", {"papers": 2}, T),
        ("papers / 4 == 0.5", {"papers": 2}, T),
        ("papers / 2 == 1", {"papers": 2}, T),
        ("salary / 12 >= 10000", {"salary": 120000.0}, T),
        ("-papers == -2", {"papers": 2}, T),
        ("- papers < 0", {"papers": 2}, T),
        ("papers - -1 == 3", {"papers": 2}, T),
        ("(papers + 1) * 2 == 6", {"papers": 2}, T),
        ("papers + 1 * 2 == 4", {"papers": 2}, T),
        ("salary * 0.1 > 0.3", {"salary": 3.0}, T),  # float arithmetic, as in every engine
        ('name == "张三"', {"name": "张三"}, T),
        ('name != "张三"', {"name": "张三"}, F),
        ('tier in ["A", "B"]', {"tier": "B"}, T),
        ('tier in ["A", "B"]', {"tier": "C"}, F),
        ("papers in [1, 2.5]", {"papers": 1}, T),
        ("salary in [1, 2]", {"salary": 2.0}, T),
        ('industry_code.startsWith("C39")', {"industry_code": "C3911"}, T),
        ('industry_code.startsWith("C39")', {"industry_code": "c3911"}, F),
        ('industry_code.startsWith("")', {"industry_code": "x"}, T),
        ("has_patent", {"has_patent": True}, T),
        ("!has_patent", {"has_patent": True}, F),
        ("has_patent == true", {"has_patent": True}, T),
        ("has_patent != full_time", {"has_patent": True, "full_time": False}, T),
        ('birth_date >= date("1981-01-01")', {"birth_date": dt.date(1981, 1, 1)}, T),
        ('birth_date < date("1981-01-01")', {"birth_date": dt.date(1981, 1, 1)}, F),
        ("arrival_date <= today", {"arrival_date": TODAY}, T),
        ("arrival_date > today", {"arrival_date": TODAY}, F),
        ("birth_date == arrival_date", {"birth_date": TODAY, "arrival_date": TODAY}, T),
        ('today == date("2026-11-22")', {}, T),
        ("has_patent ? papers > 1 : papers > 5", {"has_patent": True, "papers": 2}, T),
        ("has_patent ? papers > 1 : papers > 5", {"has_patent": False, "papers": 2}, F),
        ("min(papers, 3) == 2", {"papers": 2}, T),
        ("max(papers, 3) == 3", {"papers": 2}, T),
        ("min(papers, 2.5) == 2", {"papers": 2}, T),
        ('{"A": 3, "B": 2}[tier] == 2', {"tier": "B"}, T),
        ("{4: true, 3: false}[degree_level]", {"degree_level": 4}, T),
        ("true", {}, T),
        ("1 < 2 && 2.5 > 2", {}, T),
        ("0x10 == 16", {}, T),
        ('"a\\"b" == name', {"name": 'a"b'}, T),
        ("r'a\\b' == name", {"name": "a\\b"}, T),
        ("name == '\\u4e2d'", {"name": "中"}, T),
        ("degree_level >= 4 // 博士\n && papers >= 1", {"degree_level": 4, "papers": 1}, T),
    ],
)
def test_operators(expr: str, record: dict[str, object], expected: bool | None) -> None:
    assert value(expr, **record) is expected


KLEENE = [(a, b) for a in (T, F, N) for b in (T, F, N)]


def _kleene_and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _kleene_or(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


@pytest.mark.parametrize(("a", "b"), KLEENE)
def test_kleene_logic(a: bool | None, b: bool | None) -> None:
    record = {"has_patent": a, "full_time": b}
    assert value("has_patent && full_time", **record) is _kleene_and(a, b)
    assert value("has_patent || full_time", **record) is _kleene_or(a, b)
    assert value("!has_patent", **record) is (None if a is None else not a)


@pytest.mark.parametrize(
    "expr",
    [
        "papers > 1",
        "papers == 1",
        "papers != 1",
        "papers + 1 > 0",
        "-papers < 0",
        "papers / 2 > 0",
        "papers in [1, 2]",
        "min(papers, 1) == 1",
        "max(papers, 1) == 1",
        "{1: true}[papers]",
        "papers > salary",
        "!(papers > 1)",
    ],
)
def test_null_operand_gives_null(expr: str) -> None:
    assert value(expr, papers=None, salary=1.0) is None


def test_null_string_and_date_operands() -> None:
    assert value('name.startsWith("a")', name=None) is None
    assert value('name == "a"', name=None) is None
    assert value("birth_date < today", birth_date=None) is None
    assert value('tier in ["A"]', tier=None) is None


def test_missing_key_is_null() -> None:
    assert value("papers > 1") is None


@pytest.mark.parametrize(
    ("expr", "record", "expected"),
    [
        ("papers == null", {"papers": None}, T),
        ("papers == null", {"papers": 0}, F),
        ("null == papers", {"papers": None}, T),
        ("papers != null", {"papers": None}, F),
        ("papers != null", {"papers": 0}, T),
        ("(papers + 1) == null", {"papers": None}, T),
        ("(has_patent && full_time) != null", {"has_patent": False, "full_time": None}, T),
        ("(has_patent && full_time) != null", {"has_patent": True, "full_time": None}, F),
    ],
)
def test_null_tests_are_never_null(expr: str, record: dict[str, object], expected: bool) -> None:
    assert value(expr, **record) is expected


def test_ternary_with_null_condition_takes_else_branch() -> None:
    assert value("has_patent ? false : true", has_patent=None) is True
    assert value("has_patent ? false : papers > 1", has_patent=None, papers=None) is None
    assert outcome("has_patent ? 1 : 2", has_patent=None) == 2
    assert outcome("has_patent ? null : 2", has_patent=True) is None


def test_outcome_arithmetic_and_types() -> None:
    assert outcome("papers * 1000", papers=3) == 3000
    assert isinstance(outcome("papers * 1000", papers=3), int)
    assert outcome("salary * 0.5", salary=100.0) == 50.0
    assert outcome("papers / 2", papers=3) == 1.5
    assert outcome("min(salary * 0.3, 200000)", salary=1_000_000.0) == 200000.0
    assert isinstance(outcome("min(salary * 0.3, 200000)", salary=1_000_000.0), float)
    assert outcome("max(papers, 2)", papers=1) == 2
    assert outcome("min(salary, 1)", salary=None) is None
    assert outcome("has_patent ? 1 : 2.5", has_patent=True) == 1.0
    assert isinstance(outcome("has_patent ? 1 : 2.5", has_patent=True), float)


def test_map_lookup() -> None:
    expr = '{"A": 500000, "B": 300000, "C": null}[tier]'
    assert outcome(expr, tier="A") == 500000
    assert outcome(expr, tier="B") == 300000
    assert outcome(expr, tier="C") is None
    assert outcome(expr, tier="D") is None  # missing key
    assert outcome(expr, tier=None) is None
    assert outcome('{"A": 1, "B": 2.5}[tier]', tier="A") == 1.0
    assert outcome('{"A": papers * 2, "B": 0}[tier]', tier="A", papers=4) == 8
    assert outcome("{4: 100, 3: 50}[degree_level]", degree_level=3) == 50
    assert outcome('papers >= 3 ? "A" : "B"', Type.STRING, papers=3) == "A"
    assert outcome('{"博士": "A", "硕士": "B"}[degree]', Type.STRING, degree="硕士") == "B"


RULE = Rule(
    clauses=(
        Clause("第三条", "具有博士研究生学历", "degree_level >= 4"),
        Clause("第五条", "入区满1年", "years_in_park >= 1"),
        Clause("第六条", "1981年1月1日以后出生", 'birth_date > date("1981-01-01")'),
        Clause("第八条", "全职在园区工作", "full_time"),
    ),
    outcome='{"A": 500000, "B": 300000}[tier]',
    outcome_article="第七条",
)


def test_explanation_cites_articles() -> None:
    rule = compile_rule(RULE, CATALOGUE)
    d = rule.evaluate({"degree_level": 4, "years_in_park": 0, "tier": "A", "full_time": True}, TODAY)
    assert not d.eligible
    assert d.outcome is None
    assert d.explanation == (
        "符合第三条：具有博士研究生学历；不符合第五条：入区满1年（入区年限：0年）；"
        "无法判断第六条：1981年1月1日以后出生（缺少：出生日期）；符合第八条：全职在园区工作"
    )
    assert [c.passed for c in d.clauses] == [True, False, None, True]
    assert d.failed_articles == ["第五条", "第六条"]
    assert d.first_failure is d.clauses[1]
    assert d.missing_fields == ["birth_date"]
    assert d.clauses[1].values == {"years_in_park": 0}
    assert d.clauses[2].missing == ("birth_date",)


def test_eligible_decision_states_the_outcome() -> None:
    rule = compile_rule(RULE, CATALOGUE)
    record = {
        "degree_level": 4,
        "years_in_park": 2,
        "tier": "B",
        "birth_date": dt.date(1990, 5, 1),
        "full_time": True,
    }
    d = rule.evaluate(record, TODAY)
    assert d.eligible and rule.eligible(record, TODAY)
    assert d.outcome == 300000
    assert d.explanation.endswith("；按第七条，金额为300000元")
    d = rule.evaluate({**record, "tier": "E"}, TODAY)
    assert d.eligible and d.outcome is None
    assert d.explanation.endswith("；按第七条，无法确定金额")
    d = rule.evaluate({**record, "tier": None}, TODAY)
    assert d.explanation.endswith("；按第七条，无法确定金额（缺少：人才层次）")


def test_tier_outcome_sentence() -> None:
    rule = compile_rule(
        Rule(
            clauses=(Clause("第二条", "具有博士学历", 'degree == "博士"'),),
            outcome='papers >= 10 ? "A" : "B"',
            outcome_type=Type.STRING,
            outcome_article="第四条",
        ),
        CATALOGUE,
    )
    d = rule.evaluate({"degree": "博士", "papers": 12}, TODAY)
    assert d.outcome == "A"
    assert d.explanation == "符合第二条：具有博士学历；按第四条，层次为A"


def test_failed_clause_shows_every_value_read() -> None:
    rule = compile_rule(
        Rule(clauses=(Clause("第四条", "年薪不低于50万元或拥有发明专利", "salary >= 500000 || has_patent"),)),
        CATALOGUE,
    )
    d = rule.evaluate({"salary": 320000.5, "has_patent": False}, TODAY)
    assert (
        d.explanation == "不符合第四条：年薪不低于50万元或拥有发明专利（年薪：320000.5元，拥有发明专利：否）"
    )


def test_to_json_and_tree() -> None:
    rule = compile_rule(RULE, CATALOGUE)
    record = {
        "degree_level": 4,
        "years_in_park": 2,
        "tier": "A",
        "birth_date": dt.date(1990, 5, 1),
        "full_time": True,
    }
    data = rule.evaluate(record, TODAY).to_json()
    json.dumps(data, ensure_ascii=False)
    assert data["eligible"] is True
    assert data["outcome"] == 500000
    assert data["clauses"][2]["values"] == {"birth_date": "1990-05-01"}
    assert data["clauses"][2]["tree"] == {
        "expr": 'birth_date > date("1981-01-01")',
        "value": True,
        "children": [
            {"expr": "birth_date", "value": "1990-05-01", "children": []},
            {"expr": 'date("1981-01-01")', "value": "1981-01-01", "children": []},
        ],
    }
    assert data["outcome_values"] == {"tier": "A"}


def test_tree_of_nested_expression() -> None:
    rule = clause("(papers + 1) * 2 >= 6 && has_patent")
    tree = rule.evaluate({"papers": 2, "has_patent": None}, TODAY).clauses[0].tree
    assert tree["value"] is None
    left = tree["children"][0]
    assert left["expr"] == "(papers + 1) * 2 >= 6"
    assert left["value"] is True
    assert left["children"][0]["expr"] == "(papers + 1) * 2"
    assert left["children"][0]["value"] == 6
    assert left["children"][0]["children"][0]["expr"] == "papers + 1"


def test_rule_from_a_list_stays_hashable() -> None:
    rule = Rule(clauses=[Clause("第一条", "x", "papers > 1")])  # type: ignore[arg-type]
    assert isinstance(rule.clauses, tuple)
    assert hash(rule) == hash(Rule(clauses=(Clause("第一条", "x", "papers > 1"),)))


def test_fields_lists_every_field_read() -> None:
    rule = compile_rule(RULE, CATALOGUE)
    assert rule.fields == {"degree_level", "years_in_park", "birth_date", "full_time", "tier"}


def test_eligible_is_fast() -> None:
    rule = compile_rule(
        Rule(
            clauses=(
                Clause("第一条", "a", "degree_level >= 3"),
                Clause("第二条", "b", "years_in_park >= 1"),
                Clause("第三条", "c", 'birth_date > date("1981-01-01")'),
                Clause("第四条", "d", 'tier in ["A", "B", "C"] || has_patent'),
                Clause("第五条", "e", "salary * 0.3 >= 100000 && full_time"),
            ),
            outcome="min(salary * 0.3, 200000)",
            outcome_article="第六条",
        ),
        CATALOGUE,
    )
    record = {
        "degree_level": 4,
        "years_in_park": 2,
        "birth_date": dt.date(1985, 1, 1),
        "tier": "D",
        "has_patent": True,
        "salary": 400000.0,
        "full_time": True,
    }
    assert rule.eligible(record, TODAY)
    n = 20_000
    start = time.perf_counter()
    for _ in range(n):
        rule.eligible(record, TODAY)
    per_record = (time.perf_counter() - start) / n
    # A few µs on a developer machine; the bound is loose so a busy CI runner does not flake.
    assert per_record < 50e-6, per_record


def test_package_does_not_import_django() -> None:
    code = (
        "import datetime, sys\n"
        "import talentpark.policies.rules as r\n"
        "from talentpark.policies.rules.testing import CATALOGUE\n"
        "rule = r.compile_rule(r.Rule(clauses=(r.Clause('第一条', 'x', 'papers > 1'),)), CATALOGUE)\n"
        "rule.evaluate({'papers': 2}, datetime.date(2026, 1, 1))\n"
        "rule.to_sql('postgresql', {'papers': 'papers'}, datetime.date(2026, 1, 1))\n"
        "rule.to_polars(datetime.date(2026, 1, 1))\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), "
        "[m for m in sys.modules if m.startswith('django')]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603
