"""Import jobs: upload → validate every row (preview) → commit whole or not at all.

The services of this package, in the house style (validate first, one transaction, one
audit row), spread over two requests because a person reads the preview in between:

* :func:`start_import` refuses a bad file at once (size, type, zip bomb, sheet, columns:
  :class:`~talentpark.registry.excel.reader.BadFile`), refuses a second running import
  of the same user (:class:`ImportRefused`; a partial unique index is the final guard),
  keeps the upload encrypted under ``var/imports/`` and validates it;
* :func:`request_commit` validates the file again (the zone may have changed since the
  preview) and writes every row, with one ``registry.import`` audit row naming the file,
  its SHA-256, the counts and the records written, then deletes the upload. If any row is
  bad nothing is written.

How the rows are written (:func:`run_commit`), whole or not at all:

* **PostgreSQL**: one transaction; the existing rows are compared and locked inside it
  (row locks: other sessions go on working).
* **SQLite** has one write lock for the whole database, so a transaction writing 35,000
  rows would make every other writer (a login, a page that records something, the task
  worker) wait for it, and fail after the busy timeout. There the rows are written
  **in chunks of ``TALENTPARK_IMPORT_CHUNK_ROWS`` records** (1,000; a person with her
  talent and education rows stays in one chunk), each chunk its own short transaction,
  with a pause of ``TALENTPARK_IMPORT_CHUNK_PAUSE`` seconds between chunks in which the
  waiting writers get the lock. A chunk is also cut short by time: when a transaction took
  longer than ``TALENTPARK_IMPORT_CHUNK_SECONDS`` (0.5 s) the next ones take fewer records
  (in parts of 50), so on a loaded machine the lock is still held only briefly. Everything was validated and compared first, so a chunk
  fails only if someone changed the same records meanwhile (a unique blind index). Then
  the chunks already committed are **undone** — rows created are deleted, rows updated
  get the values read just before they were changed — so the import leaves nothing
  behind, and the job says so. The audit row and the job's ``DONE`` are written with the
  last chunk. Between chunks, other users can see the records written so far.
* **Recovery after a crash** (the process dies between chunks, so nothing can be
  undone): the job stays "committing" until ``sweep`` marks it failed after
  ``STALE_AFTER``, with a message saying how many rows had been written and that
  **uploading the same file again completes the import**: the upsert keys make rows
  already written "unchanged", so nothing is duplicated.

Where the work runs: uploads up to ``TALENTPARK_IMPORT_SYNC_BYTES`` (256 KB, a few
thousand rows) are handled within the request. Larger ones are queued for the task worker
(``registry.tasks.import_step``, with the acting context as a payload), which validates or
commits them and writes their **progress into the job row** (phase, rows done, total; every thousand
rows or so, and after each chunk), so the job page — polled every second with htmx — reads the
same figures from whichever web worker answers, and a restart loses only the work in flight.
While PostgreSQL writes everything in one transaction, the progress goes through a second,
autocommitting connection (the job row itself is not touched by that transaction until its
end, so the two never wait on each other); on SQLite each chunk's transaction carries it.
The one-import-at-a-time guard is the database's (a partial unique index over running jobs,
and a running job is "fresh" while its row was updated within ``STALE_AFTER``). A job whose
worker died is marked failed by ``sweep`` after ``STALE_AFTER``; a step that finds its job no
longer in the state it expects (swept, cancelled, run twice) does nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import IntegrityError, connection, connections, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from talentpark.core import audit, crypto, zone_versions
from talentpark.core.context import ActionContext
from talentpark.core.dbstats import refresh_statistics
from talentpark.core.models import Zone
from talentpark.registry import signals
from talentpark.registry.excel import reader
from talentpark.registry.excel.columns import SPECS
from talentpark.registry.excel.reader import BadFile
from talentpark.registry.excel.rows import Lookups, Validated, validate_rows
from talentpark.registry.excel.upsert import Plan, plan
from talentpark.registry.models import Education, Enterprise, ImportJob, Platform, Project, Talent

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=15)
KEEP_UPLOADS = timedelta(hours=24)
DEFAULT_SYNC_BYTES = 256 * 1024
DEFAULT_CHUNK_ROWS = 1000
STATISTICS_AFTER_ROWS = 1000  # an import this large refreshes the planner's statistics (core/dbstats.py)
DEFAULT_CHUNK_PAUSE = 0.2  # > the longest sleep of SQLite's busy handler (100 ms): waiters get in
DEFAULT_CHUNK_SECONDS = 0.5  # a write transaction's target length on SQLite (what a waiting login waits)
CHUNK_UNIT_ROWS = 50  # the smallest part a transaction of a chunked commit takes
_MAGIC = b"TPX1"


class ImportRefused(Exception):
    """The request cannot go ahead now (another import running, wrong state); message in Chinese."""


# -- the upload at rest ----------------------------------------------------------


def upload_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _upload_path(job: ImportJob) -> Path:
    return upload_dir() / f"{job.upload_name or 'none'}.bin"


def _seal(job: ImportJob, data: bytes) -> None:
    """AES-GCM under the active field key, bound to the job; written with mode 0600."""
    ring = crypto.keyring()
    nonce = os.urandom(12)
    kid = ring.active_kid.encode()
    sealed = AESGCM(ring.keys[ring.active_kid]).encrypt(nonce, data, _aad(job))
    path = _upload_path(job)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(_MAGIC + bytes([len(kid)]) + kid + nonce + sealed)


def _aad(job: ImportJob) -> bytes:
    return f"import:{job.pk}:{job.upload_name}".encode()


def _unseal(job: ImportJob) -> bytes:
    path = _upload_path(job)
    if not path.exists():
        raise BadFile(gettext("上传的文件已过期删除，请重新上传"))
    blob = path.read_bytes()
    n = blob[4]
    kid, nonce, sealed = blob[5 : 5 + n].decode(), blob[5 + n : 17 + n], blob[17 + n :]
    key = crypto.keyring().keys.get(kid)
    if blob[:4] != _MAGIC or key is None:
        raise BadFile(gettext("上传的文件无法读取，请重新上传"))
    return AESGCM(key).decrypt(nonce, sealed, _aad(job))


def has_upload(job: ImportJob) -> bool:
    return bool(job.upload_name) and _upload_path(job).exists()


def discard_upload(job_id: int) -> None:
    name = ImportJob.objects.filter(pk=job_id).values_list("upload_name", flat=True).first()
    if name:
        (upload_dir() / f"{name}.bin").unlink(missing_ok=True)


def sweep(now: Any = None) -> int:
    """Delete uploads of finished jobs and of jobs older than ``KEEP_UPLOADS`` (PI-12); fail stale jobs."""
    now = now or timezone.now()
    removed = 0
    finished = (ImportJob.Status.DONE, ImportJob.Status.CANCELLED, ImportJob.Status.FAILED)
    for path in upload_dir().glob("*.bin"):
        job = ImportJob.objects.filter(upload_name=path.stem).only("status", "created_at").first()
        if job is None:
            # Not (or no longer) a job of this database: removed once old enough, never while fresh.
            expired = path.stat().st_mtime < (now - KEEP_UPLOADS).timestamp()
        else:
            expired = job.status in finished or job.created_at < now - KEEP_UPLOADS
        if expired:
            path.unlink(missing_ok=True)
            removed += 1
    stale = ImportJob.objects.filter(status__in=ImportJob.RUNNING, updated_at__lt=now - STALE_AFTER)
    for job in stale:
        if job.status == ImportJob.Status.COMMITTING and job.processed_rows:
            message = gettext(
                "导入中断（服务重启），已写入 %(n)d 行：重新上传同一文件即可补全其余行，已写入的行不会重复"
            ) % {"n": job.processed_rows}
        else:
            message = gettext("任务中断（服务重启或超时），请重新上传")
        _finish(job.pk, ImportJob.Status.FAILED, message=message)
        discard_upload(job.pk)
    return removed


# -- progress ----------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    phase: str  # "read" | "validate" | "write" | ""
    done: int
    total: int

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.done / self.total)) if self.total else 0


class _SideConnection:
    """An autocommitting PostgreSQL connection of its own, for progress written mid-transaction."""

    def __init__(self) -> None:
        self.raw: Any = None

    def update(self, job_id: int, phase: str, done: int, total: int) -> None:
        db = connections["default"]
        if self.raw is None:
            self.raw = db.get_new_connection(db.get_connection_params())
            self.raw.autocommit = True
        table = ImportJob._meta.db_table
        with self.raw.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" SET phase = %s, processed_rows = %s, total_rows = %s, updated_at = %s '  # noqa: S608
                "WHERE id = %s",
                [phase, done, total, timezone.now(), job_id],
            )

    def close(self) -> None:
        if self.raw is not None:
            self.raw.close()
            self.raw = None


_side = threading.local()


def _side_connection() -> _SideConnection:
    if not hasattr(_side, "conn"):
        _side.conn = _SideConnection()
    conn: _SideConnection = _side.conn
    return conn


def _report(job_id: int, phase: str, done: int, total: int, *, side: bool = False) -> None:
    """Write the job's progress into its row (called every thousand rows or so, and per chunk).

    ``side``: through the side connection, for PostgreSQL's one-transaction commit (whose own
    writes nobody sees before its end). Only that loop asks for it: its transaction never
    touches the job row before its last statement, so the side connection never waits on it.
    """
    if side:
        _side_connection().update(job_id, phase, done, total)
        return
    ImportJob.objects.filter(pk=job_id).update(
        phase=phase, processed_rows=done, total_rows=total, updated_at=timezone.now()
    )


def _forget(job_id: int) -> None:
    """The job's step is over: close this thread's side connection, if it opened one."""
    if hasattr(_side, "conn"):
        _side.conn.close()


def progress_of(job: ImportJob) -> Progress:
    return Progress(job.phase if job.is_running else "", job.processed_rows, job.total_rows)


# -- starting ------------------------------------------------------------------------


def _sync_limit() -> int:
    return int(getattr(settings, "TALENTPARK_IMPORT_SYNC_BYTES", DEFAULT_SYNC_BYTES))


def start_import(ctx: ActionContext, zone: Zone, kind: str, name: str, data: bytes) -> ImportJob:
    """Check the file, record the job, keep the upload sealed and validate it (here or in a thread)."""
    spec = SPECS[kind]
    reader.check_name_and_size(name, len(data))
    opened = reader.open_sheet(data, spec)  # file-level problems are answered at once
    try:
        sweep()
        assert ctx.user is not None
        try:
            with transaction.atomic():
                _refuse_if_running(ctx.user)
                job = ImportJob.objects.create(
                    zone=zone,
                    user=ctx.user,
                    kind=kind,
                    file_name=os.path.basename(name)[:200],
                    sha256=hashlib.sha256(data).hexdigest(),
                    size=len(data),
                    upload_name=secrets.token_hex(16),
                )
        except IntegrityError:
            raise ImportRefused(_busy_message()) from None
        _seal(job, data)
    except BaseException:
        opened.close()
        raise
    if len(data) <= _sync_limit():
        run_validation(job.pk, opened)  # closes ``opened``
    else:
        opened.close()
        _queue(ctx, job.pk, "validate")
    job.refresh_from_db()
    return job


def is_stale(job: ImportJob) -> bool:
    """A running job nobody has worked on for ``STALE_AFTER`` (its worker died with a restart)."""
    return job.is_running and job.updated_at < timezone.now() - STALE_AFTER


def _busy_message() -> str:
    return gettext("您已有一个导入任务正在进行，请等它完成后再上传或确认导入")


def _refuse_if_running(user: Any) -> None:
    running = ImportJob.objects.filter(user=user, status__in=ImportJob.RUNNING)
    if running.filter(updated_at__gte=timezone.now() - STALE_AFTER).exists():
        raise ImportRefused(_busy_message())


def _queue(ctx: ActionContext, job_id: int, step: str) -> None:
    """Hand a step to the task worker once the job's state is committed."""
    from talentpark.registry.tasks import import_step

    ImportJob.objects.filter(pk=job_id).update(phase="queued", updated_at=timezone.now())
    payload = {**ctx.as_payload(), "language": translation.get_language() or ""}
    transaction.on_commit(lambda: import_step.enqueue(job_id, step, payload))


