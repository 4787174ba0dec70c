"""Page load benchmark: every role's home and the staff list pages, beside the login page and a bare view.

Serves an already generated demo database (``TALENTPARK_VAR`` or ``DATABASE_URL``, as the app reads
them) with one uvicorn worker (``--workers``) on loopback, signs each demo account in through
Django's session machinery, and drives each page with ``wrk`` (Debian package ``wrk``):

* in process, through Django's test client (no network, no server): the median of 15 requests is the
  page's server time — the work the page itself costs, middleware included; "re-rendered" is the
  same with the fragment cache emptied before each request (a home's first view after a change in
  its zone, see core/zone_versions.py);
* ``-c16`` against the server: requests per second and p50/p99 under 16 concurrent connections.
  The client sends a ``csrftoken`` cookie as a browser does after its first page.

Every page is first fetched once and must answer 200 (a redirect to the login page would measure the
wrong thing); the number of SQL queries per page is counted with Django's test client in-process.
The bare view is a raw ASGI callable mounted on the same uvicorn in front of Django (``/__bare``):
what the server and the event loop cost with no framework work at all.

    TALENTPARK_VAR=/path/to/var .venv/bin/python bench/page_bench.py [--duration 10] [--only 首页]
        [--pages 登录页,首页 · 人才 --repeat 5]   # the median of five runs per page

Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (label, username or None for anonymous, path)
PAGES: list[tuple[str, str | None, str]] = [
    ("bare ASGI view", None, "/__bare"),
    ("登录页", None, "/login/"),
    ("首页 · 人才", "jn_talent_demo", "/"),
    ("首页 · 企业人事", "jn_hr0001", "/"),
    ("首页 · 服务专员", "jn_specialist01", "/"),
    ("首页 · 部门经办", "jn_dept_housing", "/"),
    ("首页 · 人才办", "jn_office", "/"),
    ("首页 · 引才大使", "jn_ambassador", "/"),
    ("首页 · 合作窗口", "jn_partner", "/"),
    ("首页 · 省级查看", "sd_province", "/"),
    ("人才库", "jn_office", "/registry/talent/"),
    ("企业库", "jn_office", "/registry/enterprise/"),
    ("平台库", "jn_office", "/registry/platform/"),
    ("项目库", "jn_office", "/registry/project/"),
    ("产业链", "jn_office", "/registry/chain/"),
    ("政策库", "jn_office", "/policies/policy/"),
    ("政策兑现", "jn_office", "/policies/claim/"),
    ("兑现台账", "jn_office", "/policies/ledger/"),
    ("人工复核", "jn_office", "/policies/review/"),
    ("岗位", "jn_office", "/recruitment/position/"),
    ("人才需求", "jn_office", "/recruitment/demand/"),
    ("人才公寓", "jn_office", "/housing/apartment/"),
    ("讲师库", "jn_office", "/innovation/lecturer/"),
    ("组织机构", "jn_office", "/department/"),
    ("用户管理", "jn_office", "/user/"),
    ("操作日志", "jn_office", "/core/audit/"),
    ("人才库 · 部门经办", "jn_dept_housing", "/registry/talent/"),
    ("政策兑现 · 部门经办", "jn_dept_housing", "/policies/claim/"),
    ("我的兑现 · 人才", "jn_talent_demo", "/policies/claim/"),
    ("岗位 · 人才", "jn_talent_demo", "/recruitment/position/"),
]

CSRF_COOKIE = "b" * 32  # a well-formed CSRF secret, as a browser holds after its first page

BARE = """
async def bare(scope, receive, send):
    if scope["type"] == "http" and scope["path"] == "/__bare":
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
        await send({"type": "http.response.body", "body": b"ok"})
        return
    await django_app(scope, receive, send)
"""


@dataclass
class Result:
    label: str
    queries: int
    server_ms: float
    cold_ms: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpark.settings")
    import django

    django.setup()


def _sessions(usernames: set[str]) -> dict[str, str]:
    """A signed-in session cookie per username, made the way Django's login makes one."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    cookies = {}
    for name in sorted(usernames):
        user = get_user_model().objects.get(username=name)
        client = Client()
        client.force_login(user)
        cookies[name] = client.cookies["sessionid"].value
    return cookies


