"""The service desk's working-day clocks (desk.clocks): deadlines across 2026's holidays and 调休
make-up days and into 2027 (a year only the office's table knows), pauses, the four thresholds
announced each once, and two workers scanning the same clocks on PostgreSQL.

Expectations are written from the calendar's facts (the State Council's 2026 notice, checked
against chinese-calendar in :func:`test_the_2026_facts_these_tests_rely_on`), not recomputed with
the calendar under test. One working day is 7 working hours (09:00–12:00, 13:30–17:30).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.db import connection

from talentpark.accounts.models import User
from talentpark.core import workcalendar
from talentpark.core.context import ActionContext
from talentpark.core.models import CalendarDay, Notice
from talentpark.core.roles import Role
from talentpark.core.tests.threads import race
from talentpark.desk import clocks
from talentpark.desk import services as desk_services  # registers the announcer of every kind
from talentpark.desk.models import Clock, Request, SpecialistProfile, Step

BJ = ZoneInfo("Asia/Shanghai")
K = Clock.Kind
SLA = desk_services.SLA_KIND
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_numbers = itertools.count(1)


def bj(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=BJ)


def new_request(world: Any, **extra: Any) -> Request:
    n = next(_numbers)
    values: dict[str, Any] = {
        "zone": world.zone,
        "number": f"TC{n:08d}",
        "talent": world.talent,
        "specialist": world.bob,
        "title": f"测试诉求{n}",
        "description": "时限测试",
        "created_at": bj(2026, 3, 2, 9),
    }
    values.update(extra)
    return Request.objects.create(**values)


def request_clock(world: Any, start: dt.datetime, *, days: float = 0, hours: float = 0) -> Clock:
    return clocks.start(
        K.REQUEST, world.zone.pk, days=days, hours=hours, at=start, request=new_request(world)
    )


def fresh(clock: Clock) -> Clock:
    return Clock.objects.get(pk=clock.pk)


@pytest.fixture
def no_table(db: Any) -> Any:
    """No office rows: the library (2026) and Monday to Friday (2027) alone."""
    CalendarDay.objects.all().delete()
    workcalendar.forget()
    yield
    workcalendar.forget()


# -- the calendar facts ----------------------------------------------------------------------------

HOLIDAYS_2026 = {
    "元旦": [dt.date(2026, 1, d) for d in (1, 2, 3)],
    "春节": [dt.date(2026, 2, d) for d in range(15, 24)],
    "清明": [dt.date(2026, 4, d) for d in (4, 5, 6)],
    "劳动节": [dt.date(2026, 5, d) for d in range(1, 6)],
    "端午": [dt.date(2026, 6, d) for d in (19, 20, 21)],
    "中秋": [dt.date(2026, 9, d) for d in (25, 26, 27)],
    "国庆": [dt.date(2026, 10, d) for d in range(1, 8)],
}
MAKEUP_2026 = [
    dt.date(2026, 1, 4),  # Sunday, 元旦
    dt.date(2026, 2, 14),  # Saturday, 春节
    dt.date(2026, 2, 28),  # Saturday, 春节
    dt.date(2026, 5, 9),  # Saturday, 劳动节
    dt.date(2026, 9, 20),  # Sunday, 国庆
    dt.date(2026, 10, 10),  # Saturday, 国庆
]


def test_the_2026_facts_these_tests_rely_on() -> None:
    for name, days in HOLIDAYS_2026.items():
        for day in days:
            assert chinese_calendar.is_holiday(day), (name, day)
        before, after = days[0] - dt.timedelta(days=1), days[-1] + dt.timedelta(days=1)
        assert not (chinese_calendar.is_holiday(before) and before.weekday() < 5), (name, before)
        assert not (chinese_calendar.is_holiday(after) and after.weekday() < 5), (name, after)
    for day in MAKEUP_2026:
        assert day.weekday() >= 5 and chinese_calendar.is_workday(day), day
    library_makeup = sorted(d for d in chinese_calendar.constants.workdays if d.year == 2026)
    assert library_makeup == MAKEUP_2026
    assert not chinese_calendar.is_workday(dt.date(2026, 11, 14))  # an ordinary Saturday
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(dt.date(2027, 1, 1))
    assert not workcalendar.library_knows(2027)


# -- working-day arithmetic through the clocks -------------------------------------------------------

# (what, start, its weekday, days, hours, due, its weekday)
CASES_2026 = [
    (
        "1 day from an ordinary Friday skips the weekend",
        bj(2026, 11, 13, 16),
        "Fri",
        1,
        0,
        bj(2026, 11, 16, 16),
        "Mon",
    ),
    (
        "元旦: Wed 31 Dec → the make-up Sunday 4 Jan",
        bj(2025, 12, 31, 16),
        "Wed",
        1,
        0,
        bj(2026, 1, 4, 16),
        "Sun",
    ),
    (
        "元旦: from the holiday itself, a whole make-up Sunday",
        bj(2026, 1, 3, 10),
        "Sat",
        1,
        0,
        bj(2026, 1, 4, 17, 30),
        "Sun",
    ),
    (
        "春节: Friday before the make-up Saturday 14 Feb",
        bj(2026, 2, 13, 16),
        "Fri",
        1,
        0,
        bj(2026, 2, 14, 16),
        "Sat",
    ),
    (
        "春节: make-up Saturday 14 Feb → after the holiday, Tue 24 Feb",
        bj(2026, 2, 14, 16),
        "Sat",
        1,
        0,
        bj(2026, 2, 24, 16),
        "Tue",
    ),
    (
        "春节: Friday before the make-up Saturday 28 Feb",
        bj(2026, 2, 27, 16),
        "Fri",
        1,
        0,
        bj(2026, 2, 28, 16),
        "Sat",
    ),
    ("清明: Friday before 4–6 Apr → Tue 7 Apr", bj(2026, 4, 3, 16), "Fri", 1, 0, bj(2026, 4, 7, 16), "Tue"),
    ("劳动节: Thu 30 Apr → Wed 6 May", bj(2026, 4, 30, 16), "Thu", 1, 0, bj(2026, 5, 6, 16), "Wed"),
    (
        "劳动节: Friday before the make-up Saturday 9 May",
        bj(2026, 5, 8, 16),
        "Fri",
        1,
        0,
        bj(2026, 5, 9, 16),
        "Sat",
    ),
    ("端午: Thu 18 Jun → Mon 22 Jun", bj(2026, 6, 18, 16), "Thu", 1, 0, bj(2026, 6, 22, 16), "Mon"),
    (
        "国庆: Friday before the make-up Sunday 20 Sep",
        bj(2026, 9, 18, 16),
        "Fri",
        1,
        0,
        bj(2026, 9, 20, 16),
        "Sun",
    ),
    ("中秋: Thu 24 Sep → Mon 28 Sep", bj(2026, 9, 24, 16), "Thu", 1, 0, bj(2026, 9, 28, 16), "Mon"),
    ("国庆: Wed 30 Sep → Thu 8 Oct", bj(2026, 9, 30, 16), "Wed", 1, 0, bj(2026, 10, 8, 16), "Thu"),
    (
        "国庆: Friday before the make-up Saturday 10 Oct",
        bj(2026, 10, 9, 16),
        "Fri",
        1,
        0,
        bj(2026, 10, 10, 16),
        "Sat",
    ),
    (
        "5 days over 国庆: 28, 29, 30 Sep, 8, 9 Oct; ends at closing time",
        bj(2026, 9, 28, 9),
        "Mon",
        5,
        0,
        bj(2026, 10, 9, 17, 30),
        "Fri",
    ),
    (
        "3 hours into the make-up Saturday 10 Oct",
        bj(2026, 10, 9, 16),
        "Fri",
        0,
        3,
        bj(2026, 10, 10, 10, 30),
        "Sat",
    ),
    ("half a day over the lunch break", bj(2026, 3, 2, 11), "Mon", 0.5, 0, bj(2026, 3, 2, 16), "Mon"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("what", "start", "start_day", "days", "hours", "due", "due_day"),
    CASES_2026,
    ids=[c[0] for c in CASES_2026],
)
def test_due_at_across_2026_holidays_and_makeup_days(
    world, no_table, what, start, start_day, days, hours, due, due_day
) -> None:
    assert WEEKDAYS[start.weekday()] == start_day and WEEKDAYS[due.weekday()] == due_day
    clock = request_clock(world, start, days=days, hours=hours)
    assert clock.limit_minutes == round((days * 7 + hours) * 60)
    assert fresh(clock).due_at == due, what
    assert clocks.ratio(fresh(clock), due) == pytest.approx(1.0)


@pytest.mark.django_db
def test_into_2027_without_table_rows_counts_monday_to_friday(world, no_table) -> None:
    assert not workcalendar.year_known(2027)
    # Thu 31 Dec 2026 16:00: 1 January 2027 is a Friday, a working day when nobody says otherwise.
    assert request_clock(world, bj(2026, 12, 31, 16), days=1).due_at == bj(2027, 1, 1, 16)
    assert request_clock(world, bj(2027, 1, 1, 16), days=1).due_at == bj(2027, 1, 4, 16)  # Sat/Sun off
    assert request_clock(world, bj(2027, 1, 8, 16), days=1).due_at == bj(2027, 1, 11, 16)


@pytest.mark.django_db
def test_into_2027_the_office_table_makes_holidays_and_makeup_days(world, no_table) -> None:
    ctx = ActionContext.system("测试")
    workcalendar.save_day(ctx, {"date": "2027-01-01", "kind": CalendarDay.Kind.HOLIDAY, "name": "元旦"})
    CalendarDay.objects.create(
        date=dt.date(2027, 1, 9), kind=CalendarDay.Kind.WORKDAY, name="调休"
    )  # a Saturday
    workcalendar.forget()
    assert workcalendar.year_known(2027)
    assert dt.date(2027, 1, 9).weekday() == 5
    # Thu 31 Dec 2026 16:00: 1 Jan is a holiday, 2–3 Jan the weekend → Monday 4 Jan.
    assert request_clock(world, bj(2026, 12, 31, 16), days=1).due_at == bj(2027, 1, 4, 16)
    # Friday 8 Jan 16:00 before the make-up Saturday 9 Jan.
    assert request_clock(world, bj(2027, 1, 8, 16), days=1).due_at == bj(2027, 1, 9, 16)
    # An ordinary Saturday of 2027 is still off.
    assert request_clock(world, bj(2027, 1, 15, 16), days=1).due_at == bj(2027, 1, 18, 16)
    # Two days from Wed 30 Dec 2026 16:00: 31 Dec (1), then Monday 4 Jan (2).
    assert request_clock(world, bj(2026, 12, 30, 16), days=2).due_at == bj(2027, 1, 4, 16)


# -- pause and resume ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_pause_of_n_working_hours_shifts_the_deadline_by_n_working_hours(world, no_table) -> None:
    clock = request_clock(world, bj(2026, 3, 2, 9), days=2)  # Monday 09:00
    assert clock.due_at == bj(2026, 3, 3, 17, 30)
    assert clocks.pause(clock, bj(2026, 3, 2, 10))
    clock = fresh(clock)
    assert clock.paused_at == bj(2026, 3, 2, 10) and clock.due_at is None and clock.next_alert_at is None
    assert clocks.resume(clock, bj(2026, 3, 2, 11))  # one working hour
    clock = fresh(clock)
    assert clock.paused_at is None
    assert clock.due_at == bj(2026, 3, 4, 10)  # Tue 17:30 + 1 working hour = Wed 10:00
    # The warning (50 % = 7 h) moves too: Mon 09:00–10:00, paused, 11:00–12:00, 13:30–17:30 = 6 h → Tue 10:00.
    assert clock.next_alert_at == bj(2026, 3, 3, 10)


@pytest.mark.django_db
def test_a_pause_over_a_weekend_shifts_by_the_working_time_it_covers(world, no_table) -> None:
    clock = request_clock(world, bj(2026, 3, 5, 9), days=2)  # Thursday 09:00 → Fri 17:30
    assert clock.due_at == bj(2026, 3, 6, 17, 30)
    clocks.pause(clock, bj(2026, 3, 6, 16, 30))  # Friday 16:30 …
    clocks.resume(fresh(clock), bj(2026, 3, 9, 10))  # … to Monday 10:00: 1 h + 1 h of working time
    assert fresh(clock).due_at == bj(2026, 3, 9, 11)


@pytest.mark.django_db
def test_a_pause_over_national_day_shifts_by_one_working_hour(world, no_table) -> None:
    clock = request_clock(world, bj(2026, 9, 29, 9), days=2)  # Tue 29 Sep → Wed 30 Sep 17:30
    assert clock.due_at == bj(2026, 9, 30, 17, 30)
    clocks.pause(clock, bj(2026, 9, 30, 17))  # eight calendar days, 30 minutes before and after
    clocks.resume(fresh(clock), bj(2026, 10, 8, 9, 30))
    assert fresh(clock).due_at == bj(2026, 10, 8, 10)


@pytest.mark.django_db
def test_pausing_twice_adds_both_pauses(world, no_table) -> None:
    clock = request_clock(world, bj(2026, 3, 2, 9), days=2)
    assert clocks.pause(clock, bj(2026, 3, 2, 10))
    assert not clocks.pause(fresh(clock), bj(2026, 3, 2, 10, 30))  # already paused
    assert clocks.resume(fresh(clock), bj(2026, 3, 2, 11))
    assert not clocks.resume(fresh(clock), bj(2026, 3, 2, 11, 30))  # already running
    assert clocks.pause(fresh(clock), bj(2026, 3, 3, 9))
    assert clocks.resume(fresh(clock), bj(2026, 3, 3, 11))  # 1 h + 2 h
    clock = fresh(clock)
    assert len(clock.pauses) == 2
    assert clock.due_at == bj(2026, 3, 4, 12)  # Tue 17:30 + 3 working hours


@pytest.mark.django_db
def test_stop_while_paused_closes_the_pause_and_judges_the_time_used(world, no_table) -> None:
    clock = request_clock(world, bj(2026, 3, 2, 9), days=1)  # due Monday 17:30
    clocks.pause(clock, bj(2026, 3, 2, 10))
    assert clocks.stop(fresh(clock), bj(2026, 3, 3, 10))  # a day later, still waiting: 1 h used
    clock = fresh(clock)
    assert clock.stopped_at == bj(2026, 3, 3, 10) and clock.paused_at is None
    assert clock.next_alert_at is None and len(clock.pauses) == 1
    assert clock.met is True and clocks.state(clock) == "met"
    assert clock.due_at == bj(2026, 3, 3, 17, 30)  # 6 h left at Tue 10:00: 10:00–12:00, 13:30–17:30
    assert not clocks.stop(clock, bj(2026, 3, 4, 10))

    late = request_clock(world, bj(2026, 3, 2, 9), hours=1)  # due Monday 10:00
    clocks.pause(late, bj(2026, 3, 2, 11))  # paused when already overdue
    clocks.stop(fresh(late), bj(2026, 3, 3, 9))
    late = fresh(late)
    assert late.met is False and clocks.state(late) == "breached"


@pytest.mark.django_db
def test_a_paused_clock_is_never_due(world, no_table) -> None:
    clock = request_clock(world, bj(2026, 3, 2, 9), days=1)
    clocks.pause(clock, bj(2026, 3, 2, 10))
    far = bj(2026, 12, 1, 12)
    assert list(clocks.due(far)) == []
    assert clocks.scan(now=far) == 0
    assert fresh(clock).level == 0 and clocks.state(fresh(clock), far) == "paused"
    assert not Notice.objects.filter(kind=SLA).exists()
    clocks.resume(fresh(clock), bj(2026, 3, 3, 9))
    assert [c.pk for c in clocks.due(far)] == [clock.pk]


@pytest.mark.django_db
def test_the_share_used_of_a_paused_clock_stands_still(world, no_table) -> None:
    clock = request_clock(world, bj(2026, 3, 2, 9), days=1)
    clocks.pause(clock, bj(2026, 3, 2, 12))  # 3 of 7 hours used
    clock = fresh(clock)
    assert clocks.ratio(clock, bj(2026, 3, 2, 12)) == pytest.approx(3 / 7)
    assert clocks.ratio(clock, bj(2026, 3, 5, 12)) == pytest.approx(3 / 7)


# -- thresholds ------------------------------------------------------------------------------------


def sla_notices() -> Counter[int]:
    return Counter(Notice.objects.filter(kind=SLA).values_list("recipient_id", flat=True))


def steps(kind: str) -> int:
    return Step.objects.filter(kind=kind).count()


def office_users(world: Any) -> list[int]:
    return list(
        User.objects.filter(zone=world.zone, role=Role.OFFICE, is_active=True).values_list("pk", flat=True)
    )


@pytest.fixture
def lead(world: Any) -> User:
    """carol leads bob's team."""
    SpecialistProfile.objects.create(user=world.bob, zone=world.zone, lead=world.carol)
    return world.carol


