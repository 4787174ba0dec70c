"""The task worker waits out a locked database; ``serve`` restarts a worker that died, and says so."""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django_tasks_db.management.commands import db_worker

from talentpark.core.management.commands.serve import WorkerSupervisor
from talentpark.core.management.commands.task_worker import RetryingWorker

WAIT = 60  # seconds: only reached if something is stuck


def _worker(sleep) -> RetryingWorker:
    return RetryingWorker(
        queue_names=["default"],
        interval=0,
        batch=True,  # one look at the queue, then return
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
        sleep=sleep,
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_while_sqlite_is_locked(monkeypatch, caplog):
    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"  # row locks: no database-wide write lock to wait out
        return
    connection.close()
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.2)  # give up quickly
    holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the database's write lock
    waits: list[float] = []

    def release_after_first_wait(seconds: float) -> None:
        waits.append(seconds)
        if holder.in_transaction:
            holder.execute("COMMIT")

    worker = _worker(release_after_first_wait)
    with caplog.at_level(logging.WARNING, logger="talentpark.tasks"):
        worker.run()  # the parent loop raised "database is locked" outside its own retry
    holder.close()
    connection.close()
    assert worker.retries == 1 and waits == [1.0]
    assert "database is locked" in caplog.text


def test_the_worker_backs_off_and_still_fails_on_other_errors(monkeypatch):
    calls: list[int] = []

    def parent_run(self) -> None:
        calls.append(1)
        if len(calls) <= 3:
            raise OperationalError("database is locked")
        if len(calls) == 4:
            raise OperationalError("no such table: django_tasks_database_dbtaskresult")

    monkeypatch.setattr(db_worker.Worker, "run", parent_run)
    waits: list[float] = []
    worker = _worker(waits.append)
    with pytest.raises(OperationalError, match="no such table"):
        worker.run()
    assert waits == [1.0, 2.0, 4.0] and worker.retries == 3


def test_serve_restarts_a_worker_that_exits_and_says_so():
    lines: list[str] = []
    restarted_twice = threading.Event()
    supervisor = WorkerSupervisor(
        [sys.executable, "-c", "import sys; sys.exit(3)"],  # a worker that dies at once
        out=lines.append,
        first_delay=0,
        on_restart=lambda n: n >= 2 and restarted_twice.set(),
    )
    supervisor.start()
    try:
        assert restarted_twice.wait(WAIT)
    finally:
        supervisor.stop()
    assert supervisor.restarts >= 2
    assert any("意外退出（退出码 3）" in line for line in lines)
    assert sum("已重新启动" in line for line in lines) >= 2


def test_a_running_worker_is_left_alone_and_stopped_with_the_server():
    lines: list[str] = []
    supervisor = WorkerSupervisor(
        # a worker that runs until it is signalled (no clock: it waits for the server's SIGTERM)
        [sys.executable, "-c", "import signal; signal.pause()"],
        out=lines.append,
        first_delay=0,
    )
    supervisor.start()
    process = supervisor.process
    assert process is not None
    supervisor.stop(timeout=WAIT)
    assert process.poll() is not None  # terminated by stop()
    assert supervisor.restarts == 0 and lines == []
