"""The working-day calendar every deadline counts on (节假日与调休).

Which days are working days, and how much working time lies between two moments, on the
Chinese calendar: public holidays (放假) and 调休 make-up working days (a Saturday that is a
working day). Three sources, in this order of precedence:

1. **The office's table** (:class:`~talentpark.core.models.CalendarDay`, edited on 系统管理 →
   节假日与调休): a row says what its date is, whatever the library says.
2. **The chinese-calendar library**, for the years it knows (up to its release; 1.11 knows
   2004–2026).
3. **Monday to Friday**, for a year neither knows, with a warning in the log (once per year and
   process). Never an exception.

A year counts as *known* (:func:`year_known`) when the library knows it or the table holds at least
one row of it. :func:`missing_years` names next year when it is unknown within ``ahead_days`` of
its first day; the office's home shows it as a banner, and ``talentpark check --database default``
as a warning.

Working time is office hours on working days, Beijing time: 09:00–12:00 and 13:30–17:30 (7 hours;
``settings.TALENTPARK_OFFICE_HOURS`` may replace them with other ``(("HH:MM", "HH:MM"), ...)``).
A *working day* of a deadline is that many hours (one office day) of working time.

Guarantees:

* every function takes and returns timezone-aware datetimes (a naive one is a ``ValueError``);
  results are in ``settings.TIME_ZONE`` (Asia/Shanghai, which has no daylight saving time);
* a moment outside office hours counts from the next working moment; a deadline that ends
  exactly at closing time is that closing time (17:30), not the next morning;
* ``working_time_between(s, add_working_time(s, days=d, hours=h)) == d * day + h`` for every start
  ``s`` (a property test proves it);
* a pause (waiting on the requester) shifts a deadline by exactly the working time it covers
  (:class:`SlaClock`);
* one snapshot of the table (:func:`calendar`) answers any number of questions without a query:
  a feature app computing thousands of deadlines takes ``cal = workcalendar.calendar()`` once and
  calls its methods. Each process keeps its snapshot ``TALENTPARK_CALENDAR_TTL`` seconds (default:
  ``TALENTPARK_PARAMETER_TTL``, 2 s; 0 under pytest) and drops it when its own change commits, so
  another worker sees an office's change within the TTL.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
from chinese_calendar import constants as cc_constants
from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.core.models import CalendarDay
from talentpark.core.validation import FieldErrors

log = logging.getLogger(__name__)

HOLIDAY = CalendarDay.Kind.HOLIDAY.value
WORKDAY = CalendarDay.Kind.WORKDAY.value

# Where a day's answer comes from (shown on the office's page).
TABLE, LIBRARY, FALLBACK = "table", "library", "fallback"

DEFAULT_OFFICE_HOURS = (("09:00", "12:00"), ("13:30", "17:30"))
MAX_SCAN_DAYS = 3660  # ten years of days without a working moment means a broken table

# The library's holiday names (chinese_calendar.Holiday members) in Chinese, by member name.
HOLIDAY_NAMES: dict[str, str] = {
    "new_years_day": gettext_noop("元旦"),
    "spring_festival": gettext_noop("春节"),
    "tomb_sweeping_day": gettext_noop("清明节"),
    "labour_day": gettext_noop("劳动节"),
    "dragon_boat_festival": gettext_noop("端午节"),
    "national_day": gettext_noop("国庆节"),
    "mid_autumn_festival": gettext_noop("中秋节"),
    "anti_fascist_70th_day": gettext_noop("抗战胜利纪念日"),
}
# The library's dictionaries hold the members' values ("National Day").
_NAME_OF_VALUE = {member.value: HOLIDAY_NAMES.get(member.name, "") for member in chinese_calendar.Holiday}


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _parse_hhmm(text: str) -> dt.time:
    hh, mm = text.split(":")
    return dt.time(int(hh), int(mm))


def office_hours() -> tuple[tuple[dt.time, dt.time], ...]:
    """The office's working periods of a working day, in order (settings.TALENTPARK_OFFICE_HOURS)."""
    spec = getattr(settings, "TALENTPARK_OFFICE_HOURS", DEFAULT_OFFICE_HOURS)
    periods = tuple((_parse_hhmm(a), _parse_hhmm(b)) for a, b in spec)
    for (a, b), nxt in zip(periods, (*periods[1:], None), strict=True):
        if not a < b or (nxt is not None and not b <= nxt[0]):
            raise ValueError(f"TALENTPARK_OFFICE_HOURS must be ordered, disjoint periods: {spec!r}")
    return periods


# -- the library ----------------------------------------------------------------------------------