# A 1-day limit from Monday 2 March 2026 09:00 (an ordinary week): 7 h = 420 working minutes.
START = bj(2026, 3, 2, 9)
AT_40 = bj(2026, 3, 2, 11, 48)  # 168 min
AT_55 = bj(2026, 3, 2, 14, 21)  # 231 min: 180 before lunch + 51
AT_105 = bj(2026, 3, 3, 9, 21)  # 441 min
AT_155 = bj(2026, 3, 3, 14, 21)  # 651 min
AT_205 = bj(2026, 3, 4, 9, 21)  # 861 min
AT_300 = bj(2026, 3, 4, 17, 30)  # 1260 min


@pytest.mark.django_db
def test_each_threshold_is_announced_once_to_the_right_people(world, no_table, lead) -> None:
    clock = request_clock(world, START, days=1)
    office = office_users(world)
    assert world.alice.pk in office
    bob, carol = world.bob.pk, world.carol.pk
    for now, share in ((AT_40, 0.40), (AT_55, 0.55), (AT_105, 1.05), (AT_155, 1.55), (AT_205, 2.05)):
        assert clocks.ratio(fresh(clock), now) == pytest.approx(share)

    for _ in range(3):
        assert clocks.scan(now=AT_40) == 0
    assert sla_notices() == Counter() and fresh(clock).level == 0

    assert clocks.scan(now=AT_55) == 1
    for _ in range(3):
        assert clocks.scan(now=AT_55) == 0
    assert sla_notices() == Counter({bob: 1})
    assert (steps(Step.Kind.WARNED), steps(Step.Kind.ESCALATED)) == (1, 0)
    assert fresh(clock).level == 1 and clocks.state(fresh(clock), AT_55) == "at_risk"

    assert clocks.scan(now=AT_105) == 1
    for _ in range(3):
        assert clocks.scan(now=AT_105) == 0
    assert sla_notices() == Counter({bob: 2})
    assert (steps(Step.Kind.WARNED), steps(Step.Kind.ESCALATED)) == (2, 0)
    assert clocks.state(fresh(clock), AT_105) == "overdue"

    assert clocks.scan(now=AT_155) == 1
    for _ in range(3):
        assert clocks.scan(now=AT_155) == 0
    assert sla_notices() == Counter({bob: 2, carol: 1})  # the lead, not the specialist again
    assert (steps(Step.Kind.WARNED), steps(Step.Kind.ESCALATED)) == (2, 1)

    assert clocks.scan(now=AT_205) == 1
    for _ in range(3):
        assert clocks.scan(now=AT_205) == 0
    assert sla_notices() == Counter({bob: 2, carol: 1, **dict.fromkeys(office, 1)})
    assert (steps(Step.Kind.WARNED), steps(Step.Kind.ESCALATED)) == (2, 2)

    clock = fresh(clock)
    assert clock.level == clocks.LEVELS and clock.next_alert_at is None
    assert clocks.scan(now=bj(2026, 12, 1, 12)) == 0  # nothing after the last threshold
    assert Step.objects.filter(kind__in=[Step.Kind.WARNED, Step.Kind.ESCALATED], public=True).count() == 0


