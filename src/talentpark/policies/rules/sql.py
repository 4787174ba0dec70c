"""The SQL engine: a checked rule as lean SQL expressions for SQLite or PostgreSQL.

Literals are inlined (strings with ``''`` doubling, ``E''`` on PostgreSQL when a backslash is present,
``%`` doubled when the SQL goes through a ``format``-paramstyle cursor with parameters). Storage
assumed: SQLite keeps dates as ISO text and booleans as 0/1; PostgreSQL has ``date`` and ``boolean``.

Choices made so that SQL agrees with Python and Polars bit for bit:

* PostgreSQL float literals are ``::float8`` (a bare ``2.5`` is ``numeric``, exact decimal arithmetic);
  division is always by a float literal, so ``7 / 2`` is 3.5 in both vendors.
* PostgreSQL integer arithmetic casts its left operand ``::bigint`` (a no-op on bigint columns), so an
  ``integer`` column or literal never overflows at 2^31.
* ``min``/``max``: SQLite's scalar ``min(a, b)`` is null when an argument is null; PostgreSQL's ``LEAST``
  ignores nulls, so it is guarded with ``IS NOT NULL`` on the values that can make an argument null.
* ``startsWith``: SQLite's ``LIKE`` ignores ASCII case, so ``substr(x, 1, n) = 'p'``; PostgreSQL
  ``starts_with(x, 'p')``.
* Operands are parenthesised by precedence only where needed; comparisons inside comparisons always are
  (the two vendors rank ``=``, ``<``, ``IN`` and ``IS`` differently).

Filtering (``SqlRule.where``): a ``WHERE`` keeps a row only when its condition is true, so there
null and false are alike. For that use the compiler writes a second form of the eligibility test in
which a comparison of a field with literals (``tier in ["A", "B"]``, ``age <= 35``) may be replaced
by SQL the field catalogue supplies (a *rewrite*) that is true exactly when the comparison is:
``t.tier IN ('A', 'B') AND …``, ``p.birth_date > DATE '1990-11-22'``. Such forms reach the raw
columns (their indexes and statistics) instead of the CASE or date arithmetic that computes the
field. Rewrites apply only under ``&&`` and ``||`` from the top, where a false-for-null answer
cannot change which rows pass.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from .nodes import (
    ARITHMETIC,
    Binary,
    Conditional,
    Extreme,
    FieldRef,
    InList,
    IsNull,
    Lookup,
    Node,
    StartsWith,
    Today,
    Unary,
    Value,
    can_be_null,
)
from .nodes import (
    Literal as Lit,
)
from .schema import Type

if TYPE_CHECKING:
    from .compiler import CompiledRule

Dialect = Literal["sqlite", "postgresql"]

# Precedence levels (higher binds tighter).
ATOM, UNARY, MUL, ADD, CMP, NOT, AND, OR = 100, 90, 80, 70, 50, 40, 30, 20

_SIMPLE_COLUMN = re.compile(
    r'(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")(?:\.(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+"))*'
)
_SQL_OPS = {
    "==": "=",
    "!=": "<>",
    "<": "<",
    "<=": "<=",
    ">": ">",
    ">=": ">=",
    "+": "+",
    "-": "-",
    "*": "*",
    "/": "/",
}


# A field's rewrite: given an operator (``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=`` or ``in``, the field
# on the left) and the literal (a tuple for ``in``), SQL that is true exactly when the comparison is
# true (false or null otherwise), or None to keep the plain comparison.
Rewrite = Callable[[str, object], "str | None"]

_FLIPPED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


@dataclass
class SqlRule:
    """SQL boolean expressions (NULL = undecided) and the outcome expression (computed for every row).

    ``where`` is true exactly when ``eligible`` is (rewrites applied, see the module docstring); it
    reads the columns of ``where_fields`` only, which may be fewer than the rule's fields."""

    eligible: str
    clauses: list[str]
    outcome: str | None
    where: str = ""
    where_fields: frozenset[str] = field(default_factory=frozenset)