@cache
def library_knows(year: int) -> bool:
    """Whether chinese-calendar has the State Council's arrangement of ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@cache
def library_days(year: int) -> Mapping[dt.date, tuple[str, str]]:
    """The library's special days of ``year``: date → (kind, Chinese name msgid).

    Holidays that fall on a weekend are included (the notice names them); a year the library
    does not know has none.
    """
    if not library_knows(year):
        return {}
    days: dict[dt.date, tuple[str, str]] = {}
    for source, kind in ((cc_constants.holidays, HOLIDAY), (cc_constants.workdays, WORKDAY)):
        for day, holiday in source.items():
            if day.year == year:
                days[day] = (kind, _NAME_OF_VALUE.get(getattr(holiday, "value", holiday), ""))
    return dict(sorted(days.items()))


@cache
def _base_workdays(year: int) -> frozenset[dt.date]:
    """The working days of ``year`` without the table: the library's, else Monday to Friday."""
    known = library_knows(year)
    day, days = dt.date(year, 1, 1), set()
    while day.year == year:
        if chinese_calendar.is_workday(day) if known else day.weekday() < 5:
            days.add(day)
        day += dt.timedelta(days=1)
    return frozenset(days)


# -- the snapshot ---------------------------------------------------------------------------------

_warned: set[int] = set()


@dataclass(frozen=True)
class Day:
    """What one day is and why (for the office's page)."""

    date: dt.date
    workday: bool
    kind: str  # HOLIDAY / WORKDAY for a special day, "" for an ordinary one
    name: str
    source: str  # TABLE, LIBRARY or FALLBACK
    row: CalendarDay | None = None