def run_step(job_id: int, step: str, payload: dict[str, Any]) -> str:
    """The task body: validate or commit a queued job, in the language of the person who asked."""
    with translation.override(payload.get("language") or None):
        try:
            if step == "validate":
                run_validation(job_id)
            else:
                run_commit(job_id, ActionContext.from_payload(payload))
        finally:
            _forget(job_id)
    return ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""


def _claim(job_id: int, status: str) -> bool:
    """Start work on a job still in ``status`` (a swept, cancelled or finished job is left alone)."""
    return bool(
        ImportJob.objects.filter(pk=job_id, status=status).update(phase="read", updated_at=timezone.now())
    )


# -- validating ------------------------------------------------------------------------


def _read_and_validate(job: ImportJob, opened: reader.OpenedSheet) -> tuple[Validated, set[str]]:
    spec = SPECS[job.kind]
    try:
        limit = reader.max_rows()
        raw = []
        for number, cells in opened.raw_rows():
            raw.append((number, cells))
            if len(raw) > limit:
                raise BadFile(gettext("数据超过 %(n)d 行的上限，请拆分后分批导入") % {"n": limit})
            if len(raw) % 2000 == 0:
                _report(job.pk, "read", len(raw), 0)
        if not raw:
            raise BadFile(gettext("工作表“%(sheet)s”中没有数据行") % {"sheet": opened.sheet_name})
        total = len(raw)
        _report(job.pk, "validate", 0, total)
        lookups = Lookups(job.zone, {c.ref for c in opened.columns.values() if c.ref})

        def progress(done: int) -> None:
            _report(job.pk, "validate", done, total)

        validated = validate_rows(spec, opened.columns, raw, lookups, progress)
        return validated, opened.present
    finally:
        opened.close()


