"""Benchmark: exporting 35,000 talents from the list page — time to first byte and total.

Usage (a demo database at ``seed`` scale — 35,000 talents in 济宁高新区 — in a scratch ``var/``;
build it once with ``talentpark migrate`` and ``talentpark demo --scale seed --no-serve``)::

    TALENTPARK_VAR=/tmp/h8var .venv/bin/python bench/export_bench.py [--repeat 1] [--format xlsx,csv]
    DATABASE_URL=postgres://… .venv/bin/python bench/export_bench.py   # a PostgreSQL demo database

Each export is the real request: ``POST /registry/talents/export/`` through Django's test client
as the office user ``jn_office`` (the whole zone, masked, and with ``unmask=1`` and a reason),
the response's body read chunk by chunk. Reported per run: **first byte** (from sending the
request to receiving the first non-empty chunk of the body), **first MiB** (to the chunk that
makes the body reach 1 MiB: the rows keep coming), **total** (to the last chunk), the size, and
the rows in the file (counted by parsing it back, so a truncated file shows).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _rows_in(data: bytes, fmt: str) -> int:
    if fmt == "csv":
        return data.decode("utf-8-sig").count("\n") - 1  # rows may not contain newlines in the demo
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    ws = book.worksheets[0]
    return sum(1 for _ in ws.iter_rows(min_row=2, values_only=True))


def run(fmt: str, unmask: bool, username: str) -> dict[str, float | int]:
    from django.test import Client
    from django.urls import reverse

    from talentpark.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    data = {"format": fmt}
    if unmask:
        data.update(unmask="1", reason="基准测试")
    url = reverse("registry:talent_export")
    started = time.perf_counter()
    response = client.post(url, data)
    assert response.status_code == 200, (response.status_code, getattr(response, "content", b"")[:300])
    first = first_mib = None
    parts = []
    size = 0
    for chunk in response.streaming_content:
        if chunk and first is None:
            first = time.perf_counter() - started
        size += len(chunk)
        if first_mib is None and size >= 2**20:
            first_mib = time.perf_counter() - started
        parts.append(chunk)
    total = time.perf_counter() - started
    response.close()
    body = b"".join(parts)
    return {
        "first_byte": first or total,
        "first_mib": first_mib or total,
        "total": total,
        "mib": len(body) / 2**20,
        "rows": _rows_in(body, fmt),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--format", default="xlsx,csv")
    parser.add_argument("--user", default="jn_office")
    parser.add_argument("--masked-only", action="store_true", help="skip the unmasked runs")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpark.settings")
    import django

    django.setup()
    from django.db import connection

    print(f"database: {connection.vendor}")
    print("| format | PII | first byte (s) | first MiB (s) | total (s) | size (MiB) | rows |")
    print("|---|---|---|---|---|---|---|")
    for fmt in args.format.split(","):
        for unmask in (False,) if args.masked_only else (False, True):
            for _ in range(args.repeat):
                r = run(fmt, unmask, args.user)
                print(
                    f"| {fmt} | {'unmasked' if unmask else 'masked'} | {r['first_byte']:.2f} | "
                    f"{r['first_mib']:.1f} | {r['total']:.1f} | {r['mib']:.1f} | {r['rows']:,} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
