"""``talentpark serve``: one uvicorn process serving pages, static files and the API."""

from __future__ import annotations

import uvicorn
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve TalentPark with uvicorn (ASGI)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)

    def handle(self, *args, host: str, port: int, workers: int, **options):  # type: ignore[no-untyped-def]
        self.stdout.write(f"TalentPark 人才服务平台: http://{host}:{port}/  (Ctrl+C 停止)")
        uvicorn.run(
            "talentpark.asgi:application",
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            lifespan="off",
        )
