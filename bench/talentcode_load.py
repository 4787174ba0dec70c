"""人才码 verify endpoint under load: ``POST /api/talentcode/verify`` on loopback, driven by locust.

1. A fresh demo database (``talentpark migrate`` and ``talentpark demo --scale tiny --no-serve``;
   PostgreSQL with ``--database-url``, else SQLite in a scratch ``TALENTPARK_VAR``).
2. In a child process (Django set up): partner window accounts of the demo zone (the demo's, topped
   up with new partner logins to ``--accounts``), an API token each (``APIToken.issue``), and a pool
   of tokens for ``--pool`` talents through ``services.current_token`` (issued with a two-hour
   lifetime, ``TALENTPARK_TALENTCODE_TTL``, so the pool outlives the run), with their short codes.
3. The app under uvicorn (``--workers``) on 127.0.0.1 with the per-account scan limit raised
   (``TALENTPARK_TALENTCODE_SCAN_LIMIT``, the default of the run-time parameter
   ``talentcode.scan_limit``; the demo stores no override), so 429 is not what is measured.
4. For each step of ``--users``: ``locust --headless`` with that many users, each a partner window
   with its own account and bearer token, scanning at ``--rate`` scans a second
   (``constant_throughput``): the offered scan rate is users x rate. A scan is a random pool token
   (``--short-share`` of them typed as the 8-digit short code instead). Anything but a 200 with
   ``valid: true`` is counted as an error (429 separately). Latency percentiles and throughput are
   locust's, over the step (ramp-up included: all users start within the first second).

The client runs on the same machine as the server (2 cores here): locust's own CPU is part of the
load, so the figures are a floor for what the server alone would do.

    .venv/bin/python bench/talentcode_load.py \\
        --database-url postgres://postgres@127.0.0.1:5432/tp_tc_load \\
        [--users 2,5,10,20,40,80,160] [--rate 1] [--step-seconds 20] [--workers 2]

Prints a Markdown table for docs/benchmarks.md. This same file is the locustfile (locust imports
it; ``TC_LOAD_POOL`` names the pool's JSON).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TALENTPARK = Path(sys.executable).with_name("talentpark")
LOCUST = Path(sys.executable).with_name("locust")
ENDPOINT = "/api/talentcode/verify"
SCAN_LIMIT = "10000"  # the parameter's maximum: scans a minute per account

# -- the locustfile (imported by locust, never when this file runs as the bench) -------------------

if __name__ != "__main__" and os.environ.get("TC_LOAD_POOL"):
    import itertools

    from locust import FastHttpUser, constant_throughput, task

    _POOL = json.loads(Path(os.environ["TC_LOAD_POOL"]).read_text())
    _ACCOUNTS = itertools.cycle(_POOL["keys"])
    _SHORT_SHARE = float(os.environ.get("TC_LOAD_SHORT_SHARE", "0.2"))

    class PartnerWindow(FastHttpUser):
        """One window: its own account and token, a scan every 1/rate seconds."""

        wait_time = constant_throughput(float(os.environ.get("TC_LOAD_RATE", "1")))
        network_timeout = 30.0
        connection_timeout = 30.0

        def on_start(self) -> None:
            self.headers = {"Authorization": f"Bearer {next(_ACCOUNTS)}"}

        @task
        def scan(self) -> None:
            qr, short = random.choice(_POOL["tokens"])
            code = short if random.random() < _SHORT_SHARE else qr
            with self.client.post(
                ENDPOINT,
                json={"code": code, "window_id": None},
                headers=self.headers,
                name="verify",
                catch_response=True,
            ) as response:
                if response.status_code == 429:
                    response.failure("429 rate limited")
                elif response.status_code == 0:  # no answer: a timeout or a refused connection
                    response.failure(f"no answer ({type(response.error).__name__})")
                elif response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
                elif not (response.json() or {}).get("valid"):
                    response.failure(f"valid: false ({(response.json() or {}).get('message', '')})")
                else:
                    response.success()


# -- preparing the database (a child process with Django) ----------------------------------------


def child_prepare(out: Path, accounts: int, pool: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpark.settings")
    import django

    django.setup()
    from django.utils import timezone

    from talentpark.accounts.models import APIToken, User
    from talentpark.accounts.roles import Role
    from talentpark.registry.models import Talent
    from talentpark.talentcode import services
    from talentpark.talentcode.models import IssuedToken, PartnerAccount

    first = PartnerAccount.objects.select_related("partner").order_by("pk").first()
    if first is None:
        raise SystemExit("the demo has no partner window account")
    zone_id = first.partner.zone_id
    linked = list(
        PartnerAccount.objects.filter(zone_id=zone_id, partner__is_active=True, user__is_active=True)
        .select_related("partner", "user")
        .order_by("pk")[:accounts]
    )
    partners = [a.partner for a in linked]
    for i in range(len(linked), accounts):  # top up with new window logins, round the partners
        partner = partners[i % len(partners)]
        user = User.objects.create_user(username=f"tc_load_{i:03d}", role=Role.PARTNER, zone_id=zone_id)
        linked.append(PartnerAccount.objects.create(zone_id=zone_id, user=user, partner=partner, window=None))
    keys = [APIToken.issue(a.user, "人才码负载测试")[1] for a in linked]
    # the demo's own tokens expire within minutes: mark them expired so every talent gets a new one
    IssuedToken.objects.filter(zone_id=zone_id).update(expires_at=timezone.now())
    talents = list(
        Talent.objects.filter(zone_id=zone_id, status=Talent.Status.ACTIVE)
        .select_related("zone")
        .order_by("pk")
    )
    issued, tiers = [], set()
    for talent in talents:
        try:
            issued.append(services.current_token(talent))
        except services.Refused:  # a revoked code
            continue
        tiers.add(talent.tier)
        if len(issued) >= pool:
            break
    out.write_text(json.dumps({"keys": keys, "tokens": [[i.token, i.short_code] for i in issued]}))
    server_ms, queries = _in_process(keys[0], [i.token for i in issued])
    print(
        json.dumps(
            {
                "zone_id": zone_id,
                "accounts": len(keys),
                "tokens": len(issued),
                "tiers": sorted(tiers),
                "server_ms": round(server_ms, 1),
                "queries": queries,
            }
        )
    )


def _in_process(key: str, texts: list[str]) -> tuple[float, str]:
    """(median ms, range of SQL queries) of one verification through Django's test client: the
    server's own work per scan, without the network, uvicorn or locust."""
    import statistics

    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"Authorization": f"Bearer {key}"})

    def once(text: str) -> Any:
        response = client.post(ENDPOINT, {"code": text, "window_id": None}, content_type="application/json")
        assert response.status_code == 200 and response.json()["valid"], response.content
        return response

    once(texts[0])
    counts = []
    request_started.disconnect(reset_queries)  # a request's start clears the log we count
    try:
        for text in texts[1:11]:
            with CaptureQueriesContext(connection) as captured:
                once(text)
            counts.append(len(captured.captured_queries))
    finally:
        request_started.connect(reset_queries)
    times = []
    for text in texts[:40]:
        start = time.perf_counter()
        once(text)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), f"{min(counts)}–{max(counts)}"


