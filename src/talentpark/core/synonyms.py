"""Reading coded values the way offices write them, through the CodeSynonym table.

A cell or form field holding "男性", "大学本科" or "高级工程师" means a code of a small
national table (:mod:`talentpark.core.codes`). The accepted spellings are the code, its
label, and the :class:`~talentpark.core.models.CodeSynonym` rows: the national defaults
(zone empty) overlaid with the zone's own. Under both lie the shipped defaults
(:data:`~talentpark.core.codes.DEFAULT_SYNONYMS`, which the national rows are seeded
from), so a row can remap a default spelling but an emptied table still reads them. Spellings are compared after
:func:`~talentpark.core.normalize.compact` (full-width folded, spaces and hyphens dropped).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from talentpark.core import audit
from talentpark.core.codes import DEFAULT_SYNONYMS, SYNONYM_CHOICES, synonym_problem
from talentpark.core.context import ActionContext
from talentpark.core.models import CodeSynonym, Zone
from talentpark.core.normalize import compact


def spelling_key(value: Any) -> str:
    return compact(str(value if value is not None else ""))


def synonyms_for(table: str, zone_id: int | None = None) -> dict[str, str]:
    """Compacted spelling → code for ``table``: national rows, then the zone's (which win)."""
    scope = Q(zone__isnull=True) | Q(zone_id=zone_id) if zone_id else Q(zone__isnull=True)
    rows = CodeSynonym.objects.filter(scope, table=table).values_list("zone_id", "spelling", "code")
    found = {spelling_key(k): str(v) for k, v in DEFAULT_SYNONYMS.get(table, {}).items()}
    for _zone, spelling, code in sorted(rows, key=lambda r: r[0] is not None):  # the zone's last
        found[spelling_key(spelling)] = code
    return found


def all_synonyms(zone_id: int | None = None) -> dict[str, dict[str, str]]:
    """:func:`synonyms_for` of every table, in one query."""
    scope = Q(zone__isnull=True) | Q(zone_id=zone_id) if zone_id else Q(zone__isnull=True)
    rows = CodeSynonym.objects.filter(scope).values_list("zone_id", "table", "spelling", "code")
    found = {
        table: {spelling_key(k): str(v) for k, v in DEFAULT_SYNONYMS.get(table, {}).items()}
        for table in SYNONYM_CHOICES
    }
    for _zone, table, spelling, code in sorted(rows, key=lambda r: r[0] is not None):
        found.setdefault(table, {})[spelling_key(spelling)] = code
    return found


def table_of(choices: Any) -> str:
    """The synonym table of a choices class ("" when it has none)."""
    return next((t for t, c in SYNONYM_CHOICES.items() if c is choices), "")


def resolve(table: str, value: Any, synonyms: dict[str, str]) -> str | None:
    """The code ``value`` stands for in ``table`` (its code, label or a synonym), else ``None``."""
    key = spelling_key(value)
    for code, label in SYNONYM_CHOICES[table].choices:
        if key in (str(code), spelling_key(label)):
            return str(code)
    return synonyms.get(key)


def add_synonym(ctx: ActionContext, zone: Zone | None, table: str, spelling: str, code: str) -> CodeSynonym:
    """Record that ``spelling`` means ``code`` in ``table`` (for ``zone``, or nationally when None)."""
    problem = synonym_problem(table, spelling, code)
    if problem:
        raise ValidationError({problem[0]: problem[1]})
    key = spelling_key(spelling)
    with transaction.atomic():
        taken = CodeSynonym.objects.select_for_update().filter(zone=zone, table=table, spelling=key).first()
        if taken is not None:
            raise ValidationError({"spelling": f"写法：“{key}”已设置为“{taken.code}”"})
        row = CodeSynonym.objects.create(zone=zone, table=table, spelling=key, code=code)
        audit.record(ctx, "core.synonym.add", row, after=_state(row), zone_id=zone.pk if zone else None)
    return row


def change_synonym(ctx: ActionContext, row: CodeSynonym, code: str) -> CodeSynonym:
    """Point an existing spelling at another code."""
    problem = synonym_problem(row.table, row.spelling, code)
    if problem:
        raise ValidationError({problem[0]: problem[1]})
    with transaction.atomic():
        locked = CodeSynonym.objects.select_for_update().get(pk=row.pk)
        before = _state(locked)
        locked.code = code
        locked.save(update_fields=["code"])
        audit.record(ctx, "core.synonym.change", locked, before=before, after=_state(locked))
    return locked


def remove_synonym(ctx: ActionContext, row: CodeSynonym) -> None:
    with transaction.atomic():
        locked = CodeSynonym.objects.select_for_update().get(pk=row.pk)
        before = _state(locked)
        audit.record(ctx, "core.synonym.remove", locked, before=before)
        locked.delete()


def _state(row: CodeSynonym) -> dict[str, Any]:
    return {"zone": row.zone_id, "table": row.table, "spelling": row.spelling, "code": row.code}