class Calendar:
    """The working calendar at one moment: the table's rows over the library, and office hours.

    Immutable and query-free once built; build it with :func:`calendar`.
    """

    def __init__(
        self,
        rows: Mapping[dt.date, str],
        periods: Sequence[tuple[dt.time, dt.time]] | None = None,
    ) -> None:
        self.rows = dict(rows)
        self.table_years = frozenset(d.year for d in self.rows)
        self.periods = tuple(periods if periods is not None else office_hours())
        self.tz = tz()
        self.day_length = sum(
            (
                dt.datetime.combine(dt.date.min, b) - dt.datetime.combine(dt.date.min, a)
                for a, b in self.periods
            ),
            dt.timedelta(),
        )
        self._workdays: dict[int, frozenset[dt.date]] = {}

    # -- days --

    def year_known(self, year: int) -> bool:
        return year in self.table_years or library_knows(year)

    def _year(self, year: int) -> frozenset[dt.date]:
        """The working days of ``year`` (computed once per snapshot and year)."""
        cached = self._workdays.get(year)
        if cached is not None:
            return cached
        if not library_knows(year) and year not in self.table_years and year not in _warned:
            _warned.add(year)
            log.warning("working calendar: %s is unknown to chinese-calendar and the table; Mon-Fri", year)
        rows = {d: kind for d, kind in self.rows.items() if d.year == year}
        result = (_base_workdays(year) - {d for d, k in rows.items() if k == HOLIDAY}) | {
            d for d, k in rows.items() if k == WORKDAY
        }
        self._workdays[year] = result
        return result

    def is_workday(self, day: dt.date) -> bool:
        return day in self._year(day.year)

    def day(self, day: dt.date) -> Day:
        kind = self.rows.get(day)
        if kind is not None:
            return Day(day, kind == WORKDAY, kind, "", TABLE)
        if library_knows(day.year):
            lib = library_days(day.year).get(day)
            return Day(day, self.is_workday(day), lib[0] if lib else "", lib[1] if lib else "", LIBRARY)
        return Day(day, day.weekday() < 5, "", "", FALLBACK)

    def next_workday(self, day: dt.date) -> dt.date:
        """The first working day on or after ``day``."""
        for _ in range(MAX_SCAN_DAYS):
            if self.is_workday(day):
                return day
            day += dt.timedelta(days=1)
        raise ValueError(f"no working day within {MAX_SCAN_DAYS} days of {day}")

    # -- moments --

    def _local(self, moment: dt.datetime) -> dt.datetime:
        if timezone.is_naive(moment):
            raise ValueError("working time needs a timezone-aware datetime")
        return moment.astimezone(self.tz)

    def _segments(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        if not self.is_workday(day):
            return []
        return [
            (dt.datetime.combine(day, a, tzinfo=self.tz), dt.datetime.combine(day, b, tzinfo=self.tz))
            for a, b in self.periods
        ]

    def next_working_moment(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` if it lies in office hours of a working day, else the next opening."""
        return self.add_working_time(moment)

    def add_working_time(self, start: dt.datetime, *, days: int = 0, hours: float = 0) -> dt.datetime:
        """The moment when ``days`` working days and ``hours`` working hours have passed since
        ``start``. A working day is one office day of working time (7 h): one working day from
        Friday 16:00 is Monday 16:00; from Thursday 20:00 it is Friday 17:30."""
        if days < 0 or hours < 0:
            raise ValueError("working time to add must not be negative")
        return self._add(self._local(start), days * self.day_length + dt.timedelta(hours=hours))

    def _add(self, moment: dt.datetime, remaining: dt.timedelta) -> dt.datetime:
        day = moment.date()
        for _ in range(MAX_SCAN_DAYS):
            segments = self._segments(day)
            if segments and remaining >= self.day_length and moment <= segments[0][0]:
                remaining -= self.day_length  # a whole working day at once
                if remaining == dt.timedelta():
                    return segments[-1][1]
            else:
                for seg_start, seg_end in segments:
                    begin = max(seg_start, moment)
                    if begin >= seg_end:
                        continue
                    available = seg_end - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
            day += dt.timedelta(days=1)
            moment = dt.datetime.combine(day, dt.time.min, tzinfo=self.tz)
        raise ValueError(f"no working time within {MAX_SCAN_DAYS} days")

    def working_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """The working time from ``a`` to ``b`` (zero when ``b`` is not after ``a``)."""
        a, b = self._local(a), self._local(b)
        total = dt.timedelta()
        if b <= a:
            return total
        day = a.date()
        while day <= b.date():
            segments = self._segments(day)
            if segments and a <= segments[0][0] and segments[-1][1] <= b:
                total += self.day_length
            else:
                for seg_start, seg_end in segments:
                    lo, hi = max(seg_start, a), min(seg_end, b)
                    if lo < hi:
                        total += hi - lo
            day += dt.timedelta(days=1)
        return total

    def missing_years(self, today: dt.date, ahead_days: int = 60) -> list[int]:
        """Years the office must still enter: next year, within ``ahead_days`` of its first day,
        and the current year, when neither the library nor the table knows them."""
        years = [today.year]
        if (dt.date(today.year + 1, 1, 1) - today).days <= ahead_days:
            years.append(today.year + 1)
        return [y for y in years if not self.year_known(y)]

    def year_days(self, year: int) -> list[Day]:
        """The special days of ``year``: the library's and the table's, the table winning."""
        dates = set(library_days(year)) | {d for d in self.rows if d.year == year}
        return [self.day(d) for d in sorted(dates)]


@dataclass
class _Copy:
    calendar: Calendar
    read_at: float


_copy: _Copy | None = None
_clock: Callable[[], float] = time.monotonic


def forget() -> None:
    """Drop this process's snapshot: the next :func:`calendar` reads the table again."""
    global _copy
    _copy = None


def _ttl() -> float:
    ttl: Any = getattr(settings, "TALENTPARK_CALENDAR_TTL", None)
    if ttl is None:
        ttl = getattr(settings, "TALENTPARK_PARAMETER_TTL", 2.0)
    return float(ttl)


def calendar() -> Calendar:
    """The current calendar: at most one query (the whole table, a few rows per year) per TTL."""
    global _copy
    now = _clock()
    copy = _copy
    if copy is not None and now - copy.read_at < _ttl():
        return copy.calendar
    rows = dict(CalendarDay.objects.values_list("date", "kind"))
    copy = _Copy(Calendar(rows), now)
    _copy = copy  # one assignment: the process's threads share it without a lock
    return copy.calendar


# -- the module's API: each call reads one snapshot ------------------------------------------------


def is_workday(day: dt.date) -> bool:
    return calendar().is_workday(day)


def year_known(year: int) -> bool:
    """The library or the table has ``year``'s arrangement."""
    return calendar().year_known(year)


def missing_years(today: dt.date, ahead_days: int = 60) -> list[int]:
    return calendar().missing_years(today, ahead_days)


def add_working_time(start: dt.datetime, *, days: int = 0, hours: float = 0) -> dt.datetime:
    return calendar().add_working_time(start, days=days, hours=hours)


def working_time_between(a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    return calendar().working_time_between(a, b)


# -- the pausable clock ---------------------------------------------------------------------------

Pause = tuple[dt.datetime, dt.datetime | None]


def _merged(pauses: Iterable[Pause], now: dt.datetime | None) -> list[tuple[dt.datetime, dt.datetime]] | None:
    """Pauses sorted and merged; an open pause ends at ``now`` (None without ``now``)."""
    closed: list[tuple[dt.datetime, dt.datetime]] = []
    for paused_at, resumed_at in pauses:
        if timezone.is_naive(paused_at) or (resumed_at is not None and timezone.is_naive(resumed_at)):
            raise ValueError("pauses need timezone-aware datetimes")
        if resumed_at is None:
            if now is None:
                return None
            resumed_at = max(now, paused_at)
        if resumed_at < paused_at:
            raise ValueError("a pause cannot resume before it began")
        closed.append((paused_at, resumed_at))
    closed.sort()
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for a, b in closed:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


@dataclass(frozen=True)
class SlaClock:
    """A deadline's clock: ``limit`` of working time from ``started_at``, stopped during
    ``pauses`` ((paused_at, resumed_at) pairs; ``resumed_at`` None while still waiting on the
    requester). Overlapping pauses count once; working time before ``started_at`` never counts."""

    started_at: dt.datetime
    limit: dt.timedelta
    pauses: tuple[Pause, ...] = ()
    cal: Calendar | None = field(default=None, compare=False)

    @classmethod
    def of(
        cls,
        started_at: dt.datetime,
        *,
        days: int = 0,
        hours: float = 0,
        pauses: Iterable[Pause] = (),
        cal: Calendar | None = None,
    ) -> SlaClock:
        cal = cal or calendar()
        return cls(started_at, days * cal.day_length + dt.timedelta(hours=hours), tuple(pauses), cal)

    def _cal(self) -> Calendar:
        return self.cal or calendar()

    def paused(self, now: dt.datetime | None = None) -> dt.timedelta:
        """The working time the clock stood still (open pauses up to ``now``)."""
        cal = self._cal()
        merged = _merged(self.pauses, now) or []
        return sum((cal.working_time_between(max(a, self.started_at), b) for a, b in merged), dt.timedelta())

    def due_at(self, now: dt.datetime | None = None) -> dt.datetime | None:
        """When the limit runs out. While a pause is open: ``None`` (the clock stands), or, given
        ``now``, the deadline as if she replied at ``now``."""
        cal = self._cal()
        merged = _merged(self.pauses, now)
        if merged is None:
            return None
        cursor, remaining = self.started_at, self.limit
        for a, b in merged:
            if b <= cursor:
                continue
            if a > cursor:
                available = cal.working_time_between(cursor, a)
                if remaining <= available:
                    return cal._add(cal._local(cursor), remaining)
                remaining -= available
            cursor = b
        return cal._add(cal._local(cursor), remaining)

    def elapsed(self, now: dt.datetime) -> dt.timedelta:
        """Working time consumed by ``now`` (pauses excluded)."""
        cal = self._cal()
        return cal.working_time_between(self.started_at, now) - _clip(self, now)

    def ratio(self, now: dt.datetime) -> float:
        """Share of the limit consumed by ``now`` (1.0 = due; more = overdue), for SLA warnings."""
        if not self.limit:
            return 1.0
        return self.elapsed(now) / self.limit


def _clip(clock: SlaClock, now: dt.datetime) -> dt.timedelta:
    """The paused working time between the clock's start and ``now``."""
    cal = clock._cal()
    merged = _merged(clock.pauses, now) or []
    return sum(
        (cal.working_time_between(max(a, clock.started_at), min(b, now)) for a, b in merged), dt.timedelta()
    )


def deadline_with_pauses(
    start: dt.datetime,
    *,
    days: int = 0,
    hours: float = 0,
    pauses: Iterable[Pause] = (),
    now: dt.datetime | None = None,
) -> dt.datetime | None:
    """The deadline of ``days``/``hours`` of working time from ``start``, shifted by the working
    time of ``pauses`` (see :meth:`SlaClock.due_at`)."""
    return SlaClock.of(start, days=days, hours=hours, pauses=pauses).due_at(now)


# -- the office's table ---------------------------------------------------------------------------

KIND_LABELS = {HOLIDAY: gettext_noop("放假"), WORKDAY: gettext_noop("调休上班")}
MIN_YEAR, MAX_YEAR = 2000, 2099


def _state(row: CalendarDay) -> dict[str, Any]:
    return {"date": row.date.isoformat(), "kind": row.kind, "name": row.name, "note": row.note}


def _parse_date(raw: Any) -> dt.date:
    text = str(raw or "").strip()
    if not text:
        raise ValidationError(gettext("请填写日期"))
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(gettext("请按“年-月-日”填写，例如 2027-01-01")) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValidationError(gettext("年份应在%(lo)s至%(hi)s之间") % {"lo": MIN_YEAR, "hi": MAX_YEAR})
    return day


def validate_day(values: Mapping[str, Any], row: CalendarDay | None = None) -> dict[str, Any]:
    """The clean values of a row, or one ValidationError "<字段>：<原因>" per bad field."""
    errors = FieldErrors()
    day = errors.check("date", gettext("日期"), _parse_date, values.get("date"))
    kind = str(values.get("kind") or "").strip()
    if kind not in KIND_LABELS:
        errors.add("kind", gettext("类型"), gettext("请选择“放假”或“调休上班”"))
    name = str(values.get("name") or "").strip()
    if len(name) > 30:
        errors.add("name", gettext("节日名称"), gettext("不能超过30个字"))
    note = str(values.get("note") or "").strip()
    if len(note) > 200:
        errors.add("note", gettext("备注"), gettext("不能超过200个字"))
    if day is not None:
        others = CalendarDay.objects.filter(date=day)
        other = (others.exclude(pk=row.pk) if row is not None else others).first()
        if other is not None:
            errors.add("date", gettext("日期"), _duplicate(other))
    errors.raise_if_any()
    return {"date": day, "kind": kind, "name": name, "note": note}


def _duplicate(other: CalendarDay) -> str:
    return gettext("%(date)s 已有记录（%(kind)s），请修改该条记录") % {
        "date": other.date.isoformat(),
        "kind": gettext(KIND_LABELS.get(other.kind, other.kind)),
    }


def _refused_duplicate(day: dt.date) -> ValidationError:
    other = CalendarDay.objects.filter(date=day).first()
    reason = _duplicate(other) if other else gettext("该日期已有记录")
    return ValidationError({"date": [f"{gettext('日期')}：{reason}"]})


def save_day(ctx: ActionContext, values: Mapping[str, Any], row: CalendarDay | None = None) -> CalendarDay:
    """Add a row (``row`` None) or change ``row``: validated first, one audit row, whole or nothing."""
    clean = validate_day(values, row)
    try:
        with transaction.atomic():
            if row is None:
                row = CalendarDay(**clean, updated_by=ctx.user)
                row.save()
                audit.record(ctx, "core.calendar.add", row, after=_state(row))
            else:
                row = CalendarDay.objects.select_for_update().get(pk=row.pk)
                before = _state(row)
                for key, value in clean.items():
                    setattr(row, key, value)
                row.updated_by = ctx.user
                row.save(update_fields=[*clean, "updated_by", "updated_at"])
                audit.record(ctx, "core.calendar.change", row, before=before, after=_state(row))
            forget()  # this thread reads its own change at once …
            transaction.on_commit(forget)  # … and a snapshot another thread read meanwhile is dropped
    except IntegrityError:  # another office entered the same date meanwhile
        raise _refused_duplicate(clean["date"]) from None
    return row


def delete_day(ctx: ActionContext, row: CalendarDay) -> None:
    """Delete a row: its date goes back to the library (or Monday to Friday)."""
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().get(pk=row.pk)
        audit.record(ctx, "core.calendar.delete", row, before=_state(row))
        row.delete()
        forget()
        transaction.on_commit(forget)


# -- warnings: the office's home and ``talentpark check`` ----------------------------------------


def home_warning(today: dt.date | None = None) -> dict[str, Any] | None:
    """The office home's banner context when a year is missing (one query per snapshot), else None."""
    missing = missing_years(today or timezone.localdate())
    return {"missing_years": missing} if missing else None


@checks.register(deploy=True)
def check_calendar(
    app_configs: Any = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[Any]:
    """``talentpark check --deploy --database default``: W001 when this year's or (within 60 days)
    next year's arrangement is missing. Without ``--database`` it reads the library only (I001)."""
    today = timezone.localdate()
    if databases and "default" in databases:
        try:
            missing = missing_years(today)
        except Exception:  # the table may not exist yet (before migrate)
            return []
    else:
        missing = [y for y in (today.year, today.year + 1) if not library_knows(y)]
        missing = [y for y in missing if y == today.year or (dt.date(y, 1, 1) - today).days <= 60]
        if missing:
            return [
                checks.Info(
                    f"chinese-calendar does not know {', '.join(map(str, missing))}; "
                    "run `talentpark check --database default` to see whether the office entered it",
                    id="core.I001",
                )
            ]
        return []
    if not missing:
        return []
    return [
        checks.Warning(
            f"the working calendar of {', '.join(map(str, missing))} is unknown: deadlines count Monday to "
            "Friday until the office enters the State Council's holiday notice (系统管理 → 节假日与调休)",
            id="core.W001",
        )
    ]