# -- orchestration --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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


def _fresh_pg(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(args: argparse.Namespace, work: Path) -> tuple[dict[str, str], Path, dict[str, Any]]:
    var = tempfile.mkdtemp(prefix="tp-tc-load-")
    if args.database_url:
        _fresh_pg(args.database_url)
    env = _env(var, args.database_url)
    started = time.monotonic()
    for command in (["migrate", "-v0"], ["demo", "--scale", args.scale, "--no-serve", "-v0"]):
        subprocess.run([str(TALENTPARK), *command], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    pool = work / "pool.json"
    pool_args = ["--pool", str(args.pool)]
    out = subprocess.run(  # noqa: S603 - this script
        [
            sys.executable,
            __file__,
            "--child-prepare",
            str(pool),
            "--accounts",
            str(args.accounts),
            *pool_args,
        ],
        env={**env, "TALENTPARK_TALENTCODE_TTL": "7200", "TALENTPARK_TALENTCODE_SCAN_LIMIT": SCAN_LIMIT},
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    info: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    info["prepare_seconds"] = round(time.monotonic() - started)
    if args.database_url:
        import psycopg

        with psycopg.connect(
            args.database_url.replace("postgres://", "postgresql://", 1), autocommit=True
        ) as c:
            c.execute("ANALYZE")
    return env, pool, info


def serve(env: dict[str, str], port: int, workers: int, work: Path) -> subprocess.Popen[bytes]:
    # Through a script of its own, so that nobody's `pkill -f uvicorn` ends this run's server.
    (work / "tc_load_server.py").write_text(
        "import sys\n\nimport uvicorn\n\nif __name__ == '__main__':\n    sys.exit(uvicorn.main())\n"
    )
    cmd = [
        sys.executable,
        str(work / "tc_load_server.py"),
        "talentpark.asgi:application",
        "--host",
        "127.0.0.1",
    ]
    cmd += ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    cmd += ["--lifespan", "off", "--no-access-log"]
    server_env = {**env, "TALENTPARK_TALENTCODE_SCAN_LIMIT": SCAN_LIMIT, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(cmd, env=server_env)  # noqa: S603 - our own fixed command line
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/talentcode/keys.json", timeout=5)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("uvicorn did not start")


def smoke(port: int, pool: Path) -> None:
    """One verification by hand: a 200 with valid: true, or the bench measures the wrong thing."""
    data = json.loads(pool.read_text())
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{ENDPOINT}",
        data=json.dumps({"code": data["tokens"][0][0], "window_id": None}).encode(),
        headers={"Authorization": f"Bearer {data['keys'][0]}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback http
        body = json.loads(response.read())
    if response.status != 200 or body.get("valid") is not True or "scan_id" not in body:
        raise SystemExit(f"smoke verification failed: {response.status} {body}")


def step(
    port: int, pool: Path, users: int, seconds: int, rate: float, short: float, work: Path
) -> dict[str, Any]:
    prefix = work / f"step_{users}"
    cmd = [str(LOCUST), "-f", __file__, "--headless", "-u", str(users), "-r", str(users)]
    cmd += ["--run-time", f"{seconds}s", "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix)]
    cmd += ["--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"]
    env = {
        **os.environ,
        "TC_LOAD_POOL": str(pool),
        "TC_LOAD_RATE": str(rate),
        "TC_LOAD_SHORT_SHARE": str(short),
    }
    load_before = os.getloadavg()[0]
    subprocess.run(cmd, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    with open(f"{prefix}_stats.csv", newline="") as f:
        total = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")
    failures: dict[str, int] = {}
    with open(f"{prefix}_failures.csv", newline="") as f:
        for row in csv.DictReader(f):
            failures[row["Error"]] = failures.get(row["Error"], 0) + int(row["Occurrences"])
    count, failed = int(total["Request Count"]), int(total["Failure Count"])
    limited = sum(n for e, n in failures.items() if "429" in e)
    return {
        "users": users,
        "offered": users * rate,
        "requests": count,
        "rps": count / seconds,  # locust's own Requests/s is over first to last request only
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
        "max": float(total["Max Response Time"]),
        "errors": failed - limited,
        "limited": limited,
        "kinds": failures,
        "load": round(load_before, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", help="postgres://…/name (dropped and made afresh); default SQLite")
    parser.add_argument("--scale", default="tiny")
    parser.add_argument("--users", default="2,5,10,20,40,80,160", help="locust users per step (windows)")
    parser.add_argument("--rate", type=float, default=1.0, help="scans a second per user")
    parser.add_argument("--step-seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--accounts", type=int, default=40, help="partner accounts, each with an API token")
    parser.add_argument("--pool", type=int, default=400, help="talents whose tokens are scanned")
    parser.add_argument("--short-share", type=float, default=0.2, help="share of scans typed as short codes")
    parser.add_argument("--child-prepare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_prepare:
        child_prepare(args.child_prepare, args.accounts, args.pool)
        return
    work = Path(tempfile.mkdtemp(prefix="tp-tc-load-run-"))
    env, pool, info = prepare(args, work)
    print(f"prepared: {info}", file=sys.stderr)
    port = _free_port()
    server = serve(env, port, args.workers, work)
    results = []
    try:
        smoke(port, pool)
        for users in [int(u) for u in args.users.split(",")]:
            r = step(port, pool, users, args.step_seconds, args.rate, args.short_share, work)
            if server.poll() is not None:
                raise SystemExit(
                    f"the server stopped during the {users}-user step (exit {server.returncode})"
                )
            results.append(r)
            print(
                f"{users} users: {r['rps']:.1f}/s p50 {r['p50']:.0f} p95 {r['p95']:.0f} p99 {r['p99']:.0f} ms, "
                f"{r['errors']} errors {r['kinds']}",
                file=sys.stderr,
            )
    finally:
        server.terminate()
        server.wait(timeout=60)
    db = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"{db}, {args.workers} uvicorn workers, {info['accounts']} accounts, {info['tokens']} tokens; "
        f"one verification in process: {info['server_ms']} ms, {info['queries']} SQL queries"
    )
    print(
        "| users | offered (scans/s) | served (req/s) | requests | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | errors | 429 | load before |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['users']} | {r['offered']:.0f} | {r['rps']:.1f} | {r['requests']} | {r['p50']:.0f} | {r['p95']:.0f} | "
            f"{r['p99']:.0f} | {r['max']:.0f} | {r['errors']} | {r['limited']} | {r['load']} |"
        )
    kinds: dict[str, int] = {}
    for r in results:
        for kind, n in r["kinds"].items():
            kinds[kind] = kinds.get(kind, 0) + n
    if kinds:
        print(f"\nerrors by kind: {kinds}")


if __name__ == "__main__":
    main()
