"""``talentpark policy_sweep``: the daily 补充比对 of every live policy (run it from cron)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from talentpark.core.context import ActionContext
from talentpark.core.models import Zone
from talentpark.policies import runs


class Command(BaseCommand):
    help = "补充比对：为新符合已发布政策条件的人才和企业生成判定与待办（每日运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--zone", help="园区代码（默认全部园区）")
        parser.add_argument("--as-of", help="计算日 YYYY-MM-DD（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(f"计算日：“{options['as_of']}”不是 YYYY-MM-DD 格式的日期") from None
        zones = Zone.objects.order_by("pk")
        if options["zone"]:
            zones = zones.filter(code=options["zone"])
            if not zones.exists():
                raise CommandError(f"园区：找不到代码为“{options['zone']}”的园区")
        for zone in zones:
            ctx = ActionContext.system(reason="每日补充比对", zone_id=zone.pk)
            done = runs.sweep(ctx, zone.pk, as_of)
            found = sum(r.eligible for r in done)
            self.stdout.write(f"{zone.name}：{len(done)} 项政策有新符合条件者，共 {found} 个")
