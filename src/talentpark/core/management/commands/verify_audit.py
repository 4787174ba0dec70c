"""``talentpark verify_audit [--zone SLUG]``: walk every audit hash chain, report the first broken link.

Exits 0 when every chain is whole (and prints its row count and head hash, for the operator to
keep outside the database), 1 when any chain is broken.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from talentpark.core import auditchain
from talentpark.core.models import Zone

LOG_NAMES = {"core.auditlog": "操作日志", "core.piiaccesslog": "个人信息查看日志"}


class Command(BaseCommand):
    help = "校验操作日志与个人信息查看日志的哈希链：找出被修改、删除或截断的记录（有问题时退出码为 1）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--zone", metavar="SLUG", help="只校验该园区（园区代码）的链")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options.get("zone")
        zones = {z.pk: z for z in Zone.objects.all()}
        if slug:
            zone = next((z for z in zones.values() if z.code == slug), None)
            if zone is None:
                raise CommandError(f"园区代码：找不到“{slug}”")
            reports = auditchain.verify(zone.pk, only_zone=True)
        else:
            reports = auditchain.verify()
        broken = 0
        for report in reports:
            zone = zones.get(report.zone_id) if report.zone_id is not None else None
            if report.zone_id is None:
                where = "无园区（系统）"
            elif zone is None:
                where = f"园区 ID {report.zone_id}（已不存在）"
            else:
                where = f"{zone.name}（{zone.code}）"
            name = f"{where} · {LOG_NAMES.get(report.log, report.log)}"
            if report.ok:
                self.stdout.write(f"✓ {name}：{report.rows} 条，链完整；链头哈希 {report.head_hash}")
            else:
                broken += 1
                first = report.breaks[0]
                self.stdout.write(f"✗ {name}：共 {report.rows} 条，{first.message}")
        if broken:
            raise CommandError(f"审计链校验未通过：{broken} 条链有问题（见上）", returncode=1)
        self.stdout.write(f"审计链校验通过：{len(reports)} 条链，共 {sum(r.rows for r in reports)} 条记录")
