"""The demo policies' rule specs: they cite the text, are dated in order, compile and compute what the text says."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from talentpark.demo.policy_rules import RULES, PolicyRuleSpec, VersionSpec, policy_rule_spec
from talentpark.demo.policy_texts import TEMPLATES, PolicyTemplate, chinese_ordinal
from talentpark.policies.catalogue import catalogue
from talentpark.policies.models import Policy, PolicyVersion
from talentpark.policies.rules import Clause, Rule, Type, compile_rule

VS, OK = PolicyVersion.Status, PolicyVersion.OutcomeKind
TODAY = dt.date(2026, 11, 1)
PAIRS = [(t, policy_rule_spec(t.title)) for t in TEMPLATES]
IDS = [t.title.removeprefix("{zone}") for t in TEMPLATES]


def versions() -> list[tuple[PolicyTemplate, PolicyRuleSpec, VersionSpec]]:
    return [(t, spec, v) for t, spec in PAIRS for v in spec.versions]


def article_names(template: PolicyTemplate) -> set[str]:
    return {f"第{chinese_ordinal(i)}条" for i in range(1, len(template.body) + 1)}


# -- citing the text ------------------------------------------------------------------------------


def test_every_template_has_exactly_one_rule_spec():
    assert set(RULES) == {t.title for t in TEMPLATES}


@pytest.mark.parametrize(("template", "spec"), PAIRS, ids=IDS)
def test_clauses_cite_articles_that_exist_in_the_text(template, spec):
    known = article_names(template)
    for v in spec.versions:
        assert v.clauses, "a rule needs at least one clause"
        for clause in v.clauses:
            assert clause.article in known, (clause.article, sorted(known))
            assert clause.text.strip() and "{" not in clause.text
            assert clause.expr.strip()
        cited = [a for a in v.outcome_article.split("、") if a]
        assert cited, "the outcome cites an article"
        assert set(cited) <= known, (v.outcome_article, sorted(known))


def test_article_numbers_read_as_the_text_writes_them():
    assert [chinese_ordinal(n) for n in (1, 7, 10, 11, 12, 20)] == ["一", "七", "十", "十一", "十二", "二十"]


# -- dates and statuses ---------------------------------------------------------------------------


@pytest.mark.parametrize(("template", "spec"), PAIRS, ids=IDS)
def test_versions_are_numbered_and_dated_in_order(template, spec):
    assert [v.number for v in spec.versions] == list(range(1, len(spec.versions) + 1))
    starts = [v.valid_from for v in spec.versions]
    assert starts == sorted(starts)
    start, end = template.effective
    for v in spec.versions:
        assert v.valid_to is None or v.valid_from <= v.valid_to
        if start:
            assert v.valid_from >= start
        if end:
            assert v.valid_to is not None and v.valid_to <= end


@pytest.mark.parametrize(("template", "spec"), PAIRS, ids=IDS)
def test_version_statuses_follow_the_policy(template, spec):
    statuses = [v.status for v in spec.versions]
    if template.status == Policy.Status.PUBLISHED:
        assert statuses.count(VS.PUBLISHED) == 1
        assert set(statuses) <= {VS.PUBLISHED, VS.DRAFT, VS.RETIRED}
        # A draft is an edit in progress of the published version: it comes after it.
        assert all(s == VS.DRAFT for s in statuses[statuses.index(VS.PUBLISHED) + 1 :])
    elif template.status == Policy.Status.DRAFT:
        assert set(statuses) == {VS.DRAFT}
    else:
        assert set(statuses) == {VS.RETIRED}


def test_the_demo_shows_an_edit_in_progress_and_a_retired_rule():
    published_with_draft = [
        t.title
        for t, spec in PAIRS
        if t.status == Policy.Status.PUBLISHED and VS.DRAFT in {v.status for v in spec.versions}
    ]
    assert published_with_draft
    assert any(v.status == VS.RETIRED for _, _, v in versions())


# -- settings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("template", "spec"), PAIRS, ids=IDS)
def test_redemption_settings_are_consistent(template, spec):
    assert spec.mode in Policy.Mode.values
    assert spec.recurrence in Policy.Recurrence.values
    assert 1 <= spec.approval_levels <= 3
    assert bool(spec.materials) == (spec.mode == Policy.Mode.APPLY)
    pays = any(v.outcome_kind == OK.AMOUNT for v in spec.versions)
    assert (spec.budget_total is not None) == pays
    if spec.budget_total is not None:
        assert spec.budget_total > 0
    for v in spec.versions:
        assert v.outcome_kind in OK.values
        assert bool(v.outcome_expr) == (v.outcome_kind != OK.NONE)
        if v.outcome_kind == OK.NONE:
            assert v.benefit, "a non-monetary benefit says what it is"
        assert len(v.benefit) <= 200 and len(v.note) <= 200 and len(v.outcome_article) <= 20
        if template.target != Policy.Target.BOTH:
            assert v.target == template.target
        if v.outcome_kind == OK.TIER:
            assert template.category == Policy.Category.CERTIFICATION


# -- expressions ----------------------------------------------------------------------------------

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_NAMES = re.compile(r"(?<![\w.])[A-Za-z_]\w*")
_WORDS = {"true", "false", "null", "in", "min", "max", "date", "today"}


@pytest.mark.parametrize(("template", "spec"), PAIRS, ids=IDS)
def test_expressions_read_only_catalogue_fields(template, spec):
    """A check that needs no engine: every name an expression reads is a catalogue field."""
    for v in spec.versions:
        fields = catalogue(v.target)
        for expr in [c.expr for c in v.clauses] + [v.outcome_expr]:
            names = set(_NAMES.findall(_STRINGS.sub('""', expr))) - _WORDS
            assert names <= {f.name for f in fields}, (expr, names - {f.name for f in fields})


def rule_of(v: VersionSpec) -> Any:
    return Rule(
        clauses=tuple(Clause(c.article, c.text, c.expr) for c in v.clauses),
        outcome=v.outcome_expr or None,
        outcome_type=Type.STRING if v.outcome_kind == OK.TIER else Type.NUMBER,
        outcome_article=v.outcome_article,
    )


@pytest.mark.parametrize(
    ("template", "spec", "version"),
    versions(),
    ids=[f"{t.title.removeprefix('{zone}')}-v{v.number}" for t, _, v in versions()],
)
def test_every_clause_and_outcome_compiles_against_the_catalogue(template, spec, version):
    compiled = compile_rule(rule_of(version), catalogue(version.target))
    assert len(compiled.clause_exprs) == len(version.clauses)
    assert (compiled.outcome_expr is None) == (version.outcome_kind == OK.NONE)


def record(kind: str, **values: Any) -> dict[str, Any]:
    """A record of ``kind`` with every catalogue field null except ``values``."""
    out: dict[str, Any] = dict.fromkeys(f.name for f in catalogue(kind))
    assert set(values) <= set(out), set(values) - set(out)
    out.update(values)
    return out


def talent(**values: Any) -> dict[str, Any]:
    base = {
        "degree": "本科",
        "degree_level": 2,
        "title": "无",
        "title_level": 0,
        "skill_level": 0,
        "programme": "无",
        "tier": None,
        "age": 27,
        "zone_entry_date": dt.date(2026, 3, 1),
        "years_in_zone": 0,
        "years_since_graduation": 1,
        "top_university": False,
        "housing": "租房",
        "has_employer": True,
        "employer_key": True,
        "children_under_18": 0,
        "has_spouse": False,
        "spouse_seeking_job": False,
    }
    return record("talent", **(base | values))


def compiled(title: str, number: int = 1) -> Any:
    v = next(v for v in RULES[title].versions if v.number == number)
    return compile_rule(rule_of(v), catalogue(v.target))


@pytest.mark.parametrize(
    ("values", "tier"),
    [
        ({"programme": "国家级", "title_level": 4}, "A"),
        ({"programme": "国家级", "title_level": 3}, "B"),
        ({"programme": "省级"}, "C"),
        ({"degree": "博士后", "degree_level": 5}, "C"),
        ({"title_level": 4}, "C"),
        ({"degree": "博士", "degree_level": 4}, "D"),
        ({"programme": "市级"}, "D"),
        ({"skill_level": 5}, "D"),
        ({"degree": "硕士", "degree_level": 3}, "E"),
        ({"title_level": 2}, "E"),
        ({"skill_level": 4}, "E"),
    ],
)
def test_certification_tiers_follow_article_three(values, tier):
    decision = compiled("{zone}高层次人才分类认定办法（试行）").evaluate(talent(**values), TODAY)
    assert decision.eligible
    assert decision.outcome == tier


def test_certification_refuses_who_meets_no_tier():
    rule = compiled("{zone}高层次人才分类认定办法（试行）")
    assert not rule.evaluate(talent(skill_level=3, title_level=1), TODAY).eligible
    assert not rule.evaluate(talent(degree="博士", degree_level=4, has_employer=False), TODAY).eligible


@pytest.mark.parametrize(
    ("values", "amount"),
    [
        ({"degree": "博士后", "degree_level": 5, "top_university": True}, 60000),  # 150000 × 40%
        ({"degree": "博士", "degree_level": 4, "years_in_zone": 1}, 30000),  # 100000 × 30%
        ({"degree": "硕士", "degree_level": 3}, 12000),
        ({"top_university": True, "years_in_zone": 2}, 4500),
        ({}, 4000),
    ],
)
def test_settling_allowance_by_degree_in_three_instalments(values, amount):
    decision = compiled("{zone}青年人才安家补贴实施细则").evaluate(talent(**values), TODAY)
    assert decision.eligible
    assert decision.outcome == pytest.approx(amount)


def test_settling_allowance_stops_after_three_years_and_before_june_2024():
    rule = compiled("{zone}青年人才安家补贴实施细则")
    assert not rule.evaluate(talent(years_in_zone=3), TODAY).eligible
    assert not rule.evaluate(talent(zone_entry_date=dt.date(2024, 5, 31)), TODAY).eligible
    assert not rule.evaluate(talent(degree="专科", degree_level=1), TODAY).eligible


def test_rent_and_living_subsidies():
    rent = compiled("{zone}青年人才租房补贴发放办法")
    assert rent.evaluate(talent(degree="博士", degree_level=4), TODAY).outcome == 1500
    assert rent.evaluate(talent(degree="专科", degree_level=1), TODAY).outcome == 400
    assert not rent.evaluate(talent(age=36), TODAY).eligible
    assert not rent.evaluate(talent(housing="人才公寓"), TODAY).eligible
    living = compiled("{zone}青年人才生活补贴实施办法")
    assert living.evaluate(talent(degree="硕士", degree_level=3), TODAY).outcome == 2000
    assert not living.evaluate(talent(years_since_graduation=4), TODAY).eligible
    draft = compiled("{zone}青年人才生活补贴实施办法", 2)
    assert draft.evaluate(talent(), TODAY).eligible
    assert not draft.evaluate(talent(zone_entry_date=dt.date(2025, 4, 30)), TODAY).eligible


def test_a_certified_talent_with_family_is_found_by_the_tier_policies():
    # Like the demo talent: tier B, 38, renting, spouse looking for work, two children.
    her = talent(
        degree="博士",
        degree_level=4,
        tier="B",
        age=38,
        has_spouse=True,
        spouse_seeking_job=True,
        children_under_18=2,
    )
    for title in (
        "{zone}人才公寓配租管理办法",
        "{zone}高层次人才配偶就业安置办法",
        "{zone}人才子女入学保障实施办法",
        "{zone}高层次人才医疗保健服务办法",
    ):
        assert compiled(title).evaluate(her, TODAY).eligible, title
    assert compiled("{zone}高层次人才配偶就业安置办法").evaluate(her, TODAY).outcome == 3000
    assert not compiled("{zone}青年人才租房补贴发放办法").evaluate(her, TODAY).eligible
    uncertified = talent(tier=None, has_spouse=True, spouse_seeking_job=True, children_under_18=1, age=40)
    for title in (
        "{zone}高层次人才配偶就业安置办法",
        "{zone}人才子女入学保障实施办法",
        "{zone}人才公寓配租管理办法",
    ):
        decision = compiled(title).evaluate(uncertified, TODAY)
        assert decision.eligible is False
        assert all(c.passed is not None for c in decision.clauses), "not certified is a no, not a 'missing'"


@pytest.mark.parametrize(
    ("values", "amount"),
    [
        ({"new_academician_stations": 1}, 1_000_000),
        ({"new_postdoc_stations": 1}, 300_000),
        ({"new_academician_stations": 1, "new_postdoc_stations": 1}, 1_300_000),
        ({"new_academician_stations": 2, "new_postdoc_stations": 1}, 1_500_000),
    ],
)
def test_platform_reward(values, amount):
    rule = compiled("{zone}创新平台建设奖励办法")
    base = {"new_academician_stations": 0, "new_postdoc_stations": 0}
    decision = rule.evaluate(record("enterprise", **(base | values)), TODAY)
    assert decision.eligible
    assert decision.outcome == amount
    assert not rule.evaluate(record("enterprise", **base), TODAY).eligible


@pytest.mark.parametrize(("investment", "amount"), [(800.0, 1_600_000), (2000.0, 3_000_000)])
def test_challenge_support_is_a_fifth_of_the_investment_in_wan_yuan(investment, amount):
    rule = compiled("{zone}关键核心技术攻关“揭榜挂帅”项目管理办法")
    decision = rule.evaluate(
        record("enterprise", is_key=True, challenge_projects=1, challenge_investment=investment), TODAY
    )
    assert decision.eligible
    assert decision.outcome == pytest.approx(amount)
    assert not rule.evaluate(
        record("enterprise", is_key=False, challenge_projects=1, challenge_investment=investment), TODAY
    ).eligible


def test_draft_skills_policy_pays_by_skill_level():
    rule = compiled("{zone}技能人才提升若干措施（征求意见稿）")
    assert [rule.evaluate(talent(skill_level=n), TODAY).outcome for n in (3, 4, 5)] == [1000, 3000, 5000]
    assert not rule.evaluate(talent(skill_level=2), TODAY).eligible
