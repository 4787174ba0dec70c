"""Working time as a line for the service desk's demo history (``demo.desk``): tens of thousands of
deadlines computed by binary search instead of day-by-day loops, checked against
``core.workcalendar`` by ``demo/tests/test_demo_desk.py``."""

from __future__ import annotations

import bisect
import datetime as dt

from talentpark.core import workcalendar

# -- working time, fast ------------------------------------------------------------------------------

US = dt.timedelta(microseconds=1)
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _us(t: dt.datetime) -> int:
    return (t - EPOCH) // US


class WorkingTime:
    """The calendar's working time as a line: every office period of the working days from ``lo``
    to ``hi`` laid end to end, so that a moment's offset on the line, a sum and the way back are a
    binary search each (the generator asks tens of thousands of times). Gives what
    :meth:`Calendar.add_working_time <talentpark.core.workcalendar.Calendar.add_working_time>`,
    ``working_time_between`` and :class:`~talentpark.core.workcalendar.SlaClock` give (a test
    compares them); outside ``lo``–``hi`` it asks the calendar."""

    def __init__(self, cal: workcalendar.Calendar, lo: dt.date, hi: dt.date) -> None:
        self.cal = cal
        self.tz = cal.tz
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.cum: list[int] = []  # working time before each period
        self.cum_end: list[int] = []
        total = 0
        day = lo
        while day <= hi:
            if cal.is_workday(day):
                for a, b in cal.periods:
                    s = _us(dt.datetime.combine(day, a, tzinfo=self.tz))
                    e = _us(dt.datetime.combine(day, b, tzinfo=self.tz))
                    self.starts.append(s)
                    self.ends.append(e)
                    self.cum.append(total)
                    total += e - s
                    self.cum_end.append(total)
            day += dt.timedelta(days=1)
        self.lo, self.hi = self.starts[0], self.ends[-1]

    def inside(self, t: dt.datetime) -> bool:
        return self.lo <= _us(t) <= self.hi

    def offset(self, t: dt.datetime) -> int:
        x = _us(t)
        i = bisect.bisect_right(self.starts, x) - 1
        if i < 0:
            return 0
        return self.cum[i] + min(x, self.ends[i]) - self.starts[i]

    def moment(self, offset: int) -> dt.datetime:
        """The moment ``offset`` of working time lies at; at a period's end its end, not the next
        opening (as the calendar)."""
        i = bisect.bisect_left(self.cum_end, offset)
        return (EPOCH + US * (self.starts[i] + offset - self.cum[i])).astimezone(self.tz)

    def add(self, t: dt.datetime, delta: dt.timedelta) -> dt.datetime:
        if delta <= dt.timedelta() or not self.inside(t):
            return self.cal.add_working_time(t, hours=max(delta, dt.timedelta()) / dt.timedelta(hours=1))
        target = self.offset(t) + delta // US
        if target > self.cum_end[-1]:
            return self.cal.add_working_time(t, hours=delta / dt.timedelta(hours=1))
        return self.moment(target)

    def between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        if not (self.inside(a) and self.inside(b)):
            return self.cal.working_time_between(a, b)
        return US * max(self.offset(b) - self.offset(a), 0)

    def due(
        self, started: dt.datetime, limit: dt.timedelta, pause: tuple[dt.datetime, dt.datetime] | None
    ) -> dt.datetime:
        """:meth:`SlaClock.due_at` of a clock with at most one closed pause, after its start."""
        if pause is None:
            return self.add(started, limit)
        a, b = pause
        before = self.between(started, a)
        if limit <= before:
            return self.add(started, limit)
        return self.add(b, limit - before)
