"""Tamper-evident logs: every ``AuditLog`` and ``PIIAccessLog`` row is a link of a hash chain.

Guarantees:

* **One chain per log and zone** (rows without a zone form a chain of their own, ``NO_ZONE``).
  Each row carries its number in the chain (``seq``, 1, 2, 3 …), the hash of the row before it
  (``prev_hash``; the first row's is ``GENESIS``) and its own ``hash``: SHA-256 over a canonical
  serialisation of its content (:func:`canonical`: the log, zone, seq, prev hash, time and every
  field the row holds: actor, action, object, before/after, reason, result, IP, request id …).
* **Appends are serialised per chain inside the writer's transaction.** The chain's head row
  (``AuditChain``: how many rows, the last hash) is locked with ``SELECT … FOR UPDATE`` before the
  row is numbered and released when the writer commits, so two writers of one zone never fork the
  chain: the second waits for the first and links to its row (a rolled-back writer leaves neither
  its row nor its head move). SQLite runs every transaction ``IMMEDIATE``, one writer at a time.
  The unique ``(zone, seq)`` constraints are the database's final guard.
* **Every writer chains**: ``Model.save()``/``objects.create()`` append one row, the manager's
  ``bulk_create`` appends many in the order given; ``QuerySet.update()``/``delete()`` refuse.
  On PostgreSQL a trigger refuses ``UPDATE``/``DELETE`` of the rows to anyone (migration
  ``core.0012_audit_chain``); ``TRUNCATE`` (a test's flush) is untouched.
* :func:`verify` walks each chain and finds the first broken link: a row whose content no longer
  matches its hash (edited), a gap in the numbering or a prev-hash that does not match the row
  before (deleted rows), a head that counts more rows than exist (a truncated tail).

The chain proves the rows are the ones written, in the order written, as long as the head hashes
are trusted: somebody who can write the database directly and recomputes every later hash and
the head can rewrite history, which is why ``verify_audit`` prints each head hash for the
operator to keep outside the database.

Lock order: a transaction takes a chain head when it writes its first audit row and holds it
until it commits, so services lock their own rows (``select_for_update``) before they audit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

GENESIS = "0" * 64
NO_ZONE = 0  # the chain of rows without a zone (zone ids start at 1)
VERSION = 1  # of the canonical serialisation; a new one would be a new value here, never a change

# The fields each chained log hashes besides log, zone, seq, prev hash and time (attnames).
CHAINED_FIELDS: dict[str, tuple[str, ...]] = {
    "core.auditlog": (
        "actor_id",
        "actor_name",
        "role",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "before",
        "after",
        "reason",
        "result",
        "ip",
        "request_id",
    ),
    "core.piiaccesslog": (
        "actor_id",
        "actor_name",
        "role",
        "subject_type",
        "subject_id",
        "subject_repr",
        "field",
        "reason",
        "granted",
        "ip",
        "request_id",
    ),
}
JSON_FIELDS = frozenset({"before", "after"})


def _json_value(value: Any) -> Any:
    """A JSON value as the database gives it back: what ``json`` stores, integral floats as ints
    (PostgreSQL's jsonb turns ``1e16`` into ``10000000000000000``)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def _at(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def canonical(label: str, row: Any) -> bytes:
    """The bytes a row's hash is taken over: sorted-key compact JSON of its content."""
    data: dict[str, Any] = {
        "v": VERSION,
        "log": label,
        "zone": row.zone_id,
        "seq": row.seq,
        "prev": row.prev_hash,
        "at": _at(row.at),
    }
    for name in CHAINED_FIELDS[label]:
        value = getattr(row, name)
        if name in JSON_FIELDS and value is not None:
            value = _json_value(json.loads(json.dumps(value)))
        data[name] = value
    return json.dumps(
        data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode()


def digest(label: str, row: Any) -> str:
    return hashlib.sha256(canonical(label, row)).hexdigest()


def zone_key(zone_id: int | None) -> int:
    return NO_ZONE if zone_id is None else int(zone_id)


def _heads(model: type[models.Model], keys: Iterable[int]) -> dict[int, Any]:
    """The chain heads of ``model`` for ``keys``, locked (in key order, so writers never deadlock
    on each other's heads), created at zero when a chain has none yet."""
    from talentpark.core.models import AuditChain

    label = model._meta.label_lower
    wanted = sorted(set(keys))
    heads: dict[int, Any] = {}
    for key in wanted:
        head, _ = AuditChain.objects.select_for_update().get_or_create(
            log=label, zone_key=key, defaults={"seq": 0, "head": GENESIS}
        )
        heads[key] = head
    return heads


def _link(label: str, row: Any, head: Any) -> None:
    if row.at is None:
        row.at = timezone.now()
    opts = row._meta
    for name in ("zone_id", *CHAINED_FIELDS[label]):
        f = opts.get_field(name.removesuffix("_id") if name == "actor_id" else name)
        # What the database will give back: "42" for an id given as 42 to a text column.
        value = getattr(row, name)
        setattr(row, name, f.target_field.to_python(value) if f.is_relation else f.to_python(value))
    row.seq = head.seq + 1
    row.prev_hash = head.head
    row.hash = digest(label, row)
    head.seq, head.head = row.seq, row.hash


def _save_heads(heads: Iterable[Any]) -> None:
    from talentpark.core.models import AuditChain

    for head in heads:
        AuditChain.objects.filter(pk=head.pk).update(seq=head.seq, head=head.head)


def append(row: Any, insert: Any) -> None:
    """Number, link and hash ``row`` under its chain's locked head, then ``insert()`` it."""
    label = type(row)._meta.label_lower
    with transaction.atomic(savepoint=False):
        key = zone_key(row.zone_id)
        head = _heads(type(row), [key])[key]
        _link(label, row, head)
        insert()
        _save_heads([head])


def append_many(model: type[models.Model], rows: Sequence[Any], insert: Any) -> None:
    """Link ``rows`` in the order given (each after the one before it in its zone), then
    ``insert(rows)`` them in one go."""
    if not rows:
        return
    label = model._meta.label_lower
    with transaction.atomic(savepoint=False):
        heads = _heads(model, (zone_key(r.zone_id) for r in rows))
        for row in rows:
            _link(label, row, heads[zone_key(row.zone_id)])
        insert(rows)
        _save_heads(heads.values())


# ---- verification ---------------------------------------------------------------------------


@dataclass
class Break:
    """The first broken link of a chain."""

    kind: str  # "edited", "deleted", "truncated", "head", "unknown"
    seq: int | None
    row_id: int | None
    message: str


@dataclass
class ChainReport:
    log: str
    zone_id: int | None
    rows: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    breaks: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def chained_models() -> list[type[models.Model]]:
    from talentpark.core.models import AuditLog, PIIAccessLog

    return [AuditLog, PIIAccessLog]


def _walk(model: type[models.Model], key: int, batch: int) -> Iterator[Any]:
    qs: Any = model._default_manager.order_by("seq")
    qs = qs.filter(zone_id__isnull=True) if key == NO_ZONE else qs.filter(zone_id=key)
    last = 0
    while True:  # keyset pages: flat memory on any chain length
        page = list(qs.filter(seq__gt=last)[:batch])
        if not page:
            return
        yield from page
        last = page[-1].seq


def verify_chain(model: type[models.Model], key: int, head: Any | None, batch: int = 2000) -> ChainReport:
    label = model._meta.label_lower
    report = ChainReport(log=label, zone_id=None if key == NO_ZONE else key)
    if head is not None:
        report.head_seq, report.head_hash = head.seq, head.head
    expected, prev, last_seq = 1, GENESIS, 0
    for row in _walk(model, key, batch):
        report.rows += 1
        last_seq = row.seq
        if report.breaks:
            continue  # count the rest; the first break is what matters
        if row.seq != expected:
            missing = f"第 {expected} 条" if row.seq == expected + 1 else f"第 {expected}～{row.seq - 1} 条"
            report.breaks.append(
                Break(
                    "deleted",
                    expected,
                    row.id,
                    f"{missing}记录缺失（已被删除），下一条为第 {row.seq} 条（ID {row.id}）",
                )
            )
        elif row.prev_hash != prev:
            report.breaks.append(
                Break(
                    "deleted",
                    row.seq,
                    row.id,
                    f"第 {row.seq} 条记录（ID {row.id}）与上一条断链：所记上一条哈希与实际不符（其前的记录被删除或改动）",
                )
            )
        elif digest(label, row) != row.hash:
            report.breaks.append(
                Break(
                    "edited", row.seq, row.id, f"第 {row.seq} 条记录（ID {row.id}）内容与哈希不符（已被修改）"
                )
            )
        expected, prev = row.seq + 1, row.hash
    if report.breaks:
        return report
    if head is None:
        if report.rows:
            report.breaks.append(Break("head", None, None, f"缺少链头记录，但有 {report.rows} 条记录"))
    elif last_seq < head.seq:
        report.breaks.append(
            Break(
                "truncated",
                last_seq + 1,
                None,
                f"链尾被截断：链头记录共 {head.seq} 条，实际只到第 {last_seq} 条（最后 {head.seq - last_seq} 条已被删除）",
            )
        )
    elif last_seq > head.seq:
        report.breaks.append(
            Break(
                "head",
                head.seq + 1,
                None,
                f"链头只记到第 {head.seq} 条，实际有 {last_seq} 条（链头被改动或记录被绕过程序写入）",
            )
        )
    elif prev != head.head:
        report.breaks.append(
            Break("head", last_seq, None, f"最后一条（第 {last_seq} 条）的哈希与链头所记不符")
        )
    return report


def verify(zone_id: int | None = None, *, only_zone: bool = False, batch: int = 2000) -> list[ChainReport]:
    """Walk every chain (or, with ``only_zone``, those of ``zone_id``) and report each."""
    from talentpark.core.models import AuditChain

    reports = []
    for model in chained_models():
        label = model._meta.label_lower
        heads = {h.zone_key: h for h in AuditChain.objects.filter(log=label)}
        keys = set(heads)
        keys |= {zone_key(z) for z in model._default_manager.values_list("zone_id", flat=True).distinct()}
        if only_zone:
            keys = {k for k in keys if k == zone_key(zone_id)} or {zone_key(zone_id)}
        for key in sorted(keys):
            reports.append(verify_chain(model, key, heads.get(key), batch=batch))
    return reports


def chain_existing(model: Any, head_model: Any, label: str, batch: int = 1000) -> None:
    """Chain rows written before the chain existed, per zone in id order (data migration)."""
    keys: dict[int, list[int]] = defaultdict(list)
    for pk, zone_id in model.objects.order_by("id").values_list("id", "zone_id"):
        keys[zone_key(zone_id)].append(pk)
    for key, ids in sorted(keys.items()):
        seq, prev = 0, GENESIS
        for start in range(0, len(ids), batch):
            rows = list(model.objects.filter(id__in=ids[start : start + batch]).order_by("id"))
            for row in rows:
                seq += 1
                row.seq, row.prev_hash = seq, prev
                row.hash = prev = digest(label, row)
            model.objects.bulk_update(rows, ["seq", "prev_hash", "hash"])
        head_model.objects.update_or_create(log=label, zone_key=key, defaults={"seq": seq, "head": prev})
