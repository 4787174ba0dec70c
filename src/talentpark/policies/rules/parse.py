"""CEL text → typed AST (:mod:`.nodes`), collecting every problem on the way.

Only cel-python's *parser* is used (``celpy.celparser.CELParser``, which builds one LALR Lark parser per
process); the Lark tree is walked here into our own small AST and type-checked against a
:class:`~.schema.Catalogue` at the same time. Problems are collected as :class:`Issue` (an offset and a
Chinese sentence); :mod:`.compiler` turns them into located :class:`~.errors.RuleProblem` objects.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .nodes import (
    ORDERING,
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
)
from .schema import TODAY, Catalogue, Field, Type

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
FUNCTIONS = ("min", "max", "date")
_MACROS = frozenset({"exists", "all", "exists_one", "map", "filter", "size", "has"})
_PASS = frozenset(
    {
        "expr",
        "conditionalor",
        "conditionaland",
        "relation",
        "addition",
        "multiplication",
        "unary",
        "member",
        "primary",
    }
)
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Issue:
    offset: int | None  # into the expression text; None = the whole expression
    message: str
    field: str | None = None


def lark_parser() -> Lark:
    """cel-python's Lark parser (built once per process and cached on the class).

    Imported on first use: ``celpy`` imports its evaluator and pendulum (a quarter of a second).
    ``CELParser.parse`` would wrap Lark's errors in ``CELParseError`` (a formatted message, line and
    column); the cached Lark instance is called directly so the offending token and position stay
    available for a precise Chinese message.
    """
    from celpy.celparser import CELParser

    if CELParser.CEL_PARSER is None:
        CELParser()
    parser = CELParser.CEL_PARSER
    assert parser is not None
    return parser


def line_column(src: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of an offset."""
    line = src.count("\n", 0, offset) + 1
    return line, offset - (src.rfind("\n", 0, offset) + 1) + 1


def parse_expression(src: str, catalogue: Catalogue) -> tuple[Node | None, list[Issue]]:
    """Parse and type-check one expression; the node is None when there is any syntax problem."""
    try:
        tree = lark_parser().parse(src)
    except UnexpectedInput as exc:
        return None, [_syntax_issue(src, exc, catalogue)]
    checker = _Checker(src, catalogue)
    try:
        node = checker.build(tree)
    except RecursionError:
        return None, [Issue(None, "表达式嵌套过深，请拆分成几个条款")]
    return node, checker.issues


def describe_type(t: Type | None) -> str:
    return "null" if t is None else t.label


def unify(a: Type | None, b: Type | None) -> Type | None:
    """The common type of two values (INT and NUMBER mix), None if they are incompatible."""
    if a is None or b is None:
        return a or b
    if a is b:
        return a
    if a.numeric and b.numeric:
        return Type.NUMBER
    return None


# -- syntax errors ---------------------------------------------------------------------------------


def _syntax_issue(src: str, exc: UnexpectedInput, catalogue: Catalogue) -> Issue:
    end = len(src.rstrip())
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream if exc.pos_in_stream is not None else end
        ch = src[pos : pos + 1]
        if ch and ch in "\"'":
            return Issue(pos, "语法错误，文本缺少结尾的引号")
        if ch == "=":
            return Issue(pos, "语法错误，此处不应出现“=”；判断相等请写“==”")
        if ch and ch in "&|":
            return Issue(pos, "语法错误，此处不应出现“" + ch + "”；“并且”请写“&&”，“或者”请写“||”")
        for f in catalogue:
            if f.label and src.startswith(f.label, pos):
                return Issue(pos, f"语法错误，“{f.label}”不是字段名，请写“{f.name}”", f.name)
        return Issue(pos, f"语法错误，无法识别的字符“{ch}”")
    if isinstance(exc, UnexpectedToken) and exc.token.type != "$END":
        tok = exc.token
        value = str(tok.value)
        pos = tok.start_pos if tok.start_pos is not None else end
        hint = {"and": "“并且”请写“&&”", "or": "“或者”请写“||”", "not": "“非”请写“!”"}.get(value)
        if hint:
            return Issue(pos, f"语法错误，此处不应出现“{value}”；{hint}")
        return Issue(pos, f"语法错误，此处不应出现“{value}”")
    if isinstance(exc, UnexpectedToken | UnexpectedEOF):
        return Issue(end, "语法错误，表达式不完整")
    return Issue(None, "语法错误")  # pragma: no cover - Lark raises only the kinds above