@pytest.mark.django_db
def test_after_an_outage_only_the_highest_threshold_is_announced(world, no_table, lead) -> None:
    clock = request_clock(world, START, days=1)
    assert clocks.ratio(clock, AT_300) == pytest.approx(3.0)
    assert clocks.scan(now=AT_300) == 1
    assert clocks.scan(now=AT_300) == 0
    assert sla_notices() == Counter(dict.fromkeys(office_users(world), 1))  # the office only
    assert (steps(Step.Kind.WARNED), steps(Step.Kind.ESCALATED)) == (0, 1)
    assert fresh(clock).level == clocks.LEVELS


@pytest.mark.django_db
def test_a_scan_between_thresholds_jumps_to_the_one_reached(world, no_table, lead) -> None:
    clock = request_clock(world, START, days=1)
    assert clocks.scan(now=AT_55) == 1
    assert clocks.scan(now=AT_155) == 1  # 100 % passed unannounced: the lead hears once
    assert sla_notices() == Counter({world.bob.pk: 1, world.carol.pk: 1})
    assert fresh(clock).level == 3


@pytest.mark.django_db
def test_resuming_after_a_threshold_keeps_it_announced(world, no_table, lead) -> None:
    clock = request_clock(world, START, days=1)
    assert clocks.scan(now=AT_55) == 1
    clocks.pause(fresh(clock), AT_55)
    clocks.resume(fresh(clock), bj(2026, 3, 9, 9))  # a week later
    clock = fresh(clock)
    assert clock.level == 1
    assert clocks.scan(now=bj(2026, 3, 9, 9)) == 0  # the warning is not sent again
    assert clocks.scan(now=clock.due_at) == 1
    assert sla_notices() == Counter({world.bob.pk: 2})


