"""``talentpark serve``: uvicorn serving pages, static files and the API, plus one task worker.

The worker (``talentpark task_worker``: django-tasks-db's ``db_worker`` that retries while
SQLite is locked) runs background work such as policy publishing; it is a child process
stopped together with the server. A worker that exits on its own is started again by
:class:`WorkerSupervisor` (after 1 s, doubling up to a minute while it keeps dying), and
each restart is written to the console and the log. With the worker, the nightly 补充比对
is enqueued at 02:00 (``policies.schedule``; ``--no-daily`` when cron runs
``talentpark policy_sweep`` instead).
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
from django.core.management.base import BaseCommand

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
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程")
        parser.add_argument(
            "--no-daily", action="store_true", help="不在每日凌晨自动补充比对（改由 cron 运行）"
        )

    def handle(self, *args, host: str, port: int, workers: int, no_worker: bool, no_daily: bool, **options):  # type: ignore[no-untyped-def]
        from talentpark.policies.schedule import DailySweeps

        worker = None
        daily = None
        uses_db_tasks = settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db")
        if uses_db_tasks and not no_worker:
            worker = WorkerSupervisor(out=self.stdout.write)
            worker.start()
            self.stdout.write("后台任务进程已启动（政策发布、周期复核；意外退出时自动重启）")
            if not no_daily:
                daily = DailySweeps()
                daily.start()
                self.stdout.write("每日凌晨2点自动补充比对已安排")
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
            if daily is not None:
                daily.stop()
            if worker is not None:
                worker.stop()
