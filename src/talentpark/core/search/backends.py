"""Vendor SQL of the search index: DDL, the match condition and document frequencies.

* **SQLite**: ``core_searchdocument_fts``, an FTS5 *external-content* table over
  ``core_searchdocument.tokens`` (``detail=none``: no positions, we never ask for phrases),
  kept in step by three triggers. Its tokenizer splits on separators only, so it sees
  exactly the tokens :mod:`talentpark.core.search.text` made.
* **PostgreSQL**: ``tsv``, a *generated* ``tsvector`` column built with ``array_to_tsvector``
  from the same tokens (no parser, no dictionary, no stemming), with a GIN index.

A query is a list of tokens made of letters and digits only; it becomes ``"a" AND "b"`` for
FTS5 and ``'a' & 'b'`` for ``tsquery``, so user input never reaches either query language.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

# Literal SQL (no string building): the table names are fixed, every value is a parameter.
SQLITE_DDL = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS core_searchdocument_fts USING fts5(
        tokens, content='core_searchdocument', content_rowid='id', detail=none, columnsize=0,
        tokenize="unicode61 remove_diacritics 0 categories 'L* N* M* Co Cn'")""",
    """CREATE TRIGGER IF NOT EXISTS core_searchdocument_fts_insert AFTER INSERT ON core_searchdocument
        BEGIN
        INSERT INTO core_searchdocument_fts(rowid, tokens) VALUES (new.id, new.tokens);
        END""",
    """CREATE TRIGGER IF NOT EXISTS core_searchdocument_fts_delete AFTER DELETE ON core_searchdocument
        BEGIN
        INSERT INTO core_searchdocument_fts(core_searchdocument_fts, rowid, tokens)
            VALUES ('delete', old.id, old.tokens);
        END""",
    """CREATE TRIGGER IF NOT EXISTS core_searchdocument_fts_update AFTER UPDATE ON core_searchdocument
        BEGIN
        INSERT INTO core_searchdocument_fts(core_searchdocument_fts, rowid, tokens)
            VALUES ('delete', old.id, old.tokens);
        INSERT INTO core_searchdocument_fts(rowid, tokens) VALUES (new.id, new.tokens);
        END""",
)
# The names index: the same over ``name_tokens`` (a record's title, short names, person name and
# its pinyin, and the whole names behind "="). It finds the records a query can score above
# ``weight × Σ idf`` (a name boost or bonus); every other match scores exactly that, so the
# top-k cut orders them by ``weight`` alone (see engine._ranked_top).
SQLITE_NAMES_DDL = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS core_searchdocument_names USING fts5(
        name_tokens, content='core_searchdocument', content_rowid='id', detail=none, columnsize=0,
        tokenize="unicode61 remove_diacritics 0 categories 'L* N* M* Co Cn'")""",
    """CREATE TRIGGER IF NOT EXISTS core_searchdocument_names_insert AFTER INSERT ON core_searchdocument
        BEGIN
        INSERT INTO core_searchdocument_names(rowid, name_tokens) VALUES (new.id, new.name_tokens);
        END""",
    """CREATE TRIGGER IF NOT EXISTS core_searchdocument_names_delete AFTER DELETE ON core_searchdocument
        BEGIN
        INSERT INTO core_searchdocument_names(core_searchdocument_names, rowid, name_tokens)
            VALUES ('delete', old.id, old.name_tokens);
        END""",
    """CREATE TRIGGER IF NOT EXISTS core_searchdocument_names_update AFTER UPDATE ON core_searchdocument
        BEGIN
        INSERT INTO core_searchdocument_names(core_searchdocument_names, rowid, name_tokens)
            VALUES ('delete', old.id, old.name_tokens);
        INSERT INTO core_searchdocument_names(rowid, name_tokens) VALUES (new.id, new.name_tokens);
        END""",
)
SQLITE_OBJECTS = (
    "core_searchdocument_fts",
    "core_searchdocument_fts_insert",
    "core_searchdocument_fts_delete",
    "core_searchdocument_fts_update",
    "core_searchdocument_names",
    "core_searchdocument_names_insert",
    "core_searchdocument_names_delete",
    "core_searchdocument_names_update",
)
SQLITE_REBUILD = (
    "INSERT INTO core_searchdocument_fts(core_searchdocument_fts) VALUES ('rebuild')",
    "INSERT INTO core_searchdocument_names(core_searchdocument_names) VALUES ('rebuild')",
)
SQLITE_OPTIMIZE = (
    "INSERT INTO core_searchdocument_fts(core_searchdocument_fts) VALUES ('optimize')",
    "INSERT INTO core_searchdocument_names(core_searchdocument_names) VALUES ('optimize')",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS core_searchdocument_names_update",
    "DROP TRIGGER IF EXISTS core_searchdocument_names_delete",
    "DROP TRIGGER IF EXISTS core_searchdocument_names_insert",
    "DROP TABLE IF EXISTS core_searchdocument_names",
    "DROP TRIGGER IF EXISTS core_searchdocument_fts_update",
    "DROP TRIGGER IF EXISTS core_searchdocument_fts_delete",
    "DROP TRIGGER IF EXISTS core_searchdocument_fts_insert",
    "DROP TABLE IF EXISTS core_searchdocument_fts",
)
POSTGRES_DDL = (
    """ALTER TABLE core_searchdocument ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS
        (array_to_tsvector(array_remove(string_to_array(tokens, ' '), ''))) STORED""",
    "CREATE INDEX IF NOT EXISTS core_searchdocument_tsv_gin ON core_searchdocument USING gin (tsv)",
    """ALTER TABLE core_searchdocument ADD COLUMN IF NOT EXISTS name_tsv tsvector GENERATED ALWAYS AS
        (array_to_tsvector(array_remove(string_to_array(name_tokens, ' '), ''))) STORED""",
    "CREATE INDEX IF NOT EXISTS core_searchdocument_name_tsv_gin ON core_searchdocument USING gin (name_tsv)",
)
POSTGRES_INDEXES = ("core_searchdocument_tsv_gin", "core_searchdocument_name_tsv_gin")
POSTGRES_DROP = (
    "DROP INDEX IF EXISTS core_searchdocument_name_tsv_gin",
    "ALTER TABLE core_searchdocument DROP COLUMN IF EXISTS name_tsv",
    "DROP INDEX IF EXISTS core_searchdocument_tsv_gin",
    "ALTER TABLE core_searchdocument DROP COLUMN IF EXISTS tsv",
)
# A bulk load on SQLite: the two insert triggers cost several times the insert itself (one FTS
# statement per row). ``bulk_insert`` drops them inside the caller's transaction, fills both
# FTS tables from the new rows with one statement each, and creates the triggers again before
# the transaction ends, so no other connection ever sees the table without them.
SQLITE_INSERT_TRIGGERS = ("core_searchdocument_fts_insert", "core_searchdocument_names_insert")
SQLITE_BULK_BEGIN = (
    "DROP TRIGGER core_searchdocument_fts_insert",
    "DROP TRIGGER core_searchdocument_names_insert",
)
SQLITE_BULK_FILL = (
    "INSERT INTO core_searchdocument_fts(rowid, tokens) SELECT id, tokens FROM core_searchdocument WHERE id > %s",
    """INSERT INTO core_searchdocument_names(rowid, name_tokens)
        SELECT id, name_tokens FROM core_searchdocument WHERE id > %s""",
)
SQLITE_BULK_END = (SQLITE_DDL[1], SQLITE_NAMES_DDL[1])
SQLITE_MATCH = "SELECT rowid FROM core_searchdocument_fts WHERE core_searchdocument_fts MATCH %s"
POSTGRES_MATCH = "core_searchdocument.tsv @@ %s::tsquery"
SQLITE_NAMES_MATCH = "SELECT rowid FROM core_searchdocument_names WHERE core_searchdocument_names MATCH %s"
POSTGRES_NAMES_MATCH = "core_searchdocument.name_tsv @@ %s::tsquery"
SQLITE_COUNT = "SELECT COUNT(*) FROM core_searchdocument_fts WHERE core_searchdocument_fts MATCH %s"
POSTGRES_COUNT = "SELECT COUNT(*) FROM core_searchdocument WHERE tsv @@ %s::tsquery"
POSTGRES_BOUNDED_COUNT = (
    "SELECT COUNT(*) FROM (SELECT 1 FROM core_searchdocument WHERE tsv @@ %s::tsquery LIMIT %s) m"
)
TOTAL_COUNT = "SELECT COUNT(*) FROM core_searchdocument"


def create_index(conn: Any = None) -> None:
    """Create the full-text index (idempotent; the migration and ``search_rebuild`` call it).

    On SQLite a table rebuilt by a later ``ALTER`` migration loses its triggers: when any
    trigger was missing, they are recreated and the FTS table is rebuilt from the rows.
    """
    conn = conn or connection
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            # ALTER TABLE, even a no-op, fails inside a transaction with pending FK checks.
            cursor.execute(
                "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'core_searchdocument'"
                " AND indexname IN (%s, %s)",
                POSTGRES_INDEXES,
            )
            if cursor.fetchone()[0] == len(POSTGRES_INDEXES):
                return
            for sql in POSTGRES_DDL:
                cursor.execute(sql)
    elif conn.vendor == "sqlite":
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s, %s, %s, %s, %s)",
                SQLITE_OBJECTS,
            )
            if cursor.fetchone()[0] == len(SQLITE_OBJECTS):
                return
            for sql in (*SQLITE_DDL, *SQLITE_NAMES_DDL, *SQLITE_REBUILD):
                cursor.execute(sql)


def bulk_insert(sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """``executemany(sql, rows)`` of new index rows, in the caller's transaction.

    On SQLite inside a transaction, with the FTS triggers in place, the full-text tables are
    filled with one statement each instead of one trigger per row: same postings, several
    times less work for a large batch. Rows are numbered above the highest id (the table is
    AUTOINCREMENT and the transaction holds the write lock), so ``id > highest`` is exactly
    the new rows.
    """
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite" or not connection.in_atomic_block:
            cursor.executemany(sql, rows)
            return
        cursor.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s)",
            SQLITE_INSERT_TRIGGERS,
        )
        if cursor.fetchone()[0] != len(SQLITE_INSERT_TRIGGERS):
            cursor.executemany(sql, rows)
            return
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM core_searchdocument")
        highest = cursor.fetchone()[0]
        for statement in SQLITE_BULK_BEGIN:
            cursor.execute(statement)
        cursor.executemany(sql, rows)
        for statement in SQLITE_BULK_FILL:
            cursor.execute(statement, [highest])
        for statement in SQLITE_BULK_END:
            cursor.execute(statement)


def drop_index(conn: Any = None) -> None:
    conn = conn or connection
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(conn.vendor, ())
    with conn.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def optimize_index(tables: Sequence[str] = ()) -> None:
    """After a bulk load: merge FTS5's segments; refresh the planner's statistics of the index
    and of ``tables`` (the record tables the access filter probes: without statistics after a
    bulk load, PostgreSQL hashes every visible record instead of probing the matches)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for sql in SQLITE_OPTIMIZE:
                cursor.execute(sql)
            tables = ()  # SQLite always probes a correlated EXISTS by primary key
        for table in ("core_searchdocument", *tables):
            cursor.execute(f"ANALYZE {quote(table)}")


