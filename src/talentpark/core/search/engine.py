"""The search itself: segment the query, let the database match, filter and rank; count facets.

1. The query is cut like the documents (:meth:`Segmenter.query_terms`); tokens no record
   holds are left out (and reported), since they could only empty the AND.
2. **AND first.** The database finds the records holding every token (FTS5 ``MATCH`` /
   ``tsv @@ tsquery``), keeps those the user may see — one correlated ``EXISTS`` over
   :func:`~talentpark.core.access.restrict` per kind, i.e. a primary-key probe per match
   rather than a list of every visible record — and the active facet filters, and ranks only
   those matches (:mod:`~talentpark.core.search.ranking`), returning the best ``MAX_RESULTS``.
3. **OR only when AND finds less than a page.** It matches on the query's rarest tokens
   (together held by at most ``OR_BUDGET`` records), and orders by how many of the query's
   tokens a record holds, then by score: the AND matches stay on top.
4. Kind counts, the total and the facets come from the returned rows (with one extra
   ``GROUP BY kind`` when there were more than ``MAX_RESULTS``); titles and snippets are
   fetched for the page only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Exists, FloatField, IntegerField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.safestring import SafeString

from talentpark.core.access import can, restrict
from talentpark.core.search import backends
from talentpark.core.search.documents import (
    FACET_BY_PARAM,
    FACETS,
    SearchKind,
    facet_labels,
    get_kind,
    kinds,
)
from talentpark.core.search.highlight import highlight, snippet
from talentpark.core.search.models import SearchDocument
from talentpark.core.search.ranking import SCORE_DECIMALS, held_sql, idf, names_held_sql, score_sql
from talentpark.core.search.segmenter import QueryTerms, segmenter

PAGE_SIZE = 20
MAX_RESULTS = 1000  # the database returns at most this many ranked rows per query
MAX_PAGE = 50
MAX_QUERY_CHARS = 200
MAX_FILTER_CHARS = 40
MAX_FACET_VALUES = 20
OR_BUDGET = 1000  # the OR fallback matches on its rarest tokens, held by ≤ this many records together
# Up to this many AND matches (before the access filter), every match is scored and every kind
# counted exactly; above, the top-k cut ranks only what the result list can show and each kind
# is counted up to COUNT_CAP ("1000+"): a list shows at most MAX_RESULTS anyway.
FULL_SCORING_LIMIT = 2000
COUNT_CAP = MAX_RESULTS


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str
    object_id: int
    title: str
    title_html: SafeString
    snippet: SafeString
    url: str
    score: float


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    active: bool
    more: bool = False  # the count is a lower bound: counted up to COUNT_CAP


@dataclass(frozen=True)
class FacetCounts:
    param: str
    label: str
    values: list[FacetValue]


@dataclass
class SearchResults:
    query: str
    terms: QueryTerms | None
    mode: str  # "and", "or", or "" when nothing was searched
    total: int
    page: int
    page_size: int
    hits: list[Hit]
    kind_counts: list[FacetValue]
    facets: list[FacetCounts]
    filters: dict[str, str] = field(default_factory=dict)
    facets_sampled: bool = False  # facets counted over the best MAX_RESULTS rows only
    ignored: list[str] = field(default_factory=list)  # query tokens no record holds
    complete: int = 0  # how many of the results hold every token (the AND matches)
    total_exact: bool = True  # False: there are more than ``total`` (kinds counted up to COUNT_CAP)

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.total // self.page_size)), -(-MAX_RESULTS // self.page_size))


def visible_kinds(user: Any) -> list[SearchKind]:
    """The kinds the user's role may view at all."""
    return [k for k in kinds() if can(user, k.model, "view")]


def access_filter(user: Any, allowed: Sequence[SearchKind]) -> Q:
    """Rows of records the user may view: per kind, ``EXISTS`` over the kind's scoped queryset."""
    cond = Q(pk__in=[])
    for kind in allowed:
        scoped = restrict(kind.model._default_manager.filter(pk=OuterRef("object_id")), user, "view")
        cond |= Q(kind=kind.kind) & Q(Exists(scoped.values("pk")))
    return cond