def compile_sql(
    rule: CompiledRule,
    dialect: Dialect,
    columns: Mapping[str, str],
    today: datetime.date,
    *,
    percent_escape: bool = False,
    rewrites: Mapping[str, Rewrite] | None = None,
) -> SqlRule:
    if dialect not in ("sqlite", "postgresql"):
        raise ValueError(f"unsupported SQL dialect: {dialect!r}")
    missing = sorted(rule.fields - set(columns))
    if missing:
        raise KeyError(f"no SQL column given for fields: {', '.join(missing)}")
    emitter = SqlEmitter(dialect, columns, today, percent_escape=percent_escape)
    parts = [emitter.emit(c.node) for c in rule.clause_exprs]
    clauses = [text for text, _ in parts]
    eligible = _conjunction(parts)
    outcome = emitter.emit(rule.outcome_expr.node)[0] if rule.outcome_expr is not None else None
    filtering = SqlEmitter(dialect, columns, today, percent_escape=percent_escape, rewrites=rewrites)
    where = _conjunction([filtering.truth(c.node) for c in rule.clause_exprs])
    return SqlRule(
        eligible=eligible,
        clauses=clauses,
        outcome=outcome,
        where=where,
        where_fields=frozenset(filtering.used),
    )


def _conjunction(parts: list[Fragment]) -> str:
    if len(parts) == 1:
        return parts[0][0]
    return " AND ".join(SqlEmitter.wrap(p, AND) for p in parts)


Fragment = tuple[str, int]