@pytest.mark.django_db
def test_a_new_limit_from_a_stale_copy_does_not_repeat_an_announcement(world, no_table, lead) -> None:
    clock = request_clock(world, START, days=1)
    stale = fresh(clock)  # a request's categorisation read the clock …
    assert clocks.scan(now=AT_55) == 1  # … while the scan job warned
    clocks.set_limit(stale, 2)  # 14 h: 231 min is 27.5 %
    clock = fresh(clock)
    assert clock.level == 1 and clock.limit_minutes == 840
    assert clock.due_at == bj(2026, 3, 3, 17, 30)
    assert clocks.scan(now=AT_55) == 0
    assert clocks.scan(now=bj(2026, 3, 3, 17, 30)) == 1  # next: due
    assert sla_notices() == Counter({world.bob.pk: 2})


@pytest.mark.django_db
def test_a_pause_from_a_stale_copy_plans_from_the_level_announced(world, no_table, lead) -> None:
    clock = request_clock(world, START, days=1)
    stale = fresh(clock)  # a request read the clock …
    assert clocks.scan(now=AT_55) == 1  # … while the scan job warned
    assert clocks.pause(stale, AT_55)
    assert clocks.resume(stale, bj(2026, 3, 3, 14, 21))  # a working day later
    clock = fresh(clock)
    assert clock.level == 1
    assert clock.due_at == bj(2026, 3, 3, 17, 30)  # Mon 17:30 + 7 working hours
    assert clock.next_alert_at == clock.due_at  # the next threshold is 100 %, not the 50 % again
    assert clocks.scan(now=bj(2026, 3, 3, 17)) == 0
    assert clocks.scan(now=bj(2026, 3, 3, 17, 30)) == 1
    assert sla_notices() == Counter({world.bob.pk: 2})


