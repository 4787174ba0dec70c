"""Writing the index: :func:`reindex` and :func:`remove` follow every write, :func:`rebuild` starts over.

Every service that creates or changes a record of an indexed model calls
``reindex(Model, [pk])`` (or ``remove``) inside its own transaction, after saving: the index
row commits or rolls back with the change. When a record's document changes, the documents
that copy its text (a talent's holds her employer's name) are rewritten too, through the
``follows`` declared on their kinds.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import batched
from typing import IO, Any

from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from tqdm import tqdm

from talentpark.core.models import Zone
from talentpark.core.search import backends
from talentpark.core.search.documents import Document, SearchKind, TimedLabels, get_kind, kinds
from talentpark.core.search.models import SearchDocument
from talentpark.core.search.ranking import length_weight
from talentpark.core.search.segmenter import segmenter
from talentpark.core.search.text import compact_key, pinyin_names, split_name, unique

MAX_TOKENS = 600
MAX_NAME_CHARS = 600
WRITE_CHUNK = 500
REBUILD_BATCH = 2000
CONTENT_FIELDS = (
    "zone_id",
    "title",
    "summary",
    "tokens",
    "name_tokens",
    "weight",
    "f_industry",
    "f_chains",
    "f_roles",
    "f_degree",
    "f_title",
    "f_tier",
    "f_category",
    "f_year",
)
ROW_COLUMNS = ("kind", "object_id", *CONTENT_FIELDS)
Row = tuple[Any, ...]  # values in ROW_COLUMNS order


def _spaced(values: Iterable[Any]) -> str:
    return "".join(f" {v} " for v in values)


def _limited(tokens: Sequence[str], max_chars: int) -> list[str]:
    kept, used = [], 0
    for token in tokens:
        used += len(token) + 2
        if used > max_chars:
            break
        kept.append(token)
    return kept


@lru_cache(maxsize=65536)
def _person_keys(name: str, stored_pinyin: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """What a person's name adds to the name tokens, apart from its segmentation (which depends
    on the dictionary): (whole name and its pinyin spellings, surname and given name, syllables).
    Pure functions of the two strings, so cached (many people share a name)."""
    spellings, syllables = pinyin_names(name, stored_pinyin, person=True)
    return (
        (compact_key(name), *spellings),
        tuple(compact_key(part) for part in split_name(name)),
        tuple(syllables),
    )


def document_row(kind: SearchKind, doc: Document) -> Row:
    """Cut a document into the row the index stores, in ``ROW_COLUMNS`` order (nothing is saved).

    ``name_tokens`` holds the tokens of the record's names, and each whole name (its title,
    short name, a person's name and its pinyin spellings) once more behind a ``=`` marker:
    the exact-name bonus looks for ``=<whole query>``. Only ``tokens`` is full-text indexed.
    """
    cut = segmenter.index_tokens
    wholes: list[str] = []
    pieces: list[str] = []
    for name in (doc.title, *doc.names):
        wholes.append(compact_key(name))
        pieces.extend(cut(name))
    if doc.person:
        person_name, stored_pinyin = doc.person
        person_wholes, name_parts, syllables = _person_keys(person_name, stored_pinyin)
        wholes += person_wholes
        pieces += name_parts
        pieces += cut(person_name)
        pieces += syllables
    for name in doc.pinyin_names:
        wholes.extend(pinyin_names(name)[0])
    wholes = unique(wholes)
    name_tokens = unique([*wholes, *pieces])
    marked = _limited([*name_tokens, *(f"={w}" for w in wholes)], MAX_NAME_CHARS)
    # unique(name tokens, then every text's tokens): first-seen order, each once, no "".
    seen = dict.fromkeys(name_tokens)
    for text in doc.texts:
        if text:
            seen.update(dict.fromkeys(cut(text)))
    seen.pop("", None)
    tokens = list(seen)[:MAX_TOKENS]
    return (
        kind.kind,
        doc.object_id,
        doc.zone_id,
        doc.title[:200],
        doc.summary[:400],
        _spaced(tokens),
        _spaced(marked),
        length_weight(len(tokens)),
        (doc.industry or "")[:2],
        _spaced(sorted(set(doc.chains))),
        _spaced(sorted(set(doc.roles))),
        doc.degree or "",
        doc.professional_title or "",
        doc.tier or "",
        f"{kind.kind}.{doc.category}" if doc.category else "",
        doc.year,
    )


INSERT_SQL = (
    "INSERT INTO core_searchdocument (kind, object_id, zone_id, title, summary, tokens, name_tokens, weight,"
    " f_industry, f_chains, f_roles, f_degree, f_title, f_tier, f_category, f_year)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


BULK_ROWS = 200  # a rebuild batch this large fills SQLite's FTS tables in one statement each


def _insert(rows: Iterable[Row], *, bulk: bool = False) -> None:
    """Insert index rows with one ``executemany`` (several times faster than ``bulk_create``).

    ``bulk`` (the rebuild's batches): see :func:`backends.bulk_insert`.
    """
    values = list(rows)
    if bulk and len(values) >= BULK_ROWS:
        backends.bulk_insert(INSERT_SQL, values)
    elif values:
        with connection.cursor() as cursor:
            cursor.executemany(INSERT_SQL, values)


def _build_rows(kind: SearchKind, pks: Sequence[int]) -> dict[int, Row]:
    documents: dict[int, Document] = {}
    for obj in kind.queryset().filter(pk__in=pks):
        doc = kind.build(obj)
        if doc is not None:
            documents[obj.pk] = doc
    segmenter.ensure_loaded()
    segmenter.add_terms(t for doc in documents.values() for t in doc.terms)
    return {pk: document_row(kind, doc) for pk, doc in documents.items()}


def _write(kind: SearchKind, pks: Sequence[int]) -> list[int]:
    """Make the index rows of ``pks`` match their records; return the pks whose row changed."""
    fresh = _build_rows(kind, pks)
    stored = {
        row[1]: row
        for row in SearchDocument.objects.filter(kind=kind.kind, object_id__in=pks).values_list(*ROW_COLUMNS)
    }
    changed = [pk for pk in pks if fresh.get(pk) != stored.get(pk)]
    stale = [pk for pk in changed if pk in stored]
    if stale:
        SearchDocument.objects.filter(kind=kind.kind, object_id__in=stale).delete()
    _insert(fresh[pk] for pk in changed if pk in fresh)
    return changed


def reindex(model_or_label: type[models.Model] | str, pks: Iterable[int], *, _depth: int = 0) -> int:
    """Rewrite the index rows of these records (in the caller's transaction); return how many changed.

    A record that no longer exists, or whose kind's ``build`` returns None, loses its row.
    """
    kind = get_kind(model_or_label)
    ids = sorted({int(pk) for pk in pks})
    if not ids:
        return 0
    changed: list[int] = []
    with transaction.atomic():
        for chunk in batched(ids, WRITE_CHUNK):
            changed.extend(_write(kind, chunk))
        if changed and _depth < 3:
            for other in kinds():
                lookup = other.follows.get(kind.kind)
                if lookup:
                    manager = other.model._default_manager
                    dependants = [
                        pk
                        for chunk in batched(changed, WRITE_CHUNK)  # bounded IN lists
                        for pk in manager.filter(**{f"{lookup}__in": chunk}).values_list("pk", flat=True)
                    ]
                    reindex(other.model, dependants, _depth=_depth + 1)
    backends.frequencies.clear()
    TimedLabels.clear_all()
    return len(changed)


def remove(model_or_label: type[models.Model] | str, pks: Iterable[int]) -> int:
    """Delete the index rows of these records (in the caller's transaction)."""
    kind = get_kind(model_or_label)
    ids = sorted({int(pk) for pk in pks})
    deleted = 0
    with transaction.atomic():
        for chunk in batched(ids, WRITE_CHUNK):
            deleted += SearchDocument.objects.filter(kind=kind.kind, object_id__in=chunk).delete()[0]
    backends.frequencies.clear()
    return deleted


def rebuild(
    zone: Zone | None = None,
    only: Sequence[str] = (),
    *,
    progress: bool = False,
    batch_size: int = REBUILD_BATCH,
    stdout: IO[str] | None = None,
) -> dict[str, int]:
    """Recompute every document from its record, in batches (each its own transaction).

    The index stays usable meanwhile: each batch replaces its own rows, and rows of records
    that no longer exist are deleted at the end. Returns {kind: documents written}.
    """
    backends.create_index()
    segmenter.refresh()
    written: dict[str, int] = {}
    for kind in kinds():
        if only and kind.kind not in only:
            continue
        source = kind.model._default_manager.all()
        if zone is not None:
            source = source.filter(zone=zone)
        pks = list(source.order_by("pk").values_list("pk", flat=True))
        label = f"{zone.short_name or zone.name if zone else ''}索引·{kind.label}"
        with tqdm(
            total=len(pks),
            desc=label,
            unit="条",
            disable=not progress,
            file=stdout or sys.stderr,
            leave=False,
        ) as bar:
            for batch in batched(pks, batch_size):
                with transaction.atomic():
                    rows = _build_rows(kind, batch)
                    SearchDocument.objects.filter(kind=kind.kind, object_id__in=batch).delete()
                    _insert(rows.values(), bulk=True)
                bar.update(len(batch))
        with transaction.atomic():
            # NOT EXISTS, not NOT IN: PostgreSQL runs NOT IN over a large list row by row.
            source_row = kind.model._default_manager.filter(pk=OuterRef("object_id"))
            orphans = SearchDocument.objects.filter(~Exists(source_row), kind=kind.kind)
            if zone is not None:
                orphans = orphans.filter(zone=zone)
            orphans.delete()
        written[kind.kind] = SearchDocument.objects.filter(
            kind=kind.kind, **({"zone": zone} if zone else {})
        ).count()
    if connection.vendor in ("sqlite", "postgresql"):
        backends.optimize_index([k.model._meta.db_table for k in kinds()])
    backends.frequencies.clear()
    TimedLabels.clear_all()
    return written
