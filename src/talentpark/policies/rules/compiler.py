"""Rules, their compilation (parse + type-check) and the compiled form that runs in three engines."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .decision import ClauseResult, Decision, clause_sentence, json_value, outcome_sentence
from .errors import Attribute, Part, RuleError, RuleProblem
from .nodes import Node, field_names
from .parse import Issue, describe_type, line_column, parse_expression
from .pyeval import Fn, compile_node
from .schema import Catalogue, Type

if TYPE_CHECKING:
    import polars as pl

    from .frames import PolarsRule
    from .sql import Rewrite, SqlRule


@dataclass(frozen=True)
class Clause:
    """One requirement of a policy: ``expr`` (CEL, boolean) implements ``text`` from ``article``."""

    article: str  # "第三条"
    text: str  # "具有博士研究生学历"
    expr: str  # 'degree_level >= 4'


@dataclass(frozen=True)
class Rule:
    """Every clause must hold; ``outcome`` (CEL) then gives the amount (NUMBER, yuan) or the tier (STRING).

    A blank ``outcome`` means the rule has none.
    """

    clauses: tuple[Clause, ...]
    outcome: str | None = None
    outcome_type: Type = Type.NUMBER
    outcome_article: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.clauses, tuple):  # a list from a form or JSON: keep the rule hashable
            object.__setattr__(self, "clauses", tuple(self.clauses))


@dataclass(frozen=True)
class CheckedExpression:
    """One expression after parsing: its source and typed AST."""

    source: str
    node: Node


def _outcome_label(outcome_type: Type) -> str:
    return "层次公式" if outcome_type is Type.STRING else "金额公式"


def _clause_label(index: int, article: str) -> str:
    return f"条款 {index + 1}（{article.strip()}）" if article.strip() else f"条款 {index + 1}"


def _locate(
    src: str,
    issue: Issue,
    prefix: str,
    part: Part,
    clause_index: int | None,
) -> RuleProblem:
    if issue.offset is None:
        return RuleProblem(
            message=f"{prefix}：{issue.message}" if prefix else issue.message,
            part=part,
            clause_index=clause_index,
            field=issue.field,
        )
    line, column = line_column(src, issue.offset)
    sep = " " if prefix and not prefix.endswith("）") else ""
    return RuleProblem(
        message=f"{prefix}{sep}第{line}行第{column}列：{issue.message}",
        part=part,
        clause_index=clause_index,
        line=line,
        column=column,
        field=issue.field,
    )


def _root_issue(node: Node, expected: Type) -> Issue | None:
    got = node.type
    if expected is Type.BOOL:
        if got is not Type.BOOL:
            return Issue(None, f"条件结果必须是“是/否”，此处得到{describe_type(got)}")
        return None
    if expected.numeric:
        if got is None or not got.numeric:
            return Issue(None, f"结果必须是数值（金额），此处得到{describe_type(got)}")
        return None
    if got is not expected:
        return Issue(None, f"结果必须是{expected.label}，此处得到{describe_type(got)}")
    return None


def _check(src: str, catalogue: Catalogue, expected: Type) -> tuple[Node | None, list[Issue]]:
    if not src.strip():
        return None, [Issue(None, "条件表达式不能为空" if expected is Type.BOOL else "公式不能为空")]
    node, issues = parse_expression(src, catalogue)
    if node is not None and not issues:
        root = _root_issue(node, expected)
        if root is not None:
            issues.append(root)
    return (node if not issues else None), issues


def check_expression(expr: str, catalogue: Catalogue, expected: Type) -> list[RuleProblem]:
    """Every problem of one expression, for live editing (messages start with the position)."""
    _node, issues = _check(expr, catalogue, expected)
    part: Part = "clause" if expected is Type.BOOL else "outcome"
    return [_locate(expr, i, "", part, None) for i in issues]


def compile_rule(rule: Rule, catalogue: Catalogue) -> CompiledRule:
    """Parse and type-check every expression of ``rule``; raises :class:`RuleError` listing all problems."""
    problems: list[RuleProblem] = []

    def problem(message: str, part: Part, index: int | None, attribute: Attribute) -> None:
        problems.append(RuleProblem(message=message, part=part, clause_index=index, attribute=attribute))

    if not rule.clauses:
        problem("规则至少需要一个条款", "rule", None, "expr")
    nodes: list[Node] = []
    for i, clause in enumerate(rule.clauses):
        label = _clause_label(i, clause.article)
        if not clause.article.strip():
            problem(f"{label}：请填写条款依据的政策条文，例如“第三条”", "clause", i, "article")
        if not clause.text.strip():
            problem(f"{label}：请用一句话写明条款的要求，例如“具有博士研究生学历”", "clause", i, "text")
        node, issues = _check(clause.expr, catalogue, Type.BOOL)
        problems.extend(_locate(clause.expr, issue, label, "clause", i) for issue in issues)
        if node is not None:
            nodes.append(node)
    outcome_node: Node | None = None
    outcome = rule.outcome if rule.outcome is not None and rule.outcome.strip() else None
    if outcome is not None:
        label = _outcome_label(rule.outcome_type)
        if rule.outcome_type not in (Type.NUMBER, Type.INT, Type.STRING):
            problem("结果类型只能是数值（金额）或文本（层次）", "outcome", None, "outcome_type")
        else:
            if not rule.outcome_article.strip():
                problem(f"{label}：请填写金额或层次依据的政策条文，例如“第七条”", "outcome", None, "article")
            outcome_node, issues = _check(outcome, catalogue, rule.outcome_type)
            problems.extend(_locate(outcome, issue, label, "outcome", None) for issue in issues)
    if problems:
        raise RuleError(problems)
    clauses = tuple(CheckedExpression(c.expr, n) for c, n in zip(rule.clauses, nodes, strict=True))
    checked_outcome = (
        CheckedExpression(outcome, outcome_node) if outcome is not None and outcome_node else None
    )
    return CompiledRule(rule, catalogue, clauses, checked_outcome)


def _explain_plan(checked: CheckedExpression) -> list[tuple[str, Fn, tuple[int, ...]]]:
    """Every node in pre-order: its source text, its closure and the positions of its children."""
    plan: list[tuple[str, Fn, tuple[int, ...]]] = []

    def add(node: Node) -> int:
        index = len(plan)
        plan.append((checked.source[node.start : node.end], compile_node(node), ()))
        children = tuple(add(c) for c in node.children())
        plan[index] = (plan[index][0], plan[index][1], children)
        return index

    add(checked.node)
    return plan


class CompiledRule:
    """A checked rule, ready to run per record (Python), per frame (Polars) or inside a database (SQL)."""

    def __init__(
        self,
        rule: Rule,
        catalogue: Catalogue,
        clauses: tuple[CheckedExpression, ...],
        outcome: CheckedExpression | None,
    ) -> None:
        self.rule = rule
        self.catalogue = catalogue
        self.clause_exprs = clauses
        self.outcome_expr = outcome
        self.clause_fields: tuple[tuple[str, ...], ...] = tuple(tuple(field_names(c.node)) for c in clauses)
        self.outcome_fields: tuple[str, ...] = tuple(field_names(outcome.node)) if outcome else ()
        self.fields: frozenset[str] = frozenset(
            [n for names in self.clause_fields for n in names] + list(self.outcome_fields)
        )
        self._clause_fns: tuple[Fn, ...] = tuple(compile_node(c.node) for c in clauses)
        self._outcome_fn: Fn | None = compile_node(outcome.node) if outcome else None
        self._plans: dict[int, list[tuple[str, Fn, tuple[int, ...]]]] = {}
        self._by_name = catalogue.by_name

    def __repr__(self) -> str:
        return f"<CompiledRule {self.catalogue.kind}: {len(self.clause_exprs)} clauses>"

    @property
    def outcome_type(self) -> Type:
        return Type.STRING if self.rule.outcome_type is Type.STRING else Type.NUMBER

    # -- Python -----------------------------------------------------------------------------------

    def eligible(self, record: Mapping[str, Any], today: datetime.date) -> bool:
        """True only if every clause is True (fast path: stops at the first clause that is not)."""
        for fn in self._clause_fns:
            if not fn(record, today):
                return False
        return True

    def clause_values(self, record: Mapping[str, Any], today: datetime.date) -> list[bool | None]:
        """Each clause's three-valued result."""
        out: list[bool | None] = []
        for fn in self._clause_fns:
            v = fn(record, today)
            out.append(None if v is None else bool(v))
        return out

    def outcome_value(self, record: Mapping[str, Any], today: datetime.date) -> int | float | str | None:
        """The outcome formula's value for the record, whether or not the record is eligible."""
        if self._outcome_fn is None:
            return None
        v = self._outcome_fn(record, today)
        assert v is None or isinstance(v, int | float | str)
        return v

    def evaluate(self, record: Mapping[str, Any], today: datetime.date) -> Decision:
        """The decision with its explanation: each clause's result, the values it read, its tree."""
        fields = self._by_name
        results: list[ClauseResult] = []
        for i, (clause, checked, fn, names) in enumerate(
            zip(self.rule.clauses, self.clause_exprs, self._clause_fns, self.clause_fields, strict=True)
        ):
            v = fn(record, today)
            values = {n: record.get(n) for n in names}
            results.append(
                ClauseResult(
                    index=i,
                    article=clause.article,
                    text=clause.text,
                    passed=None if v is None else bool(v),
                    values=values,
                    missing=tuple(n for n, x in values.items() if x is None),
                    tree=self.explain(checked, record, today),
                )
            )
        eligible = all(r.passed is True for r in results)
        outcome = self.outcome_value(record, today) if eligible else None
        outcome_values = {n: record.get(n) for n in self.outcome_fields}
        sentences = [clause_sentence(r, fields) for r in results]
        if eligible and self.outcome_expr is not None:
            sentences.append(
                outcome_sentence(
                    self.rule.outcome_article, self.outcome_type, outcome, outcome_values, fields
                )
            )
        return Decision(
            eligible=eligible,
            outcome=outcome,
            clauses=results,
            explanation="；".join(sentences),
            outcome_article=self.rule.outcome_article,
            outcome_type=self.outcome_type,
            outcome_values=outcome_values if self.outcome_expr is not None else {},
        )

    def explain(
        self, checked: CheckedExpression, record: Mapping[str, Any], today: datetime.date
    ) -> dict[str, Any]:
        """The expression's evaluation tree: every node's source text and value."""
        plan = self._plans.get(id(checked))
        if plan is None:
            plan = self._plans[id(checked)] = _explain_plan(checked)
        values = [json_value(fn(record, today)) for _, fn, _ in plan]

        def tree(i: int) -> dict[str, Any]:
            source, _, children = plan[i]
            return {"expr": source, "value": values[i], "children": [tree(c) for c in children]}

        return tree(0)

    # -- SQL and Polars ---------------------------------------------------------------------------

    def to_sql(
        self,
        dialect: Literal["sqlite", "postgresql"],
        columns: Mapping[str, str],
        today: datetime.date,
        *,
        percent_escape: bool = False,
        rewrites: Mapping[str, Rewrite] | None = None,
    ) -> SqlRule:
        """SQL boolean expressions for the clauses and their conjunction, the outcome expression, and
        the filtering form of the conjunction with the field ``rewrites`` applied (see ``sql``)."""
        from .sql import compile_sql

        return compile_sql(self, dialect, columns, today, percent_escape=percent_escape, rewrites=rewrites)

    def frame_schema(self) -> dict[str, pl.DataType]:
        """The Polars schema of the columns this rule reads (catalogue order)."""
        from .frames import frame_schema

        return frame_schema(self.catalogue, [f.name for f in self.catalogue if f.name in self.fields])

    def to_polars(self, today: datetime.date) -> PolarsRule:
        """Polars expressions over a frame with :func:`frame_schema` columns."""
        from .frames import compile_polars

        return compile_polars(self, today)
