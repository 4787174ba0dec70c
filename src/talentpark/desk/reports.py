"""The service desk's monthly figures (服务诉求月报), for one zone and one period: pure reads.

What counts where (``period`` is a calendar month in Beijing time; the current month runs to its end,
so it holds what happened so far):

* **SLA compliance** by category (request clocks), by department (part clocks) and by specialist
  (request clocks): clocks *stopped in the period* count as met (on time) or breached (late,
  ``met=False``); clocks *still open now* and started before the period's end count as paused,
  overdue (``due_at < now``) or at risk (``level >= 1``, not overdue) — a snapshot at the moment
  of the report, as :func:`talentpark.desk.clocks.state` would show them. The compliance rate is
  met / (met + breached), ``None`` when nothing stopped.
* **Average handling time** in working hours (the zone's working calendar): requests done in the
  period, ``created_at`` → ``done_at``, per category; parts done in the period, per department.
* **Backlog age** (snapshot now): open requests by their age in working days, buckets
  [0, 1), [1, 3), [3, 5), [5, 10), [10, ∞).
* **Satisfaction**: requests done in the period and rated; average and count per category and per
  specialist, and the 1–5 distribution.
* **Channels**: requests filed in the period, per channel; the 办不成事 queue (snapshot now):
  uncategorised requests still new.

Every figure but the working-hours averages is one aggregate query (``values()`` + ``annotate``);
the averages walk the period's closed requests and parts in Python (the calendar is Python).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Q
from django.utils import timezone

from talentpark.core import workcalendar
from talentpark.desk import categories as cats
from talentpark.desk.models import Clock, Part, Request

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_YEAR = 2000
BAD_MONTH = "月份格式不正确：请按“年-月”填写，例如 2026-11"
FUTURE_MONTH = "该月份尚未开始，不能生成报表"
EARLY_MONTH = f"月份不能早于 {FIRST_YEAR} 年"

# Backlog buckets in working days: [low, high) — ``None`` is open-ended.
BUCKETS: tuple[tuple[int, int | None, str], ...] = (
    (0, 1, "1个工作日内"),
    (1, 3, "1–3个工作日"),
    (3, 5, "3–5个工作日"),
    (5, 10, "5–10个工作日"),
    (10, None, "10个工作日以上"),
)
NO_SPECIALIST = "（未指定专员）"


class BadMonth(ValueError):
    """A ``month`` parameter that is not a month we can report on; ``str()`` is the Chinese reason."""


# -- periods ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    year: int
    month: int
    start: dt.datetime  # aware, the first moment of the month (Beijing time)
    end: dt.datetime  # exclusive: the first moment of the next month
    current: bool  # the month ``now`` lies in

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        text = f"{self.year}年{self.month}月"
        return f"{text}（截至目前）" if self.current else text


def _month_start(year: int, month: int) -> dt.datetime:
    return dt.datetime(year, month, 1, tzinfo=workcalendar.tz())


def month_period(year: int, month: int, now: dt.datetime | None = None) -> Period:
    now = now or timezone.now()
    start = _month_start(year, month)
    end = _month_start(year + (month == 12), month % 12 + 1)
    return Period(year, month, start, end, start <= now < end)


def parse_month(raw: str, now: dt.datetime | None = None) -> Period:
    """``YYYY-MM`` → its period; :class:`BadMonth` (Chinese reason) for anything else or a future month."""
    now = now or timezone.now()
    found = MONTH_RE.match((raw or "").strip())
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise BadMonth(BAD_MONTH)
    year, month = int(found.group(1)), int(found.group(2))
    if year < FIRST_YEAR:
        raise BadMonth(EARLY_MONTH)
    period = month_period(year, month, now)
    if period.start > now:
        raise BadMonth(FUTURE_MONTH)
    return period


def current_period(now: dt.datetime | None = None) -> Period:
    local = (now or timezone.now()).astimezone(workcalendar.tz())
    return month_period(local.year, local.month, now)


def last_full_period(now: dt.datetime | None = None) -> Period:
    local = (now or timezone.now()).astimezone(workcalendar.tz())
    year, month = (local.year - 1, 12) if local.month == 1 else (local.year, local.month - 1)
    return month_period(year, month, now)


def periods(raw: str | None, now: dt.datetime | None = None) -> list[Period]:
    """The periods a report shows: ``raw`` (``YYYY-MM``) alone, or by default the last full month and
    the current one."""
    now = now or timezone.now()
    if raw:
        return [parse_month(raw, now)]
    return [last_full_period(now), current_period(now)]


# -- SLA compliance --------------------------------------------------------------------------------


@dataclass
class SlaRow:
    key: Any
    label: str
    met: int = 0
    breached: int = 0
    at_risk: int = 0
    overdue: int = 0
    paused: int = 0

    @property
    def closed(self) -> int:
        return self.met + self.breached

    @property
    def rate(self) -> float | None:
        """Met / (met + breached), as a percentage with one decimal; ``None`` when nothing stopped."""
        return round(100 * self.met / self.closed, 1) if self.closed else None

    def add(self, other: SlaRow) -> None:
        self.met += other.met
        self.breached += other.breached
        self.at_risk += other.at_risk
        self.overdue += other.overdue
        self.paused += other.paused


def _sla(
    zone_id: int, kind: str, group: Iterable[str], period: Period, now: dt.datetime
) -> list[dict[str, Any]]:
    stopped_in = Q(stopped_at__gte=period.start, stopped_at__lt=period.end)
    open_now = Q(stopped_at__isnull=True, started_at__lt=period.end)
    running = Q(stopped_at__isnull=True, paused_at__isnull=True)
    fields = list(group)
    rows = (
        Clock.objects.filter(zone_id=zone_id, kind=kind)
        .filter(stopped_in | open_now)
        .values(*fields)
        .annotate(
            n_met=Count("id", filter=stopped_in & Q(met=True)),
            n_breached=Count("id", filter=stopped_in & Q(met=False)),
            n_paused=Count("id", filter=Q(stopped_at__isnull=True, paused_at__isnull=False)),
            n_overdue=Count("id", filter=running & Q(due_at__lt=now)),
            n_at_risk=Count("id", filter=running & Q(level__gte=1, due_at__gte=now)),
        )
        .order_by(*fields)
    )
    return list(rows)


def _sla_row(key: Any, label: str, row: dict[str, Any]) -> SlaRow:
    return SlaRow(
        key, label, row["n_met"], row["n_breached"], row["n_at_risk"], row["n_overdue"], row["n_paused"]
    )


def sla_by_category(zone_id: int, period: Period, now: dt.datetime) -> list[SlaRow]:
    rows = _sla(zone_id, Clock.Kind.REQUEST, ["request__category"], period, now)
    out = [
        _sla_row(r["request__category"], cats.label(zone_id, r["request__category"] or ""), r) for r in rows
    ]
    return _ordered_by_category(zone_id, out)


def sla_by_department(zone_id: int, period: Period, now: dt.datetime) -> list[SlaRow]:
    rows = _sla(zone_id, Clock.Kind.PART, ["part__department_id", "part__department__name"], period, now)
    return [_sla_row(r["part__department_id"], r["part__department__name"] or "", r) for r in rows]


def sla_by_specialist(zone_id: int, period: Period, now: dt.datetime) -> list[SlaRow]:
    fields = ["request__specialist_id", "request__specialist__display_name", "request__specialist__username"]
    rows = _sla(zone_id, Clock.Kind.REQUEST, fields, period, now)
    out = [_sla_row(r[fields[0]], r[fields[1]] or r[fields[2]] or NO_SPECIALIST, r) for r in rows]
    return sorted(out, key=lambda r: (r.key is None, r.label))


def total(rows: Iterable[SlaRow], label: str = "合计") -> SlaRow:
    out = SlaRow(None, label)
    for row in rows:
        out.add(row)
    return out


def _ordered_by_category(zone_id: int, rows: list[Any]) -> list[Any]:
    """Rows keyed by category value in the office's order; unknown values next, 办不成事 last."""
    order = {c.value: n for n, c in enumerate(cats.categories(zone_id))}
    return sorted(rows, key=lambda r: (not r.key, order.get(r.key or "", len(order)), r.label))