def _finish(job_id: int, status: str, **fields: Any) -> None:
    _forget(job_id)
    ImportJob.objects.filter(pk=job_id).update(
        status=status, phase="", updated_at=timezone.now(), finished_at=timezone.now(), **fields
    )


def run_validation(job_id: int, opened: reader.OpenedSheet | None = None) -> None:
    """The preview: every row checked, and what a commit would do (nothing is written)."""
    if not _claim(job_id, ImportJob.Status.VALIDATING):
        if opened is not None:
            opened.close()
        return
    job = ImportJob.objects.select_related("zone").get(pk=job_id)
    try:
        if opened is None:
            opened = reader.open_sheet(_unseal(job), SPECS[job.kind])
        validated, present = _read_and_validate(job, opened)
        _report(job_id, "validate", validated.total, validated.total)
        outcome = plan(job.zone, job.kind, validated.rows, present)
    except BadFile as exc:
        _finish(job_id, ImportJob.Status.FAILED, message=str(exc)[:500])
        discard_upload(job_id)
        return
    except Exception:
        log.exception("excel import %s: validation failed", job_id)
        _finish(
            job_id, ImportJob.Status.FAILED, message=gettext("校验时发生内部错误，请稍后重试或联系管理员")
        )
        discard_upload(job_id)
        return
    _finish(
        job_id,
        ImportJob.Status.INVALID if validated.problem_total else ImportJob.Status.READY,
        total_rows=validated.total,
        processed_rows=validated.total,
        counts={**outcome.counts, "error": validated.bad_rows},
        problems=[p.as_list() for p in validated.problems],
        problem_count=validated.problem_total,
    )