# -- string literals -------------------------------------------------------------------------------

_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_ESCAPE_RE = re.compile(
    r"\\(?:([abfnrtv\"'\\`?])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-3][0-7]{2}))"
)


def decode_string(token: str) -> str:
    """The value of a CEL string literal token (quotes, raw prefix and escapes handled)."""
    raw = token[0] in "rR"
    body = token[1:] if raw else token
    quote = body[:3] if body[:3] in ('"""', "'''") else body[0]
    body = body[len(quote) : -len(quote)]
    if raw:
        return body

    def sub(m: re.Match[str]) -> str:
        simple, hx, u4, u8, octal = m.groups()
        if simple:
            return _ESCAPES.get(simple, simple)
        if octal:
            return chr(int(octal, 8))
        return chr(int(hx or u4 or u8, 16))

    return _ESCAPE_RE.sub(sub, body)


# -- values of coded fields ------------------------------------------------------------------------


def _named(f: Field) -> str:
    return f"“{f.name}”（{f.label}）"


def _valid_form(f: Field) -> str:
    if f.choices:
        return f"可选值：{'、'.join(f.choices)}"
    return f"{f.code_form}，例如 {'、'.join(f.code_examples)}"


def _close_value(f: Field, value: str) -> str | None:
    """The value the editor probably meant: another spelling of a code (case, spaces, a GB/T 4754
    section letter before digits such as “C39”), or the nearest choice."""
    text = value.strip()
    candidates = [text, text.upper(), re.sub(r"^[A-Za-z]+(?=\d)", "", text), re.sub(r"[\s.\-_]", "", text)]
    for c in candidates:
        if c and c != value and f.admits(c):
            return c
    if f.choices:
        contained = [c for c in f.choices if c and (c in text or text in c)]
        if len(contained) == 1:
            return contained[0]
        close = difflib.get_close_matches(text, f.choices, n=1, cutoff=0.5)
        return close[0] if close else None
    return None


def _not_a_value(f: Field, value: str) -> str:
    if f.choices:
        message = f"{_named(f)}没有取值“{value}”，{_valid_form(f)}"
    else:
        message = f"{_named(f)}没有代码“{value}”：{_valid_form(f)}"
    guess = _close_value(f, value)
    if guess is not None:
        message += f"；您是否要写“{guess}”？"
        if f.codes and any(len(c) > len(guess) and c.startswith(guess) for c in f.codes):
            message += f'（含其下各级代码请写 {f.name}.startsWith("{guess}")）'
    return message


def _not_a_prefix(f: Field, prefix: str) -> str:
    what = "取值" if f.choices else "代码"
    message = f"{_named(f)}没有以“{prefix}”开头的{what}，{_valid_form(f)}"
    guess = _close_value(f, prefix)
    if guess is None and f.codes:
        stripped = re.sub(r"^[A-Za-z]+(?=\d)", "", prefix.strip())
        guess = stripped if stripped != prefix and f.admits_prefix(stripped) else None
    if guess is not None:
        message += f'；您是否要写 {f.name}.startsWith("{guess}")？'
    return message


# -- the checker -----------------------------------------------------------------------------------


def _unwrap(t: Tree) -> Tree:
    while t.data in _PASS and len(t.children) == 1 and isinstance(t.children[0], Tree):
        t = t.children[0]
    return t


def _is_null(n: Node) -> bool:
    return isinstance(n, Literal) and n.value is None


