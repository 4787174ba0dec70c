"""The ranking formula, the same on SQLite and PostgreSQL by construction.

BM25 with binary term frequency (a record holds each token once) and a fixed length pivot::

    score = weight × Σ_terms idf(t) × (1 + NAME_BOOST × [t among the record's name tokens])
            + EXACT_BONUS × [the whole query is one of the record's names]
            + PHRASE_BONUS × Σ_zone terms in the query [the term is among the name tokens]

``weight`` is BM25's length normalisation, computed in Python when the row is written and
stored; ``idf`` is computed in Python from document frequencies the index reports. The
database evaluates the same expression over the same stored doubles on both vendors, and
results are ordered by the score rounded to 6 places, then kind, then object id, so ties
break identically. Native ``bm25()``/``ts_rank`` are not used: they are different formulas
and would order the same matches differently on the two vendors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

K1 = 1.2
B = 0.75
LENGTH_PIVOT = 40.0  # a typical record's token count; longer records weigh less
NAME_BOOST = 2.0
EXACT_BONUS = 10.0
PHRASE_BONUS = 1.0
SCORE_DECIMALS = 6


def length_weight(token_count: int) -> float:
    """BM25's (k1 + 1) / (tf + k1·(1 − b + b·len/avglen)) at tf = 1, rounded for storage."""
    norm = 1.0 - B + B * max(token_count, 1) / LENGTH_PIVOT
    return round((K1 + 1.0) / (1.0 + K1 * norm), 6)


def idf(document_frequency: int, total: int) -> float:
    """BM25's idf, never negative, rounded so both vendors get the same parameter."""
    n, df = max(total, 1), max(min(document_frequency, total), 0)
    return round(math.log(1.0 + (n - df + 0.5) / (df + 0.5)), 6)


# -- the formula in SQL ------------------------------------------------------------------

Fragment = tuple[str, list[Any]]  # SQL with %s placeholders, and their parameters in order


def _holds(vendor: str, column: str, token: str) -> Fragment:
    """Whether a " t1  t2 " column holds ``token`` (a substring test; every value a parameter)."""
    function = "strpos" if vendor == "postgresql" else "instr"
    return f"{function}({column}, %s) > 0", [f" {token} "]


def _case(condition: Fragment, then: Fragment, otherwise: Fragment) -> Fragment:
    sql = f"CASE WHEN {condition[0]} THEN {then[0]} ELSE {otherwise[0]} END"
    return sql, [*condition[1], *then[1], *otherwise[1]]


def _value(number: float) -> Fragment:
    return "%s", [float(number)]


def _sum(parts: list[Fragment]) -> Fragment:
    if not parts:
        return _value(0.0)
    return "(" + " + ".join(p[0] for p in parts) + ")", [v for p in parts for v in p[1]]


def score_sql(
    vendor: str,
    tokens: Sequence[str],
    idfs: Mapping[str, float],
    *,
    key: str,
    phrases: Sequence[str],
    partial: bool,
) -> Fragment:
    """The score of one row, as SQL over ``weight``, ``name_tokens`` and ``tokens``.

    Written by hand rather than with ORM expressions: it is rebuilt for every query, and the
    ORM's expression resolution cost more than the database's evaluation. Every number is a
    bound ``float`` parameter, so both vendors compute in double precision on the same values.
    ``partial`` (the OR fallback): a token counts only where the row holds it.
    """
    terms: list[Fragment] = []
    for token in tokens:
        boost = _case(_holds(vendor, "name_tokens", token), _value(1.0 + NAME_BOOST), _value(1.0))
        term: Fragment = (f"%s * ({boost[0]})", [idfs[token], *boost[1]])
        if partial:
            term = _case(_holds(vendor, "tokens", token), term, _value(0.0))
        terms.append(term)
    total = _sum(terms)
    bonuses = [(f"={key}", EXACT_BONUS)] if key else []
    bonuses += [(p, PHRASE_BONUS) for p in phrases]
    extras = [_case(_holds(vendor, "name_tokens", t), _value(b), _value(0.0)) for t, b in bonuses]
    raw = _sum([(f"weight * {total[0]}", total[1]), *extras])
    if vendor == "postgresql":
        return f"ROUND(({raw[0]})::numeric, {SCORE_DECIMALS})::float8", raw[1]
    return f"ROUND({raw[0]}, {SCORE_DECIMALS})", raw[1]


def names_held_sql(vendor: str, words: Sequence[Sequence[str]]) -> Fragment:
    """How many of the typed ``words`` (each its tokens) a row holds whole in its name tokens.

    A query of two or more words (``博士 医药``) ranks the records whose names hold every word
    first, then those holding fewer, then by score; a one-word query is ordered by score alone.
    """
    if len(words) < 2:
        return "0", []
    parts: list[Fragment] = []
    for tokens in words:
        checks = [_holds(vendor, "name_tokens", t) for t in tokens]
        condition = (" AND ".join(c[0] for c in checks), [v for c in checks for v in c[1]])
        parts.append(_case(condition, ("1", []), ("0", [])))
    return _sum(parts)


def held_sql(vendor: str, tokens: Sequence[str]) -> Fragment:
    """How many of ``tokens`` a row holds (the OR fallback orders by this first)."""
    return _sum([_case(_holds(vendor, "tokens", t), ("1", []), ("0", [])) for t in tokens])