# -- committing ----------------------------------------------------------------------


def request_commit(ctx: ActionContext, job: ImportJob) -> ImportJob:
    """Start writing a previewed job; refused unless it is ready and the user runs nothing else."""
    sweep()
    try:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status != ImportJob.Status.READY:
                raise ImportRefused(
                    gettext("该任务当前状态为“%(s)s”，不能导入") % {"s": locked.get_status_display()}
                )
            _refuse_if_running(ctx.user)
            locked.status = ImportJob.Status.COMMITTING
            locked.processed_rows = 0
            locked.save(update_fields=["status", "processed_rows", "updated_at"])
    except IntegrityError:
        raise ImportRefused(_busy_message()) from None
    if job.size <= _sync_limit():
        run_commit(job.pk, ctx)
    else:
        _queue(ctx, job.pk, "commit")
    job.refresh_from_db()
    return job


def _reindex(model: type, pks: list[int]) -> None:
    """Keep the search index (built concurrently in ``core.search``) in step, when it exists."""
    if not pks:
        return
    try:
        from talentpark.core.search.index import reindex  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return
    reindex(model, pks)


def _unindex(model: type, pks: list[int]) -> None:
    if not pks:
        return
    try:
        from talentpark.core.search.index import remove  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return
    remove(model, pks)


