"""``talentpark serve``: uvicorn serving pages, static files and the API, plus one task worker.

The worker (django-tasks-db's ``db_worker``) runs background work such as policy
publishing; it is a child process stopped together with the server. With the worker, the
nightly 补充比对 is enqueued at 02:00 (``policies.schedule``; ``--no-daily`` when cron runs
``talentpark policy_sweep`` instead).
"""

from __future__ import annotations

import subprocess
import sys

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand


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
            worker = subprocess.Popen(
                [sys.executable, "-m", "talentpark.cli", "db_worker", "--interval", "1", "-v", "0"]
            )
            self.stdout.write("后台任务进程已启动（政策发布、周期复核）")
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
                worker.terminate()
                worker.wait(10)
