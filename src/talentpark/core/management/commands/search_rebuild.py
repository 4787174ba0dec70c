"""``talentpark search_rebuild [--zone CODE] [--kind talent …]``: recompute the search index from the records."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from talentpark.core.models import Zone
from talentpark.core.search.documents import kinds
from talentpark.core.search.index import REBUILD_BATCH, rebuild


class Command(BaseCommand):
    help = "从业务数据重建全文检索索引（分批写入，显示进度）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--zone", default="", help="只重建该园区（园区代码），默认全部园区")
        parser.add_argument(
            "--kind",
            action="append",
            default=[],
            help="只重建这种记录（可重复）：" + "、".join(k.kind for k in kinds()),
        )
        parser.add_argument(
            "--batch-size", type=int, default=REBUILD_BATCH, help=f"每批条数，默认 {REBUILD_BATCH}"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        zone = None
        if options["zone"]:
            zone = Zone.objects.filter(code=options["zone"]).first()
            if zone is None:
                raise CommandError(f"园区代码“{options['zone']}”不存在")
        known = {k.kind for k in kinds()}
        unknown = [k for k in options["kind"] if k not in known]
        if unknown:
            raise CommandError(f"未知的记录类型：{'、'.join(unknown)}（可选：{'、'.join(sorted(known))}）")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size 应为正整数")
        started = time.monotonic()
        written = rebuild(
            zone, options["kind"], progress=options["verbosity"] >= 1, batch_size=options["batch_size"]
        )
        elapsed = time.monotonic() - started
        labels = {k.kind: k.label for k in kinds()}
        summary = "，".join(f"{labels[k]} {n:,}" for k, n in written.items())
        self.stdout.write(self.style.SUCCESS(f"检索索引已重建，用时 {elapsed:.1f} 秒：{summary}"))