def chunk_rows() -> int:
    return max(1, int(getattr(settings, "TALENTPARK_IMPORT_CHUNK_ROWS", DEFAULT_CHUNK_ROWS)))


def chunk_seconds() -> float:
    """About how long one write transaction of a chunked (SQLite) commit may last; 0: no bound."""
    return float(getattr(settings, "TALENTPARK_IMPORT_CHUNK_SECONDS", DEFAULT_CHUNK_SECONDS))


def _root(obj: Any) -> tuple[str, int]:
    """What keeps objects in one chunk: a person with her talent and educations; else the object."""
    if isinstance(obj, Talent | Education):
        if obj.person_id is not None:
            return ("person", obj.person_id)
        return ("new", id(obj.person))  # an unsaved person, cached on the object
    if obj.pk is not None:
        return (type(obj).__name__, obj.pk)
    return ("new", id(obj))


@dataclass
class Chunk:
    """Part of a plan, written in one transaction: its records' objects and their roots."""

    part: Plan
    roots: list[tuple[str, int]]


def split(outcome: Plan, size: int) -> list[Chunk]:
    """The plan in parts of at most ``size`` records (roots), in the order they were planned."""
    groups: dict[tuple[str, int], Plan] = {}

    def part_of(obj: Any) -> Plan:
        key = _root(obj)
        if key not in groups:
            groups[key] = Plan(kind=outcome.kind, primary=outcome.primary)
        return groups[key]

    for entries in outcome.updates.values():  # existing records first, then the new ones
        for obj, fields in entries.values():
            part_of(obj).update(obj, fields)
    for objs in outcome.creates.values():
        for obj in objs:
            part_of(obj).create(obj)
    chunks: list[Chunk] = []
    for n, (key, group) in enumerate(groups.items()):
        if n % size == 0:
            chunks.append(Chunk(Plan(kind=outcome.kind, primary=outcome.primary), []))
        chunk = chunks[-1]
        chunk.roots.append(key)
        for model, objs in group.creates.items():
            chunk.part.creates.setdefault(model, []).extend(objs)
        for model, entries in group.updates.items():
            chunk.part.updates.setdefault(model, {}).update(entries)
    return chunks


@dataclass
class _Undo:
    """How to take back the chunks already committed: what they created, and the rows before."""

    primary: type[models.Model]
    created: list[tuple[type[models.Model], list[int]]]
    before: list[tuple[type[models.Model], list[Any]]]


def _write_chunk(part: Plan, undo: _Undo | None) -> list[int]:
    """Write one part (the caller holds its transaction); the primary model's new pks."""
    if undo is not None:
        for model, entries in part.updates.items():
            rows = model._default_manager.filter(pk__in=list(entries)).order_by("pk")
            undo.before.append((model, list(rows)))
    part.write()
    created: list[int] = []
    for model, objs in part.creates.items():
        pks = [o.pk for o in objs]
        if undo is not None:
            undo.created.append((model, pks))
        if model is part.primary:
            created = pks
    return created


def _touched_by_root(outcome: Plan) -> dict[tuple[str, int], list[int]]:
    """The updated records of the primary model, by the root that carries them into a chunk."""
    assert outcome.record_ids is not None
    touched = [int(pk) for pk in outcome.record_ids()[1]]
    if outcome.primary is not Talent:
        return {(outcome.primary.__name__, pk): [pk] for pk in touched}
    by_root: dict[tuple[str, int], list[int]] = {}
    for pk, person_id in Talent.objects.filter(pk__in=touched).values_list("pk", "person_id"):
        by_root.setdefault(("person", person_id), []).append(pk)
    return by_root


