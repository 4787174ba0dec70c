"""The nightly 补充比对: ``talentpark serve`` enqueues one sweep task per zone every day at 02:00.

In production, cron may run ``talentpark policy_sweep`` instead (then start ``serve`` with
``--no-daily``); the tasks themselves run in the ``db_worker``, not in the web process.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.db import connections
from django.utils import timezone

log = logging.getLogger(__name__)

SWEEP_HOUR = 2  # local time, when the office and the database are quiet


def seconds_until(hour: int, now: dt.datetime) -> float:
    """Seconds from ``now`` to the next ``hour``:00 (tomorrow's if that hour has begun today)."""
    target = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if target <= now:
        target += dt.timedelta(days=1)
    return (target - now).total_seconds()


def enqueue_daily_sweeps() -> int:
    """One sweep task per zone; returns how many were enqueued."""
    from talentpark.core.models import Zone
    from talentpark.policies.tasks import sweep_zone

    zone_ids = list(Zone.objects.order_by("pk").values_list("pk", flat=True))
    for zone_id in zone_ids:
        sweep_zone.enqueue(zone_id)
    return len(zone_ids)


class DailySweeps(threading.Thread):
    """Sleeps until 02:00, enqueues the sweeps, repeats; ``stop()`` ends it at once."""

    def __init__(self) -> None:
        super().__init__(name="daily-policy-sweep", daemon=True)
        self._halt = threading.Event()

    def stop(self) -> None:
        self._halt.set()

    def run(self) -> None:
        while not self._halt.wait(seconds_until(SWEEP_HOUR, timezone.localtime())):
            try:
                log.info("daily policy sweep: %d zones enqueued", enqueue_daily_sweeps())
            except Exception:  # a database hiccup must not end the schedule
                log.exception("daily policy sweep could not be enqueued")
            finally:
                connections.close_all()