class SqlEmitter:
    def __init__(
        self,
        dialect: Dialect,
        columns: Mapping[str, str],
        today: datetime.date,
        *,
        percent_escape: bool = False,
        rewrites: Mapping[str, Rewrite] | None = None,
    ) -> None:
        self.pg = dialect == "postgresql"
        self.columns = columns
        self.today = today
        self.percent_escape = percent_escape
        self.rewrites = rewrites or {}
        self.used: set[str] = set()  # fields whose column the emitted SQL reads

    @staticmethod
    def wrap(fragment: Fragment, minimum: int) -> str:
        text, prec = fragment
        return text if prec >= minimum else f"({text})"

    # literals

    def string(self, s: str) -> str:
        body = s.replace("'", "''")
        if self.percent_escape:
            body = body.replace("%", "%%")
        if self.pg and "\\" in body:
            return "E'" + body.replace("\\", "\\\\") + "'"
        return f"'{body}'"

    def date(self, d: datetime.date) -> str:
        return f"DATE '{d.isoformat()}'" if self.pg else f"'{d.isoformat()}'"

    def literal(self, v: Value) -> Fragment:
        if v is None:
            return "NULL", ATOM
        if isinstance(v, bool):
            return ("TRUE" if v else "FALSE"), ATOM
        if isinstance(v, int):
            return (str(v) if v >= 0 else f"({v})"), ATOM
        if isinstance(v, float):
            return self.float(v), ATOM
        if isinstance(v, str):
            return self.string(v), ATOM
        return self.date(v), ATOM

    def float(self, v: float) -> str:
        text = repr(v)
        if self.pg:
            text += "::float8"
        return f"({text})" if text.startswith("-") else text

    # nodes

    def emit(self, node: Node) -> Fragment:
        if isinstance(node, Lit):
            return self.literal(node.value)
        if isinstance(node, FieldRef):
            self.used.add(node.name)
            col = self.columns[node.name]
            return (col, ATOM) if _SIMPLE_COLUMN.fullmatch(col) else (f"({col})", ATOM)
        if isinstance(node, Today):
            return self.date(self.today), ATOM
        if isinstance(node, Binary):
            return self.binary(node)
        if isinstance(node, Unary):
            if node.op == "!":
                return f"NOT {self.wrap(self.emit(node.operand), NOT + 1)}", NOT
            return f"-{self.wrap(self.emit(node.operand), ATOM)}", UNARY
        if isinstance(node, IsNull):
            test = "IS NOT NULL" if node.negated else "IS NULL"
            return f"{self.wrap(self.emit(node.operand), CMP + 1)} {test}", CMP
        if isinstance(node, InList):
            items = ", ".join(self.literal(v)[0] for v in node.values)
            return f"{self.wrap(self.emit(node.operand), CMP + 1)} IN ({items})", CMP
        if isinstance(node, StartsWith):
            operand = self.emit(node.operand)
            if self.pg:
                return f"starts_with({operand[0]}, {self.string(node.prefix)})", ATOM
            return f"substr({operand[0]}, 1, {len(node.prefix)}) = {self.string(node.prefix)}", CMP
        if isinstance(node, Conditional):
            cond, then, other = self.emit(node.cond)[0], self.emit(node.then)[0], self.emit(node.otherwise)[0]
            return f"CASE WHEN {cond} THEN {then} ELSE {other} END", ATOM
        if isinstance(node, Lookup):
            key = self.emit(node.key)[0]
            whens = " ".join(f"WHEN {self.literal(k)[0]} THEN {self.emit(v)[0]}" for k, v in node.entries)
            return f"CASE {key} {whens} END", ATOM
        if isinstance(node, Extreme):
            return self.extreme(node)
        raise TypeError(f"unknown node {node!r}")  # pragma: no cover

    def truth(self, node: Node) -> Fragment:
        """SQL true exactly when the node is true (for a WHERE): rewrites under ``&&``/``||``."""
        if isinstance(node, Binary) and node.op in ("&&", "||"):
            prec = AND if node.op == "&&" else OR
            word = " AND " if node.op == "&&" else " OR "
            return word.join(
                (self.wrap(self.truth(node.left), prec), self.wrap(self.truth(node.right), prec))
            ), prec
        rewritten = self.rewritten(node)
        if rewritten is not None:
            return f"({rewritten})", ATOM
        return self.emit(node)

    def rewritten(self, node: Node) -> str | None:
        if not self.rewrites:
            return None
        value: object
        if isinstance(node, InList) and isinstance(node.operand, FieldRef):
            if any(v is None for v in node.values):
                return None
            name, op, value = node.operand.name, "in", tuple(node.values)
        elif isinstance(node, Binary) and node.op in _FLIPPED:
            if isinstance(node.left, FieldRef) and isinstance(node.right, Lit):
                name, op, value = node.left.name, node.op, node.right.value
            elif isinstance(node.right, FieldRef) and isinstance(node.left, Lit):
                name, op, value = node.right.name, _FLIPPED[node.op], node.left.value
            else:
                return None
            if value is None:
                return None
        else:
            return None
        rewrite = self.rewrites.get(name)
        return rewrite(op, value) if rewrite is not None else None

    def binary(self, node: Binary) -> Fragment:
        if node.op in ("&&", "||"):
            prec = AND if node.op == "&&" else OR
            word = " AND " if node.op == "&&" else " OR "
            return word.join(
                (self.wrap(self.emit(node.left), prec), self.wrap(self.emit(node.right), prec))
            ), prec
        if node.op not in ARITHMETIC:
            left, right = self.wrap(self.emit(node.left), CMP + 1), self.wrap(self.emit(node.right), CMP + 1)
            return f"{left} {_SQL_OPS[node.op]} {right}", CMP
        prec = MUL if node.op in ("*", "/") else ADD
        if node.op == "/":
            assert isinstance(node.right, Lit) and isinstance(node.right.value, int | float)
            right = self.float(float(node.right.value))
        else:
            right = self.wrap(self.emit(node.right), prec + 1)
        left_fragment = self.emit(node.left)
        if self.pg and node.type is Type.INT and not _is_int_arithmetic(node.left):
            left = self.wrap(left_fragment, ATOM) + "::bigint"
        else:
            left = self.wrap(left_fragment, prec)
        return f"{left} {_SQL_OPS[node.op]} {right}", prec

    def extreme(self, node: Extreme) -> Fragment:
        a, b = self.emit(node.left)[0], self.emit(node.right)[0]
        if not self.pg:
            return f"{node.op}({a}, {b})", ATOM
        call = f"{'LEAST' if node.op == 'min' else 'GREATEST'}({a}, {b})"
        sources: dict[str, None] = {}
        for n in (node.left, node.right):
            for leaf in _null_sources(n):
                sources.setdefault(f"{self.wrap(self.emit(leaf), CMP + 1)} IS NOT NULL", None)
        guards = list(sources)
        if not guards:
            return call, ATOM
        return f"CASE WHEN {' AND '.join(guards)} THEN {call} END", ATOM


def _null_sources(node: Node) -> list[Node]:
    """The nodes whose nullness decides the node's: arithmetic, negation and min/max are null exactly
    when an operand is, so a guard needs only test their leaves."""
    if not can_be_null(node):
        return []
    if (isinstance(node, Binary) and node.op in ARITHMETIC) or isinstance(node, Unary | Extreme):
        return [leaf for child in node.children() for leaf in _null_sources(child)]
    return [node]


def _is_int_arithmetic(node: Node) -> bool:
    return (isinstance(node, Binary) and node.op in ARITHMETIC and node.type is Type.INT) or (
        isinstance(node, Unary) and node.op == "-" and _is_int_arithmetic(node.operand)
    )