def clean_filters(raw: Mapping[str, Any]) -> dict[str, str]:
    """Facet filters from GET parameters; unknown parameters and oversize values are dropped."""
    out: dict[str, str] = {}
    for param in FACET_BY_PARAM:
        value = str(raw.get(param) or "").strip()[:MAX_FILTER_CHARS]
        if value and value.replace(".", "").replace("_", "").isalnum():
            out[param] = value
    return out


def facet_filter(filters: Mapping[str, str]) -> Q:
    cond = Q()
    for param, value in filters.items():
        spec = FACET_BY_PARAM[param]
        if spec.multi:
            cond &= Q(**{f"{spec.column}__contains": f" {value} "})
        elif spec.column == "f_year":
            cond &= Q(f_year=int(value)) if value.isdigit() and len(value) == 4 else Q(pk__in=[])
        else:
            cond &= Q(**{spec.column: value})
    return cond


FACET_COLUMNS = tuple(f.column for f in FACETS)
Row = tuple[Any, ...]  # (id, kind, object_id, score, *FACET_COLUMNS, rank, rank in kind, kind count)


@dataclass
class RankedRows:
    """The best ``MAX_RESULTS`` matches of one query, and the exact count per kind."""

    rows: list[Row]
    kind_counts: Counter[str]
    capped: frozenset[str] = frozenset()  # kinds counted only up to COUNT_CAP (there are more)

    @property
    def total(self) -> int:
        return sum(self.kind_counts.values())


@dataclass(frozen=True)
class PreparedQuery:
    """A query's tokens with their document frequencies (read once, before ranking)."""

    terms: QueryTerms
    counts: Mapping[str, int]
    idfs: Mapping[str, float]


def prepare(terms: QueryTerms, counts: Mapping[str, int]) -> PreparedQuery:
    total = backends.frequencies.total()
    return PreparedQuery(terms, counts, {t: idf(counts[t], total) for t in terms.required})


@contextmanager
def ranking_session() -> Iterator[None]:
    """Where the ranking queries run. On PostgreSQL, without JIT: its cost model sees the
    per-kind sub-plans as expensive and JIT-compiles the score expression, which took 0.5 s of
    a 0.65 s query at 10× seed scale; ``SET LOCAL`` keeps the change to this transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


# Over the matches: the overall rank, the rank within the kind, and the kind's count, in the
# one pass that also ranks — so the total, every kind's count and each kind's best rows come
# back without a second scan of the matches.
WINDOWED_SQL = (
    "SELECT {columns}, rn, kind_rn, kind_n FROM ("
    " SELECT r.*,"
    " ROW_NUMBER() OVER (ORDER BY r.held DESC, r.named DESC, r.score DESC, r.kind, r.object_id) AS rn,"
    " ROW_NUMBER() OVER (PARTITION BY r.kind ORDER BY r.held DESC, r.named DESC, r.score DESC, r.object_id)"
    " AS kind_rn,"
    " COUNT(*) OVER (PARTITION BY r.kind) AS kind_n"
    " FROM ({inner}) r) w"
    " WHERE rn <= %s OR kind_rn <= %s OR (kind = %s AND kind_rn <= %s)"
    " ORDER BY rn"
)
ROW_COLUMNS = ("id", "kind", "object_id", "score", *FACET_COLUMNS)


def _scored(matching: QuerySet[SearchDocument], query: PreparedQuery, mode: str) -> QuerySet[SearchDocument]:
    """``matching`` with the ranking columns: ``score``, ``held`` (OR mode: how many tokens the
    row holds) and ``named`` (how many typed words its names hold whole)."""
    vendor, terms = connection.vendor, query.terms
    score, params = score_sql(
        vendor,
        terms.required,
        query.idfs,
        key=terms.key,
        phrases=terms.phrases,
        partial=mode == "or",
    )
    # OR mode: records holding more of the query's tokens first (the AND matches on top).
    held, held_params = held_sql(vendor, terms.required) if mode == "or" else ("0", [])
    named, named_params = names_held_sql(vendor, terms.words)
    return matching.annotate(
        score=RawSQL(score, params, output_field=FloatField()),  # noqa: S611
        held=RawSQL(held, held_params, output_field=IntegerField()),  # noqa: S611
        named=RawSQL(named, named_params, output_field=IntegerField()),  # noqa: S611
    ).order_by()


def _ranked(
    matching: QuerySet[SearchDocument], query: PreparedQuery, mode: str, kind: str = ""
) -> RankedRows:
    """The database ranks every match and returns the best ``MAX_RESULTS`` (with ``kind``: that
    kind's best ``MAX_RESULTS``), with the exact count of every kind, in one pass."""
    qs = _scored(matching, query, mode)
    try:
        inner, inner_params = qs.values_list(*ROW_COLUMNS, "held", "named").query.sql_with_params()
    except EmptyResultSet:  # a filter that nothing can match (e.g. year=abcd)
        return RankedRows([], Counter())
    sql = WINDOWED_SQL.format(columns=", ".join(ROW_COLUMNS), inner=inner)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*inner_params, MAX_RESULTS, 1, kind, MAX_RESULTS])
        found = cursor.fetchall()
    counts = Counter({row[1]: row[-1] for row in found})
    width = len(ROW_COLUMNS)
    if kind:
        return RankedRows([row[:width] for row in found if row[1] == kind], counts)
    return RankedRows([row[:width] for row in found if row[-3] <= MAX_RESULTS], counts)


