"""``talentpark task_worker``: django-tasks-db's ``db_worker`` that outlives a locked SQLite database.

``db_worker`` ignores "database is locked" only while it claims a task; the same error
anywhere else in its loop — starting the claim's exclusive transaction, recording a
result after its own three retries — ends the process. On SQLite that happens whenever
another writer holds the lock longer than the busy timeout. This worker catches it,
logs a warning, waits (1 s, doubling up to 30 s; back to 1 s after a minute without
the error) and goes on; any other error still ends it (``serve`` restarts a worker that
died). ``serve`` runs this command, not ``db_worker``.

The worker also runs the scheduler of 定时任务 (:class:`SchedulerThread`): every
``TALENTPARK_SCHEDULER_INTERVAL`` seconds it writes this worker's heartbeat and claims the due
occurrences of scheduled jobs, whose runs this (or another) worker then executes as tasks.
``--no-scheduler`` leaves it out.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.utils import is_locked_database_exception

log = logging.getLogger("talentpark.tasks")

FIRST_WAIT = 1.0
LONGEST_WAIT = 30.0


class RetryingWorker(Worker):  # type: ignore[misc]
    """A ``db_worker`` loop that waits and retries when the database is locked."""

    def __init__(self, *args: Any, sleep: Callable[[float], None] = time.sleep, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sleep = sleep
        self.retries = 0

    def run(self) -> None:
        wait = FIRST_WAIT
        last_failure = -1e9
        while True:
            try:
                super().run()
                return
            except OperationalError as exc:
                if not is_locked_database_exception(exc) or not self.running:
                    raise
                if time.monotonic() - last_failure > 2 * LONGEST_WAIT:
                    wait = FIRST_WAIT
                last_failure = time.monotonic()
                self.retries += 1
                log.warning("task worker: database is locked (%s); retrying in %.0f s", exc, wait)
                for conn in connections.all(initialized_only=True):
                    if not conn.in_atomic_block:
                        conn.close()  # a fresh connection for the next attempt
                self._sleep(wait)
                wait = min(LONGEST_WAIT, wait * 2)


class SchedulerThread(threading.Thread):
    """The scheduler tick, inside the worker process: heartbeat, then claim due jobs; repeat.

    An error in a tick (a locked SQLite database included) is logged and the next tick tries
    again: the scheduler never ends the worker, and a stale heartbeat shows one that is stuck.
    """

    def __init__(self, worker_id: str, interval: float | None = None) -> None:
        super().__init__(name="job-scheduler", daemon=True)
        self.worker_id = worker_id
        self.interval = settings.TALENTPARK_SCHEDULER_INTERVAL if interval is None else interval
        self.started_at: dt.datetime = timezone.now()
        self.ticks = 0
        self._halt = threading.Event()

    def stop(self) -> None:
        self._halt.set()

    def tick(self) -> None:
        from talentpark.core.scheduling import service

        try:
            service.heartbeat(self.worker_id, self.started_at)
            claimed = service.tick(worker_id=self.worker_id)
            if claimed:
                log.info("scheduler: %d job run(s) queued", len(claimed))
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                log.exception("scheduler tick failed")
            else:
                log.warning("scheduler: database is locked (%s); next tick retries", exc)
        except Exception:
            log.exception("scheduler tick failed")
        finally:
            self.ticks += 1
            for conn in connections.all(initialized_only=True):
                if not conn.in_atomic_block:
                    conn.close()  # this thread's own connections

    def run(self) -> None:
        while not self._halt.is_set():
            self.tick()
            self._halt.wait(self.interval)


class Command(DbWorkerCommand):  # type: ignore[misc]
    help = "Run background tasks (django-tasks-db), retrying while the database is locked."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--no-scheduler", action="store_true", help="不运行定时任务调度")

    def handle(self, *args: Any, **options: Any) -> None:
        import django_tasks_db.management.commands.db_worker as db_worker

        scheduler = None
        if not options.pop("no_scheduler", False) and not options.get("batch"):
            scheduler = SchedulerThread(options["worker_id"])
            scheduler.start()

        original = db_worker.Worker
        db_worker.Worker = RetryingWorker  # type: ignore[misc]  # the parent's handle() builds it from this name
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
            if scheduler is not None:
                scheduler.stop()
