"""Benchmark: 一键直达 — re-evaluating a changed talent (or enterprise) against every live policy.

Usage (SQLite: the demo is generated into ``--var`` — a new scratch directory by default — unless it
is already there; PostgreSQL: set ``DATABASE_URL``, the database must exist, the demo is generated
into it if missing)::

    .venv/bin/python bench/reevaluate_bench.py --scale seed [--var /tmp/tp_reeval/seed_sqlite]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tp_reeval_seed .venv/bin/python bench/reevaluate_bench.py --scale seed

(a) **One re-evaluation** (``policies.reevaluate.reevaluate(zone, [id])``, the task's body) of
``--talents`` random active talents and ``--enterprises`` random enterprises of the main demo zone
against every live policy of the zone, each inside a transaction that is rolled back (nothing is
kept; the demo's publish runs and 补充比对 have already made every claim, so the path measured is
the usual one: live versions, the records the change moves, one batch query per record kind, the
claims already held). An enterprise's re-evaluation includes its employees. Median, p95, max and
the number of queries. Also: what queueing the task adds to the change's transaction (one
``reevaluate_records.enqueue`` on the database backend, rolled back).

(b) **From a saved change to the notice**, with a real task worker: ``talentpark task_worker
--interval I`` (the command ``serve`` starts, ``--interval 1`` there) runs beside this process. A
bench policy (``housing == "人才公寓" && tier == "A"``) is published (the worker runs its publish
run); ``--changes`` talents with logins, not in an apartment, are certified tier A first (their
re-evaluation finds nothing: they are not in an apartment) and then, one at a time, each moves
into an apartment through ``registry.services.update_own_profile``. The clock starts when the
service returns (its transaction has committed) and stops when her inbox holds the notice (polled
every 2 ms on this process's own connection). Everything is written to the scratch demo database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TALENTPARK = Path(sys.executable).with_name("talentpark")
MAIN_ZONE = "jining-hitech"
TITLE = "一键直达基准政策"


def prepare(args: argparse.Namespace) -> dict[str, str]:
    """The environment (scratch var/ or DATABASE_URL); generates the demo there if it is missing."""
    env = {**os.environ, "TALENTPARK_FAST_HASHER": "1", "TALENTPARK_TASKS": "db"}
    if env.get("DATABASE_URL"):
        env["TALENTPARK_VAR"] = env.get("TALENTPARK_VAR") or tempfile.mkdtemp(prefix="tp-reeval-bench-")
    else:
        env["TALENTPARK_VAR"] = args.var or tempfile.mkdtemp(prefix="tp-reeval-bench-")
        Path(env["TALENTPARK_VAR"]).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for command in (["migrate", "-v0"], ["demo", "--scale", args.scale, "--no-serve", "-v0"]):
        subprocess.run([str(TALENTPARK), *command], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    if env.get("DATABASE_URL"):
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("ANALYZE")
    print(f"demo ready in {time.perf_counter() - started:.0f} s ({env['TALENTPARK_VAR']})", file=sys.stderr)
    return env


def ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return f"{statistics.median(values) * 1000:.1f} | {p95 * 1000:.1f} | {values[-1] * 1000:.1f}"


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        db = f"{connection.vendor} {cur.fetchone()[0]}"
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {db}, load {os.getloadavg()[0]:.1f}"


def part_a(zone: Any, args: argparse.Namespace) -> None:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from talentpark.policies import reevaluate, runs, tasks
    from talentpark.registry.models import Enterprise, Talent

    as_of = dt.date.fromisoformat(args.as_of) if args.as_of else reevaluate.timezone.localdate()
    live = runs.live_versions(zone.pk, as_of)
    kinds = {t: sum(1 for v, _ in live if v.target == t) for t in ("talent", "enterprise")}
    print(
        f"\nas of {as_of}: live policies of the zone: {len(live)}"
        f" ({kinds['talent']} talent, {kinds['enterprise']} enterprise)"
    )
    rng = random.Random(args.seed)
    talents = list(Talent.objects.filter(zone=zone, status="active").values_list("pk", flat=True))
    enterprises = list(Enterprise.objects.filter(zone=zone).values_list("pk", flat=True))
    print(f"records: {len(talents):,} active talents, {len(enterprises):,} enterprises")

    def one(t_ids: list[int], e_ids: list[int]) -> tuple[float, int, int]:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            newly = reevaluate.reevaluate(zone.pk, t_ids, e_ids, reason="基准", as_of=as_of)
            took = time.perf_counter() - began
            transaction.set_rollback(True)
        return took, len(queries.captured_queries), newly

    print("\n| re-evaluation of | runs | median ms | p95 ms | max ms | queries (median) | newly qualified |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, pool, count, as_talent in (
        ("one talent", talents, args.talents, True),
        ("one enterprise (and its employees)", enterprises, args.enterprises, False),
    ):
        chosen = rng.sample(pool, min(count, len(pool)))
        for pk in chosen[:5]:  # warm-up: compiled rules, statement caches
            one([pk], []) if as_talent else one([], [pk])
        times, counts, newly = [], [], 0
        for pk in chosen:
            took, n, new = one([pk], []) if as_talent else one([], [pk])
            times.append(took)
            counts.append(n)
            newly += new
        print(f"| {label} | {len(chosen)} | {ms(times)} | {statistics.median(counts):.0f} | {newly} |")

    enqueue_times = []
    for pk in rng.sample(talents, 200):
        with transaction.atomic():
            began = time.perf_counter()
            tasks.reevaluate_records.enqueue(zone.pk, [pk], [], "基准")
            enqueue_times.append(time.perf_counter() - began)
            transaction.set_rollback(True)
    print(
        f"| queueing the task in the change's transaction (enqueue, database backend) | 200 | {ms(enqueue_times)} | 1 | – |"
    )


def drain(limit: float = 600) -> None:
    """Wait until the worker has taken every queued task."""
    from django_tasks_db.models import DBTaskResult

    began = time.perf_counter()
    while DBTaskResult.objects.ready().exists():
        if time.perf_counter() - began > limit:
            raise SystemExit("the task queue did not drain")
        time.sleep(0.01)


def part_b(zone: Any, env: dict[str, str], args: argparse.Namespace) -> None:
    from talentpark.accounts.models import User
    from talentpark.accounts.roles import Role
    from talentpark.core.context import ActionContext
    from talentpark.core.models import Notice
    from talentpark.policies import runs
    from talentpark.policies.models import ApprovalLevel, Policy, PolicyVersion, PublishRun
    from talentpark.registry import services
    from talentpark.registry.models import Talent

    worker = subprocess.Popen(  # noqa: S603
        [str(TALENTPARK), "task_worker", "--interval", str(args.interval), "-v", "0"],
        env=env,
        stdout=subprocess.DEVNULL,  # the console SMS backend prints every text
    )
    try:
        office = User.objects.filter(zone=zone, role=Role.OFFICE, is_active=True).order_by("pk").first()
        ctx = ActionContext(user=office, role=Role.OFFICE, zone_id=zone.pk, reason="基准")
        policy = Policy.objects.create(
            zone=zone,
            title=f"{TITLE}{time.strftime('%H%M%S')}",
            doc_number="基准〔2026〕1号",
            issuing_body="基准",
            category=Policy.Category.SUBSIDY,
            target=Policy.Target.TALENT,
            budget_total=decimal.Decimal("1000000000"),
            approval_levels=1,
            full_text="第一条　入住人才公寓的A类人才。\n第二条　标准。",
        )
        ApprovalLevel.objects.create(zone=zone, policy=policy, number=1, approver=None)
        version = PolicyVersion.objects.create(
            zone=zone,
            policy=policy,
            number=1,
            target=PolicyVersion.Target.TALENT,
            valid_from=runs.timezone.localdate().replace(month=1, day=1),
            clauses=[
                {
                    "article": "第一条",
                    "text": "入住人才公寓的A类人才",
                    "expr": 'housing == "人才公寓" && tier == "A"',
                }
            ],
            outcome_kind=PolicyVersion.OutcomeKind.AMOUNT,
            outcome_expr="1000",
            outcome_article="第二条",
        )
        drain()
        run = runs.publish(ctx, version)
        began = time.perf_counter()
        while PublishRun.objects.filter(pk=run.pk, status=PublishRun.Status.DONE).count() == 0:
            if time.perf_counter() - began > 600:
                raise SystemExit("the publish run did not finish in 10 minutes")
            time.sleep(0.05)
        print(
            f"\nbench policy published; its publish run took {time.perf_counter() - began:.1f} s in the worker"
        )
        chosen = list(
            Talent.objects.filter(zone=zone, status="active", person__user__isnull=False)
            .exclude(housing=Talent.Housing.APARTMENT)
            .exclude(tier=Talent.Tier.A)
            .select_related("person__user")
            .order_by("pk")[: args.changes]
        )
        for t in chosen:
            services.set_talent_tier(ctx, t, Talent.Tier.A, None)
        drain()  # their re-evaluations (nothing: not in an apartment) and whatever the demo queued
        latencies, service_times = [], []
        for t in chosen:
            user = t.person.user
            assert user is not None
            mine = Notice.objects.filter(recipient=user, kind="policy.claim", text__contains=policy.title)
            assert not mine.exists()
            me = ActionContext(user=user, role=Role.TALENT, zone_id=zone.pk)
            t0 = time.perf_counter()
            services.update_own_profile(me, t, {"housing": Talent.Housing.APARTMENT})
            committed = time.perf_counter()
            service_times.append(committed - t0)
            while not mine.exists():
                if time.perf_counter() - committed > 60:
                    raise SystemExit(f"no notice for talent {t.pk} within 60 s")
                time.sleep(0.002)
            latencies.append(time.perf_counter() - committed)
            drain()  # the notice's SMS delivery task: one change at a time
        print(
            f"\ncommit → notice, task worker --interval {args.interval} ({len(latencies)} changes, one at a time):\n"
        )
        print("| | median ms | p95 ms | max ms |")
        print("|---|---:|---:|---:|")
        print(
            f"| the change's service call (update_own_profile, with the task queued) | {ms(service_times)} |"
        )
        print(f"| commit → notice in her inbox | {ms(latencies)} |")
    finally:
        worker.terminate()
        worker.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", default="seed")
    parser.add_argument("--var", help="SQLite: the var/ directory with (or to receive) the demo")
    parser.add_argument("--talents", type=int, default=500, help="talents re-evaluated in (a)")
    parser.add_argument("--enterprises", type=int, default=200, help="enterprises re-evaluated in (a)")
    parser.add_argument("--changes", type=int, default=30, help="changes timed in (b)")
    parser.add_argument(
        "--interval", type=float, default=1.0, help="the worker's polling interval (serve: 1)"
    )
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument(
        "--as-of",
        help="(a) only: evaluate as of this date (default today; the demo's monthly cycles end in November)",
    )
    parser.add_argument("--skip-b", action="store_true", help="only (a)")
    args = parser.parse_args()
    env = prepare(args)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpark.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from talentpark.core.models import Zone

    zone = Zone.objects.get(code=MAIN_ZONE)
    print(f"machine: {machine()}")
    part_a(zone, args)
    if not args.skip_b:
        part_b(zone, env, args)


if __name__ == "__main__":
    main()