# -- handling time ---------------------------------------------------------------------------------


@dataclass
class DurationRow:
    key: Any
    label: str
    count: int
    hours: float  # average working hours
    days: float  # the same in working days


def _averages(
    samples: Iterable[tuple[Any, str, dt.datetime, dt.datetime | None]], cal: workcalendar.Calendar
) -> list[DurationRow]:
    sums: dict[Any, dt.timedelta] = defaultdict(dt.timedelta)
    counts: dict[Any, int] = defaultdict(int)
    labels: dict[Any, str] = {}
    for key, label, start, end in samples:
        if end is None:  # not done (the queries ask for done rows only)
            continue
        sums[key] += cal.working_time_between(start, end)
        counts[key] += 1
        labels[key] = label
    day_hours = cal.day_length.total_seconds() / 3600 or 1
    out = []
    for key, n in counts.items():
        hours = sums[key].total_seconds() / 3600 / n
        out.append(DurationRow(key, labels[key], n, round(hours, 1), round(hours / day_hours, 2)))
    return out


def handling_by_category(zone_id: int, period: Period) -> list[DurationRow]:
    """Requests done in the period: average working time from filing to 办结, per category."""
    rows = Request.objects.filter(
        zone_id=zone_id, done_at__gte=period.start, done_at__lt=period.end
    ).values_list("category", "created_at", "done_at")
    labels = {value: cats.label(zone_id, value) for value in {r[0] for r in rows}}
    out = _averages(((c, labels[c], a, b) for c, a, b in rows), workcalendar.calendar())
    return _ordered_by_category(zone_id, out)