def _fts_query(tokens: Sequence[str], operator: str) -> str:
    return f" {operator} ".join('"' + t.replace('"', '""') + '"' for t in tokens)


def _tsquery(tokens: Sequence[str], operator: str) -> str:
    op = "&" if operator == "AND" else "|"
    return f" {op} ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in tokens)


def match(tokens: Sequence[str], operator: str = "AND", *, drive: bool = True) -> Q:
    """Rows whose tokens contain all (``AND``) or any (``OR``) of ``tokens``.

    ``drive=False`` (SQLite): the match only filters rows that another condition finds (the
    names index, say), instead of SQLite looking up every match by its rowid first.
    """
    if not tokens:
        return Q(pk__in=[])
    if connection.vendor == "postgresql":
        return Q(RawSQL(POSTGRES_MATCH, [_tsquery(tokens, operator)], BooleanField()))  # noqa: S611
    if connection.vendor == "sqlite":
        if not drive:  # a unary "+" keeps SQLite from driving the query from this term
            sql = f"+core_searchdocument.id IN ({SQLITE_MATCH})"
            return Q(RawSQL(sql, [_fts_query(tokens, operator)], BooleanField()))  # noqa: S611
        return Q(id__in=RawSQL(SQLITE_MATCH, [_fts_query(tokens, operator)]))  # noqa: S611
    raise NotImplementedError(f"search supports SQLite and PostgreSQL, not {connection.vendor}")