def _between_chunks(job_id: int, done: int, total: int) -> None:
    """After each chunk but the last. SQLite: let the writers that queued meanwhile have the lock."""
    if connection.vendor == "sqlite":
        time.sleep(float(getattr(settings, "TALENTPARK_IMPORT_CHUNK_PAUSE", DEFAULT_CHUNK_PAUSE)))


def _take_back(undo: _Undo) -> None:
    """Undo committed chunks, newest first, each step in its own short transaction."""
    primary = undo.primary
    for model, objs in reversed(undo.before):
        fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
        with transaction.atomic():
            model._default_manager.bulk_update(objs, fields, batch_size=200)
            if model is primary:
                _reindex(model, [o.pk for o in objs])
    for model, pks in reversed(undo.created):
        with transaction.atomic():
            model._default_manager.filter(pk__in=pks).delete()
            if model is primary:
                _unindex(model, pks)


def run_commit(job_id: int, ctx: ActionContext) -> None:
    """Validate again and write everything, or nothing at all (see the module's docstring)."""
    if not _claim(job_id, ImportJob.Status.COMMITTING):
        return
    job = ImportJob.objects.select_related("zone").get(pk=job_id)
    started = time.perf_counter()
    undo: _Undo | None = None
    try:
        validated, present = _read_and_validate(job, reader.open_sheet(_unseal(job), SPECS[job.kind]))
        if validated.problem_total:
            _finish(
                job_id,
                ImportJob.Status.INVALID,
                message=gettext("数据在预览后发生了变化，重新校验发现问题，未导入任何数据"),
                problems=[p.as_list() for p in validated.problems],
                problem_count=validated.problem_total,
                counts={**job.counts, "error": validated.bad_rows},
            )
            return
        _report(job_id, "write", 0, validated.total)
        # PostgreSQL: compare and lock the existing rows inside one transaction. SQLite has no
        # row locks and a write transaction takes the whole database's write lock, so the
        # comparison (a read) is done first and the writes go in short chunks.
        chunked = connection.vendor == "sqlite"
        with contextlib.ExitStack() as outer:
            if chunked:
                outcome = plan(job.zone, job.kind, validated.rows, present, final=True)
                undo = _Undo(outcome.primary, [], [])
            else:
                outer.enter_context(transaction.atomic())
                outcome = plan(job.zone, job.kind, validated.rows, present, lock=True, final=True)
            touched = _touched_by_root(outcome)
            # SQLite: parts of at most CHUNK_UNIT_ROWS records, as many per transaction as fit in
            # chunk_rows() records and (from the second transaction on) about chunk_seconds():
            # under load a transaction gets fewer records, so the write lock is never held long.
            size = chunk_rows()
            unit = min(size, CHUNK_UNIT_ROWS) if chunked else size
            units = split(outcome, unit) or [Chunk(Plan(kind=outcome.kind, primary=outcome.primary), [])]
            most = max(1, size // unit)  # parts per transaction
            take, budget = most, chunk_seconds()
            done = at = 0
            chunks = 0
            while at < len(units):
                group = units[at : at + take]
                at += len(group)
                last = at == len(units)
                # What this transaction did counts for the undo only once it has committed.
                step = _Undo(outcome.primary, [], []) if undo is not None else None
                began = time.perf_counter()
                with transaction.atomic():
                    zone_versions.touch([job.zone_id])  # bulk writes send no signals
                    for chunk in group:
                        created = _write_chunk(chunk.part, step)
                        updated = [pk for root in chunk.roots for pk in touched.get(root, ())]
                        _reindex(outcome.primary, created + updated)
                        done = min(validated.total, done + len(chunk.roots))
                    if last:
                        _record_done(ctx, job, outcome, validated.total)
                    elif chunked:  # PostgreSQL: the side connection writes it (``_report``)
                        ImportJob.objects.filter(pk=job_id).update(
                            phase="write", processed_rows=done, updated_at=timezone.now()
                        )
                held = time.perf_counter() - began
                chunks += 1
                if undo is not None and step is not None:
                    undo.created += step.created
                    undo.before += step.before
                if not last and not chunked:  # (a chunk's own transaction wrote its count)
                    _report(job_id, "write", done, validated.total, side=True)
                if not last:
                    if chunked and budget > 0:
                        fits = int(len(group) * budget / held) if held > 0 else most
                        take = max(1, min(most, fits))
                    _between_chunks(job_id, done, validated.total)
        _forget(job_id)
        if validated.total >= STATISTICS_AFTER_ROWS:
            refresh_statistics([m._meta.db_table for m in {*outcome.creates, *outcome.updates}])
        log.info(
            "excel import %s: %d rows committed in %d chunk(s) in %.1fs",
            job_id,
            validated.total,
            chunks,
            time.perf_counter() - started,
        )
    except BadFile as exc:
        _finish(job_id, ImportJob.Status.FAILED, message=str(exc)[:500])
    except IntegrityError:
        log.warning("excel import %s: integrity error, rolled back", job_id)
        _fail_commit(
            job_id,
            undo,
            job,
            gettext("导入期间有人同时修改了相同的记录，已全部撤销，未导入任何数据，请重新上传"),
        )
    except Exception:
        log.exception("excel import %s: commit failed", job_id)
        _fail_commit(job_id, undo, job, gettext("导入时发生内部错误，已全部撤销，未导入任何数据"))
    discard_upload(job_id)


def _record_done(ctx: ActionContext, job: ImportJob, outcome: Plan, total: int) -> None:
    """The audit row and the job's end, in the last chunk's transaction."""
    assert outcome.record_ids is not None
    created, touched = outcome.record_ids()
    entry = audit.record(
        ctx,
        "registry.import",
        job,
        after={
            "kind": job.kind,
            "file": job.file_name,
            "sha256": job.sha256,
            "rows": total,
            **outcome.counts,
            "created": created,
            "updated": touched,
        },
    )
    _announce(job, outcome.primary, [*created, *touched])
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE,
        phase="",
        counts={**outcome.counts, "error": 0},
        total_rows=total,
        processed_rows=total,
        audit_id=entry.pk,
        problems=[],
        problem_count=0,
        message="",
        updated_at=timezone.now(),
        finished_at=timezone.now(),
    )


