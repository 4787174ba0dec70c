"""What a rule decided for one record, and why, in plain Chinese citing the policy's articles."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .schema import Field, Type


def json_value(v: Any) -> Any:
    """A value as JSON: dates become ISO strings, everything else is already JSON."""
    if isinstance(v, datetime.date):
        return v.isoformat()
    return v


def format_number(v: int | float) -> str:
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, int):
        return str(v)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def format_value(v: Any, f: Field | None = None) -> str:
    """A value as a person reads it: 是/否, ISO dates, numbers without needless decimals, units."""
    if v is None:
        return "空"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, datetime.date):
        return v.isoformat()
    text = format_number(v) if isinstance(v, int | float) else str(v)
    return text + (f.unit if f is not None and f.unit else "")


@dataclass(frozen=True)
class ClauseResult:
    """One clause's result: ``passed`` is True, False, or None when it cannot be decided (null data)."""

    index: int
    article: str
    text: str
    passed: bool | None
    values: dict[str, Any]  # every field the clause reads -> the record's value
    missing: tuple[str, ...]  # fields among ``values`` that are null
    tree: dict[str, Any]  # {"expr": source, "value": ..., "children": [...]}

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "article": self.article,
            "text": self.text,
            "passed": self.passed,
            "values": {k: json_value(v) for k, v in self.values.items()},
            "missing": list(self.missing),
            "tree": self.tree,
        }


@dataclass(frozen=True)
class Decision:
    """Eligible only if every clause is True; ``outcome`` is computed only when eligible."""

    eligible: bool
    outcome: int | float | str | None
    clauses: list[ClauseResult]
    explanation: str
    outcome_article: str = ""
    outcome_type: Type = Type.NUMBER
    outcome_values: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> list[ClauseResult]:
        """Clauses that are False."""
        return [c for c in self.clauses if c.passed is False]

    @property
    def undecided(self) -> list[ClauseResult]:
        """Clauses that cannot be decided because data is missing."""
        return [c for c in self.clauses if c.passed is None]

    @property
    def failed_articles(self) -> list[str]:
        """Articles of every clause that did not hold (False or undecided), in clause order, once each."""
        return list(dict.fromkeys(c.article for c in self.clauses if c.passed is not True))

    @property
    def first_failure(self) -> ClauseResult | None:
        return next((c for c in self.clauses if c.passed is not True), None)

    @property
    def missing_fields(self) -> list[str]:
        """Fields whose absence keeps some clause undecided."""
        return list(dict.fromkeys(name for c in self.undecided for name in c.missing))

    def to_json(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "outcome": self.outcome,
            "outcome_article": self.outcome_article,
            "outcome_type": str(self.outcome_type),
            "outcome_values": {k: json_value(v) for k, v in self.outcome_values.items()},
            "explanation": self.explanation,
            "clauses": [c.to_json() for c in self.clauses],
        }


def clause_sentence(c: ClauseResult, fields: Mapping[str, Field]) -> str:
    if c.passed is True:
        return f"符合{c.article}：{c.text}"
    if c.passed is False:
        shown = "，".join(f"{fields[n].label}：{format_value(v, fields[n])}" for n, v in c.values.items())
        return f"不符合{c.article}：{c.text}" + (f"（{shown}）" if shown else "")
    missing = "、".join(fields[n].label for n in c.missing)
    return f"无法判断{c.article}：{c.text}" + (f"（缺少：{missing}）" if missing else "")


def outcome_sentence(
    article: str, outcome_type: Type, value: Any, values: dict[str, Any], fields: Mapping[str, Field]
) -> str:
    what = "金额" if outcome_type is not Type.STRING else "层次"
    where = f"按{article}，" if article else ""
    if value is None:
        missing = "、".join(fields[n].label for n, v in values.items() if v is None)
        return f"{where}无法确定{what}" + (f"（缺少：{missing}）" if missing else "")
    if outcome_type is Type.STRING:
        return f"{where}{what}为{value}"
    return f"{where}{what}为{format_number(value)}元"