class _Checker:
    def __init__(self, src: str, catalogue: Catalogue) -> None:
        self.src = src
        self.catalogue = catalogue
        self.fields = catalogue.by_name
        self.issues: list[Issue] = []
        self.handlers: dict[str, Callable[[Tree], Node | None]] = {
            "expr": self._ternary,
            "conditionalor": self._logic,
            "conditionaland": self._logic,
            "relation": self._relation,
            "addition": self._arith,
            "multiplication": self._arith,
            "unary": self._unary,
            "member_dot": self._member_dot,
            "member_dot_arg": self._method,
            "member_index": self._index,
            "member_object": self._unsupported("不支持对象构造"),
            "literal": self._literal,
            "ident": self._ident,
            "ident_arg": self._call,
            "dot_ident": self._unsupported("不支持以“.”开头的名称"),
            "dot_ident_arg": self._unsupported("不支持以“.”开头的名称"),
            "paren_expr": lambda t: self.build(t.children[0]),  # type: ignore[arg-type]
            "list_lit": self._unsupported('列表只能写在 in 的右侧，例如 x in ["A", "B"]'),
            "map_lit": self._unsupported('映射只能这样使用：{"A": 1, "B": 2}[字段]'),
        }

    # helpers

    def err(self, offset: int | None, message: str, field: str | None = None) -> None:
        self.issues.append(Issue(offset, message.strip(), field))

    def text(self, n: Node) -> str:
        return self.src[n.start : n.end]

    def subject(self, n: Node) -> str:
        """How a value is named as the subject of a sentence: “age”, "abc" , “a + b”."""
        if isinstance(n, Literal):
            return f"{self.text(n)} "
        return f"“{self.text(n)}”"

    def with_type(self, n: Node) -> str:
        """How a value is named as an object, with its type: 整数“age”, 文本 "abc" ."""
        if isinstance(n, Literal):
            return f"{describe_type(n.type)} {self.text(n)} "
        return f"{describe_type(n.type)}“{self.text(n)}”"

    def field_of(self, n: Node) -> str | None:
        return n.name if isinstance(n, FieldRef) else None

    def build(self, t: Tree) -> Node | None:
        """Build any expression (a null literal is returned as is; callers that refuse it use value())."""
        t = _unwrap(t)
        return self.handlers[t.data](t)

    def value(self, t: Tree, what: str = "此处") -> Node | None:
        n = self.build(t)
        if n is not None and _is_null(n):
            self.err(n.start, f"{what}不能使用 null（判断是否为空请写 x == null 或 x != null）")
            return None
        return n

    def op_offset(self, op: str, left: Tree, right: Tree) -> int:
        pos = self.src.find(op, left.meta.end_pos, right.meta.start_pos)
        return pos if pos >= 0 else left.meta.end_pos

    def check_choice(self, target: Node, lit: Node) -> None:
        """A literal compared with (listed for, or keyed on) a coded field must be a value the data
        can hold: anything else makes the comparison always false (or ``!=`` always true)."""
        if not (isinstance(target, FieldRef) and target.field.coded):
            return
        if isinstance(lit, Literal) and isinstance(lit.value, str) and not target.field.admits(lit.value):
            self.err(lit.start, _not_a_value(target.field, lit.value), target.name)

    def check_prefix(self, target: Node, prefix: str, offset: int) -> None:
        if isinstance(target, FieldRef) and target.field.coded and not target.field.admits_prefix(prefix):
            self.err(offset, _not_a_prefix(target.field, prefix), target.name)

    def _unsupported(self, message: str) -> Callable[[Tree], Node | None]:
        def handler(t: Tree) -> Node | None:
            self.err(t.meta.start_pos, message)
            return None

        return handler

    # handlers

    def _ternary(self, t: Tree) -> Node | None:
        c_tree, a_tree, b_tree = t.children
        assert isinstance(c_tree, Tree) and isinstance(a_tree, Tree) and isinstance(b_tree, Tree)
        cond = self.value(c_tree, "条件运算的条件")
        a, b = self.build(a_tree), self.build(b_tree)
        if cond is not None and cond.type is not Type.BOOL:
            self.err(cond.start, f"条件运算“? :”的条件必须是“是/否”，此处得到{describe_type(cond.type)}")
            return None
        if cond is None or a is None or b is None:
            return None
        if a.type is None and b.type is None:
            self.err(a.start, "条件运算的两个分支不能都是 null")
            return None
        common = unify(a.type, b.type)
        if common is None:
            self.err(
                a.start,
                f"条件运算的两个分支类型不一致：{self.with_type(a)}与{self.with_type(b)}",
            )
            return None
        return Conditional(
            start=t.meta.start_pos, end=t.meta.end_pos, type=common, cond=cond, then=a, otherwise=b
        )

    def _logic(self, t: Tree) -> Node | None:
        op = "||" if t.data == "conditionalor" else "&&"
        lt, rt = t.children
        assert isinstance(lt, Tree) and isinstance(rt, Tree)
        left, right = self.value(lt), self.value(rt)
        ok = left is not None and right is not None
        for side in (left, right):
            if side is not None and side.type is not Type.BOOL:
                self.err(
                    side.start,
                    f"“{op}”两侧必须是“是/否”，{self.subject(side)}是{describe_type(side.type)}",
                    self.field_of(side),
                )
                ok = False
        if not ok:
            return None
        assert left is not None and right is not None
        return Binary(
            start=t.meta.start_pos, end=t.meta.end_pos, type=Type.BOOL, op=op, left=left, right=right
        )

    def _relation(self, t: Tree) -> Node | None:
        op_tree, right_tree = t.children
        assert isinstance(op_tree, Tree) and isinstance(right_tree, Tree)
        op = {
            "relation_lt": "<",
            "relation_le": "<=",
            "relation_gt": ">",
            "relation_ge": ">=",
            "relation_eq": "==",
            "relation_ne": "!=",
            "relation_in": "in",
        }[str(op_tree.data)]
        left_tree = op_tree.children[0]
        assert isinstance(left_tree, Tree)
        op_pos = op_tree.meta.end_pos - len(op)
        if op == "in":
            return self._in(t, left_tree, right_tree)
        left, right = self.build(left_tree), self.build(right_tree)
        if left is None or right is None:
            return None
        span = {"start": t.meta.start_pos, "end": t.meta.end_pos}
        if _is_null(left) or _is_null(right):
            if op in ORDERING:
                self.err(op_pos, "null 只能用 == 或 != 判断（例如 x == null）")
                return None
            operand = right if _is_null(left) else left
            return IsNull(**span, type=Type.BOOL, operand=operand, negated=op == "!=")
        lt, rt = left.type, right.type
        assert lt is not None and rt is not None
        subj, obj = (
            (right, left) if isinstance(left, Literal) and not isinstance(right, Literal) else (left, right)
        )
        if op in ORDERING:
            if (lt.numeric and rt.numeric) or lt is rt is Type.DATE:
                return Binary(**span, type=Type.BOOL, op=op, left=left, right=right)
            if lt is rt is Type.STRING:
                self.err(
                    op_pos, "文本不能比较大小（各数据库的排序规则不同），请改用 ==、!=、in 或 startsWith"
                )
            elif lt is rt is Type.BOOL:
                self.err(op_pos, "“是/否”不能比较大小，请改用 == 或 !=")
            else:
                self.mismatch(op_pos, subj, obj)
            return None
        if unify(lt, rt) is None:
            self.mismatch(op_pos, subj, obj)
            return None
        self.check_choice(left, right)
        self.check_choice(right, left)
        return Binary(**span, type=Type.BOOL, op=op, left=left, right=right)

    def mismatch(self, pos: int, subj: Node, obj: Node) -> None:
        self.err(
            pos,
            f"{self.subject(subj)}是{describe_type(subj.type)}，不能与{self.with_type(obj)}比较",
            self.field_of(subj) or self.field_of(obj),
        )

    def _in(self, t: Tree, left_tree: Tree, right_tree: Tree) -> Node | None:
        left = self.value(left_tree, "in 的左侧")
        lst = _unwrap(right_tree)
        if lst.data != "list_lit":
            self.err(lst.meta.start_pos, 'in 的右侧必须是常量列表，例如 x in ["A", "B"]')
            return None
        items: list[Node] = []
        ok = left is not None
        for child in lst.children[0].children if lst.children else ():
            assert isinstance(child, Tree)
            item = self.build(child)
            if item is None:
                ok = False
            elif not isinstance(item, Literal):
                self.err(item.start, "in 的列表只能包含常量")
                ok = False
            elif item.value is None:
                self.err(item.start, "in 的列表中不能有 null（判断是否为空请写 x == null）")
                ok = False
            else:
                items.append(item)
        if not lst.children:
            self.err(lst.meta.start_pos, "in 的列表不能为空")
            return None
        if not ok or left is None:
            return None
        good = True
        for item in items:
            if unify(left.type, item.type) is None:
                self.err(
                    item.start,
                    f"列表中的{self.with_type(item)}与{self.subject(left)}（{describe_type(left.type)}）类型不一致",
                    self.field_of(left),
                )
                good = False
            else:
                self.check_choice(left, item)
        if not good:
            return None
        values: dict[Value, None] = {}
        for item in items:
            assert isinstance(item, Literal)
            values.setdefault(item.value, None)
        return InList(
            start=t.meta.start_pos, end=t.meta.end_pos, type=Type.BOOL, operand=left, values=tuple(values)
        )

    def _arith(self, t: Tree) -> Node | None:
        op_tree, right_tree = t.children
        assert isinstance(op_tree, Tree) and isinstance(right_tree, Tree)
        op = {
            "addition_add": "+",
            "addition_sub": "-",
            "multiplication_mul": "*",
            "multiplication_div": "/",
            "multiplication_mod": "%",
        }[str(op_tree.data)]
        op_pos = op_tree.meta.end_pos - 1
        if op == "%":
            self.err(op_pos, "不支持取余运算“%”")
            return None
        left_tree = op_tree.children[0]
        assert isinstance(left_tree, Tree)
        left, right = self.value(left_tree, f"“{op}”的左侧"), self.value(right_tree, f"“{op}”的右侧")
        if left is None or right is None:
            return None
        bad = next((s for s in (left, right) if s.type is None or not s.type.numeric), None)
        if bad is not None:
            self.err(
                op_pos,
                f"“{op}”只能用于数值，{self.subject(bad)}是{describe_type(bad.type)}",
                self.field_of(bad),
            )
            return None
        span = {"start": t.meta.start_pos, "end": t.meta.end_pos}
        if op == "/":
            if not (isinstance(right, Literal) and right.value != 0):
                self.err(right.start, "除数必须是不为零的数值常量，例如 salary / 12")
                return None
            return Binary(**span, type=Type.NUMBER, op=op, left=left, right=right)
        typ = Type.INT if left.type is right.type is Type.INT else Type.NUMBER
        return Binary(**span, type=typ, op=op, left=left, right=right)

    def _unary(self, t: Tree) -> Node | None:
        op_tree, operand_tree = t.children
        assert isinstance(op_tree, Tree) and isinstance(operand_tree, Tree)
        op = "!" if op_tree.data == "unary_not" else "-"
        operand = self.value(operand_tree, f"“{op}”之后")
        if operand is None:
            return None
        span = {"start": t.meta.start_pos, "end": t.meta.end_pos}
        if op == "!":
            if operand.type is not Type.BOOL:
                self.err(
                    t.meta.start_pos,
                    f"“!”只能用于“是/否”，{self.subject(operand)}是{describe_type(operand.type)}",
                    self.field_of(operand),
                )
                return None
            return Unary(**span, type=Type.BOOL, op=op, operand=operand)
        if operand.type is None or not operand.type.numeric:
            self.err(
                t.meta.start_pos,
                f"“-”只能用于数值，{self.subject(operand)}是{describe_type(operand.type)}",
                self.field_of(operand),
            )
            return None
        if isinstance(operand, Literal) and isinstance(operand.value, int | float):
            return self.number(-operand.value, t.meta.start_pos, t.meta.end_pos)
        return Unary(**span, type=operand.type, op=op, operand=operand)

    def number(self, v: int | float, start: int, end: int) -> Node | None:
        if isinstance(v, int):
            if not INT64_MIN <= v <= INT64_MAX:
                self.err(start, f"整数 {self.src[start:end]} 超出范围")
                return None
            return Literal(start=start, end=end, type=Type.INT, value=v)
        if not math.isfinite(v):
            self.err(start, f"数值 {self.src[start:end]} 超出范围")
            return None
        return Literal(start=start, end=end, type=Type.NUMBER, value=v)

    def _literal(self, t: Tree) -> Node | None:
        tok = t.children[0]
        assert isinstance(tok, Token)
        start, end, text = t.meta.start_pos, t.meta.end_pos, str(tok.value)
        match tok.type:
            case "INT_LIT":
                neg = text.startswith("-")
                digits = text[1:] if neg else text
                v = int(digits[2:], 16) if digits[:2].lower() == "0x" else int(digits)
                return self.number(-v if neg else v, start, end)
            case "FLOAT_LIT":
                return self.number(float(text), start, end)
            case "STRING_LIT" | "MLSTRING_LIT":
                s = decode_string(text)
                if "\x00" in s:
                    self.err(start, "文本中不能包含空字符")
                    return None
                return Literal(start=start, end=end, type=Type.STRING, value=s)
            case "BOOL_LIT":
                return Literal(start=start, end=end, type=Type.BOOL, value=text == "true")
            case "NULL_LIT":
                return Literal(start=start, end=end, type=None, value=None)
            case "UINT_LIT":
                self.err(start, "不支持无符号整数，请去掉末尾的“u”")
                return None
            case _:
                self.err(start, "不支持字节串")
                return None

    def _ident(self, t: Tree) -> Node | None:
        tok = t.children[0]
        name = str(tok)
        start, end = t.meta.start_pos, t.meta.end_pos
        if name == TODAY:
            return Today(start=start, end=end, type=Type.DATE)
        f = self.fields.get(name)
        if f is not None:
            return FieldRef(start=start, end=end, type=f.type, name=name, field=f)
        self.err(start, self.unknown_field(name), name)
        return None

    def unknown_field(self, name: str) -> str:
        names = [f.name for f in self.catalogue]
        lowered = {n.lower(): n for n in names}
        guess = lowered.get(name.lower())
        if guess is None:
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            guess = close[0] if close else None
        if guess is None:
            return f"未知字段“{name}”"
        label = self.fields[guess].label
        return f"未知字段“{name}”，您是否要写“{guess}”（{label}）？"

    def args(self, t: Tree, start: int) -> Sequence[Tree]:
        exprlist = t.children[start] if len(t.children) > start else None
        if exprlist is None:
            return ()
        assert isinstance(exprlist, Tree)
        return [c for c in exprlist.children if isinstance(c, Tree)]

    def _call(self, t: Tree) -> Node | None:
        name = str(t.children[0])
        args = self.args(t, 1)
        start, end = t.meta.start_pos, t.meta.end_pos
        if name in ("min", "max"):
            if len(args) != 2:
                self.err(start, f"{name} 需要两个参数，例如 {name}(salary * 0.5, 500000)")
                return None
            a, b = self.value(args[0], f"{name} 的参数"), self.value(args[1], f"{name} 的参数")
            if a is None or b is None:
                return None
            bad = next((s for s in (a, b) if s.type is None or not s.type.numeric), None)
            if bad is not None:
                self.err(
                    bad.start,
                    f"{name} 的参数必须是数值，{self.subject(bad)}是{describe_type(bad.type)}",
                    self.field_of(bad),
                )
                return None
            typ = Type.INT if a.type is b.type is Type.INT else Type.NUMBER
            return Extreme(start=start, end=end, type=typ, op=name, left=a, right=b)
        if name == "date":
            arg = self.build(args[0]) if len(args) == 1 else None
            if len(args) != 1 or (
                arg is not None and not (isinstance(arg, Literal) and isinstance(arg.value, str))
            ):
                self.err(start, 'date 需要一个日期文本常量，例如 date("2024-01-01")')
                return None
            if arg is None:
                return None
            assert isinstance(arg, Literal) and isinstance(arg.value, str)
            try:
                if not _DATE_RE.fullmatch(arg.value):
                    raise ValueError(arg.value)
                d = datetime.date.fromisoformat(arg.value)
            except ValueError:
                self.err(arg.start, f"“{arg.value}”不是有效的日期，请写成“2024-01-01”的形式")
                return None
            return Literal(start=start, end=end, type=Type.DATE, value=d)
        if name not in _MACROS:
            for arg_tree in args:
                self.build(arg_tree)
        self.err(start, f"不支持函数“{name}”，可用的函数：min、max、date，以及文本的 startsWith")
        return None

    def _member_dot(self, t: Tree) -> Node | None:
        receiver_tree, ident = t.children
        assert isinstance(receiver_tree, Tree)
        self.build(receiver_tree)
        pos = self.src.find(".", receiver_tree.meta.end_pos)
        self.err(pos, f"不支持字段选择“.{ident}”")
        return None

    def _method(self, t: Tree) -> Node | None:
        receiver_tree, ident = t.children[0], str(t.children[1])
        assert isinstance(receiver_tree, Tree)
        args = self.args(t, 2)
        dot = self.src.find(".", receiver_tree.meta.end_pos)
        receiver = self.value(receiver_tree, f"{ident} 之前")
        if ident != "startsWith":
            if ident in _MACROS:
                self.err(dot, f"不支持宏“.{ident}()”")
            else:
                self.err(dot, f"不支持方法“.{ident}()”，文本只能用 startsWith")
            return None
        arg = self.build(args[0]) if len(args) == 1 else None
        if len(args) != 1 or (
            arg is not None and not (isinstance(arg, Literal) and isinstance(arg.value, str))
        ):
            self.err(dot, 'startsWith 需要一个文本常量参数，例如 industry.startsWith("39")')
            return None
        if receiver is None or arg is None:
            return None
        if receiver.type is not Type.STRING:
            self.err(
                dot,
                f"startsWith 只能用于文本，{self.subject(receiver)}是{describe_type(receiver.type)}",
                self.field_of(receiver),
            )
            return None
        assert isinstance(arg, Literal) and isinstance(arg.value, str)
        self.check_prefix(receiver, arg.value, arg.start)
        return StartsWith(
            start=t.meta.start_pos, end=t.meta.end_pos, type=Type.BOOL, operand=receiver, prefix=arg.value
        )

    def _index(self, t: Tree) -> Node | None:
        map_tree, key_tree = t.children
        assert isinstance(map_tree, Tree) and isinstance(key_tree, Tree)
        m = _unwrap(map_tree)
        key = self.value(key_tree, "映射的键")
        if m.data != "map_lit":
            self.build(m)
            self.err(t.meta.start_pos, '只能对映射常量按键取值，例如 {"A": 500000, "B": 300000}[tier]')
            return None
        inits = [c for c in m.children[0].children if isinstance(c, Tree)] if m.children else []
        if not inits:
            self.err(m.meta.start_pos, "映射不能为空")
            return None
        ok = key is not None
        entries: list[tuple[Value, Node]] = []
        keys_seen: set[Value] = set()
        value_type: Type | None = None
        first_value: Node | None = None
        for k_tree, v_tree in zip(inits[::2], inits[1::2], strict=True):
            k, v = self.build(k_tree), self.build(v_tree)
            if k is None or v is None:
                ok = False
                continue
            if not (isinstance(k, Literal) and (k.type is Type.STRING or k.type is Type.INT)):
                self.err(k.start, "映射的键必须是文本或整数常量")
                ok = False
                continue
            if k.value in keys_seen:
                self.err(k.start, f"映射的键 {self.text(k)} 重复")
                ok = False
                continue
            keys_seen.add(k.value)
            if key is not None:
                if unify(key.type, k.type) is None or key.type is None:
                    self.err(
                        k.start,
                        f"映射的键{self.with_type(k)}与{self.subject(key)}（{describe_type(key.type)}）类型不一致",
                        self.field_of(key),
                    )
                    ok = False
                else:
                    self.check_choice(key, k)
            if v.type is not None:
                if value_type is None or first_value is None:
                    value_type, first_value = v.type, v
                else:
                    common = unify(value_type, v.type)
                    if common is None:
                        self.err(
                            v.start,
                            f"映射的值类型不一致：{self.with_type(first_value)}与{self.with_type(v)}",
                        )
                        ok = False
                        continue
                    value_type = common
            entries.append((k.value, v))
        if not ok or key is None:
            return None
        if value_type is None:
            self.err(m.meta.start_pos, "映射的值不能都是 null")
            return None
        return Lookup(
            start=t.meta.start_pos, end=t.meta.end_pos, type=value_type, key=key, entries=tuple(entries)
        )
