"""Benchmark: a 30,000-row talent import on SQLite while other people log in and read pages.

Usage (a copy of a ``seed`` demo database — 35,000 talents in 济宁高新区 — in a scratch ``var/``;
the import writes into it, so take a fresh copy for each run)::

    cp -r /tmp/seedvar.orig /tmp/excelvar3
    TALENTPARK_VAR=/tmp/excelvar3 .venv/bin/python bench/import_concurrency_bench.py \\
        [--rows 30000] [--clients 4] [--idle-rounds 3]

The import is the web flow's, in this process as the web server runs it: ``start_import`` (safe
open, job row, sealed upload; the validation runs in the importer's thread, as for any upload
above ``TALENTPARK_IMPORT_SYNC_BYTES``), then ``request_commit`` (validation again, then the rows
written in chunks of ``TALENTPARK_IMPORT_CHUNK_ROWS`` with a pause between chunks, in the
importer's thread). The workbook (``--rows`` new talents with valid ID numbers, employers from
the zone's enterprises) is built in memory first, not timed.

Meanwhile ``--clients`` threads (Django's test client: the whole middleware chain, sessions,
django-axes, a real password hash check) each repeat: a fresh session, ``POST /login/`` with
a demo account's password, ``GET /`` and ``GET /registry/talent/``. Each request is filed
under the phase it started in — ``idle`` (before the import: the baseline), ``validate``
(the preview) and ``commit`` (the write) — and counted as failed unless the login answers
302 and the pages 200 (an exception, e.g. ``database is locked``, is a failure too).

Prints, per phase: requests, failures, and p50 / p99 / max latency of the logins and of the
page reads; then the import's times and rows. Load average before and after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import resource
import statistics
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

PASSWORD = "TalentPark@2026"  # noqa: S105 (the demo accounts' published password)
USERS = ("jn_office", "jn_specialist01", "jn_specialist02", "jn_specialist03")
SEED = 20261202


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def workbook(zone: Any, rows: int) -> bytes:
    """``rows`` new talents in the import template's layout, employers from ``zone``'s enterprises."""
    from import_bench import DEGREES, GIVEN, HOUSING, MAJORS, SKILLS, SURNAMES, TITLES
    from openpyxl import Workbook

    from talentpark.core.models import Division
    from talentpark.core.validators import id_check_char
    from talentpark.registry.excel.columns import TALENTS
    from talentpark.registry.models import Enterprise, University

    rng = random.Random(SEED)
    enterprises = list(Enterprise.objects.filter(zone=zone).values_list("uscc", "name")[:700])
    universities = list(University.objects.filter(is_foreign=False).values_list("name", flat=True)[:400])
    # Birthplaces outside Shandong (the seed's own people are from there): no ID number clashes.
    divisions = list(
        Division.objects.filter(level="county", is_current=True, code__startswith="44").values_list(
            "code", flat=True
        )
    )
    seen: set[str] = set()
    book = Workbook(write_only=True)
    ws = book.create_sheet(TALENTS.sheet)
    ws.append([c.title for c in TALENTS.columns])
    i = 0
    while i < rows:
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(12_500))
        body = f"{rng.choice(divisions)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        number = body + id_check_char(body)
        if number in seen:
            continue
        seen.add(number)
        entry = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(6000))
        uscc, ename = enterprises[rng.randrange(len(enterprises))]
        grad = dt.date(1990, 6, 30) + dt.timedelta(days=365 * rng.randrange(30))
        ws.append(
            [
                rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                number,
                f"199{i:08d}",
                "男" if int(number[16]) % 2 else "女",
                None,
                rng.choice(DEGREES),
                rng.choice(universities),
                rng.choice(MAJORS),
                min(grad, entry).isoformat(),
                f"{uscc} {ename}",
                "工程师",
                rng.choice(TITLES),
                None,
                rng.choice(SKILLS),
                None,
                "无",
                None,
                rng.choice(HOUSING),
                entry,
                "370811",
                "否",
                "否",
                None,
                None,
            ]
        )
        i += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class Clients:
    """Threads that log in and read pages until stopped, each request filed under the current phase."""

    def __init__(self, usernames: list[str]) -> None:
        self.usernames = usernames
        self.phase = "idle"
        self.stop = threading.Event()
        # phase, kind, seconds, ok, detail, start (perf_counter)
        self.records: list[tuple[str, str, float, bool, str, float]] = []
        self.lock = threading.Lock()
        self.rounds = [0] * len(usernames)
        self.threads = [
            threading.Thread(target=self._work, args=(i,), daemon=True) for i in range(len(usernames))
        ]

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def _request(self, kind: str, call: Callable[[], Any], expected: int) -> None:
        phase = self.phase
        started = time.perf_counter()
        try:
            status = call().status_code
            ok, detail = status == expected, str(status)
        except Exception as exc:  # a failure to report (database is locked, …)
            ok, detail = False, f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        with self.lock:
            self.records.append((phase, kind, time.perf_counter() - started, ok, detail, started))

    def _work(self, i: int) -> None:
        from django.db import connections
        from django.test import Client

        try:
            while not self.stop.is_set():
                client = Client()
                self._request(
                    "login",
                    lambda c=client: c.post("/login/", {"username": self.usernames[i], "password": PASSWORD}),
                    302,
                )
                self._request("page", lambda c=client: c.get("/"), 200)
                self._request("page", lambda c=client: c.get("/registry/talent/"), 200)
                self.rounds[i] += 1
        finally:
            connections.close_all()

    def finish(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()


def _ms(values: list[float], q: float) -> str:
    if not values:
        return "—"
    if q >= 1:
        return f"{max(values) * 1000:.0f}"
    if len(values) == 1:
        return f"{values[0] * 1000:.0f}"
    return f"{statistics.quantiles(values, n=100, method='inclusive')[int(q * 100) - 1] * 1000:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--idle-rounds", type=int, default=3, help="rounds per client before the import")
    parser.add_argument("--users", default=",".join(USERS))
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpark.settings")
    # The import's steps run in this process (the task worker's body, inline) while the
    # client threads measure logins and pages beside it.
    os.environ.setdefault("TALENTPARK_TASKS", "immediate")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from talentpark.accounts.models import User
    from talentpark.core.context import ActionContext
    from talentpark.registry.excel import importer
    from talentpark.registry.models import ImportJob, Talent

    assert connection.vendor == "sqlite", "this benchmark is about SQLite's single write lock"
    settings.TALENTPARK_IMPORT_MAX_BYTES = 2**30
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"load average before: {os.getloadavg()}", flush=True)
    office = User.objects.select_related("zone").get(username="jn_office")
    zone = office.zone
    data = workbook(zone, args.rows)
    talents_before = Talent.objects.filter(zone=zone).count()
    print(f"workbook: {args.rows} rows, {len(data) / 2**20:.1f} MiB; talents in the zone: {talents_before}")
    print(
        f"chunks of at most {importer.chunk_rows()} rows and about {importer.chunk_seconds()} s, pause "
        f"{getattr(settings, 'TALENTPARK_IMPORT_CHUNK_PAUSE', importer.DEFAULT_CHUNK_PAUSE)} s; "
        f"SQLite busy timeout {settings.DATABASES['default'].get('OPTIONS', {}).get('timeout', 5)} s",
        flush=True,
    )
    # What holds SQLite's write lock during the commit: each chunk's transaction (from the end of
    # one pause to the start of the next) and the statistics refresh after the last chunk.
    marks: list[float] = []
    analyze: list[float] = []
    between, refresh = importer._between_chunks, importer.refresh_statistics

    def timed_between(job_id: int, done: int, total: int) -> None:
        marks.append(time.perf_counter())
        between(job_id, done, total)
        marks.append(time.perf_counter())

    def timed_refresh(tables: list[str] | None = None) -> None:
        marks.append(time.perf_counter())
        started = time.perf_counter()
        refresh(tables)
        analyze.append(time.perf_counter() - started)

    importer._between_chunks = timed_between  # type: ignore[assignment]
    importer.refresh_statistics = timed_refresh  # type: ignore[assignment]
    usernames = args.users.split(",")[: args.clients]
    clients = Clients(usernames)
    clients.start()
    while min(clients.rounds) < args.idle_rounds:  # the baseline: the same requests, no import
        time.sleep(0.1)
    ctx = ActionContext(user=office, role="office", zone_id=zone.pk, reason="并发基准测试")  # type: ignore[arg-type]
    cpu0 = _cpu()
    clients.phase = "validate"
    t0 = time.perf_counter()
    job = importer.start_import(ctx, zone, "talent", "并发基准.xlsx", data)
    job.refresh_from_db()
    t1 = time.perf_counter()
    if job.status != ImportJob.Status.READY:
        clients.finish()
        raise SystemExit(f"validation: {job.status} {job.message} {job.problems[:5]}")
    clients.phase = "commit"
    job = importer.request_commit(ctx, job)
    job.refresh_from_db()
    t2 = time.perf_counter()
    clients.phase = "after"
    cpu1 = _cpu()
    clients.finish()
    talents_after = Talent.objects.filter(zone=zone).count()
    print(f"load average after: {os.getloadavg()}")
    print()
    print("| phase | requests | failures | login p50 / p99 / max (ms) | page p50 / p99 / max (ms) |")
    print("|---|---|---|---|---|")
    for phase in ("idle", "validate", "commit", "after"):
        recs = [r for r in clients.records if r[0] == phase]
        if not recs:
            continue
        logins = [r[2] for r in recs if r[1] == "login"]
        pages = [r[2] for r in recs if r[1] == "page"]
        failures = [r for r in recs if not r[3]]
        print(
            f"| {phase} | {len(recs)} | {len(failures)} | "
            f"{_ms(logins, 0.5)} / {_ms(logins, 0.99)} / {_ms(logins, 1)} | "
            f"{_ms(pages, 0.5)} / {_ms(pages, 0.99)} / {_ms(pages, 1)} |"
        )
        for f in failures[:5]:
            print(f"|   failure | {f[1]} | {f[4][:200]} | | |")
    print()
    print(
        f"import: job {job.status}, {talents_after - talents_before} talents written; validate (preview) "
        f"{t1 - t0:.1f} s, commit {t2 - t1:.1f} s, total {t2 - t0:.1f} s; this process's CPU during "
        f"the import {cpu1 - cpu0:.1f} s (importer and clients)"
    )
    # marks: [end of chunk 1, end of pause 1, end of chunk 2, …, end of the last chunk (refresh)]
    chunk_s = [b - a for a, b in zip(marks[1::2], marks[2::2], strict=False)]
    if chunk_s:
        print(
            f"write transactions (chunks 2…{len(chunk_s) + 1}): p50 {statistics.median(chunk_s):.2f} s, "
            f"max {max(chunk_s):.2f} s; statistics refresh (ANALYZE) {sum(analyze):.2f} s"
        )
    slow = sorted((r for r in clients.records if r[2] > 5), key=lambda r: -r[2])[:5]
    for r in slow:
        print(f"slow: {r[0]} {r[1]} {r[2]:.1f} s (started {r[5] - t0:.1f} s after the import's start)")
    if job.status != ImportJob.Status.DONE:
        print(f"import message: {job.message}")
    failures = sum(1 for r in clients.records if not r[3])
    raise SystemExit(1 if failures or job.status != ImportJob.Status.DONE else 0)


if __name__ == "__main__":
    main()
