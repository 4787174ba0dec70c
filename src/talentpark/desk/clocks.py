"""Working-day clocks of the service desk (办理时限), on the zone's working calendar
(``core.workcalendar``: public holidays, 调休 make-up working days, the office's table for years the
library does not know).

A :class:`~talentpark.desk.models.Clock` runs ``limit_minutes`` of working time from
``started_at``, stands still while paused (waiting on the requester) and stops when its work is
done. Four thresholds, as shares of the limit: a warning to whoever holds the work at
``desk.warn_percent`` (50 %), "due" at 100 %, escalation to the team lead at
``desk.escalate_percent`` (150 %) and to the office at ``desk.office_percent`` (200 %).

Guarantees:

* ``due_at`` and ``next_alert_at`` are stored, indexed columns, recomputed at every start, pause,
  resume and announcement; :func:`scan` finds what is due with one range scan on
  ``next_alert_at`` (partial index: open clocks only), never by computing clocks in Python;
* each threshold is announced at most once per clock run: :func:`scan` moves ``level`` with a
  conditional update (``WHERE level = <read>``) and sends the notice in the same transaction, so of
  two workers scanning the same rows only one sends (a test runs two on PostgreSQL);
* a threshold passed while nobody scanned (the worker was down) is announced once, as the highest
  one reached, not as a burst of stale warnings;
* a paused clock has no due time and is never announced; resuming shifts every threshold by the
  working time the pause covered (``SlaClock``); :func:`ratio` of a paused clock stands still;
* a change (pause, resume, a new limit, stop) reads the clock's row again under a row lock and
  writes only the columns it changes, so a copy read before a scan moved ``level`` never writes that
  level back or plans from it (no threshold announced twice, none announced early).

A parameter change applies to the next threshold each clock computes, not to those already stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from talentpark.core import parameters, workcalendar
from talentpark.desk.models import Clock

parameters.GROUPS["desk"] = "一窗受理"
for _key, _label, _help, _default_setting, _min, _max in (
    (
        "desk.warn_percent",
        "办理时限预警比例",
        "时限用去此比例时提醒经办人",
        "TALENTPARK_DESK_WARN_PERCENT",
        10,
        99,
    ),
    (
        "desk.escalate_percent",
        "超时督办（组长）比例",
        "时限用去此比例仍未办结时，提醒专员组长督办",
        "TALENTPARK_DESK_ESCALATE_PERCENT",
        101,
        500,
    ),
    (
        "desk.office_percent",
        "超时督办（人才办）比例",
        "时限用去此比例仍未办结时，提醒人才办督办",
        "TALENTPARK_DESK_OFFICE_PERCENT",
        102,
        1000,
    ),
):
    parameters.register(
        _key,
        parameters.INT,
        label=_label,
        help=_help,
        setting=_default_setting,
        env=_default_setting,
        group="desk",
        minimum=_min,
        maximum=_max,
        unit="%",
    )

LEVELS = 4  # warned, due, escalated to the lead, escalated to the office
LEVEL_LABELS = {1: "即将到期", 2: "已到期", 3: "超时督办（组长）", 4: "超时督办（人才办）"}


def thresholds() -> tuple[float, float, float, float]:
    """The four shares of the limit that are announced, in order."""
    warn = parameters.value("desk.warn_percent") / 100
    lead = parameters.value("desk.escalate_percent") / 100
    office = max(parameters.value("desk.office_percent") / 100, lead + 0.01)
    return (warn, 1.0, lead, office)


def _pauses(clock: Clock) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """The clock's pauses, the open one (still waiting on the requester) last with no end."""
    out: list[tuple[dt.datetime, dt.datetime | None]] = [
        (dt.datetime.fromisoformat(a), dt.datetime.fromisoformat(b)) for a, b in clock.pauses
    ]
    if clock.paused_at is not None:
        out.append((clock.paused_at, None))
    return out


def _reread(clock: Clock) -> None:
    """Read ``clock``'s row again, locked until the caller's transaction ends: a change made from a
    copy read before a scan moved its level must not write that level back (and announce a
    threshold twice) nor plan from it."""
    clock.refresh_from_db(from_queryset=Clock.objects.select_for_update())


def _sla(clock: Clock, share: float = 1.0, cal: workcalendar.Calendar | None = None) -> workcalendar.SlaClock:
    limit = dt.timedelta(minutes=clock.limit_minutes * share)
    return workcalendar.SlaClock(
        clock.started_at, limit, tuple(_pauses(clock)), cal or workcalendar.calendar()
    )


def _plan(clock: Clock, cal: workcalendar.Calendar | None = None) -> None:
    """Recompute the stored ``due_at`` and ``next_alert_at`` (both empty while paused or stopped)."""
    if clock.paused_at is not None or clock.stopped_at is not None:
        clock.due_at = None if clock.stopped_at is None else clock.due_at
        clock.next_alert_at = None
        return
    cal = cal or workcalendar.calendar()
    clock.due_at = _sla(clock, 1.0, cal).due_at()
    clock.next_alert_at = (
        _sla(clock, thresholds()[clock.level], cal).due_at() if clock.level < LEVELS else None
    )


def start(
    kind: str,
    zone_id: int,
    *,
    days: float = 0,
    hours: float = 0,
    at: dt.datetime | None = None,
    **subject: Any,
) -> Clock:
    """A new running clock of ``days`` working days and ``hours`` working hours from ``at``."""
    cal = workcalendar.calendar()
    minutes = round((days * cal.day_length + dt.timedelta(hours=hours)).total_seconds() / 60)
    clock = Clock(
        zone_id=zone_id, kind=kind, started_at=at or timezone.now(), limit_minutes=max(minutes, 1), **subject
    )
    _plan(clock, cal)
    clock.save()
    return clock


