"""Planner statistics after bulk writes.

SQLite keeps no statistics until ``ANALYZE`` runs, and without them it picks an index by its shape,
not by the data: at seed scale the talent's home page read her claims through the index on
``status`` (every 待确认 claim of the zone, 18 ms) instead of the one on ``talent_id`` (0.4 ms).
PostgreSQL's autovacuum analyses a table some time after a bulk load; a page served in between
pays for the stale plan, and until a VACUUM sets the visibility map a count over a bulk-loaded
table reads the heap. So the demo generator and the Excel import refresh the statistics themselves
once their writes have committed (on PostgreSQL with VACUUM, unless called inside a transaction).
"""

from __future__ import annotations

import logging
import time

from django.db import connection

log = logging.getLogger(__name__)


def refresh_statistics(tables: list[str] | None = None) -> None:
    """ANALYZE ``tables`` (default: the whole database); never inside a transaction of the caller."""
    started = time.perf_counter()
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    command = "VACUUM (ANALYZE)" if vacuum else "ANALYZE"
    with connection.cursor() as cursor:
        if not tables:
            cursor.execute(command)
        else:
            for table in tables:
                cursor.execute(f"{command} {connection.ops.quote_name(table)}")
    log.info("planner statistics refreshed in %.2fs", time.perf_counter() - started)