def _in_process(pages: list[tuple[str, str | None, str]]) -> dict[str, tuple[int, float, float]]:
    """(queries, median server time in ms, the same with the fragment cache emptied) per page,
    measured through Django's test client."""
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    measured = {}
    for label, username, path in pages:
        if path == "/__bare":
            measured[label] = (0, 0.0, 0.0)
            continue
        client = Client()
        client.cookies["csrftoken"] = CSRF_COOKIE
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        client.get(path)  # warm caches the way the served page is warm
        reset_queries()  # each request start clears the log, so start the count from empty
        with CaptureQueriesContext(connection) as q:
            response = client.get(path)
        assert response.status_code == 200, (label, response.status_code)
        queries = len(q.captured_queries) - (2 if username else 0)  # minus the session and user reads
        times, cold = [], []
        for _ in range(15):
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        for _ in range(15):
            caches["fragments"].clear()  # as after a change in the zone: the content is rendered again
            start = time.perf_counter()
            client.get(path)
            cold.append((time.perf_counter() - start) * 1000)
        measured[label] = (queries, statistics.median(times), statistics.median(cold))
    return measured


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(port: int, workers: int) -> subprocess.Popen[bytes]:
    app_dir = Path(tempfile.mkdtemp(prefix="tp_page_bench_"))
    (app_dir / "bench_app.py").write_text(
        "from talentpark.asgi import application as django_app\n" + BARE + "\napp = bare\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{app_dir}:{ROOT / 'src'}"}
    cmd = [sys.executable, "-m", "uvicorn", "bench_app:app", "--port", str(port)]
    cmd += ["--workers", str(workers), "--log-level", "warning", "--lifespan", "off", "--no-access-log"]
    proc = subprocess.Popen(cmd, env=env)  # noqa: S603 - our own fixed command line
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__bare", timeout=5)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("uvicorn did not start")


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _wrk(url: str, cookie: str | None, connections: int, seconds: int) -> tuple[float, float, float, int]:
    cmd = ["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    cmd += ["--timeout", "60s"]
    cmd += ["-H", f"Cookie: csrftoken={CSRF_COOKIE}" + (f"; sessionid={cookie}" if cookie else "")]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    dist = out.split("Latency Distribution", 1)[1]
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)", dist, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", dist, re.M).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, p50, p99, int(bad.group(1)) if bad else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per page at 16 connections")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", help="only pages whose label or path contains this text")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--repeat", type=int, default=1, help="wrk runs per page; the median run is reported")
    parser.add_argument("--pages", help="comma-separated labels to measure (exact), e.g. 登录页,首页 · 人才")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: sudo apt-get install wrk")
    _django()
    pages = [p for p in PAGES if not args.only or args.only in p[0] or args.only in p[2]]
    if args.pages:
        wanted = set(args.pages.split(","))
        pages = [p for p in pages if p[0] in wanted]
    measured = _in_process(pages)
    cookies = _sessions({u for _l, u, _p in pages if u})
    port = _free_port()
    server = _serve(port, args.workers)
    results = []
    try:
        for label, username, path in pages:
            url = f"http://127.0.0.1:{port}{path}"
            cookie = cookies.get(username) if username else None
            request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback http
                if response.status != 200 or response.url != url:
                    raise SystemExit(f"{label}: {response.status} {response.url}")
            _wrk(url, cookie, 4, 1)  # warm-up
            runs = [_wrk(url, cookie, args.connections, args.duration) for _ in range(args.repeat)]
            rps, p50, p99, errors = sorted(runs)[len(runs) // 2]  # the run with the median rate
            queries, server_ms, cold_ms = measured[label]
            results.append(Result(label, queries, server_ms, cold_ms, rps, p50, p99, errors))
            print(f"{label}: {server_ms:.1f} ms, {rps:.0f} rps, p99 {p99:.0f} ms", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=60)
    c = args.connections
    print(
        f"| page | user | queries | server time (ms) | re-rendered (ms) | req/s ({c} conn.) | p50 (ms) | p99 (ms) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for (label, username, _path), r in zip(pages, results, strict=True):
        note = f" ({r.errors} non-2xx)" if r.errors else ""
        print(
            f"| {label} | {username or '—'} | {r.queries} | {r.server_ms:.1f} | {r.cold_ms:.1f} | {r.rps:.0f}{note} | "
            f"{r.p50_ms:.1f} | {r.p99_ms:.1f} |"
        )


if __name__ == "__main__":
    main()