# -- the top-k cut -------------------------------------------------------------------------

WEIGHT_INDEX = "core_search_weight_idx"
BOUNDED_COUNT_SQL = "SELECT %s, COUNT(*) FROM ({inner} LIMIT %s) {alias}"


def _sql(qs: QuerySet[Any]) -> tuple[str, tuple[Any, ...]] | None:
    try:
        return qs.query.sql_with_params()
    except EmptyResultSet:
        return None


def _fetch(qs: QuerySet[Any], *, index: str = "") -> list[Row]:
    compiled = _sql(qs)
    if compiled is None:
        return []
    sql, params = compiled
    if index and connection.vendor == "sqlite":
        # SQLite cannot know how many rows an FTS5 sub-select returns: tell it which index to walk.
        table = '"core_searchdocument"'
        sql = sql.replace(f"FROM {table}", f"FROM {table} INDEXED BY {index}", 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _kind_index() -> str:
    """SQLite's index of the (kind, object_id) unique constraint (its name is SQLite's own, and
    a table rebuilt by a migration may get another: it is looked up each time, in a few µs)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.name FROM pragma_index_list('core_searchdocument') l"
            " WHERE l.\"unique\" = 1 AND (SELECT group_concat(i.name, ',') FROM"
            " (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno) i) = 'kind,object_id'"
        )
        row = cursor.fetchone()
    return row[0] if row else ""


def _kind_counts(scoped: Mapping[str, QuerySet[SearchDocument]], cap: int) -> Counter[str]:
    """Every kind's matches, each counted up to ``cap + 1``, in one statement.

    ``scoped`` holds, per kind, that kind's matches under *that kind's* access condition only
    (``kind = X AND EXISTS(X's scope)``), which is the shared condition — ``OR`` over every
    kind's scope — with its other branches false. Standing alone, the ``EXISTS`` becomes a
    semi-join the database can stop after ``cap + 1`` rows (PostgreSQL: a nested loop of
    primary-key probes, instead of hashing every visible record of every kind and visiting
    every match once per kind). On SQLite each count walks its kind's rows through the
    (kind, object_id) index, probing the FTS5 matches, and stops at the cap.
    """
    kind_index = _kind_index() if connection.vendor == "sqlite" else ""
    parts: list[str] = []
    params: list[Any] = []
    for n, (name, matching) in enumerate(scoped.items()):
        compiled = _sql(matching.values("id"))
        if compiled is None:
            continue
        inner, inner_params = compiled
        if kind_index:
            table = '"core_searchdocument"'
            inner = inner.replace(f"FROM {table}", f'FROM {table} INDEXED BY "{kind_index}"', 1)
        parts.append(BOUNDED_COUNT_SQL.format(inner=inner, alias=f"c{n}"))
        params += [name, *inner_params, int(cap) + 1]
    if not parts:
        return Counter()
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return Counter({name: int(n) for name, n in cursor.fetchall() if n})


def _ranked_top(
    base: QuerySet[SearchDocument],
    query: PreparedQuery,
    scoped: Mapping[str, QuerySet[SearchDocument]],
    kind: str = "",
    k: int = MAX_RESULTS,
) -> RankedRows:
    """The best ``k`` AND matches without scoring every match (the same rows, in the same
    order, as :func:`_ranked`), and every kind's count up to ``COUNT_CAP``.

    A match whose names hold none of the query's tokens (nor the whole query, nor a zone term
    of it) gets no name boost and no bonus: its score is exactly ``weight × Σ idf``, so among
    those the best are the heaviest. The database therefore scores (a) the matches with a name
    hit — found through the names index, usually a small part — and (b) the first ``k`` of the
    others in ``weight`` order (an index walk that stops at ``k``), plus (c) the few rows whose
    lighter weight rounds to the same score as the ``k``-th of (b) (ties break by kind and id).
    The union holds the true best ``k``; Python merges it in the ranking's order.

    ``scoped`` maps each visible kind to its rows under that kind's access condition alone
    (see :func:`_kind_counts`); a kind tab ranks from its own.
    """
    terms = query.terms
    base_rows = scoped[kind] if kind else base
    wanted = [*terms.required, *terms.phrases, *([f"={terms.key}"] if terms.key else [])]
    named = backends.names_match(list(dict.fromkeys(wanted)))
    columns = (*ROW_COLUMNS, "named", "weight")
    # Any: the annotations (score, named) are not model fields the type checker knows.
    named_rows: Any = _scored(
        base_rows.filter(named).filter(backends.match(terms.required, drive=False)), query, "and"
    )
    hits = _fetch(named_rows.order_by("-named", "-score", "kind", "object_id").values_list(*columns)[:k])
    rest: Any = _scored(base_rows.filter(backends.match(terms.required)).exclude(named), query, "and")
    heavy = _fetch(
        rest.order_by("-weight", "kind", "object_id").values_list(*columns)[:k], index=WEIGHT_INDEX
    )
    ties: list[Row] = []
    total_idf = sum(query.idfs[t] for t in terms.required)
    if len(heavy) == k and total_idf > 0:
        last_weight, last_score = heavy[-1][-1], heavy[-1][3]
        margin = 2 * 10.0**-SCORE_DECIMALS / total_idf
        ties = _fetch(
            rest.filter(weight__gte=last_weight - margin, weight__lt=last_weight, score=last_score)
            .order_by("kind", "object_id")
            .values_list(*columns)[:k],
            index=WEIGHT_INDEX,
        )
    merged = sorted([*hits, *heavy, *ties], key=lambda r: (-r[-2], -r[3], r[1], r[2]))[:k]
    width = len(ROW_COLUMNS)
    matched = backends.match(terms.required)
    counts = _kind_counts({name: rows.filter(matched) for name, rows in scoped.items()}, COUNT_CAP)
    capped = frozenset(name for name, n in counts.items() if n > COUNT_CAP)
    for name in capped:
        counts[name] = COUNT_CAP
    return RankedRows([tuple(r[:width]) for r in merged], counts, capped)


def or_tokens(query: PreparedQuery) -> list[str]:
    """The tokens the OR fallback matches on: the rarest ones, as long as together they are
    held by at most ``OR_BUDGET`` records (the rarest is always taken).

    The OR fallback must not hand the database thousands of records to score because one
    token of the query is common (``有限公司``, ``研究生``): records holding only common tokens
    would rank last anyway. Ranking still counts every token of the query.
    """
    counts = query.counts
    chosen: list[str] = []
    used = 0
    for token in sorted(query.terms.required, key=lambda t: (counts[t], t)):
        if chosen and used + counts[token] > OR_BUDGET:
            break
        chosen.append(token)
        used += counts[token]
    return chosen


def _count_facets(rows: list[Row], filters: Mapping[str, str]) -> list[FacetCounts]:
    counters: dict[str, Counter[str]] = {}
    for offset, spec in enumerate(FACETS, start=4):
        values = [row[offset] for row in rows]
        if spec.multi:
            counters[spec.param] = Counter(v for value in values if value for v in value.split())
        else:
            counters[spec.param] = Counter(str(v) for v in values if v not in (None, ""))
    out: list[FacetCounts] = []
    for spec in FACETS:
        counter = counters[spec.param]
        if not counter:
            continue
        labels = facet_labels(spec.param, counter.keys())
        ordered = (
            sorted(counter.items(), key=lambda kv: kv[0], reverse=True)
            if spec.param == "year"
            else sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        values = [
            FacetValue(v, labels.get(v, v), n, filters.get(spec.param) == v)
            for v, n in ordered[:MAX_FACET_VALUES]
        ]
        out.append(FacetCounts(spec.param, spec.label, values))
    return out


def search(
    user: Any,
    query: str,
    *,
    kind: str = "",
    filters: Mapping[str, str] | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    with_facets: bool = True,
) -> SearchResults:
    """Search everything ``user`` may see. Never raises on odd input: it finds nothing instead."""
    query = (query or "").strip()[:MAX_QUERY_CHARS]
    filters = clean_filters(filters or {})
    page = min(max(1, page), MAX_PAGE)
    empty = SearchResults(query, None, "", 0, page, page_size, [], [], [], filters)
    allowed = visible_kinds(user)
    if not query or not allowed:
        return empty
    segmenter.ensure_loaded()
    cut = segmenter.query_terms(query)
    # A token no record holds would only empty the AND: it is left out (and reported).
    counts = backends.frequencies.of(cut.required)
    terms = replace(cut, required=tuple(t for t in cut.required if counts[t]))
    ignored = [t for t in cut.required if not counts[t]]
    if not terms:
        empty.terms, empty.ignored = cut, ignored
        return empty
    by_kind = {k.kind: k for k in allowed}
    kind = kind if kind in by_kind else ""
    prepared = prepare(terms, counts)
    narrowed = facet_filter(filters)
    base = SearchDocument.objects.filter(access_filter(user, allowed) & narrowed)
    start = (page - 1) * page_size
    with ranking_session():
        mode, matching = "and", base.filter(backends.match(terms.required, "AND"))
        if is_broad(terms, counts):
            wanted = MAX_RESULTS if with_facets else min(MAX_RESULTS, start + page_size)
            scoped = {
                k.kind: SearchDocument.objects.filter(Q(kind=k.kind) & access_filter(user, [k]) & narrowed)
                for k in allowed
            }
            ranked = _ranked_top(base, prepared, scoped, kind, wanted)
        else:
            ranked = _ranked(matching, prepared, mode, kind)
        complete = ranked.kind_counts.copy()
        if ranked.total < page_size and not ranked.capped and len(terms.required) > 1:
            mode, matching = "or", base.filter(backends.match(or_tokens(prepared), "OR"))
            ranked = _ranked(matching, prepared, mode, kind)
    rows = ranked.rows
    total = ranked.kind_counts[kind] if kind else ranked.total
    capped = bool(ranked.capped & ({kind} if kind else set(by_kind)))
    return SearchResults(
        query=query,
        terms=terms,
        mode=mode,
        total=total,
        page=page,
        page_size=page_size,
        hits=_hits(rows[start : start + page_size], terms, by_kind),
        kind_counts=[
            FacetValue(k.kind, k.label, ranked.kind_counts[k.kind], k.kind == kind, k.kind in ranked.capped)
            for k in allowed
            if ranked.kind_counts[k.kind]
        ],
        facets=_count_facets(rows, filters) if with_facets else [],
        filters=filters,
        facets_sampled=len(rows) < total or capped,
        ignored=ignored,
        complete=complete[kind] if kind else sum(complete.values()),
        total_exact=not capped,
    )


def is_broad(terms: QueryTerms, counts: Mapping[str, int]) -> bool:
    """Whether the AND matches (before access and facet filters) exceed ``FULL_SCORING_LIMIT``:
    the rarest token bounds them; only when it is common are they counted (up to the limit)."""
    if min(counts[t] for t in terms.required) <= FULL_SCORING_LIMIT:
        return False
    return backends.match_count(terms.required, FULL_SCORING_LIMIT) > FULL_SCORING_LIMIT


def _hits(rows: list[tuple[Any, ...]], terms: QueryTerms, by_kind: Mapping[str, SearchKind]) -> list[Hit]:
    docs = SearchDocument.objects.only("title", "summary").in_bulk([r[0] for r in rows])
    hits = []
    for row_id, kind_name, object_id, score, *_ in rows:
        doc = docs.get(row_id)
        if doc is None:
            continue
        kind = by_kind.get(kind_name) or get_kind(kind_name)
        hits.append(
            Hit(
                kind=kind_name,
                kind_label=kind.label,
                object_id=object_id,
                title=doc.title,
                title_html=highlight(doc.title, terms),
                snippet=snippet(doc.summary, terms),
                url=reverse(kind.url_name, args=[object_id]),
                score=float(score),
            )
        )
    return hits
