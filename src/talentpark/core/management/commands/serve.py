"""``talentpark serve``: uvicorn serving pages, static files and the API, plus one task worker.

The worker (``talentpark task_worker``: django-tasks-db's ``db_worker`` that retries while
SQLite is locked) runs background work such as policy publishing; it is a child process
stopped together with the server. A worker that exits on its own is started again by
:class:`WorkerSupervisor` (after 1 s, doubling up to a minute while it keeps dying), and
each restart is written to the console and the log. The worker also runs the scheduler of
定时任务 (``core.scheduling``), so the nightly 补充比对 and the pruning are rows the office
changes under 系统管理 → 定时任务; nothing is hard-coded here (``--no-daily`` is kept as a
no-op for old scripts: disable the job instead).

Several uvicorn workers (``--workers``, default ``TALENTPARK_WEB_WORKERS``) need PostgreSQL:
with SQLite, ``serve`` refuses to start.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

log = logging.getLogger("talentpark.serve")

WORKER_COMMAND = (sys.executable, "-m", "talentpark.cli", "task_worker", "--interval", "1", "-v", "0")


class WorkerSupervisor:
    """Keeps one worker process running: one that exits is started again, and that is said."""

    def __init__(
        self,
        command: Sequence[str] = WORKER_COMMAND,
        *,
        out: Callable[[str], None] = print,
        first_delay: float = 1.0,
        longest_delay: float = 60.0,
        healthy_after: float = 60.0,
        on_restart: Callable[[int], None] | None = None,
    ) -> None:
        self.command = list(command)
        self._out = out
        self.first_delay, self.longest_delay, self.healthy_after = first_delay, longest_delay, healthy_after
        self._on_restart = on_restart
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self._started_at = 0.0

    def _spawn(self) -> None:
        self.process = subprocess.Popen(self.command)  # noqa: S603 (our own interpreter and command)
        self._started_at = time.monotonic()

    def start(self) -> None:
        with self._lock:
            self._spawn()
        self._thread = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        delay = self.first_delay
        while True:
            process = self.process
            assert process is not None
            code = process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - self._started_at >= self.healthy_after:
                delay = self.first_delay  # it had been running fine: not a crash loop
            self.restarts += 1
            message = (
                f"后台任务进程意外退出（退出码 {code}），{delay:g} 秒后重新启动（第 {self.restarts} 次）"
            )
            log.warning(
                "task worker exited with code %s; restarting in %g s (restart %d)", code, delay, self.restarts
            )
            self._out(message)
            if self._stopping.wait(delay):
                return
            with self._lock:
                if self._stopping.is_set():
                    return
                self._spawn()
                pid = self.process.pid if self.process is not None else "?"
            self._out(f"后台任务进程已重新启动（进程号 {pid}）")
            if self._on_restart is not None:
                self._on_restart(self.restarts)
            delay = min(self.longest_delay, max(delay * 2, self.first_delay))

    def stop(self, timeout: float = 10) -> None:
        """Stop watching and end the worker (terminate, then kill after ``timeout``)."""
        self._stopping.set()
        with self._lock:
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._thread is not None:
            self._thread.join(timeout)


class Command(BaseCommand):
    help = "Serve TalentPark with uvicorn (ASGI) and a background task worker."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=settings.TALENTPARK_WEB_WORKERS)
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程")
        parser.add_argument(
            "--no-daily", action="store_true", help="已无作用：每日任务改在“系统管理 → 定时任务”中停用"
        )

    def handle(self, *args, host: str, port: int, workers: int, no_worker: bool, no_daily: bool, **options):  # type: ignore[no-untyped-def]
        if workers > 1 and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
            raise CommandError(
                f"不能以 {workers} 个网页进程使用 SQLite 数据库：SQLite 只允许一个写入者，"
                "请改用 PostgreSQL（设置 DATABASE_URL）或使用 --workers 1"
            )
        if no_daily:
            self.stdout.write("提示：--no-daily 已无作用，每日任务请在“系统管理 → 定时任务”中停用")
        worker = None
        uses_db_tasks = settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db")
        if uses_db_tasks and not no_worker:
            worker = WorkerSupervisor(out=self.stdout.write)
            worker.start()
            self.stdout.write("后台任务进程已启动（政策发布、周期复核、定时任务；意外退出时自动重启）")
        self.stdout.write(f"TalentPark 人才服务平台: http://{host}:{port}/  (Ctrl+C 停止)")
        try:
            uvicorn.run(
                "talentpark.asgi:application",
                host=host,
                port=port,
                workers=workers,
                log_level="warning",
                lifespan="off",
            )
        finally:
            if worker is not None:
                worker.stop()
