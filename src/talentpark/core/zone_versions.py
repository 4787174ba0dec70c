"""Zone versions: a counter per zone that moves whenever a change to the zone's records commits.

Pages that many people open at once and that show only the zone's records (every role's home)
cache their rendered content under a key holding the versions of the zones they read
(:func:`cached`). The cache is valid exactly as long as those versions stand, so a page never
shows a state older than the last committed change it could show:

* **Every save or delete of a model with a ``zone`` field moves that zone's version** (a signal,
  with no list of models to keep up to date), except the bookkeeping models in ``IGNORED`` (logs,
  progress rows, the search index, accounts signing in) that no cached page shows. A model that
  reaches its zone through another row declares it in ``ZONE_OF`` (a claim's events through the
  claim). The kernel lists its own models; every other app declares its own with :func:`register`
  (in its ``kernel.py``, imported by its ``AppConfig.ready``).
* **Bulk writes** (``bulk_create``, ``QuerySet.update``/``delete``) send no signals: their callers
  call :func:`touch` with the zones they wrote (publishing runs, imports).
* **The move happens when the transaction commits** (``on_commit``, once per zone and
  transaction) in a short statement of its own, so writers of one zone never wait on each
  other's counter row, and a rolled-back change moves nothing. A reader that read the old
  version before the commit caches what it read under the old version, which the move retires.
* Versions live in the database, so every web worker agrees on them; the rendered fragments live in
  each worker's memory (``CACHES["fragments"]``) for at most ``FRAGMENT_TTL`` seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.apps import apps
from django.core.cache import caches
from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save

FRAGMENT_TTL = 600  # seconds; a safety net only: validity comes from the versions

# "app_label.ModelName" of zone-owned models that no cached page shows and that change often.
IGNORED: set[str] = {
    "core.AuditLog",
    "core.PIIAccessLog",
    "core.AuditChain",  # the logs' hash-chain heads
    "core.ZoneVersion",
    "core.Notice",  # read and unread every minute; shown outside the cached part of a page
    "core.NoticeDelivery",
    "core.NoticePreference",
    "core.SearchDocument",
    "core.ScheduledJob",  # 定时任务: plumbing, no cached page shows it
    "core.JobRun",
    "core.WorkerHeartbeat",
    "core.Lease",  # one-at-a-time guards (core.leases): plumbing
}

# Models without a zone field of their own: how to find the zone a row belongs to.
ZONE_OF: dict[str, Callable[[Any], int | None]] = {
    # A platform-wide dictionary's items have no zone: core.dictionaries touches every zone.
    "core.DictionaryItem": lambda item: item.dictionary.zone_id,
}

# Models shared by every zone or outside any zone's records: national code tables (loaded in bulk
# by their own commands), sign-in machinery, the task queue. A cached page that shows a code's name
# may show a renamed code up to FRAGMENT_TTL late.
SHARED_APPS = frozenset(
    {"admin", "auth", "axes", "contenttypes", "sessions", "django_tasks_database", "otp_totp"}
)
SHARED: set[str] = {
    "core.Division",
    "core.Industry",
    "core.University",
    "core.Parameter",  # platform-wide; cached per process by core.parameters, not by zone
    "core.SmsCode",
    "core.CalendarDay",  # 节假日与调休: the national calendar; cached per process by core.workcalendar
}
_connected = False


def register(
    label: str,
    *,
    zone_of: Callable[[Any], int | None] | None = None,
    ignored: bool = False,
    shared: bool = False,
) -> None:
    """Declare how a model of the calling app relates to the zone versions (exactly one of):

    ``zone_of=fn`` — it has no ``zone`` field; ``fn(row)`` finds the zone a row belongs to;
    ``ignored=True`` — zone-owned bookkeeping that no cached page shows and that changes often;
    ``shared=True`` — shared by every zone or outside any zone's records.
    """
    if [zone_of is not None, ignored, shared].count(True) != 1:
        raise ValueError(f"{label}: say exactly one of zone_of, ignored, shared")
    if zone_of is not None:
        ZONE_OF[label] = zone_of
    else:
        (IGNORED if ignored else SHARED).add(label)
    if _connected:  # the app declared after CoreConfig.ready connected the models: listen anew
        _listen(apps.get_model(label))


class _Pending:
    """The zones a transaction changed, moved once when it commits."""

    def __init__(self) -> None:
        self.zones: set[int] = set()

    def __call__(self) -> None:
        zones, self.zones = self.zones, set()
        _move(zones)


def _move(zone_ids: set[int]) -> None:
    if not zone_ids:
        return
    from talentpark.core.models import ZoneVersion

    ids = sorted(zone_ids)  # the same lock order for every writer
    rows = ZoneVersion.objects.filter(zone_id__in=ids)
    if rows.update(version=models.F("version") + 1) < len(ids):
        # A zone's first change: create its counter (a concurrent creator's row is kept), then move
        # every one again, so no change is ever left without a move of its own.
        ZoneVersion.objects.bulk_create([ZoneVersion(zone_id=z) for z in ids], ignore_conflicts=True)
        rows.update(version=models.F("version") + 1)


def touch(zone_ids: Iterable[int | None]) -> None:
    """Move the versions of ``zone_ids`` when the current transaction commits (at once outside one)."""
    zones = {z for z in zone_ids if z is not None}
    if not zones:
        return
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        _move(zones)
        return
    pending: _Pending | None = getattr(conn, "_zone_versions_pending", None)
    # A callback list without ours means the last transaction committed or rolled back: start anew.
    if pending is None or not any(func is pending for _sids, func, _robust in conn.run_on_commit):
        pending = _Pending()
        conn._zone_versions_pending = pending  # type: ignore[attr-defined]
        transaction.on_commit(pending)
    pending.zones.update(zones)


def watched(model: type[models.Model]) -> bool:
    """Does a change to ``model``'s rows move a zone's version?"""
    label = model._meta.label
    if label in IGNORED or label in SHARED or model._meta.app_label in SHARED_APPS:
        return False
    if label in ZONE_OF or label == "core.Zone":
        return True
    return any(f.name == "zone" and f.many_to_one for f in model._meta.fields)


def _zone_of(instance: models.Model) -> int | None:
    label = instance._meta.label
    if label in ZONE_OF:
        return ZONE_OF[label](instance)
    if label == "core.Zone":
        return instance.pk  # type: ignore[no-any-return]
    return instance.zone_id  # type: ignore[attr-defined,no-any-return]


def _changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not kwargs.get("raw"):  # not a fixture being loaded
        touch([_zone_of(instance)])


def connect() -> None:
    """Listen to the saves and deletes of every watched model (CoreConfig.ready).

    Per model, not for all senders: a model with delete listeners loses Django's fast delete,
    and the logs and the search index delete in bulk.
    """
    global _connected
    for model in apps.get_models():
        _listen(model)
    _connected = True


def _listen(model: type[models.Model]) -> None:
    uid = f"zone_versions.{model._meta.label}"
    post_save.disconnect(sender=model, dispatch_uid=f"{uid}.saved")
    post_delete.disconnect(sender=model, dispatch_uid=f"{uid}.deleted")
    if watched(model):
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.saved")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.deleted")


def versions(zone_ids: Iterable[int]) -> tuple[int, ...]:
    """The current versions of ``zone_ids`` (0 for a zone that never changed), in their order."""
    ids = sorted(set(zone_ids))
    if not ids:
        return ()
    table = apps.get_model("core", "ZoneVersion")._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:  # one plain statement: this runs on every cached page view
        cursor.execute(f"SELECT zone_id, version FROM {table} WHERE zone_id IN ({marks})", ids)  # noqa: S608
        found = dict(cursor.fetchall())
    return tuple(int(found.get(z, 0)) for z in ids)


def versions_of(zone_ids_sql: str, params: Sequence[Any]) -> tuple[int, ...]:
    """The versions of the zones a subquery selects (``SELECT zone_id …``), in zone order: one
    statement where looking the zones up first would take two."""
    table = apps.get_model("core", "ZoneVersion")._meta.db_table
    sql = (
        f"SELECT z.zone_id, COALESCE(v.version, 0) FROM ({zone_ids_sql}) z "  # noqa: S608 - our own SQL
        f"LEFT JOIN {table} v ON v.zone_id = z.zone_id ORDER BY z.zone_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(int(version) for _zone, version in cursor.fetchall())


def all_versions() -> tuple[int, int]:
    """A mark of every zone's version at once (count, sum): it moves whenever any zone's does."""
    table = apps.get_model("core", "ZoneVersion")._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), COALESCE(SUM(version), 0) FROM {table}")  # noqa: S608
        count, total = cursor.fetchone()
    return int(count), int(total)


def cached[T](key: str, mark: Iterable[Any], render: Callable[[], T]) -> T:
    """``render()``'s result (rendered HTML, a list of choices), reused while ``mark`` (the versions
    of what it read) stands."""
    cache = caches["fragments"]
    full_key = f"{key}|{'.'.join(map(str, mark))}"
    value = cache.get(full_key)
    if value is None:
        value = render()
        cache.set(full_key, value, FRAGMENT_TTL)
    return value  # type: ignore[no-any-return]
