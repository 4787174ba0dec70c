"""Benchmark: demo-zone generation time and peak memory per scale, into a fresh SQLite database.

Usage: .venv/bin/python bench/demo_generation.py [SCALE ...]   (default: tiny seed)
Each scale runs `talentpark demo --scale S --no-serve` in a new scratch var/ directory and
reports wall time, peak resident memory of the process, and the database size.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TALENTPARK = Path(sys.executable).with_name("talentpark")


def run(scale: str) -> dict[str, float | str]:
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "TALENTPARK_VAR": var}
        subprocess.run([str(TALENTPARK), "migrate", "-v0"], env=env, check=True)  # noqa: S603 (our own CLI)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(  # noqa: S603 (our own CLI)
            [str(TALENTPARK), "demo", "--scale", scale, "--no-serve"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        elapsed = time.perf_counter() - start
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        size = sum(p.stat().st_size for p in Path(var).glob("talentpark.sqlite3*"))
    return {
        "scale": scale,
        "seconds": round(elapsed, 1),
        "peak_rss_mib": round(max(peak_kib, before) / 1024),
        "db_mib": round(size / 2**20),
    }


def main() -> None:
    scales = sys.argv[1:] or ["tiny", "seed"]
    print("| scale | wall time (s) | peak RSS (MiB) | database (MiB) |")
    print("|---|---|---|---|")
    for scale in scales:
        r = run(scale)
        print(f"| {r['scale']} | {r['seconds']} | {r['peak_rss_mib']} | {r['db_mib']} |", flush=True)


if __name__ == "__main__":
    main()
