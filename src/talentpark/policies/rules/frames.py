"""The Polars engine: a checked rule as Polars expressions over a frame of records.

Polars is imported lazily (only when a rule is compiled to Polars or a schema is asked for). Checked
against Polars itself by the property tests: ``&``/``|`` on booleans are Kleene, ``when(null)`` takes
``otherwise``, comparisons and ``is_in`` propagate nulls. ``min_horizontal``/``max_horizontal`` ignore
nulls, so ``min``/``max`` compile to ``when/then`` instead. Literals carry explicit dtypes (a bare
``pl.lit(1)`` is Int32).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .nodes import (
    Binary,
    Conditional,
    Extreme,
    FieldRef,
    InList,
    IsNull,
    Literal,
    Lookup,
    Node,
    StartsWith,
    Today,
    Unary,
    Value,
    field_names,
)
from .schema import Catalogue, Type

if TYPE_CHECKING:
    import polars as pl

    from .compiler import CompiledRule


def polars_dtype(t: Type) -> pl.DataType:
    import polars as pl

    return {
        Type.BOOL: pl.Boolean(),
        Type.INT: pl.Int64(),
        Type.NUMBER: pl.Float64(),
        Type.STRING: pl.String(),
        Type.DATE: pl.Date(),
    }[t]


def frame_schema(catalogue: Catalogue, fields: Iterable[str] | None = None) -> dict[str, pl.DataType]:
    """The Polars schema of a frame of records: BOOL Boolean, INT Int64, NUMBER Float64, STRING String,
    DATE Date (all catalogue fields, or only ``fields`` in the given order)."""
    by_name = catalogue.by_name
    names = [f.name for f in catalogue] if fields is None else list(fields)
    return {name: polars_dtype(by_name[name].type) for name in names}


@dataclass
class PolarsRule:
    """Boolean expressions per clause and their Kleene conjunction (null = undecided), and the outcome."""

    eligible: pl.Expr
    clauses: list[pl.Expr]
    outcome: pl.Expr | None


def compile_polars(rule: CompiledRule, today: datetime.date) -> PolarsRule:
    emitter = PolarsEmitter(today)
    clauses = [emitter.emit(c.node) for c in rule.clause_exprs]
    eligible = clauses[0]
    for c in clauses[1:]:
        eligible = eligible & c
    outcome = emitter.emit(rule.outcome_expr.node) if rule.outcome_expr is not None else None
    return PolarsRule(eligible=eligible, clauses=clauses, outcome=outcome)


_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


class PolarsEmitter:
    def __init__(self, today: datetime.date) -> None:
        import polars as pl

        self.pl = pl
        self.today = today

    def literal(self, v: Value, t: Type | None) -> pl.Expr:
        pl = self.pl
        if t is None:
            return pl.lit(None)
        return pl.lit(v, dtype=polars_dtype(t))

    def emit(self, node: Node, as_type: Type | None = None) -> pl.Expr:
        """The node's expression; ``as_type`` types a null literal (a branch or map value)."""
        pl = self.pl
        if isinstance(node, Literal):
            if node.value is None:
                return pl.lit(None, dtype=polars_dtype(as_type)) if as_type is not None else pl.lit(None)
            return self.literal(node.value, node.type)
        if isinstance(node, FieldRef):
            return pl.col(node.name)
        if isinstance(node, Today):
            return pl.lit(self.today, dtype=pl.Date())
        if isinstance(node, Binary):
            return self.binary(node)
        if isinstance(node, Unary):
            operand = self.emit(node.operand)
            return ~operand if node.op == "!" else -operand
        if isinstance(node, IsNull):
            operand = self.emit(node.operand)
            return operand.is_not_null() if node.negated else operand.is_null()
        if isinstance(node, InList):
            return self.in_list(node)
        if isinstance(node, StartsWith):
            return self.emit(node.operand).str.starts_with(node.prefix)
        if isinstance(node, Conditional):
            return (
                pl.when(self.emit(node.cond))
                .then(self.emit(node.then, node.type))
                .otherwise(self.emit(node.otherwise, node.type))
            )
        if isinstance(node, Lookup):
            return self.lookup(node)
        if isinstance(node, Extreme):
            a, b = self.emit(node.left), self.emit(node.right)
            if not field_names(node.left) and field_names(node.right):
                pick = b >= a if node.op == "min" else b <= a  # constant on the right, see binary()
            else:
                pick = a <= b if node.op == "min" else a >= b
            assert node.type is not None
            return (
                pl.when(a.is_null() | b.is_null())
                .then(pl.lit(None, dtype=polars_dtype(node.type)))
                .when(pick)
                .then(a)
                .otherwise(b)
            )
        raise TypeError(f"unknown node {node!r}")  # pragma: no cover

    def binary(self, node: Binary) -> pl.Expr:
        pl = self.pl
        a = self.emit(node.left)
        if node.op == "/":
            assert isinstance(node.right, Literal) and isinstance(node.right.value, int | float)
            return a.cast(pl.Float64()) / pl.lit(float(node.right.value), dtype=pl.Float64())
        b = self.emit(node.right)
        if node.op in _FLIPPED and not field_names(node.left) and field_names(node.right):
            # Polars 2.1 bug: ``lit < when(c).then(col).otherwise(lit)`` is a length-1 column when no
            # row satisfies ``c``; with the constant on the right it broadcasts. Same comparison.
            a, b = b, a
            op = _FLIPPED[node.op]
        else:
            op = node.op
        match op:
            case "&&":
                return a & b
            case "||":
                return a | b
            case "+":
                return a + b
            case "-":
                return a - b
            case "*":
                return a * b
            case "<":
                return a < b
            case "<=":
                return a <= b
            case ">":
                return a > b
            case ">=":
                return a >= b
            case "==":
                return a == b
            case "!=":
                return a != b
        raise TypeError(f"unknown operator {node.op}")  # pragma: no cover

    def in_list(self, node: InList) -> pl.Expr:
        pl = self.pl
        operand = self.emit(node.operand)
        t = node.operand.type
        assert t is not None
        if t.numeric and any(isinstance(v, float) for v in node.values):
            t = Type.NUMBER
            operand = operand.cast(pl.Float64())
        values = [float(v) if t is Type.NUMBER and isinstance(v, int | float) else v for v in node.values]
        result = operand.is_in(pl.Series(values, dtype=polars_dtype(t)).implode())
        # A constant operand gives a length-1 column, which with_columns would not broadcast.
        return result if field_names(node.operand) else result.first()

    def lookup(self, node: Lookup) -> pl.Expr:
        pl = self.pl
        assert node.type is not None
        key = self.emit(node.key)
        k_type = node.key.type
        assert k_type is not None
        (k0, v0), *rest = node.entries
        chain = pl.when(key == self.literal(k0, k_type)).then(self.emit(v0, node.type))
        for k, v in rest:
            chain = chain.when(key == self.literal(k, k_type)).then(self.emit(v, node.type))
        return chain.otherwise(pl.lit(None, dtype=polars_dtype(node.type)))