def set_limit(clock: Clock, days: float) -> Clock:
    """Give a running clock a new limit of ``days`` working days (a request given its category)."""
    with transaction.atomic():
        _reread(clock)
        clock.limit_minutes = max(round(days * workcalendar.calendar().day_length.total_seconds() / 60), 1)
        _plan(clock)
        clock.save(update_fields=["limit_minutes", "due_at", "next_alert_at"])
    return clock


def restart(clock: Clock, at: dt.datetime | None = None) -> Clock:
    """Run ``clock`` again from ``at`` with its limit (a reopened request)."""
    clock.started_at, clock.pauses, clock.paused_at = at or timezone.now(), [], None
    clock.level, clock.stopped_at, clock.met = 0, None, None
    _plan(clock)
    clock.save()
    return clock


def pause(clock: Clock, at: dt.datetime | None = None) -> bool:
    """Stop the clock while waiting on the requester; False when it was not running."""
    with transaction.atomic():
        _reread(clock)
        if clock.stopped_at is not None or clock.paused_at is not None:
            return False
        clock.paused_at = at or timezone.now()
        _plan(clock)
        clock.save(update_fields=["paused_at", "due_at", "next_alert_at"])
    return True


def resume(clock: Clock, at: dt.datetime | None = None) -> bool:
    """Run again after the requester's reply; the thresholds move by the paused working time."""
    with transaction.atomic():
        _reread(clock)
        if clock.stopped_at is not None or clock.paused_at is None:
            return False
        now = max(at or timezone.now(), clock.paused_at)
        clock.pauses = [*clock.pauses, [clock.paused_at.isoformat(), now.isoformat()]]
        clock.paused_at = None
        _plan(clock)
        clock.save(update_fields=["pauses", "paused_at", "due_at", "next_alert_at"])
    return True


def stop(clock: Clock, at: dt.datetime | None = None) -> bool:
    """The work is done: the clock stops and remembers whether it was on time."""
    with transaction.atomic():
        _reread(clock)
        if clock.stopped_at is not None:
            return False
        at = at or timezone.now()
        if clock.paused_at is not None:
            resume(clock, at)
        clock.stopped_at, clock.next_alert_at = at, None
        clock.met = clock.due_at is None or at <= clock.due_at
        clock.save(update_fields=["stopped_at", "next_alert_at", "met", "pauses", "paused_at", "due_at"])
    return True


def ratio(clock: Clock, now: dt.datetime | None = None) -> float:
    """The share of the limit used by ``now`` (or by the stop), pauses excluded."""
    end = clock.stopped_at or now or timezone.now()
    return _sla(clock).ratio(end)


def state(clock: Clock | None, now: dt.datetime | None = None) -> str:
    """ "met", "breached" (stopped late), "paused", "overdue", "at_risk" (past the warning) or "ok"."""
    if clock is None:
        return "ok"
    if clock.stopped_at is not None:
        return "met" if clock.met else "breached"
    if clock.paused_at is not None:
        return "paused"
    now = now or timezone.now()
    if clock.due_at is not None and now > clock.due_at:
        return "overdue"
    return "at_risk" if clock.level >= 1 else "ok"


STATE_LABELS = {
    "met": gettext_noop("按时办结"),
    "breached": gettext_noop("超时办结"),
    "paused": gettext_noop("暂停计时"),
    "overdue": gettext_noop("已超时"),
    "at_risk": gettext_noop("临近到期"),
    "ok": gettext_noop("正常"),
}

# Who hears of a threshold: the app's handler for a clock's kind, called inside the transaction
# that moved its level (``announce(clock, level)``).
Announcer = Callable[[Clock, int], None]
_ANNOUNCERS: dict[str, Announcer] = {}


def on_threshold(kind: str) -> Callable[[Announcer], Announcer]:
    def deco(fn: Announcer) -> Announcer:
        _ANNOUNCERS[kind] = fn
        return fn

    return deco


def _reached(clock: Clock, now: dt.datetime, cal: workcalendar.Calendar) -> int:
    """The highest threshold ``clock`` has passed by ``now``."""
    used = _sla(clock, 1.0, cal).ratio(now)
    return sum(1 for share in thresholds() if used + 1e-9 >= share)


def due(now: dt.datetime, zone_id: int | None = None, limit: int = 500) -> Any:
    """Open clocks with a threshold due by ``now``: the indexed scan the job runs."""
    rows = Clock.objects.filter(stopped_at__isnull=True, next_alert_at__lte=now)
    if zone_id is not None:
        rows = rows.filter(zone_id=zone_id)
    return rows.order_by("next_alert_at")[:limit]


def scan(zone_id: int | None = None, now: dt.datetime | None = None, batch: int = 500) -> int:
    """Announce every threshold due by ``now``; how many notices went out (each once)."""
    now = now or timezone.now()
    cal = workcalendar.calendar()
    sent = 0
    while True:
        rows = list(due(now, zone_id, batch))
        if not rows:
            return sent
        moved = 0
        for clock in rows:
            level = max(_reached(clock, now, cal), clock.level + 1)
            level = min(level, LEVELS)
            read_level, read_alert = clock.level, clock.next_alert_at
            clock.level = level
            _plan(clock, cal)
            with transaction.atomic():
                won = Clock.objects.filter(
                    pk=clock.pk, level=read_level, next_alert_at=read_alert, stopped_at__isnull=True
                ).update(level=level, next_alert_at=clock.next_alert_at, due_at=clock.due_at)
                if won:
                    moved += 1
                    announcer = _ANNOUNCERS.get(clock.kind)
                    if announcer is not None:
                        announcer(clock, level)
                        sent += 1
        if not moved:  # every row was taken by another worker meanwhile
            return sent
