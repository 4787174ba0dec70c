"""The working-day calendar (core.workcalendar): the library, the office's table over it, the
Monday-to-Friday fallback, working time, pausable deadlines, and the 节假日与调休 pages."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from chinese_calendar import constants as cc_constants
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from talentpark.core import workcalendar
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog, CalendarDay
from talentpark.core.workcalendar import Calendar, SlaClock

BJ = ZoneInfo("Asia/Shanghai")
H = dt.timedelta(hours=1)
LIB = Calendar({})  # the library alone (no table rows): no database needed


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=BJ)


def _row(day: dt.date, kind: str, name: str = "") -> CalendarDay:
    return CalendarDay.objects.create(date=day, kind=kind, name=name)


# -- days ------------------------------------------------------------------------------------------


def test_2026_national_day_and_spring_festival_come_from_the_library() -> None:
    for day in range(1, 8):  # 国庆节 2026: 1–7 October off
        assert not LIB.is_workday(dt.date(2026, 10, day))
    assert LIB.is_workday(dt.date(2026, 9, 30)) and LIB.is_workday(dt.date(2026, 10, 8))
    assert not LIB.is_workday(dt.date(2026, 2, 17))  # 春节 2026 (正月初一 is 17 February)
    assert workcalendar.library_days(2026)[dt.date(2026, 10, 1)] == ("holiday", "国庆节")
    assert workcalendar.library_days(2026)[dt.date(2026, 2, 17)] == ("holiday", "春节")
    assert LIB.day(dt.date(2026, 10, 1)).source == workcalendar.LIBRARY


def test_a_tiaoxiu_weekend_day_is_a_working_day() -> None:
    # Hard facts of the State Council's notices: 2025-01-26 (Sunday) and 2025-02-08 (Saturday)
    # were worked for 春节 2025; 2025-10-11 (Saturday) for 国庆节 2025.
    for day in (dt.date(2025, 1, 26), dt.date(2025, 2, 8), dt.date(2025, 10, 11)):
        assert day.weekday() >= 5 and LIB.is_workday(day), day
    # And every make-up day the library names for 2025/2026 (each a weekend day).
    makeup = [d for d in cc_constants.workdays if d.year in (2025, 2026)]
    assert dt.date(2026, 1, 4) in makeup and len(makeup) >= 8
    for day in makeup:
        assert day.weekday() >= 5 and LIB.is_workday(day), day
        assert workcalendar.library_days(day.year)[day][0] == "workday"
    assert not LIB.is_workday(dt.date(2026, 11, 14))  # an ordinary Saturday


def test_the_library_knows_2026_but_not_2027() -> None:
    assert workcalendar.library_knows(2026) and not workcalendar.library_knows(2027)
    assert LIB.year_known(2026) and not LIB.year_known(2027)


@pytest.mark.django_db
def test_a_year_nobody_knows_falls_back_to_monday_to_friday_with_a_warning(caplog: Any) -> None:
    workcalendar._warned.discard(2031)
    with caplog.at_level(logging.WARNING, logger="talentpark.core.workcalendar"):
        assert workcalendar.is_workday(dt.date(2031, 1, 1))  # a Wednesday; 元旦 unknown: no exception
        assert not workcalendar.is_workday(dt.date(2031, 1, 4))  # Saturday
        deadline = workcalendar.add_working_time(at(2031, 1, 3, 16), days=1)  # Friday 16:00
    assert deadline == at(2031, 1, 6, 16)
    assert any("2031" in r.getMessage() for r in caplog.records)
    assert not workcalendar.year_known(2031)
    assert workcalendar.missing_years(dt.date(2030, 12, 1)) == [2030, 2031]


@pytest.mark.django_db
def test_missing_years_names_next_year_within_60_days_of_its_start() -> None:
    assert workcalendar.missing_years(dt.date(2026, 12, 3)) == [2027]  # today, in the issue
    assert workcalendar.missing_years(dt.date(2026, 11, 2), ahead_days=60) == [2027]  # 60 days before
    assert workcalendar.missing_years(dt.date(2026, 10, 1)) == []  # 92 days: not yet
    assert workcalendar.missing_years(dt.date(2026, 10, 1), ahead_days=100) == [2027]
    _row(dt.date(2027, 1, 1), "holiday", "元旦")
    assert workcalendar.year_known(2027)
    assert workcalendar.missing_years(dt.date(2026, 12, 3)) == []
    assert workcalendar.home_warning(dt.date(2026, 12, 3)) is None


@pytest.mark.django_db
def test_table_rows_define_an_unknown_year_and_override_the_library() -> None:
    _row(dt.date(2031, 1, 1), "holiday", "元旦")  # a Wednesday
    _row(dt.date(2031, 1, 4), "workday", "元旦")  # a Saturday worked
    _row(dt.date(2026, 10, 1), "workday")  # the library says 国庆节
    _row(dt.date(2026, 11, 16), "holiday")  # the library says an ordinary Monday
    cal = workcalendar.calendar()
    assert not cal.is_workday(dt.date(2031, 1, 1))
    assert cal.is_workday(dt.date(2031, 1, 4))
    assert cal.is_workday(dt.date(2031, 1, 2))  # no row: Monday to Friday
    assert cal.year_known(2031)
    assert cal.is_workday(dt.date(2026, 10, 1)) and not cal.is_workday(dt.date(2026, 11, 16))
    assert cal.day(dt.date(2026, 10, 1)).source == workcalendar.TABLE
    # The 1-day deadline from Friday 13 November now skips the Monday.
    assert cal.add_working_time(at(2026, 11, 13, 16), days=1) == at(2026, 11, 17, 16)


# -- working time ----------------------------------------------------------------------------------


def test_one_working_day_from_friday_1600_is_monday_1600() -> None:
    assert LIB.add_working_time(at(2026, 11, 13, 16), days=1) == at(2026, 11, 16, 16)
    assert LIB.add_working_time(at(2026, 11, 13, 16), hours=7) == at(2026, 11, 16, 16)


def test_a_holiday_pushes_the_deadline_to_the_next_working_day() -> None:
    assert LIB.add_working_time(at(2026, 9, 30, 16), days=1) == at(2026, 10, 8, 16)  # over 国庆节
    # Saturday 10 October 2026 is worked (调休): Friday 9 October 16:00 + 1 day lands on it.
    assert LIB.add_working_time(at(2026, 10, 9, 16), days=1) == at(2026, 10, 10, 16)


def test_a_start_outside_office_hours_counts_from_the_next_working_moment() -> None:
    thursday_evening = at(2026, 11, 12, 20)
    assert LIB.add_working_time(thursday_evening) == at(2026, 11, 13, 9)
    assert LIB.add_working_time(thursday_evening, hours=1) == at(2026, 11, 13, 10)
    assert LIB.add_working_time(thursday_evening, days=1) == at(2026, 11, 13, 17, 30)  # closing time
    assert LIB.add_working_time(at(2026, 11, 13, 12, 15), hours=1) == at(2026, 11, 13, 14, 30)  # lunch
    assert LIB.add_working_time(at(2026, 11, 14, 10), hours=1) == at(2026, 11, 16, 10)  # Saturday
    assert LIB.add_working_time(at(2026, 11, 13, 9), hours=3) == at(2026, 11, 13, 12)  # ends at noon


def test_working_time_between_counts_office_hours_only() -> None:
    assert LIB.working_time_between(at(2026, 11, 13, 16), at(2026, 11, 16, 16)) == 7 * H
    assert LIB.working_time_between(at(2026, 11, 13, 11), at(2026, 11, 13, 14)) == 1.5 * H
    assert LIB.working_time_between(at(2026, 9, 30, 0), at(2026, 10, 8, 0)) == 7 * H
    assert LIB.working_time_between(at(2026, 11, 16, 10), at(2026, 11, 13, 10)) == dt.timedelta()
    # Another time zone is the same instant.
    utc = dt.datetime(2026, 11, 13, 8, tzinfo=dt.UTC)  # 16:00 in Beijing
    assert LIB.add_working_time(utc, days=1) == at(2026, 11, 16, 16)


def test_naive_datetimes_and_negative_durations_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        LIB.add_working_time(dt.datetime(2026, 11, 13, 16), days=1)
    with pytest.raises(ValueError, match="negative"):
        LIB.add_working_time(at(2026, 11, 13, 16), hours=-1)


office_starts = st.builds(
    lambda day, minute: (
        dt.datetime.combine(day, dt.time(9), tzinfo=BJ)
        + dt.timedelta(minutes=minute if minute < 180 else minute + 90)
    ),
    st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)).filter(LIB.is_workday),
    st.integers(0, 7 * 60 - 1),
)
any_starts = st.datetimes(dt.datetime(2025, 1, 1), dt.datetime(2026, 12, 31), timezones=st.just(BJ))
durations = st.decimals(0, 200, places=2).map(float)


@settings(max_examples=200, deadline=None)
@given(start=office_starts, hours=durations)
def test_property_working_time_between_inverts_add_working_time(start: dt.datetime, hours: float) -> None:
    due = LIB.add_working_time(start, hours=hours)
    assert LIB.working_time_between(start, due) == dt.timedelta(hours=hours)
    assert due >= start


@settings(max_examples=200, deadline=None)
@given(start=any_starts, days=st.integers(0, 30), hours=durations)
def test_property_any_start_and_whole_days(start: dt.datetime, days: int, hours: float) -> None:
    due = LIB.add_working_time(start, days=days, hours=hours)
    assert LIB.working_time_between(start, due) == days * 7 * H + dt.timedelta(hours=hours)
    assert LIB.is_workday(due.date())


# -- pauses ----------------------------------------------------------------------------------------


def test_a_pause_shifts_the_deadline_by_exactly_the_paused_working_time() -> None:
    start = at(2026, 11, 16, 9)  # Monday
    assert SlaClock.of(start, days=2, cal=LIB).due_at() == at(2026, 11, 17, 17, 30)
    pause = (at(2026, 11, 16, 10), at(2026, 11, 16, 15))  # 10–12 and 13:30–15: 3.5 h
    clock = SlaClock.of(start, days=2, pauses=[pause], cal=LIB)
    assert clock.paused() == 3.5 * H
    assert clock.due_at() == at(2026, 11, 18, 14)
    assert clock.due_at() == LIB.add_working_time(LIB.add_working_time(start, days=2), hours=3.5)
    # Waiting over a weekend costs only the working time it covers (Friday 17:00 → Monday 10:00).
    weekend = SlaClock.of(
        at(2026, 11, 13, 9), hours=14, pauses=[(at(2026, 11, 13, 17), at(2026, 11, 16, 10))], cal=LIB
    )
    assert weekend.paused() == 1.5 * H
    assert weekend.due_at() == LIB.add_working_time(at(2026, 11, 13, 9), hours=15.5)


def test_overlapping_pauses_count_once_and_time_before_the_start_never() -> None:
    start = at(2026, 11, 16, 9)
    pauses = [
        (at(2026, 11, 16, 10), at(2026, 11, 16, 11)),
        (at(2026, 11, 16, 10, 30), at(2026, 11, 16, 11, 30)),  # overlaps: 10:00–11:30 in all
        (at(2026, 11, 13, 9), at(2026, 11, 16, 9, 30)),  # began before the clock started
    ]
    clock = SlaClock.of(start, hours=7, pauses=pauses, cal=LIB)
    assert clock.paused() == 2 * H
    assert clock.due_at() == LIB.add_working_time(start, hours=9)
    assert LIB.working_time_between(start, clock.due_at()) - clock.paused() == 7 * H  # type: ignore[arg-type]


def test_an_open_pause_stops_the_clock() -> None:
    start = at(2026, 11, 16, 9)
    clock = SlaClock.of(start, hours=7, pauses=[(at(2026, 11, 16, 10), None)], cal=LIB)
    assert clock.due_at() is None  # waiting on the requester: no deadline
    now = at(2026, 11, 17, 10)  # she has not replied by Tuesday 10:00
    assert clock.elapsed(now) == 1 * H
    assert clock.due_at(now) == LIB.add_working_time(now, hours=6)
    assert clock.ratio(now) == pytest.approx(1 / 7)


@pytest.mark.django_db
def test_deadline_with_pauses_reads_the_table() -> None:
    _row(dt.date(2026, 11, 17), "holiday")
    due = workcalendar.deadline_with_pauses(
        at(2026, 11, 16, 9), days=1, pauses=[(at(2026, 11, 16, 9), at(2026, 11, 16, 12))]
    )
    assert due == at(2026, 11, 18, 12)


# -- the snapshot ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_snapshot_answers_thousands_of_deadlines_without_a_query(
    django_assert_num_queries: Any, settings: Any
) -> None:
    settings.TALENTPARK_CALENDAR_TTL = 60
    workcalendar.forget()
    with django_assert_num_queries(1):
        cal = workcalendar.calendar()
        assert workcalendar.calendar() is cal  # within the TTL: the same snapshot
        starts = [at(2026, 1, 5, 9) + dt.timedelta(hours=7 * i) for i in range(2000)]
        dues = [cal.add_working_time(s, days=5) for s in starts]
        assert all(workcalendar.is_workday(d.date()) for d in dues)
    ctx = ActionContext(user=None, role="system")
    workcalendar.save_day(ctx, {"date": "2026-11-16", "kind": "holiday"})
    assert not workcalendar.is_workday(dt.date(2026, 11, 16))  # its own change: seen at once
    workcalendar.forget()


@pytest.mark.django_db
def test_the_service_validates_everything_and_audits_each_change() -> None:
    ctx = ActionContext(user=None, role="system")
    with pytest.raises(Exception) as exc:
        workcalendar.save_day(ctx, {"date": "2027-02-30", "kind": "rest", "name": "春" * 31})
    errors = exc.value.message_dict  # type: ignore[attr-defined]
    assert errors["date"][0].startswith("日期：") and errors["kind"][0].startswith("类型：")
    assert errors["name"][0].startswith("节日名称：")
    assert (
        not CalendarDay.objects.exists()
        and not AuditLog.objects.filter(action__startswith="core.calendar").exists()
    )
    row = workcalendar.save_day(ctx, {"date": "2027-02-06", "kind": "holiday", "name": "春节"})
    workcalendar.save_day(ctx, {"date": "2027-02-06", "kind": "workday", "name": "春节"}, row)
    workcalendar.delete_day(ctx, row)
    actions = list(
        AuditLog.objects.filter(action__startswith="core.calendar")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["core.calendar.add", "core.calendar.change", "core.calendar.delete"]


# -- the pages -------------------------------------------------------------------------------------


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_the_office_sees_the_library_read_only_and_adds_a_row(world: Any) -> None:
    office = _client(world.alice)
    page = office.get(reverse("core:calendar_list"), {"year": 2026}).content.decode()
    assert "国庆节" in page and "内置数据（只读）" in page and "2026-10-01" in page
    response = office.post(
        reverse("core:calendar_list"),
        {"date": "2027-01-01", "kind": "holiday", "name": "元旦", "note": "国办发明电"},
    )
    assert response.status_code == 302
    row = CalendarDay.objects.get()
    assert (row.date, row.kind, row.name, row.updated_by) == (
        dt.date(2027, 1, 1),
        "holiday",
        "元旦",
        world.alice,
    )
    assert AuditLog.objects.filter(action="core.calendar.add", object_id=str(row.pk)).count() == 1
    assert not workcalendar.is_workday(dt.date(2027, 1, 1))
    page = office.get(reverse("core:calendar_list"), {"year": 2027}).content.decode()
    assert "元旦" in page and reverse("core:calendar_edit", args=["2027-01-01"]) in page
    # Edit, then delete.
    response = office.post(
        reverse("core:calendar_edit", args=["2027-01-01"]),
        {"date": "2027-01-01", "kind": "holiday", "name": "元旦节"},
    )
    assert response.status_code == 302 and CalendarDay.objects.get().name == "元旦节"
    assert (
        "修改节假日与调休" in office.get(reverse("core:calendar_edit", args=["2027-01-01"])).content.decode()
    )
    assert office.post(reverse("core:calendar_delete", args=["2027-01-01"])).status_code == 302
    assert office.get(reverse("core:calendar_edit", args=["2027-01-01"])).status_code == 404  # deleted
    assert office.get(reverse("core:calendar_edit", args=["2027-13-01"])).status_code == 404
    assert not CalendarDay.objects.exists() and workcalendar.is_workday(dt.date(2027, 1, 1))


@pytest.mark.django_db(transaction=True)
def test_a_bad_date_and_a_duplicate_are_refused_naming_the_field(world: Any) -> None:
    office = _client(world.alice)
    url = reverse("core:calendar_list")
    response = office.post(url, {"date": "2027/01/01", "kind": "holiday"})
    assert response.status_code == 400
    assert "日期：请按“年-月-日”填写" in response.content.decode()
    assert not CalendarDay.objects.exists()
    response = office.post(url, {"date": "2027-01-01", "kind": ""})
    assert response.status_code == 400 and "类型：请选择" in response.content.decode()
    assert not CalendarDay.objects.exists()
    assert office.post(url, {"date": "2027-01-01", "kind": "holiday"}).status_code == 302
    response = office.post(url, {"date": "2027-01-01", "kind": "workday"})
    assert response.status_code == 400 and "日期：2027-01-01 已有记录" in response.content.decode()
    assert CalendarDay.objects.get().kind == "holiday"
    assert AuditLog.objects.filter(action__startswith="core.calendar").count() == 1


@pytest.mark.django_db(transaction=True)
def test_other_roles_get_403_and_change_nothing(world: Any) -> None:
    _row(dt.date(2027, 1, 1), "holiday")
    for user in (world.bob, world.dave, world.erin, world.tina):
        client = _client(user)
        assert client.get(reverse("core:calendar_list")).status_code == 403
        assert (
            client.post(reverse("core:calendar_list"), {"date": "2027-01-02", "kind": "holiday"}).status_code
            == 403
        )
        assert (
            client.post(
                reverse("core:calendar_edit", args=["2027-01-01"]), {"date": "2027-01-01", "kind": "workday"}
            ).status_code
            == 403
        )
        assert client.post(reverse("core:calendar_delete", args=["2027-01-01"])).status_code == 403
    assert list(CalendarDay.objects.values_list("date", "kind")) == [(dt.date(2027, 1, 1), "holiday")]


@pytest.mark.django_db(transaction=True)
def test_the_office_home_warns_while_next_year_is_missing(world: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(workcalendar.timezone, "localdate", lambda *a, **k: dt.date(2026, 12, 3))
    office = _client(world.alice)
    home = office.get(reverse("accounts:home")).content.decode()
    assert "2027年的节假日与调休安排尚未录入" in home
    assert f"{reverse('core:calendar_list')}?year=2027" in home
    assert (
        "2027年的节假日与调休安排尚未录入"
        not in _client(world.bob).get(reverse("accounts:home")).content.decode()
    )
    monkeypatch.setattr(workcalendar.timezone, "localdate", lambda *a, **k: dt.date(2026, 6, 1))
    assert workcalendar.home_warning() is None