def handling_by_department(zone_id: int, period: Period) -> list[DurationRow]:
    """Parts done in the period: average working time from routing to the department's 办结."""
    rows = Part.objects.filter(
        zone_id=zone_id, done_at__gte=period.start, done_at__lt=period.end
    ).values_list("department_id", "department__name", "created_at", "done_at")
    out = _averages(rows, workcalendar.calendar())
    return sorted(out, key=lambda r: r.label)


# -- backlog ---------------------------------------------------------------------------------------


@dataclass
class Bucket:
    label: str
    low: int
    high: int | None
    count: int


def working_days_ago(now: dt.datetime, days: int, cal: workcalendar.Calendar | None = None) -> dt.datetime:
    """The latest moment from which ``days`` working days have passed by ``now`` (to the microsecond):
    a request filed at or before it is at least ``days`` working days old."""
    cal = cal or workcalendar.calendar()
    need = days * cal.day_length
    if need <= dt.timedelta():
        return now
    lo = now - dt.timedelta(days=days * 2 + 40)  # holidays included, far enough back
    while cal.working_time_between(lo, now) < need:
        lo -= dt.timedelta(days=days + 30)
    hi = now  # invariant: enough working time from lo, not from hi
    step = dt.timedelta(microseconds=1)
    while hi - lo > step:  # to the microsecond: a request filed exactly then counts as old enough
        mid = lo + (hi - lo) // 2
        if cal.working_time_between(mid, now) >= need:
            lo = mid
        else:
            hi = mid
    return lo


def backlog(zone_id: int, now: dt.datetime) -> list[Bucket]:
    """Open requests (not 已办结) by age in working days, one aggregate query."""
    cal = workcalendar.calendar()
    cutoffs = {
        n: working_days_ago(now, n, cal)
        for n in {b for _a, b, _l in BUCKETS if b} | {a for a, _b, _l in BUCKETS}
    }
    filters: dict[str, Any] = {}
    for n, (low, high, _label) in enumerate(BUCKETS):
        q = Q(created_at__lte=cutoffs[low]) if low else Q()
        if high is not None:
            q &= Q(created_at__gt=cutoffs[high])
        filters[f"b{n}"] = Count("id", filter=q)
    counts = Request.objects.filter(zone_id=zone_id).exclude(status=Request.Status.DONE).aggregate(**filters)
    return [Bucket(label, low, high, counts[f"b{n}"] or 0) for n, (low, high, label) in enumerate(BUCKETS)]


# -- satisfaction ----------------------------------------------------------------------------------


@dataclass
class RatingRow:
    key: Any
    label: str
    count: int
    average: float | None


