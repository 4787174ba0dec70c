"""定时任务: the office's changes to jobs, the worker's scheduler tick, and the runs themselves.

Guarantees (enforced by the database, proven in ``core/tests/test_scheduling.py``):

* **An occurrence runs at most once, however many workers tick.** A worker claims a due job
  with a conditional update (``SET next_run_at=<next> WHERE pk=… AND next_run_at=<seen> AND
  enabled``): of two workers that saw the same occurrence, the second updates no row (on
  PostgreSQL it waits for the first's row lock, then re-reads the changed row; on SQLite the
  write transactions are serialised). The run row it then writes is unique per (job,
  occurrence), the final guard. A run is started (``queued → running``) by a conditional update
  too, so a task delivered twice runs the job once.
* **A failing job records its error, and the schedule goes on**: the next occurrence was fixed
  when this one was claimed, before the job ran.
* **"立即执行" takes the same path**: a run row (its occurrence is the moment of the click, and
  ``started_by`` the person) and the same ``run_job`` task, executed by the worker.
* A worker that was down runs a missed occurrence once when it comes back, then the next one
  after now (no burst of catch-up runs).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
from typing import Any

from croniter import croniter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.tasks import task
from django.utils import timezone

from talentpark.core import audit, scheduling
from talentpark.core.access import restrict
from talentpark.core.context import ActionContext
from talentpark.core.scheduling.models import JobRun, ScheduledJob, WorkerHeartbeat

log = logging.getLogger("talentpark.scheduling")

CRON_HINT = "请填写5段 cron 表达式：分 时 日 月 周，例如“0 2 * * *”表示每天凌晨2点"
# A run queued or running for longer than this has lost its worker: "立即执行" is allowed again.
STALE_RUN = dt.timedelta(hours=1)
TICK_BATCH = 100


# ---- schedules ------------------------------------------------------------------------------


def validate_cron(expr: Any) -> str:
    """A five-field cron expression, or a ValidationError naming the field in Chinese."""
    text = " ".join(str(expr or "").split())
    if not text:
        raise ValidationError({"cron": ["执行周期：不能为空"]})
    if len(text) > 100 or len(text.split(" ")) != 5 or not croniter.is_valid(text):
        raise ValidationError({"cron": [f"执行周期：“{text[:100]}”不是有效的 cron 表达式，{CRON_HINT}"]})
    try:
        next_after(text, timezone.now())
    except (ValueError, KeyError) as exc:  # e.g. "0 0 31 2 *" never happens (CroniterBadDateError)
        raise ValidationError({"cron": [f"执行周期：“{text}”永远不会执行，{CRON_HINT}"]}) from exc
    return text


def next_after(cron: str, after: dt.datetime) -> dt.datetime:
    """The first occurrence of ``cron`` strictly after ``after``, read in the zone's local time
    (``TIME_ZONE``), as an aware datetime."""
    local = timezone.localtime(after).replace(second=0, microsecond=0)
    nxt: dt.datetime = croniter(cron, local).get_next(dt.datetime)
    return nxt


def upcoming(cron: str, count: int = 3, after: dt.datetime | None = None) -> list[dt.datetime]:
    """The next ``count`` occurrences (the edit form shows them)."""
    it = croniter(cron, timezone.localtime(after or timezone.now()).replace(second=0, microsecond=0))
    return [it.get_next(dt.datetime) for _ in range(count)]


# ---- the office's changes -------------------------------------------------------------------


def visible_jobs(user: Any) -> QuerySet[ScheduledJob]:
    """The jobs of the user's zone and the platform-wide ones (``core.access`` scope)."""
    return restrict(ScheduledJob.objects.select_related("zone"), user, "view")


def _snapshot(job: ScheduledJob) -> dict[str, Any]:
    return audit.snapshot(job, ("kind", "cron", "enabled", "next_run_at"))


def _locked(job: ScheduledJob) -> ScheduledJob:
    return ScheduledJob.objects.select_for_update().get(pk=job.pk)


def set_enabled(ctx: ActionContext, job: ScheduledJob, enabled: bool) -> ScheduledJob:
    """启用 (the next occurrence counts from now: missed ones are not run) or 停用."""
    with transaction.atomic():
        locked = _locked(job)
        before = _snapshot(locked)
        locked.enabled = enabled
        locked.next_run_at = next_after(locked.cron, timezone.now()) if enabled else None
        locked.save(update_fields=["enabled", "next_run_at", "updated_at"])
        action = "job.enable" if enabled else "job.disable"
        audit.record(ctx, action, locked, before=before, after=_snapshot(locked), zone_id=_zone(ctx, locked))
    return locked


def set_schedule(ctx: ActionContext, job: ScheduledJob, cron: Any) -> ScheduledJob:
    """Change the cron expression; the next occurrence follows it at once."""
    text = validate_cron(cron)
    with transaction.atomic():
        locked = _locked(job)
        before = _snapshot(locked)
        locked.cron = text
        if locked.enabled:
            locked.next_run_at = next_after(text, timezone.now())
        locked.save(update_fields=["cron", "next_run_at", "updated_at"])
        audit.record(
            ctx, "job.schedule", locked, before=before, after=_snapshot(locked), zone_id=_zone(ctx, locked)
        )
    return locked


