"""The Python engine: a checked AST compiled once into nested closures.

Each node becomes one closure ``f(record, today)``; the type dispatch happens at compile time, so
evaluating a record only calls closures (common shapes such as ``field >= 4`` get one specialised
closure). Null semantics are SQL's three-valued logic (see the package docstring).
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Mapping
from typing import Any

from .nodes import (
    ARITHMETIC,
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
)
from .schema import Type

Record = Mapping[str, Any]
Fn = Callable[[Record, datetime.date], Any]

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


def compile_node(node: Node) -> Fn:
    """A closure computing the node's value for a record and an as-of date."""
    fn = _compile(node)
    if node.type is Type.NUMBER and isinstance(node, Conditional | Lookup | Extreme):
        return _as_float(fn)
    return fn


def _as_float(fn: Fn) -> Fn:
    # A NUMBER-typed choice between an INT and a NUMBER value is a float in every engine.
    def f(r: Record, d: datetime.date) -> Any:
        v = fn(r, d)
        return None if v is None else float(v)

    return f


def _compile(node: Node) -> Fn:
    if isinstance(node, Literal):
        return _const(node.value)
    if isinstance(node, FieldRef):
        return _field(node.name)
    if isinstance(node, Today):
        return _today
    if isinstance(node, Binary):
        if node.op == "&&":
            return _and(compile_node(node.left), compile_node(node.right))
        if node.op == "||":
            return _or(compile_node(node.left), compile_node(node.right))
        return _binary(node)
    if isinstance(node, Unary):
        return _not(compile_node(node.operand)) if node.op == "!" else _neg(compile_node(node.operand))
    if isinstance(node, IsNull):
        return _is_null(node)
    if isinstance(node, InList):
        return _in(node)
    if isinstance(node, StartsWith):
        return _starts_with(compile_node(node.operand), node.prefix)
    if isinstance(node, Conditional):
        return _cond(compile_node(node.cond), compile_node(node.then), compile_node(node.otherwise))
    if isinstance(node, Lookup):
        return _lookup(compile_node(node.key), {k: compile_node(v) for k, v in node.entries})
    if isinstance(node, Extreme):
        return _extreme(node.op, compile_node(node.left), compile_node(node.right))
    raise TypeError(f"unknown node {node!r}")  # pragma: no cover


def _const(value: Any) -> Fn:
    def f(r: Record, d: datetime.date) -> Any:
        return value

    return f


def _field(name: str) -> Fn:
    def f(r: Record, d: datetime.date) -> Any:
        return r.get(name)

    return f


def _today(r: Record, d: datetime.date) -> Any:
    return d


def _binary(node: Binary) -> Fn:
    opf = _OPS[node.op]
    left, right = node.left, node.right
    if isinstance(left, FieldRef) and isinstance(right, Literal):
        name, c = left.name, right.value

        def field_const(r: Record, d: datetime.date) -> Any:
            v = r.get(name)
            return None if v is None else opf(v, c)

        return field_const
    if isinstance(left, FieldRef) and isinstance(right, FieldRef):
        a_name, b_name = left.name, right.name

        def field_field(r: Record, d: datetime.date) -> Any:
            a = r.get(a_name)
            if a is None:
                return None
            b = r.get(b_name)
            return None if b is None else opf(a, b)

        return field_field
    lf, rf = compile_node(left), compile_node(right)
    if isinstance(right, Literal):
        c = right.value

        def expr_const(r: Record, d: datetime.date) -> Any:
            a = lf(r, d)
            return None if a is None else opf(a, c)

        return expr_const

    def generic(r: Record, d: datetime.date) -> Any:
        a = lf(r, d)
        if a is None:
            return None
        b = rf(r, d)
        return None if b is None else opf(a, b)

    assert node.op in ARITHMETIC or node.type is Type.BOOL
    return generic


def _and(lf: Fn, rf: Fn) -> Fn:
    def f(r: Record, d: datetime.date) -> Any:
        a = lf(r, d)
        if a is not None and not a:
            return False
        b = rf(r, d)
        if b is None:
            return None
        if not b:
            return False
        return None if a is None else True

    return f


def _or(lf: Fn, rf: Fn) -> Fn:
    def f(r: Record, d: datetime.date) -> Any:
        a = lf(r, d)
        if a:
            return True
        b = rf(r, d)
        if b:
            return True
        return None if a is None or b is None else False

    return f


def _not(fn: Fn) -> Fn:
    def f(r: Record, d: datetime.date) -> Any:
        v = fn(r, d)
        return None if v is None else not v

    return f


def _neg(fn: Fn) -> Fn:
    def f(r: Record, d: datetime.date) -> Any:
        v = fn(r, d)
        return None if v is None else -v

    return f


def _is_null(node: IsNull) -> Fn:
    operand = node.operand
    if isinstance(operand, FieldRef):
        name = operand.name
        if node.negated:
            return lambda r, d: r.get(name) is not None
        return lambda r, d: r.get(name) is None
    fn = compile_node(operand)
    if node.negated:
        return lambda r, d: fn(r, d) is not None
    return lambda r, d: fn(r, d) is None


def _in(node: InList) -> Fn:
    values = frozenset(node.values)
    if isinstance(node.operand, FieldRef):
        name = node.operand.name

        def field_in(r: Record, d: datetime.date) -> Any:
            v = r.get(name)
            return None if v is None else v in values

        return field_in
    fn = compile_node(node.operand)

    def f(r: Record, d: datetime.date) -> Any:
        v = fn(r, d)
        return None if v is None else v in values

    return f


def _starts_with(fn: Fn, prefix: str) -> Fn:
    def f(r: Record, d: datetime.date) -> Any:
        v = fn(r, d)
        return None if v is None else v.startswith(prefix)

    return f


def _cond(cf: Fn, tf: Fn, ef: Fn) -> Fn:
    def f(r: Record, d: datetime.date) -> Any:
        # A null condition takes the else branch, as SQL CASE and polars when/otherwise do.
        return tf(r, d) if cf(r, d) else ef(r, d)

    return f


def _lookup(kf: Fn, table: dict[Any, Fn]) -> Fn:
    def f(r: Record, d: datetime.date) -> Any:
        k = kf(r, d)
        if k is None:
            return None
        vf = table.get(k)
        return None if vf is None else vf(r, d)

    return f


def _extreme(op: str, lf: Fn, rf: Fn) -> Fn:
    if op == "min":

        def least(r: Record, d: datetime.date) -> Any:
            a = lf(r, d)
            if a is None:
                return None
            b = rf(r, d)
            if b is None:
                return None
            return a if a <= b else b

        return least

    def greatest(r: Record, d: datetime.date) -> Any:
        a = lf(r, d)
        if a is None:
            return None
        b = rf(r, d)
        if b is None:
            return None
        return a if a >= b else b

    return greatest
