"""The typed AST a checked CEL expression becomes.

Every node knows its source span (``start``/``end`` offsets into the expression text, used for
explanations) and its resolved :class:`~.schema.Type`. Only a ``null`` literal has ``type=None``; it
appears only where the checker allows it (a ternary branch, a map value). ``x == null`` is never a
comparison node: it becomes :class:`IsNull`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .schema import Field, Type

# A literal value: None (null), bool, int, float, str or datetime.date.
Value = None | bool | int | float | str | datetime.date


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    start: int
    end: int
    type: Type | None

    def children(self) -> tuple[Node, ...]:
        return ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Literal(Node):
    value: Value


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldRef(Node):
    name: str
    field: Field


@dataclass(frozen=True, slots=True, kw_only=True)
class Today(Node):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class Unary(Node):
    op: str  # "!" or "-"
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True, kw_only=True)
class Binary(Node):
    """Arithmetic (+ - * /), comparison (< <= > >= == !=) or Kleene logic (&& ||)."""

    op: str
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, slots=True, kw_only=True)
class IsNull(Node):
    """``x == null`` (negated=False) or ``x != null`` (negated=True); never null itself."""

    operand: Node
    negated: bool

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True, kw_only=True)
class InList(Node):
    operand: Node
    values: tuple[Value, ...]  # non-empty, no nulls, types compatible with the operand

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True, kw_only=True)
class StartsWith(Node):
    operand: Node
    prefix: str

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True, kw_only=True)
class Conditional(Node):
    cond: Node
    then: Node
    otherwise: Node

    def children(self) -> tuple[Node, ...]:
        return (self.cond, self.then, self.otherwise)


@dataclass(frozen=True, slots=True, kw_only=True)
class Lookup(Node):
    """``{"A": 1, "B": 2}[key]``: the value of the matching key, null if none matches."""

    key: Node
    entries: tuple[tuple[Value, Node], ...]

    def children(self) -> tuple[Node, ...]:
        return (self.key, *(v for _, v in self.entries))


@dataclass(frozen=True, slots=True, kw_only=True)
class Extreme(Node):
    """``min(a, b)`` / ``max(a, b)``: null if either argument is null."""

    op: str  # "min" or "max"
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


ARITHMETIC = frozenset({"+", "-", "*", "/"})
ORDERING = frozenset({"<", "<=", ">", ">="})
EQUALITY = frozenset({"==", "!="})
LOGIC = frozenset({"&&", "||"})


def walk(node: Node) -> list[Node]:
    """Every node of the tree, parents before children."""
    out: list[Node] = []
    stack = [node]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(n.children()))
    return out


def field_names(node: Node) -> list[str]:
    """Catalogue fields the expression reads, in order of first appearance."""
    seen: dict[str, None] = {}
    for n in walk(node):
        if isinstance(n, FieldRef):
            seen.setdefault(n.name, None)
    return list(seen)


def can_be_null(node: Node) -> bool:
    """False when the value is certainly not null (used to drop needless null guards in SQL)."""
    if isinstance(node, Literal):
        return node.value is None
    if isinstance(node, Today | IsNull):
        return False
    if isinstance(node, Lookup | FieldRef):
        return True
    if isinstance(node, Conditional):
        return can_be_null(node.then) or can_be_null(node.otherwise)
    return any(can_be_null(c) for c in node.children())