def run_now(ctx: ActionContext, job: ScheduledJob) -> JobRun:
    """立即执行: a run started by ``ctx.user``, executed by the task worker like any other."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(job)
        busy = locked.runs.filter(
            status__in=(JobRun.Status.QUEUED, JobRun.Status.RUNNING), queued_at__gte=now - STALE_RUN
        ).exists()
        if busy:
            raise ValidationError({"job": ["定时任务：上一次执行尚未结束，请稍后再试"]})
        run = JobRun.objects.create(job=locked, occurrence=now, started_by=ctx.user)
        audit.record(
            ctx, "job.run_now", locked, after={"run": run.pk, "kind": locked.kind}, zone_id=_zone(ctx, locked)
        )
        run_job.enqueue(run.pk)  # in the transaction: the queued task commits with the run
    run.refresh_from_db()
    return run


def _zone(ctx: ActionContext, job: ScheduledJob) -> int | None:
    return job.zone_id if job.zone_id is not None else ctx.zone_id


# ---- the scheduler (runs inside the task worker) --------------------------------------------


def tick(now: dt.datetime | None = None, worker_id: str = "") -> list[JobRun]:
    """Claim every due occurrence and queue its run; returns the runs this worker claimed."""
    now = now or timezone.now()
    due = list(
        ScheduledJob.objects.filter(enabled=True, next_run_at__lte=now)
        .order_by("next_run_at", "pk")
        .values_list("pk", "next_run_at", "cron")[:TICK_BATCH]
    )
    claimed = []
    for pk, seen, cron in due:
        run = claim(pk, seen, cron, now, worker_id) if seen is not None else None
        if run is not None:
            claimed.append(run)
    return claimed


def claim(job_id: int, seen: dt.datetime, cron: str, now: dt.datetime, worker_id: str = "") -> JobRun | None:
    """Take the occurrence ``seen`` of a job, if no other worker has: move its ``next_run_at`` on
    (conditionally), write its run (unique per occurrence) and queue it, in one transaction."""
    try:
        following = next_after(cron, max(now, seen))
    except (ValueError, KeyError):
        log.error("scheduled job %s has an invalid cron expression %r; disabling it", job_id, cron)
        ScheduledJob.objects.filter(pk=job_id).update(enabled=False, next_run_at=None)
        return None
    with transaction.atomic():
        moved = ScheduledJob.objects.filter(pk=job_id, next_run_at=seen, enabled=True).update(
            next_run_at=following, updated_at=now
        )
        if not moved:
            return None  # another worker claimed it (or the office changed the job meanwhile)
        try:
            with transaction.atomic():
                run = JobRun.objects.create(job_id=job_id, occurrence=seen, worker_id=worker_id[:64])
        except IntegrityError:
            log.warning("scheduled job %s: occurrence %s has already run", job_id, seen)
            return None
        run_job.enqueue(run.pk)
    return run


@task()
def run_job(run_id: int) -> str:
    """The task body of every run, scheduled or started by a person."""
    return execute_run(run_id)


def execute_run(run_id: int, worker_id: str = "") -> str:
    """Run the job of a queued run once; its result or error is written on the run."""
    now = timezone.now()
    started = JobRun.objects.filter(pk=run_id, status=JobRun.Status.QUEUED).update(
        status=JobRun.Status.RUNNING, started_at=now, worker_id=worker_id[:64] or _worker_name()
    )
    if not started:
        return JobRun.objects.filter(pk=run_id).values_list("status", flat=True).first() or ""
    run = JobRun.objects.select_related("job").get(pk=run_id)
    kind = scheduling.get_kind(run.job.kind)
    status, summary, error = JobRun.Status.SUCCEEDED, "", ""
    try:
        if kind is None:
            raise LookupError(f"未注册的任务类型：{run.job.kind}")
        # Nested in a transaction (tasks run inline): a savepoint, so a database error inside the
        # job leaves the run's own bookkeeping usable.
        guard = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
        with guard:
            result = kind.func(zone_id=run.job.zone_id)
        summary = "完成" if result is None else str(result)
    except Exception as exc:
        log.exception("scheduled job %s (%s) failed", run.job_id, run.job.kind)
        status, error = JobRun.Status.FAILED, f"{type(exc).__name__}: {exc}"
    JobRun.objects.filter(pk=run_id).update(
        status=status, finished_at=timezone.now(), summary=summary[:300], error=error[:4000]
    )
    return str(status)


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


# ---- heartbeats and pruning -----------------------------------------------------------------


def heartbeat(worker_id: str, started_at: dt.datetime | None = None) -> None:
    """The worker is alive (``/healthz`` reads the newest heartbeat)."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
        last_seen=now, host=socket.gethostname()[:255], pid=os.getpid()
    )
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id[:64],
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=started_at or now,
            last_seen=now,
        )


def prune_task_results(zone_id: int | None = None) -> str:
    """Delete finished background-task results older than ``TALENTPARK_TASK_RESULT_DAYS``, job runs
    older than ``TALENTPARK_JOB_RUN_DAYS`` and heartbeats of workers gone for a week."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    result_days = settings.TALENTPARK_TASK_RESULT_DAYS
    run_days = settings.TALENTPARK_JOB_RUN_DAYS
    results, _ = DBTaskResult.objects.filter(
        status__in=("SUCCESSFUL", "FAILED"), finished_at__lt=now - dt.timedelta(days=result_days)
    ).delete()
    runs, _ = JobRun.objects.filter(
        status__in=(JobRun.Status.SUCCEEDED, JobRun.Status.FAILED),
        finished_at__lt=now - dt.timedelta(days=run_days),
    ).delete()
    beats, _ = WorkerHeartbeat.objects.filter(last_seen__lt=now - dt.timedelta(days=7)).delete()
    return f"清理任务结果 {results} 条、执行记录 {runs} 条、过期心跳 {beats} 条"
