"""The rules engine's promise: Python, Polars and SQL give the same answer for every rule and record.

Hypothesis generates random *well-typed* rules — random ASTs over a catalogue with every type (dates,
booleans, strings with and without choices), rendered to CEL text and compiled by ``compile_rule`` —
and random records with nulls everywhere. For every record the three engines must agree on each
clause's True/False/None, on eligibility and on the outcome (floats within a relative 1e-9).

Bounds keep the engines inside the range where they are exact: field values within ±10^6 and every
intermediate number within ±10^12 (so integers never overflow and convert to float exactly); numbers
have at most two decimals or are eighths, so no engine underflows; expression depth is at most 4.

SQL runs against stdlib sqlite3 (always) and through Django's connection (``connection.vendor``; CI
runs the suite on SQLite and on PostgreSQL), the latter with ``percent_escape=True`` and a parameter.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentpark.policies.rules import Clause, CompiledRule, Rule, Type, compile_rule, frame_schema
from talentpark.policies.rules.testing import CATALOGUE, DEGREES, TIERS, create_table_sql, sql_row

LIMIT = 10**12  # bound on every intermediate number
FIELD_BOUND = 10**6
MAX_DEPTH = 4
TODAYS = [dt.date(2026, 11, 22), dt.date(2000, 2, 29)]

INT_FIELDS = ["degree_level", "years_in_park", "papers"]
NUMBER_FIELDS = ["salary", "score"]
BOOL_FIELDS = ["has_patent", "full_time"]
CHOICE_FIELDS = {"tier": TIERS, "degree": DEGREES}
FREE_STRING_FIELDS = ["industry_code", "name"]
DATE_FIELDS = ["birth_date", "arrival_date"]
STRINGS = [
    "",
    "A",
    "B",
    "a",
    "Ab",
    "C39",
    "C3911",
    "c39",
    "it's",
    "100%",
    "a\\b",
    '"q"',
    "张三",
    "_",
    "%_",
    "é",
    "😀x",
]
PREFIXES = ["", "C", "C39", "c", "a", "'", "%", "\\", "张", "😀", "_"]
DATES = [
    dt.date(1981, 1, 1),
    dt.date(1990, 6, 15),
    dt.date(2000, 2, 29),
    dt.date(2000, 3, 1),
    dt.date(2026, 11, 21),
    dt.date(2026, 11, 22),
    dt.date(2026, 11, 23),
]
DIVISORS = [2, 3, 4, 12, -2, 100, 0.5, 1.5, -0.25]


# -- expressions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gen:
    """A generated expression: its CEL text, type, bound on |value| and, for a bare field, its choices."""

    text: str
    type: Type
    bound: float = 0
    choices: tuple[str, ...] = ()
    literal: bool = False


def cel_string(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def cel_number(v: float) -> str:
    return repr(v)


def number_literal() -> st.SearchStrategy[float]:
    return st.one_of(
        st.integers(-(10**6), 10**6).map(lambda k: k / 100),
        st.integers(-800, 800).map(lambda k: k / 8),
    )


@st.composite
def leaf(draw: st.DrawFn, typ: Type) -> Gen:
    match typ:
        case Type.BOOL:
            if draw(st.booleans()):
                return Gen(draw(st.sampled_from(BOOL_FIELDS)), typ)
            return Gen(draw(st.sampled_from(["true", "false"])), typ, literal=True)
        case Type.INT:
            if draw(st.booleans()):
                return Gen(draw(st.sampled_from(INT_FIELDS)), typ, FIELD_BOUND)
            v = draw(st.one_of(st.integers(-5, 5), st.integers(-FIELD_BOUND, FIELD_BOUND)))
            return Gen(str(v), typ, abs(v), literal=True)
        case Type.NUMBER:
            if draw(st.booleans()):
                return Gen(draw(st.sampled_from(NUMBER_FIELDS)), typ, FIELD_BOUND)
            f = draw(number_literal())
            return Gen(cel_number(f), typ, abs(f), literal=True)
        case Type.STRING:
            kind = draw(st.integers(0, 2))
            if kind == 0:
                name = draw(st.sampled_from(sorted(CHOICE_FIELDS)))
                return Gen(name, typ, choices=CHOICE_FIELDS[name])
            if kind == 1:
                return Gen(draw(st.sampled_from(FREE_STRING_FIELDS)), typ)
            return Gen(cel_string(draw(st.sampled_from(STRINGS))), typ, literal=True)
        case _:
            kind = draw(st.integers(0, 2))
            if kind == 0:
                return Gen(draw(st.sampled_from(DATE_FIELDS)), typ)
            if kind == 1:
                return Gen("today", typ)
            return Gen(f'date("{draw(st.sampled_from(DATES)).isoformat()}")', typ, literal=True)


def numeric_type() -> st.SearchStrategy[Type]:
    return st.sampled_from([Type.INT, Type.NUMBER])


@functools.cache
def expr(typ: Type, depth: int) -> st.SearchStrategy[Gen]:
    if depth <= 0:
        return leaf(typ)
    return st.one_of(leaf(typ), composite(typ, depth), composite(typ, depth))


def string_literal_for(draw: st.DrawFn, other: Gen) -> Gen:
    """A string literal that may be compared with ``other`` (one of its choices if it is a choice field)."""
    pool = list(other.choices) if other.choices else STRINGS
    return Gen(cel_string(draw(st.sampled_from(pool))), Type.STRING, literal=True)


def pair_strings(draw: st.DrawFn, a: Gen, b: Gen) -> tuple[Gen, Gen]:
    if a.choices and b.literal:
        b = string_literal_for(draw, a)
    if b.choices and a.literal:
        a = string_literal_for(draw, b)
    return a, b


def ternary(draw: st.DrawFn, typ: Type, depth: int, make: Callable[[], Gen]) -> Gen:
    cond = draw(expr(Type.BOOL, depth - 1))
    a, b = make(), make()
    null_side = draw(st.sampled_from([None, None, None, "then", "else"]))
    a_text = "null" if null_side == "then" else a.text
    b_text = "null" if null_side == "else" else b.text
    typ = Type.INT if a.type is b.type is Type.INT else typ
    return Gen(f"({cond.text} ? {a_text} : {b_text})", typ, max(a.bound, b.bound))


def lookup(draw: st.DrawFn, typ: Type, depth: int, make: Callable[[], Gen]) -> Gen:
    if draw(st.booleans()):
        key = draw(expr(Type.STRING, depth - 1))
        pool = list(key.choices) if key.choices else STRINGS
        keys = [
            cel_string(k) for k in draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True))
        ]
    else:
        key = draw(expr(Type.INT, depth - 1))
        keys = [str(k) for k in draw(st.lists(st.integers(-3, 5), min_size=1, max_size=4, unique=True))]
    values = [make() for _ in keys]
    texts = [v.text for v in values]
    if len(values) > 1 and draw(st.booleans()):
        texts[draw(st.integers(0, len(texts) - 1))] = "null"
    if all(t == "null" for t in texts):  # pragma: no cover - len > 1 keeps one value
        texts[0] = values[0].text
    body = ", ".join(f"{k}: {t}" for k, t in zip(keys, texts, strict=True))
    typ = Type.INT if all(v.type is Type.INT for v in values) else typ
    return Gen(f"({{{body}}}[{key.text}])", typ, max(v.bound for v in values))


@st.composite
def composite(draw: st.DrawFn, typ: Type, depth: int) -> Gen:
    sub = depth - 1

    def child(t: Type) -> Gen:
        return draw(expr(t, sub))

    match typ:
        case Type.BOOL:
            return draw(boolean(depth))
        case Type.INT | Type.NUMBER:
            return draw(numeric(typ, depth))
        case Type.STRING:
            if draw(st.booleans()):
                return ternary(draw, typ, depth, lambda: child(Type.STRING))
            return lookup(draw, typ, depth, lambda: child(Type.STRING))
        case _:
            return ternary(draw, typ, depth, lambda: child(Type.DATE))


@st.composite
def numeric(draw: st.DrawFn, typ: Type, depth: int) -> Gen:
    """An INT expression (typ INT) or any numeric one (typ NUMBER)."""
    sub = depth - 1

    def child() -> Gen:
        return draw(expr(Type.INT if typ is Type.INT else draw(numeric_type()), sub))

    kind = draw(st.integers(0, 6))
    if kind == 2 and typ is Type.NUMBER:
        a = child()
        c = draw(st.sampled_from([d for d in DIVISORS if a.bound / abs(d) <= LIMIT]))
        return Gen(
            f"({a.text} / {cel_number(c) if isinstance(c, float) else c})", Type.NUMBER, a.bound / abs(c)
        )
    if kind <= 2:
        a, b = child(), child()
        op = draw(st.sampled_from(["+", "-", "*"]))
        if op == "*" and a.bound * b.bound > LIMIT:
            op = "+"
        bound = a.bound * b.bound if op == "*" else a.bound + b.bound
        t = Type.INT if a.type is b.type is Type.INT else Type.NUMBER
        return Gen(f"({a.text} {op} {b.text})", t, bound)
    if kind == 3:
        a = child()
        return Gen(f"(- {a.text})", a.type, a.bound)
    if kind == 4:
        a, b = child(), child()
        fn = draw(st.sampled_from(["min", "max"]))
        t = Type.INT if a.type is b.type is Type.INT else Type.NUMBER
        return Gen(f"{fn}({a.text}, {b.text})", t, max(a.bound, b.bound))
    if kind == 5:
        return ternary(draw, typ, depth, child)
    return lookup(draw, typ, depth, child)


@st.composite
def boolean(draw: st.DrawFn, depth: int) -> Gen:
    sub = depth - 1
    b = Type.BOOL
    kind = draw(st.integers(0, 13))
    if kind in (0, 12, 13):  # numeric comparisons weigh triple: most policy clauses are
        x, y = draw(expr(draw(numeric_type()), sub)), draw(expr(draw(numeric_type()), sub))
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
        return Gen(f"({x.text} {op} {y.text})", b)
    if kind == 1:
        x, y = draw(expr(Type.DATE, sub)), draw(expr(Type.DATE, sub))
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
        return Gen(f"({x.text} {op} {y.text})", b)
    if kind == 2:
        x, y = pair_strings(draw, draw(expr(Type.STRING, sub)), draw(expr(Type.STRING, sub)))
        return Gen(f"({x.text} {draw(st.sampled_from(['==', '!=']))} {y.text})", b)
    if kind == 3:
        x, y = draw(expr(b, sub)), draw(expr(b, sub))
        return Gen(f"({x.text} {draw(st.sampled_from(['==', '!=']))} {y.text})", b)
    if kind == 4:
        return Gen(draw(in_list(sub)), b)
    if kind == 5:
        x = draw(expr(Type.STRING, sub))
        # A coded field only takes prefixes some of its values have (anything else is refused).
        prefixes = sorted({""} | {c[:k] for c in x.choices for k in (1, len(c))}) if x.choices else PREFIXES
        return Gen(f"{x.text}.startsWith({cel_string(draw(st.sampled_from(prefixes)))})", b)
    if kind == 6:
        x = draw(expr(draw(st.sampled_from(list(Type))), sub))
        form = draw(st.sampled_from(["{} == null", "{} != null", "null == {}", "null != {}"]))
        return Gen("(" + form.format(x.text) + ")", b)
    if kind in (7, 8):
        x, y = draw(expr(b, sub)), draw(expr(b, sub))
        return Gen(f"({x.text} {'&&' if kind == 7 else '||'} {y.text})", b)
    if kind == 9:
        return Gen(f"(!{draw(expr(b, sub)).text})", b)
    if kind == 10:
        return ternary(draw, b, depth, lambda: draw(expr(b, sub)))
    return lookup(draw, b, depth, lambda: draw(expr(b, sub)))


@st.composite
def in_list(draw: st.DrawFn, depth: int) -> str:
    typ = draw(st.sampled_from([Type.INT, Type.NUMBER, Type.STRING, Type.DATE, Type.BOOL]))
    x = draw(expr(typ, depth))
    items: list[str]
    if typ.numeric:
        nums = draw(st.lists(st.one_of(st.integers(-5, 5), number_literal()), min_size=1, max_size=4))
        items = [cel_number(v) if isinstance(v, float) else str(v) for v in nums]
    elif typ is Type.STRING:
        pool = list(x.choices) if x.choices else STRINGS
        items = [cel_string(s) for s in draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4))]
    elif typ is Type.DATE:
        items = [
            f'date("{d.isoformat()}")' for d in draw(st.lists(st.sampled_from(DATES), min_size=1, max_size=3))
        ]
    else:
        items = draw(st.lists(st.sampled_from(["true", "false"]), min_size=1, max_size=2))
    return f"({x.text} in [{', '.join(items)}])"


# -- rules and records -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    rule: Rule
    records: list[dict[str, Any]]
    today: dt.date

    def __repr__(self) -> str:
        clauses = "\n".join(f"  {c.expr}" for c in self.rule.clauses)
        return f"Case(today={self.today}, outcome={self.rule.outcome!r} [{self.rule.outcome_type}]\n{clauses}\n  records={self.records})"


@st.composite
def rules(draw: st.DrawFn) -> Rule:
    n = draw(st.integers(1, 3))
    clauses = tuple(
        Clause(f"第{i + 1}条", f"条款{i + 1}", draw(expr(Type.BOOL, draw(st.integers(1, MAX_DEPTH)))).text)
        for i in range(n)
    )
    kind = draw(st.sampled_from(["none", "number", "number", "string"]))
    if kind == "none":
        return Rule(clauses=clauses)
    typ = Type.STRING if kind == "string" else Type.NUMBER
    gen = draw(expr(typ if typ is Type.STRING else draw(numeric_type()), draw(st.integers(0, MAX_DEPTH))))
    return Rule(clauses=clauses, outcome=gen.text, outcome_type=typ, outcome_article="第九条")


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy, strategy)


def _record_strategy() -> st.SearchStrategy[dict[str, Any]]:
    values: dict[str, st.SearchStrategy[Any]] = {}
    for name in INT_FIELDS:
        values[name] = maybe(st.one_of(st.integers(-5, 5), st.integers(-FIELD_BOUND, FIELD_BOUND)))
    for name in NUMBER_FIELDS:
        values[name] = maybe(number_literal())
    for name in BOOL_FIELDS:
        values[name] = maybe(st.booleans())
    for name, choices in CHOICE_FIELDS.items():
        values[name] = maybe(st.sampled_from(choices))
    for name in FREE_STRING_FIELDS:
        values[name] = maybe(
            st.one_of(st.sampled_from(STRINGS), st.text(alphabet="aAC39'%_\\张😀", max_size=4))
        )
    for name in DATE_FIELDS:
        values[name] = maybe(
            st.one_of(st.sampled_from(DATES), st.dates(dt.date(1950, 1, 1), dt.date(2040, 12, 31)))
        )
    return st.fixed_dictionaries(values)


RECORDS = _record_strategy()


@st.composite
def cases(draw: st.DrawFn) -> Case:
    return Case(draw(rules()), draw(st.lists(RECORDS, min_size=1, max_size=8)), draw(st.sampled_from(TODAYS)))


# -- the engines -----------------------------------------------------------------------------------

Row = tuple[list[bool | None], bool | None, Any]  # clauses, eligible (3-valued), outcome


def compiled_of(case: Case) -> CompiledRule:
    return compile_rule(case.rule, CATALOGUE)  # a RuleError here is a generator (or checker) bug


def python_rows(rule: CompiledRule, case: Case) -> list[Row]:
    rows: list[Row] = []
    for record in case.records:
        clauses = rule.clause_values(record, case.today)
        eligible = rule.eligible(record, case.today)
        outcome = rule.outcome_value(record, case.today)
        decision = rule.evaluate(record, case.today)
        assert [c.passed for c in decision.clauses] == clauses
        assert decision.eligible is eligible is all(c is True for c in clauses)
        assert _same(decision.outcome, outcome if eligible else None)
        json.dumps(decision.to_json(), ensure_ascii=False)
        rows.append((clauses, eligible, outcome))
    return rows


def polars_rows(rule: CompiledRule, case: Case) -> list[Row]:
    schema = frame_schema(CATALOGUE)
    df = pl.DataFrame([{n: r.get(n) for n in schema} for r in case.records], schema=schema)
    out = rule.to_polars(case.today)
    exprs = {f"c{i}": e for i, e in enumerate(out.clauses)}
    exprs["eligible"] = out.eligible
    if out.outcome is not None:
        exprs["outcome"] = out.outcome
    result = df.with_columns(**exprs)
    rows: list[Row] = []
    for i in range(len(case.records)):
        clauses = [result[f"c{j}"][i] for j in range(len(out.clauses))]
        outcome = result["outcome"][i] if out.outcome is not None else None
        rows.append((clauses, result["eligible"][i], outcome))
    return rows


def sql_query(
    rule: CompiledRule, case: Case, dialect: str, table: str, *, percent_escape: bool, param: str
) -> str:
    columns = {f.name: f'r."{f.name}"' for f in CATALOGUE}
    out = rule.to_sql(dialect, columns, case.today, percent_escape=percent_escape)  # type: ignore[arg-type]
    select = [*out.clauses, out.eligible, out.outcome or "NULL"]
    return f'SELECT {", ".join(select)} FROM "{table}" r WHERE r.id >= {param} ORDER BY r.id'  # noqa: S608


def sql_rows(rule: CompiledRule, raw: Sequence[Sequence[Any]]) -> list[Row]:
    n = len(rule.clause_exprs)

    def three(v: Any) -> bool | None:
        return None if v is None else bool(v)

    return [([three(v) for v in row[:n]], three(row[n]), row[n + 1]) for row in raw]


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def assert_agree(engine: str, case: Case, expected: list[Row], got: list[Row]) -> None:
    assert len(got) == len(expected)
    for record, (p_clauses, p_eligible, p_outcome), (clauses, eligible, outcome) in zip(
        case.records, expected, got, strict=True
    ):
        where = f"{engine} disagrees with Python on {record}"
        assert clauses == p_clauses, where
        assert (eligible is True) is p_eligible, where
        # The engines' eligible expression is the Kleene AND of the clauses (null = undecided).
        kleene = False if False in clauses else (None if None in clauses else True)
        assert eligible is kleene, where
        assert _same(outcome, p_outcome), f"{where}: outcome {outcome!r} != {p_outcome!r}"


# -- the tests -------------------------------------------------------------------------------------

SETTINGS = settings(
    max_examples=500,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_SQLITE: sqlite3.Connection | None = None


def _sqlite() -> sqlite3.Connection:
    global _SQLITE
    if _SQLITE is None:
        _SQLITE = sqlite3.connect(":memory:")
        _SQLITE.execute(create_table_sql(CATALOGUE, "records", "sqlite", temporary=False))
    return _SQLITE


@SETTINGS
@given(case=cases())
def test_python_polars_and_sqlite_agree(case: Case) -> None:
    rule = compiled_of(case)
    expected = python_rows(rule, case)
    assert_agree("Polars", case, expected, polars_rows(rule, case))
    db = _sqlite()
    db.execute("DELETE FROM records")
    placeholders = ", ".join("?" for _ in range(len(CATALOGUE.fields) + 1))
    db.executemany(
        f"INSERT INTO records VALUES ({placeholders})",  # noqa: S608 - placeholders only
        [(i, *sql_row(CATALOGUE, r, "sqlite")) for i, r in enumerate(case.records)],
    )
    raw = db.execute(sql_query(rule, case, "sqlite", "records", percent_escape=False, param="0")).fetchall()
    assert_agree("SQLite", case, expected, sql_rows(rule, raw))


@pytest.mark.django_db(transaction=True)
def test_sql_agrees_through_django_connection() -> None:
    """Runs on whatever database the suite uses: SQLite by default, PostgreSQL with DATABASE_URL."""
    from django.db import connection

    dialect = connection.vendor
    if dialect not in ("sqlite", "postgresql"):  # pragma: no cover
        pytest.skip(f"no SQL dialect for {dialect}")
    table = "rules_agreement"
    with connection.cursor() as cur:
        cur.execute(create_table_sql(CATALOGUE, table, dialect))

    @settings(SETTINGS, max_examples=300)
    @given(case=cases())
    def check(case: Case) -> None:
        rule = compiled_of(case)
        expected = python_rows(rule, case)
        placeholders = ", ".join("%s" for _ in range(len(CATALOGUE.fields) + 1))
        with connection.cursor() as cur:
            cur.execute(f'DELETE FROM "{table}"')  # noqa: S608 - constant
            cur.executemany(
                f'INSERT INTO "{table}" VALUES ({placeholders})',  # noqa: S608 - placeholders only
                [(i, *sql_row(CATALOGUE, r, dialect)) for i, r in enumerate(case.records)],
            )
            # percent_escape: the SQL goes through the DB-API "format" paramstyle with a parameter.
            cur.execute(sql_query(rule, case, dialect, table, percent_escape=True, param="%s"), [0])
            raw = cur.fetchall()
        assert_agree(dialect, case, expected, sql_rows(rule, raw))

    try:
        check()
    finally:
        with connection.cursor() as cur:
            cur.execute(f'DROP TABLE "{table}"')