def names_match(tokens: Sequence[str]) -> Q:
    """Rows whose name tokens hold any of ``tokens`` (on PostgreSQL a token may be "=whole name")."""
    if not tokens:
        return Q(pk__in=[])
    if connection.vendor == "postgresql":
        return Q(RawSQL(POSTGRES_NAMES_MATCH, [_tsquery(tokens, "OR")], BooleanField()))  # noqa: S611
    # FTS5 splits "=鲁擎重工" at the "=": the whole name is the token itself.
    plain = list(dict.fromkeys(t.lstrip("=") for t in tokens if t.lstrip("=")))
    return Q(id__in=RawSQL(SQLITE_NAMES_MATCH, [_fts_query(plain, "OR")]))  # noqa: S611


def match_count(tokens: Sequence[str], limit: int) -> int:
    """How many index rows hold every token (no access filter), counted up to ``limit + 1``:
    FTS5 counts from its doclists alone; PostgreSQL stops the bitmap heap scan at the limit."""
    params: list[Any]
    if connection.vendor == "postgresql":
        sql, params = POSTGRES_BOUNDED_COUNT, [_tsquery(tokens, "AND"), int(limit) + 1]
    else:
        sql, params = SQLITE_COUNT, [_fts_query(tokens, "AND")]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


class DocumentFrequencies:
    """How many documents hold a token (for idf), cached per process.

    Cleared whenever this process writes the index, and after ``ttl`` seconds (other
    processes' writes): idf only weighs terms against each other, so a few minutes' lag
    changes no match, only the order of near-equal ones. Inside a transaction (which may
    hold uncommitted index rows) counts are read fresh and not kept.
    """

    def __init__(self, ttl: float = 300.0) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._total: int | None = None
        self._since = time.monotonic()

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()
            self._total = None
            self._since = time.monotonic()

    def _fresh(self) -> None:
        if time.monotonic() - self._since > self.ttl:
            self.clear()

    def total(self) -> int:
        if connection.in_atomic_block:  # may see uncommitted rows: never cached
            return self._total_count()
        self._fresh()
        if self._total is None:
            self._total = self._total_count()
        return self._total

    def of(self, tokens: Sequence[str]) -> dict[str, int]:
        if connection.in_atomic_block:  # may see uncommitted rows: never cached
            return {t: self._count(t) for t in tokens}
        self._fresh()
        if len(self._counts) > 50_000:
            self.clear()
        counts = {t: self._counts.get(t) or self._count(t) for t in tokens}
        # A zero is never kept: another process may index that token a moment later, and a
        # zero decides whether a token is searched at all (cheap to ask again: no postings).
        self._counts.update({t: n for t, n in counts.items() if n})
        return counts

    @staticmethod
    def _total_count() -> int:
        with connection.cursor() as cursor:
            cursor.execute(TOTAL_COUNT)
            return int(cursor.fetchone()[0])

    @staticmethod
    def _count(token: str) -> int:
        if connection.vendor == "postgresql":
            sql, param = POSTGRES_COUNT, _tsquery([token], "AND")
        else:
            sql, param = SQLITE_COUNT, _fts_query([token], "AND")
        with connection.cursor() as cursor:
            cursor.execute(sql, [param])
            return int(cursor.fetchone()[0])


frequencies = DocumentFrequencies()