@dataclass
class Satisfaction:
    count: int
    average: float | None
    distribution: list[tuple[int, int]]  # (stars, requests) for 1..5
    by_category: list[RatingRow]
    by_specialist: list[RatingRow]


def _avg(value: Any) -> float | None:
    return round(float(value), 2) if value is not None else None


def satisfaction(zone_id: int, period: Period) -> Satisfaction:
    rated = Request.objects.filter(
        zone_id=zone_id, done_at__gte=period.start, done_at__lt=period.end, rating__isnull=False
    )
    overall = rated.aggregate(n=Count("id"), avg=Avg("rating"))
    dist = dict(rated.values_list("rating").annotate(n=Count("id")).order_by())
    by_cat = [
        RatingRow(r["category"], cats.label(zone_id, r["category"]), r["n"], _avg(r["avg"]))
        for r in rated.values("category").annotate(n=Count("id"), avg=Avg("rating")).order_by("category")
    ]
    by_spec = [
        RatingRow(
            r["specialist_id"],
            r["specialist__display_name"] or r["specialist__username"] or NO_SPECIALIST,
            r["n"],
            _avg(r["avg"]),
        )
        for r in rated.values("specialist_id", "specialist__display_name", "specialist__username")
        .annotate(n=Count("id"), avg=Avg("rating"))
        .order_by("specialist_id")
    ]
    return Satisfaction(
        count=overall["n"] or 0,
        average=_avg(overall["avg"]),
        distribution=[(stars, dist.get(stars, 0)) for stars in range(1, 6)],
        by_category=_ordered_by_category(zone_id, by_cat),
        by_specialist=sorted(by_spec, key=lambda r: (r.key is None, r.label)),
    )


# -- channels and the queue ------------------------------------------------------------------------


def channels(zone_id: int, period: Period) -> list[tuple[str, str, int]]:
    """(channel, its Chinese label, requests filed in the period) for every channel, zeros included."""
    counts = dict(
        Request.objects.filter(zone_id=zone_id, created_at__gte=period.start, created_at__lt=period.end)
        .values_list("channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(str(value), str(label), counts.get(value, 0)) for value, label in Request.Channel.choices]


def queue_size(zone_id: int) -> int:
    """The 办不成事 queue now: uncategorised requests still 待受理."""
    return Request.objects.filter(zone_id=zone_id, category="", status=Request.Status.NEW).count()


# -- the whole report ------------------------------------------------------------------------------


@dataclass
class Report:
    zone_id: int
    period: Period
    now: dt.datetime
    filed: int
    done: int
    open_now: int
    queue: int
    sla_category: list[SlaRow]
    sla_department: list[SlaRow]
    sla_specialist: list[SlaRow]
    handling_category: list[DurationRow]
    handling_department: list[DurationRow]
    backlog: list[Bucket]
    satisfaction: Satisfaction
    channels: list[tuple[str, str, int]]
    totals: dict[str, SlaRow] = field(default_factory=dict)


def build(zone_id: int, period: Period, now: dt.datetime | None = None) -> Report:
    now = now or timezone.now()
    reqs = Request.objects.filter(zone_id=zone_id)
    counts = reqs.aggregate(
        filed=Count("id", filter=Q(created_at__gte=period.start, created_at__lt=period.end)),
        done=Count("id", filter=Q(done_at__gte=period.start, done_at__lt=period.end)),
        open_now=Count("id", filter=~Q(status=Request.Status.DONE)),
    )
    report = Report(
        zone_id=zone_id,
        period=period,
        now=now,
        filed=counts["filed"] or 0,
        done=counts["done"] or 0,
        open_now=counts["open_now"] or 0,
        queue=queue_size(zone_id),
        sla_category=sla_by_category(zone_id, period, now),
        sla_department=sla_by_department(zone_id, period, now),
        sla_specialist=sla_by_specialist(zone_id, period, now),
        handling_category=handling_by_category(zone_id, period),
        handling_department=handling_by_department(zone_id, period),
        backlog=backlog(zone_id, now),
        satisfaction=satisfaction(zone_id, period),
        channels=channels(zone_id, period),
    )
    report.totals = {
        "category": total(report.sla_category),
        "department": total(report.sla_department),
        "specialist": total(report.sla_specialist),
    }
    return report
