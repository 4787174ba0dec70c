"""Inserting planned rows with one ``executemany``, without model instances.

``bulk_create`` builds a model instance per row and then prepares every value through the
SQL compiler: for the demo's largest tables (persons, talents, education and family rows)
that costs more than the database does. :class:`RowInserter` writes the same values: the
columns the caller supplies, each field's default for the others, ``auto_now``/
``auto_now_add`` timestamps, the blind index of an encrypted field computed from its plain
value, and every value prepared as its field prepares it (an encrypted field encrypts its
plain value with :func:`talentpark.core.crypto.encrypt`, exactly as on ``save``). Like
``bulk_create`` it sends no signals and calls no ``save()``.

A field whose ``pre_save`` it does not know (a file field, say) is refused when the inserter
is built, so a new kind of field never gets a silently different value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models.fields.related import ForeignKey, OneToOneField
from django.utils import timezone

from talentpark.core import crypto
from talentpark.core.fields import BlindIndexField

Convert = Callable[[Any], Any]

# Field classes whose preparation of a plain value is known exactly (the class itself, not a
# subclass: a subclass may prepare differently and takes the generic path).
_TEXT = (models.CharField, models.TextField, models.EmailField, models.SlugField, models.URLField)
_INTEGER = (
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)
_AUTO = (models.AutoField, models.BigAutoField, models.SmallAutoField)
_KNOWN_PRE_SAVE = (models.DateField, models.DateTimeField, BlindIndexField)


def _is_auto_target(field: models.Field) -> bool:
    return type(field) in _AUTO


def _converter(field: models.Field) -> Convert:
    """``value -> database value``, as ``field.get_db_prep_save(value, connection)`` returns it."""
    generic = field.get_db_prep_save
    kind = type(field)
    if kind in _TEXT:

        def text(value: Any) -> Any:
            return value if value is None or isinstance(value, str) else generic(value, connection)

        return text
    if kind is models.BooleanField:

        def boolean(value: Any) -> Any:
            return value if value is None or type(value) is bool else generic(value, connection)

        return boolean
    if kind in _AUTO or (kind in (ForeignKey, OneToOneField) and _is_auto_target(field.target_field)):  # type: ignore[attr-defined]

        def key(value: Any) -> Any:
            return value if value is None or type(value) is int else generic(value, connection)

        return key
    if kind in _INTEGER:
        adapt_int, internal = connection.ops.adapt_integerfield_value, field.get_internal_type()

        def integer(value: Any) -> Any:
            return (
                adapt_int(value, internal)
                if value is None or type(value) is int
                else generic(value, connection)
            )

        return integer
    if kind is models.DateField:
        adapt_date = connection.ops.adapt_datefield_value

        def date(value: Any) -> Any:
            return (
                adapt_date(value) if value is None or type(value) is dt.date else generic(value, connection)
            )

        return date
    return lambda value: generic(value, connection)


class RowInserter:
    """Writes rows of ``model`` given as tuples of the ``supplied`` attnames' values, in that order."""

    def __init__(self, model: type[models.Model], supplied: Sequence[str]) -> None:
        opts = model._meta
        fields = [f for f in opts.concrete_fields if not f.generated]
        by_attname = {f.attname: f for f in fields}
        unknown = [name for name in supplied if name not in by_attname]
        if unknown:
            raise ValueError(f"{opts.label} has no columns {unknown}")
        position = {name: i for i, name in enumerate(supplied)}
        self.columns: list[str] = []
        # Per column: (index of the supplied value or None, how to get the value when not
        # supplied, how to prepare it). A blind index reads its source field's supplied value.
        self._plan: list[tuple[int | None, Callable[[Sequence[Any]], Any] | None, Convert]] = []
        for field in fields:
            at = position.get(field.attname)
            if at is None and field.primary_key and type(field) in _AUTO:
                continue  # the database numbers it, as bulk_create leaves it out
            if at is None and field.has_db_default():
                raise ValueError(f"{opts.label}.{field.name}: a database default is not supported here")
            overrides_pre_save = type(field).pre_save is not models.Field.pre_save
            if overrides_pre_save and not isinstance(field, _KNOWN_PRE_SAVE):
                raise ValueError(f"{opts.label}.{field.name}: unknown pre_save, use bulk_create")
            make = self._maker(field, at, position, opts.label)
            self.columns.append(field.column)
            self._plan.append((None if make else at, make, _converter(field)))
        quote = connection.ops.quote_name
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model's meta
            quote(opts.db_table),
            ", ".join(quote(c) for c in self.columns),
            ", ".join(["%s"] * len(self.columns)),
        )

    @staticmethod
    def _maker(
        field: models.Field, at: int | None, position: dict[str, int], label: str
    ) -> Callable[[Sequence[Any]], Any] | None:
        """How to compute a column that ``pre_save`` sets, or that takes its default (None: supplied)."""
        if isinstance(field, BlindIndexField):
            source_at = position.get(field.source)
            if source_at is None:
                raise ValueError(f"{label}.{field.name}: supply its source {field.source!r}")
            index_kind = field.kind

            def blind_index(row: Sequence[Any]) -> Any:
                plain = row[source_at]
                return crypto.blind_index(plain, index_kind) if plain else None

            return blind_index
        if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
            if isinstance(field, models.DateTimeField):
                return lambda row: timezone.now()
            return lambda row: dt.date.today()
        if at is not None:
            # Supplied as is; an encrypted field's get_db_prep_save encrypts the plain value
            # ("" and None are stored as NULL), as it does for a saved instance.
            return None
        return lambda row: field.get_default()

    def values(self, row: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(
            convert(row[at] if make is None else make(row))  # type: ignore[index]
            for at, make, convert in self._plan
        )

    def insert(self, rows: Iterable[Sequence[Any]]) -> int:
        params = [self.values(row) for row in rows]
        if params:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, params)
        return len(params)
