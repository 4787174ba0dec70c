"""``talentpark demo --scale {tiny,seed,<N>x}``: generate the demo zones, list the logins, serve.

Runs the migrations first. If the demo zone already exists it is left alone (delete the
``var/`` folder or pass ``--reset`` to start again).
"""

from __future__ import annotations

import importlib
import io
import time
import unicodedata

from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from talentpark.accounts.models import User
from talentpark.accounts.roles import Role
from talentpark.demo.generator import DEFAULT_SEED, SUMMARY_MODELS, demo_exists, generate
from talentpark.demo.scales import ScaleError, parse_scale
from talentpark.demo.writer import DEMO_PASSWORD

# One login per role to try the demo with: (role label, username).
DEMO_LOGINS = (
    (Role.OFFICE.label, "jn_office"),
    ("系统管理员", "sysadmin"),
    (Role.SPECIALIST.label, "jn_specialist01"),
    (Role.DEPT.label, "jn_dept_housing"),
    (Role.HR.label, "jn_hr0001"),
    (Role.TALENT.label, "jn_talent_demo"),
    (Role.AMBASSADOR.label, "jn_ambassador"),
    (Role.PARTNER.label, "jn_partner"),
    (Role.PROVINCE.label, "sd_province"),
    (f"{Role.OFFICE.label}（长治高新区）", "cz_office"),
)


def pad(text: str, width: int) -> str:
    """Left-justify to a terminal width, counting CJK characters as two columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - used)


# Data migrations whose rows the product needs, as (module, forward function).
RESEED = (
    ("talentpark.core.migrations.0013_dictionaries_parameters", "seed"),
    ("talentpark.core.migrations.0014_scheduled_jobs", "create_jobs"),
    ("talentpark.signup.migrations.0002_first_privacy_notice", "create"),
    ("talentpark.talentcode.migrations.0003_prune_tokens_job", "create_jobs"),
    ("talentpark.desk.migrations.0002_categories_and_scan_job", "forward"),
    ("talentpark.recruitment.migrations.0005_close_expired_job", "forward"),
)


class Command(BaseCommand):
    help = "生成演示园区（济宁高新区按所选规模，长治高新区为 tiny 规模）并启动服务。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", default="seed", help="tiny、seed 或 <N>x（seed 的 N 倍），默认 seed")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子，默认 {DEFAULT_SEED}")
        parser.add_argument("--reset", action="store_true", help="清空数据库后重新生成")
        parser.add_argument("--no-serve", action="store_true", help="只生成数据，不启动服务")
        parser.add_argument(
            "--no-redemption", action="store_true", help="不发布政策、不生成兑现记录（用于基准测试）"
        )
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            parse_scale(options["scale"])
        except ScaleError as exc:
            raise CommandError(str(exc)) from None
        call_command("migrate", interactive=False, verbosity=0)
        if options["reset"]:
            self.stdout.write("清空数据库……")
            call_command("flush", interactive=False, verbosity=0)
            # flush also empties what the data migrations wrote: the code tables, and the rows
            # that the code expects to exist (platform dictionaries, scheduled jobs, the first
            # privacy notice). Their migrations' own functions write them again.
            call_command("load_code_tables", stdout=io.StringIO())
            for module, function in RESEED:
                getattr(importlib.import_module(module), function)(django_apps, None)

        if demo_exists():
            self.stdout.write(
                self.style.WARNING(
                    "演示数据已存在，跳过生成。要重新生成，请删除 var/ 目录，或加 --reset 参数。"
                )
            )
        else:
            self._generate(
                options["scale"],
                options["seed"],
                progress=options["verbosity"] >= 1,
                redemption=not options["no_redemption"],
            )

        host, port = options["host"], options["port"]
        self._print_logins(host, port)
        if not options["no_serve"]:
            call_command("serve", host=host, port=port)

    def _generate(self, scale: str, seed: int, progress: bool, redemption: bool = True) -> None:
        self.stdout.write(f"生成演示数据：规模 {scale}，随机种子 {seed}")
        started = time.monotonic()
        counts = generate(scale, seed, progress=progress, stdout=self.stdout, redemption=redemption)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"完成，用时 {elapsed:.1f} 秒"))
        for model in SUMMARY_MODELS:
            label = f"{model._meta.verbose_name_plural}（{model.__name__}）"
            self.stdout.write(f"  {pad(label, 40)}{counts[model.__name__]:>10,}")

    def _print_logins(self, host: str, port: int) -> None:
        existing = set(
            User.objects.filter(username__in=[u for _, u in DEMO_LOGINS]).values_list("username", flat=True)
        )
        self.stdout.write("")
        self.stdout.write(f"访问地址：http://{host}:{port}/")
        self.stdout.write("演示账号（密码相同）：")
        self.stdout.write(f"  {pad('角色', 30)}{pad('用户名', 20)}密码")
        for role, username in DEMO_LOGINS:
            if username in existing:
                self.stdout.write(f"  {pad(role, 30)}{pad(username, 20)}{DEMO_PASSWORD}")
