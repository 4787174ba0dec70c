"""Benchmark: the service desk's escalation scan (``desk.clocks.due`` and ``desk.clocks.scan``).

Usage::

    .venv/bin/python bench/desk_escalation.py [--clocks 100000] [--due 1000] [--pg]

Each database is a fresh scratch one (SQLite in a new ``var/``; with ``--pg`` also PostgreSQL at
127.0.0.1:5432, database ``desk_bench``, dropped and recreated), migrated with ``talentpark migrate``;
then, in a child process:

1. one zone and one enterprise (the requester of every request: a check constraint wants a talent or
   an enterprise), ``--clocks`` requests and their open request clocks, bulk-created: ``--due`` of
   them started 6–14 working days ago with a 10-working-day limit, so their next threshold (50 %,
   stored as planned by ``clocks._plan``) lies in the past and is due now; the rest have
   ``next_alert_at`` and ``due_at`` spread evenly over the next ten years; ``ANALYZE`` after the load;
2. the plan of the scan's query (``QuerySet.explain()``; on PostgreSQL ``EXPLAIN ANALYZE``);
3. ``list(clocks.due(now))`` (the first 500 due, the query the job runs), ``--repeat`` times:
   median, p95, max;
4. one full ``clocks.scan(now=now)``: every due clock moved to the highest threshold it reached with
   its conditional update, announced (``services.announce``: the holder's notice, a ``Step`` row)
   — wall time, notices sent, and a second scan that finds nothing.

Prints Markdown: the plans, then a table row per database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TALENTPARK = Path(sys.executable).with_name("talentpark")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgres://postgres@127.0.0.1:5432/desk_bench"


def _env(var: str, database_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "TALENTPARK_VAR": var,
        "TALENTPARK_FAST_HASHER": "1",
        "TALENTPARK_LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _fresh_pg() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS desk_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE desk_bench")


def run(database_url: str | None, args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="tp-desk-bench-") as var:
        if database_url:
            _fresh_pg()
        env = _env(var, database_url)
        subprocess.run([str(TALENTPARK), "migrate", "-v0"], env=env, check=True)  # noqa: S603 (our own CLI)
        out = subprocess.run(  # noqa: S603 (this script)
            [
                sys.executable,
                __file__,
                "--child",
                "--clocks",
                str(args.clocks),
                "--due",
                str(args.due),
                "--repeat",
                str(args.repeat),
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def ms(values: list[float]) -> tuple[float, float, float]:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return (round(statistics.median(values) * 1000, 2), round(p95 * 1000, 2), round(values[-1] * 1000, 2))


def child(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpark.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from talentpark.core import workcalendar
    from talentpark.desk import clocks, services
    from talentpark.desk.models import Clock, Request
    from talentpark.registry.tests.factories import EnterpriseFactory, ZoneFactory

    try:
        reverse("desk:request_detail", args=[1])
    except NoReverseMatch:  # the request pages are not routed yet: the notice's link is all that needs it
        services.link = lambda req: f"/desk/request/{req.pk}/"  # type: ignore[assignment]

    zone = ZoneFactory(code="desk-bench", name="时限基准高新区", short_name="基准区")
    enterprise = EnterpriseFactory(zone=zone, name="时限基准科技有限公司")
    cal = workcalendar.calendar()
    now = timezone.now().replace(microsecond=0)
    limit = round(10 * cal.day_length.total_seconds() / 60)  # 10 working days
    ten_years = dt.timedelta(days=3652)
    t0 = time.perf_counter()
    reqs = [
        Request(
            zone=zone,
            number=f"FWB{n:09d}",
            enterprise=enterprise,
            category="housing",
            title="基准诉求",
            description="基准",
            status=Request.Status.PROCESSING,
            created_at=now - dt.timedelta(days=30),
        )
        for n in range(args.clocks)
    ]
    Request.objects.bulk_create(reqs, batch_size=5000)
    ids = list(Request.objects.filter(zone=zone).order_by("pk").values_list("pk", flat=True))
    rows = []
    warn = clocks.thresholds()[0]
    for n, rid in enumerate(ids):
        if n < args.due:  # started 6–14 working days ago: the 50 % alert (5 days) is past
            started = now - dt.timedelta(days=8 + (n % 12))
            sla = workcalendar.SlaClock(started, dt.timedelta(minutes=limit), (), cal)
            due_at = sla.due_at()
            alert = workcalendar.SlaClock(started, dt.timedelta(minutes=limit * warn), (), cal).due_at()
        else:  # evenly over the next ten years
            alert = now + dt.timedelta(minutes=1) + ten_years * (n / args.clocks)
            started, due_at = alert - dt.timedelta(days=7), alert + dt.timedelta(days=7)
        rows.append(
            Clock(
                zone=zone,
                kind=Clock.Kind.REQUEST,
                request_id=rid,
                started_at=started,
                limit_minutes=limit,
                due_at=due_at,
                next_alert_at=alert,
            )
        )
    Clock.objects.bulk_create(rows, batch_size=5000)
    load = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    qs = clocks.due(now)
    if connection.vendor == "postgresql":
        plan = qs.explain(analyze=True, buffers=True)
    else:
        plan = qs.explain()
    due_times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        found = list(clocks.due(now))
        due_times.append(time.perf_counter() - t)
    first = len(found)
    t = time.perf_counter()
    sent = clocks.scan(now=now)
    scan = time.perf_counter() - t
    t = time.perf_counter()
    again = clocks.scan(now=now)
    empty = time.perf_counter() - t
    levels = dict(Clock.objects.filter(zone=zone).values_list("level").annotate(n=Count("id")))
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "version": sqlite3.sqlite_version if connection.vendor == "sqlite" else connection.pg_version,
                "clocks": Clock.objects.filter(stopped_at__isnull=True).count(),
                "due": args.due,
                "load_s": round(load, 1),
                "plan": plan,
                "due_first": first,
                "due_ms": ms(due_times),
                "scan_s": round(scan, 2),
                "sent": sent,
                "per_clock_ms": round(scan / max(sent, 1) * 1000, 2),
                "second_scan_ms": round(empty * 1000, 2),
                "second_sent": again,
                "levels": levels,
            },
            default=str,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clocks", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument(
        "--pg", action="store_true", help="also run on PostgreSQL (database desk_bench, recreated)"
    )
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    results = [run(None, args)]
    if args.pg:
        results.append(run(PG_URL, args))
    for r in results:
        print(f"\n### {r['vendor']} {r['version']}: plan of `clocks.due(now)`\n\n```\n{r['plan']}\n```")
    print(
        "\n| database | open clocks | due now | `due(now)` rows | `due(now)` median / p95 / max ms "
        "| `scan()` s | notices | ms per notice | second scan ms | levels after |"
    )
    print("|---|---:|---:|---:|---|---:|---:|---:|---:|---|")
    for r in results:
        med, p95, mx = r["due_ms"]  # type: ignore[misc]
        print(
            f"| {r['vendor']} {r['version']} | {r['clocks']:,} | {r['due']:,} | {r['due_first']} "
            f"| {med} / {p95} / {mx} | {r['scan_s']} | {r['sent']} | {r['per_clock_ms']} "
            f"| {r['second_scan_ms']} ({r['second_sent']} sent) | {r['levels']} |"
        )


if __name__ == "__main__":
    main()
