"""The deterministic demo-zone generator.

``generate("seed", 20260101)`` creates the main zone (济宁高新区) at the chosen scale and
a second, tiny zone (长治高新区): departments, staff and enterprise logins, chains,
enterprises, talents with ID numbers, families and education, platforms, projects,
positions, personnel demands, apartments, lecturers and policies. The same seed
gives the same names, ID numbers, codes and texts (only ciphertexts differ: their
nonces are random). Values are planned by :mod:`talentpark.demo.plan` without the
database; :mod:`talentpark.demo.writer` saves them in batches, each chunk in its own
transaction, so memory stays flat at any scale.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from itertools import batched
from typing import IO, Any

from django.db import models, transaction
from tqdm import tqdm

from talentpark.accounts.models import Department, User
from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.core.dbstats import refresh_statistics
from talentpark.core.models import AuditLog, Zone
from talentpark.core.search import index as search_index
from talentpark.demo.plan import DemoPlan, ZonePlan
from talentpark.demo.scales import parse_scale
from talentpark.demo.writer import DemoWriter
from talentpark.housing.models import ApartmentUnit
from talentpark.innovation.models import Lecturer
from talentpark.policies.models import Policy, PolicyVersion
from talentpark.recruitment.models import PersonnelDemand, Position
from talentpark.registry.models import (
    ChainSegment,
    Education,
    Enterprise,
    EnterpriseAccount,
    EnterpriseChainRole,
    FamilyMember,
    IndustryChain,
    Person,
    Platform,
    Project,
    Talent,
)

DEFAULT_SEED = 20260101
MAIN_ZONE = "jining-hitech"
SECOND_ZONE = "changzhi-hitech"
TALENT_CHUNK = 5000
LISTING_CHUNK = 10000

# What the summary counts, in display order.
SUMMARY_MODELS: tuple[type[models.Model], ...] = (
    Zone,
    Department,
    User,
    IndustryChain,
    ChainSegment,
    Enterprise,
    EnterpriseChainRole,
    EnterpriseAccount,
    Person,
    Talent,
    Education,
    FamilyMember,
    Platform,
    Project,
    Position,
    PersonnelDemand,
    ApartmentUnit,
    Lecturer,
    Policy,
    PolicyVersion,
    AuditLog,
)
# Zone-owned models counted per zone in the audit row.
ZONE_MODELS = (
    Enterprise,
    Talent,
    Platform,
    Project,
    Position,
    PersonnelDemand,
    ApartmentUnit,
    Lecturer,
    Policy,
)


def demo_exists() -> bool:
    return Zone.objects.filter(code=MAIN_ZONE).exists()


def generate(
    scale: str,
    seed: int = DEFAULT_SEED,
    progress: bool = True,
    stdout: IO[str] | None = None,
    redemption: bool = True,
) -> dict:
    """Create both demo zones; return ``{model name: row count}`` over the whole database.

    ``scale`` is ``tiny``, ``seed`` or ``<N>x`` (raises :class:`~talentpark.demo.scales.ScaleError`).
    """
    counts = parse_scale(scale)
    out = stdout or sys.stdout
    writer = DemoWriter()
    with transaction.atomic():
        writer.universities()
    for zone_plan in DemoPlan(counts, seed).zones():
        _write_zone(
            zone_plan, writer, out, progress, reason=f"演示数据：规模 {counts.label}，随机种子 {seed}"
        )
    writer.reset_sequences()
    _talent_codes(seed, counts.label, out)
    _wallets(out)
    _desk(seed, out)
    _recruitment(seed, out)
    if redemption:
        # Published policies evaluated over the zone, claims moved through every state.
        from talentpark.demo.people import REFERENCE_DATE
        from talentpark.demo.redemption import redeem

        for zone in Zone.objects.order_by("pk"):

            def say(message: str, zone: Zone = zone) -> None:
                out.write(f"{zone.short_name}：{message}\n")

            redeem(zone, REFERENCE_DATE, seed, say)
    search_index.rebuild(progress=progress)
    refresh_statistics()
    return summary()


def _write_zone(plan: ZonePlan, writer: DemoWriter, out: IO[str], progress: bool, reason: str) -> None:
    profile = plan.profile

    def say(message: str) -> None:
        out.write(f"{profile.short_name}：{message}\n")

    with transaction.atomic():
        zone = writer.zone(profile)
        writer.departments(plan.staff.departments, profile.code)
        writer.accounts(plan.staff.accounts)
        writer.chains(profile)
        writer.enterprises(plan.enterprises.enterprises)
        writer.platforms(plan.platforms())
        writer.policies(plan.policies())
    say(f"{len(plan.enterprises.enterprises)} 家企业、{len(profile.chains)} 条产业链、部门与账号已创建")

    _stream(
        plan.talents, len(plan.talents), TALENT_CHUNK, writer.talents, f"{profile.short_name} 人才", progress
    )
    with transaction.atomic():
        writer.projects(plan.projects())
    listings = plan.listings
    for label, rows, total, write in (
        ("岗位", listings.positions(plan.counts.positions), plan.counts.positions, writer.positions),
        ("人才需求", listings.demands(plan.counts.demands), plan.counts.demands, writer.demands),
        ("公寓房源", listings.apartments(plan.counts.apartments), plan.counts.apartments, writer.apartments),
        (
            "讲师",
            listings.lecturers(plan.counts.lecturers, plan.talents.seniors),
            plan.counts.lecturers,
            writer.lecturers,
        ),
    ):
        _stream(
            rows,
            total,
            LISTING_CHUNK,
            write,
            f"{profile.short_name} {label}",
            progress and total > LISTING_CHUNK,
        )

    with transaction.atomic():
        from talentpark.demo import announcements, dictionaries, logins
        from talentpark.demo.people import REFERENCE_DATE

        announcements.write(zone, REFERENCE_DATE)
        dictionaries.write(zone, profile)
        logins.write(zone, REFERENCE_DATE, plan.seed)
        audit.record(
            ActionContext.system(reason=reason, zone_id=zone.pk),
            "demo.generate",
            zone,
            after={m.__name__: m.objects.filter(zone=zone).count() for m in ZONE_MODELS},  # type: ignore[attr-defined]
        )
    say("完成")


def _wallets(out: IO[str]) -> None:
    """The demo talent's 材料库 (uploaded through the wallet's service, sealed on disk)."""
    from talentpark.demo import wallet

    made = sum(wallet.write(zone) for zone in Zone.objects.order_by("pk"))
    out.write(f"材料库：演示人才的材料 {made} 份\n")


def _desk(seed: int, out: IO[str]) -> None:
    """The service desk's last six months in each zone: specialists' profiles, 1+N assignments
    and service lists, enterprise visits, requests in every state up to now."""
    from talentpark.demo import desk

    for zone in Zone.objects.order_by("pk"):
        with transaction.atomic():
            made = desk.write(zone, seed)
        out.write(
            f"{zone.short_name}：服务诉求 {made['requests']} 件（未办结 {made['open']} 件）、"
            f"包保关系 {made['assignments']} 个、企业走访 {made['visits']} 次\n"
        )


def _recruitment(seed: int, out: IO[str]) -> None:
    """招才引智 of each zone: positions coded and reviewed, demands coded, job seekers (most planted
    for a known match), the demo talent's applications, six months of applications through every
    stage with their events and interviews, saved searches."""
    import time

    from talentpark.demo import recruitment

    for zone in Zone.objects.order_by("pk"):
        started = time.process_time()
        with transaction.atomic():
            made = recruitment.write(zone, seed)
        out.write(
            f"{zone.short_name}：求职意向 {made['seekers']} 份、求职申请 {made['applications']} 份"
            f"（已入职 {made['hired']} 人）、面试邀请 {made['interviews']} 个、待审核岗位 {made['pending']} 个"
            f"（{time.process_time() - started:.1f} 秒）\n"
        )
    _fairs(seed, out)


def _fairs(seed: int, out: IO[str]) -> None:
    """Two past job fairs built around the demo's applications, and one a week ahead (after the
    recruitment phase: it reads its applications and job seekers)."""
    from talentpark.demo import fairs

    for zone in Zone.objects.order_by("pk"):
        with transaction.atomic():
            made = fairs.write(zone, seed)
        out.write(f"{zone.short_name}：{fairs.summary(made)}\n")


def _talent_codes(seed: int, scale: str, out: IO[str]) -> None:
    """人才码 partners, windows, services, codes, consents and scans of each zone (after the
    sequences are reset: it creates window accounts without explicit ids)."""
    from talentpark.demo import talentcode
    from talentpark.demo.people import REFERENCE_DATE
    from talentpark.demo.zones import ZONES

    for profile in ZONES:
        zone = Zone.objects.filter(code=profile.code).first()
        if zone is None:
            continue
        with transaction.atomic():
            made = talentcode.write(
                zone, profile, REFERENCE_DATE, seed, scale if profile is ZONES[0] else "tiny"
            )
        out.write(
            f"{profile.short_name}：人才码合作机构 {made['partners']} 家、绿色通道服务 {made['services']} 项、"
            f"核验 {made['scans']} 次、服务 {made['records']} 次\n"
        )


def _stream(
    rows: Iterable[Any], total: int, chunk: int, write: Callable[[list[Any]], int], label: str, progress: bool
) -> None:
    """Write ``rows`` chunk by chunk, each chunk in its own transaction."""
    with tqdm(total=total, desc=label, unit="行", disable=not progress, file=sys.stderr, leave=False) as bar:
        for batch in _chunks(rows, chunk):
            with transaction.atomic():
                written = write(batch)
            bar.update(written)


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    for batch in batched(rows, size):
        yield list(batch)


def summary() -> dict[str, int]:
    """Row counts per model (the demo's tables)."""
    return {m.__name__: m.objects.count() for m in SUMMARY_MODELS}  # type: ignore[attr-defined]