def _announce(job: ImportJob, primary: type[models.Model], ids: list[Any]) -> None:
    """One announcement for the whole import (``registry.signals``): the talents or enterprises
    it created or changed; a platform's or project's enterprise for those kinds."""
    if not ids:
        return
    reason = f"Excel导入（任务 {job.pk}）"
    if primary is Talent:
        signals.announce(job.zone_id, talents=ids, reason=reason)
    elif primary is Enterprise:
        signals.announce(job.zone_id, enterprises=ids, reason=reason)
    elif primary in (Platform, Project):
        owners = primary._default_manager.filter(pk__in=[int(pk) for pk in ids]).values_list(
            "enterprise_id", flat=True
        )
        signals.announce(job.zone_id, enterprises=list(owners), reason=reason)


def _fail_commit(job_id: int, undo: _Undo | None, job: ImportJob, message: str) -> None:
    if undo is not None and (undo.created or undo.before):
        try:
            _take_back(undo)
            zone_versions.touch([job.zone_id])
        except Exception:
            log.exception("excel import %s: undoing the committed chunks failed", job_id)
            message = gettext(
                "导入失败，且撤销已写入的部分时出错：请联系管理员核对；重新上传同一文件可补全（已写入的行不会重复）"
            )
    _finish(job_id, ImportJob.Status.FAILED, message=message)


def cancel(job: ImportJob) -> None:
    """Drop a previewed job and its upload."""
    if job.is_running:
        raise ImportRefused(gettext("任务正在进行，不能取消"))
    if job.status in (ImportJob.Status.READY, ImportJob.Status.INVALID):
        _finish(job.pk, ImportJob.Status.CANCELLED)
    discard_upload(job.pk)


def upload_of(job: ImportJob) -> bytes:
    """The job's upload, decrypted (for the marked-up error workbook)."""
    return _unseal(job)
