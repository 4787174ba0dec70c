"""Authoring errors: every problem of a rule, each a complete Chinese sentence with its location."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Part = Literal["rule", "clause", "outcome"]
Attribute = Literal["expr", "article", "text", "outcome_type"]


@dataclass(frozen=True)
class RuleProblem:
    """One authoring problem.

    ``message`` is shown to the policy editor as is (it names the clause and position).
    ``part`` says where the problem is: ``"clause"`` (``clause_index`` is its 0-based index),
    ``"outcome"`` (the amount/tier formula) or ``"rule"`` (the rule as a whole).
    ``attribute`` names the input holding the problem (``"expr"`` for an expression, or ``"article"``,
    ``"text"``, ``"outcome_type"``); ``line``/``column`` are 1-based within that expression, None when
    the problem concerns the whole input. ``field`` is the catalogue field (or unknown name) involved.
    """

    message: str
    part: Part
    clause_index: int | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None
    attribute: Attribute = "expr"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class RuleError(Exception):
    """A rule that cannot be compiled; ``errors`` lists every problem found."""

    def __init__(self, errors: list[RuleProblem]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(p.message for p in self.errors))
