"""TalentPark's rules engine: policy conditions written in a small subset of CEL.

Pure Python, no Django. A :class:`Rule` is a list of :class:`Clause` objects (each cites the article of
the policy text it implements, says in plain Chinese what it requires, and holds a boolean CEL
expression) plus an optional *outcome* expression: the amount in yuan (``Type.NUMBER``) or, for talent
certification, the tier (``Type.STRING``). :func:`compile_rule` parses and type-checks a rule against a
:class:`Catalogue` of typed fields and raises :class:`RuleError` listing every problem, each a Chinese
sentence with its clause, line and column. The resulting :class:`CompiledRule` gives the same answer in
three engines, proven by property tests:

* Python, per record: ``evaluate()`` (a :class:`Decision` with an explanation citing articles),
  ``eligible()`` (fast path, no explanation) and ``outcome_value()``;
* Polars, per frame: ``to_polars()`` (build frames with :func:`frame_schema`; apply the expressions with
  ``with_columns``/``filter`` so constant expressions broadcast);
* SQL inside SQLite or PostgreSQL: ``to_sql()``.

Example::

    rule = Rule(
        clauses=(
            Clause("第三条", "具有博士研究生学历", "degree_level >= 4"),
            Clause("第五条", "入区满1年", "years_in_park >= 1"),
            Clause("第六条", "未满45周岁", 'birth_date > date("1981-01-01")'),
        ),
        outcome='{"A": 500000, "B": 300000}[tier]',
        outcome_article="第七条",
    )
    compiled = compile_rule(rule, TALENT)          # raises RuleError
    compiled.evaluate(record, today).explanation   # "符合第三条：…；不符合第五条：入区满1年（入区年限：0）；…"

The language
------------

Only the parser of cel-python is used; everything below is checked before a rule is saved.

Literals
    ``42``, ``-7``, ``0x1F``, ``2.5``, ``1e6``, ``"文本"`` / ``'text'`` (CEL escapes), ``true``,
    ``false``, ``null``; ``date("2024-01-01")`` (the argument must be a literal ISO date). Lists of
    literals appear only on the right of ``in`` (``degree in ["博士", "硕士"]``); map literals with
    literal string or integer keys only as a lookup: ``{"A": 500000, "B": 300000}[tier]`` (a null or
    missing key gives null; values may be any expressions of compatible types, or null).
Names
    the catalogue's fields and ``today`` (the as-of date the rule is evaluated for, a DATE).
Operators
    ``!`` ``-`` (unary), ``* /``, ``+ -``, ``< <= > >= == !=``, ``in``, ``&&``, ``||``, ``c ? a : b``.
Functions
    ``min(a, b)``, ``max(a, b)`` (numbers; null if either is null), ``date("…")``, and on strings
    ``s.startsWith("39")`` (literal prefix).

Types and what each operator accepts
    * BOOL, INT, NUMBER (float), STRING and DATE; every value may be null.
    * INT and NUMBER mix freely: comparisons between them are exact; ``+ - *`` on two INTs give an INT,
      otherwise a NUMBER. ``/`` only divides by a non-zero numeric literal and always gives a NUMBER
      (``salary / 12``), so there is no division by zero and no integer division in any engine.
    * Ordering (``< <= > >=``) only on numbers and on dates — never on strings, whose collation differs
      between databases. Strings take ``== != in startsWith``; there is no string ``+``.
    * A string literal compared with (or listed for, used as a map key for, or as the ``startsWith``
      prefix of) a *coded* field must be a value the data can hold: one of its ``choices``
      (``tier == "F"`` is refused with the list of valid tiers), or a code of its code table
      (``industry == "C39"`` is refused with the form of the codes, "3911", and the hint
      ``industry.startsWith("39")``). Such a comparison could never be true (or ``!=`` never false).
    * Booleans take ``&& || ! == !=``; a clause must be a BOOL, the outcome a number (amount) or a
      string (tier) as the rule's ``outcome_type`` says. The branches of ``?:`` (and the values of a
      map) must have compatible types; ``null`` may be one branch.
    * ``x == null`` / ``x != null`` are null tests (true or false, never null).
    * Anything else is refused: other functions and methods, macros (``.exists()``, ``size()``),
      field selection (``a.b``), ``%``, ``+`` on strings, unsigned or bytes literals.

Null semantics (SQL's three-valued logic, identical in all three engines)
    * Comparisons, arithmetic, ``in``, ``startsWith``, ``min``/``max`` and ``!`` with a null operand
      give null.
    * ``&&``/``||`` are Kleene: ``false && null`` is false, ``true || null`` is true, otherwise null
      wins over true (for ``&&``) or false (for ``||``).
    * ``c ? a : b`` with a null ``c`` takes ``b`` (SQL ``CASE``, Polars ``when/otherwise``).
    * A record is eligible only if every clause is exactly true; a null clause is "undecided" and is
      reported with the fields that are missing.

Engines and storage
    * Python records are mappings of field name to value (bool, int, float, str, ``datetime.date`` or
      None; a missing key counts as null). ``eligible()`` stops at the first clause that is not true
      and builds nothing else; ``evaluate()`` adds the explanation.
    * SQL: the caller maps each field in ``CompiledRule.fields`` to a SQL expression; SQLite stores
      dates as ISO text and booleans as 0/1, PostgreSQL uses ``date`` and ``boolean``. Literals and the
      as-of date are inlined; ``percent_escape=True`` doubles ``%`` in them for ``format``-paramstyle
      cursors (the caller's column expressions are used as given).
    * Polars: build the frame with :func:`frame_schema` (or ``CompiledRule.frame_schema()``).
    * Numbers agree exactly across engines while integers stay within ±2^53 (beyond it PostgreSQL
      and Polars compare integers with floats as floats).

Examples::

    degree_level >= 4 && (has_patent || papers >= 3)
    birth_date >= date("1981-01-01") && hukou_city != null
    industry.startsWith("39") || industry in ["6511", "7320"]
    min(annual_salary * 0.3, 200000)
    {"A": 1000000, "B": 500000, "C": 300000}[tier]
    is_doctor ? 300000 : (is_master ? 100000 : 0)
"""

from .compiler import CheckedExpression, Clause, CompiledRule, Rule, check_expression, compile_rule
from .decision import ClauseResult, Decision
from .errors import RuleError, RuleProblem
from .frames import PolarsRule, frame_schema
from .schema import TODAY, Catalogue, Field, Type
from .sql import Rewrite, SqlRule

__all__ = [
    "TODAY",
    "Catalogue",
    "CheckedExpression",
    "Clause",
    "ClauseResult",
    "CompiledRule",
    "Decision",
    "Field",
    "PolarsRule",
    "Rewrite",
    "Rule",
    "RuleError",
    "RuleProblem",
    "SqlRule",
    "Type",
    "check_expression",
    "compile_rule",
    "frame_schema",
]