# -- two workers -----------------------------------------------------------------------------------

CLOCKS = 200


@pytest.mark.pg_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are proven on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_scanning_together_announce_each_threshold_once(world) -> None:
    CalendarDay.objects.all().delete()
    workcalendar.forget()
    requests = Request.objects.bulk_create(
        [
            Request(
                zone=world.zone,
                number=f"PG{i:08d}",
                talent=world.talent,
                specialist=world.bob,
                title=f"并发诉求{i}",
                description="并发",
                created_at=START,
            )
            for i in range(CLOCKS)
        ]
    )
    for i, req in enumerate(requests):
        clocks.start(K.REQUEST, world.zone.pk, days=1, at=START + dt.timedelta(seconds=i), request=req)
    now = AT_55
    assert len(list(clocks.due(now, limit=CLOCKS * 2))) == CLOCKS

    results = race(2, lambda i: clocks.scan(now=now))

    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(results) == CLOCKS, results
    notices = list(Notice.objects.filter(kind=SLA).values_list("recipient_id", "text"))
    assert len(notices) == CLOCKS
    assert len({text for _, text in notices}) == CLOCKS  # one per request, none twice
    assert {uid for uid, _ in notices} == {world.bob.pk}
    per_request = Counter(Step.objects.filter(kind=Step.Kind.WARNED).values_list("request_id", flat=True))
    assert per_request == Counter({r.pk: 1 for r in requests})
    assert set(Clock.objects.values_list("level", flat=True)) == {1}
    assert clocks.scan(now=now) == 0
    workcalendar.forget()
