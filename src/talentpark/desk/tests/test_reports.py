"""The service desk's monthly figures: exact counts from requests, parts and clocks built through
the services (stored clock fields then moved to make on-time and late cases), the report page for
the office only, a bad month named in Chinese, and the workbook with its charts and numbers."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from talentpark.core import workcalendar
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog, Dictionary, DictionaryItem
from talentpark.desk import report_views, reports, services
from talentpark.desk.models import CATEGORY_DICTIONARY, Clock, Part, Request

TZ = workcalendar.tz()
NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=TZ)  # a Thursday; November 2026 has no holidays


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ)


def ctx(user):
    return ActionContext(user=user, role=user.role, zone_id=user.zone_id)


def categories():
    dictionary, _ = Dictionary.objects.get_or_create(
        zone=None, code=CATEGORY_DICTIONARY, defaults={"name": "诉求类别"}
    )
    for sort, value, label, depts, days, part_days in (
        (20, "housing", "住房安居", ["housing"], 10, 5),
        (40, "medical", "医疗保健", ["health"], 5, 3),
    ):
        DictionaryItem.objects.get_or_create(
            dictionary=dictionary,
            value=value,
            defaults={
                "label": label,
                "sort": sort,
                "extra": {
                    "departments": depts,
                    "documents": [],
                    "days": days,
                    "part_days": part_days,
                    "keywords": [],
                },
            },
        )


def file(world, who, category, when, *, channel=Request.Channel.ONLINE, talent=None, enterprise=None):
    data = {"title": "测试诉求", "description": "请协助办理", "category": category or "none"}
    if channel == Request.Channel.ONLINE:
        data["talent" if talent else "enterprise"] = talent or enterprise
    else:
        data["talent" if talent else "enterprise"] = str((talent or enterprise).pk)
    return services.file_request(ctx(who), world.zone.pk, data, channel=channel, at=when)


def close(world, req, part_done, done, *, met_part=True, met=True, rating=None, rater=None):
    """Finish ``req`` (its part by dave, or by its specialist), then move the stored times."""
    part = req.parts.first()
    if part is not None:
        services.start_part(ctx(world.dave), part)
        services.complete_part(ctx(world.dave), part, "已办结")
        Part.objects.filter(pk=part.pk).update(done_at=part_done)
        Clock.objects.filter(part=part).update(stopped_at=part_done, met=met_part)
    else:
        services.complete_request(ctx(req.specialist), req, "已答复")
    req.refresh_from_db()
    assert req.status == Request.Status.DONE
    Request.objects.filter(pk=req.pk).update(done_at=done)
    Clock.objects.filter(request=req, kind=Clock.Kind.REQUEST).update(stopped_at=done, met=met)
    if rating is not None and rater is None:  # a requester without a login: rated at the window
        Request.objects.filter(pk=req.pk).update(rating=rating)
    elif rating is not None:
        services.rate(ctx(rater), req, rating)
    return req


def clock_of(req, **changes):
    Clock.objects.filter(request=req, kind=Clock.Kind.REQUEST).update(**changes)


@pytest.fixture
def november(world):
    """Six requests filed in November 2026, one in October, two in December (see each line)."""
    categories()
    w = world
    r = {}
    # R1 housing, online by tina: part 1 working day, request 2 days, both on time, 5 stars.
    r[1] = file(w, w.tina, "housing", at(11, 2), talent=w.talent)
    close(w, r[1], at(11, 3), at(11, 4), rating=5, rater=w.tina)
    # R2 housing, online by erin (enterprise of bob): part 3 days, request 4 days, both late, 2 stars.
    r[2] = file(w, w.erin, "housing", at(11, 2), enterprise=w.enterprise)
    close(w, r[2], at(11, 5), at(11, 6), met_part=False, met=False, rating=2, rater=w.erin)
    # R3 medical (no department), by carol for 柯然 over WeChat: answered in 3 working hours, 4 stars.
    r[3] = file(w, w.carol, "medical", at(11, 2), channel=Request.Channel.WECHAT, talent=w.carols_talent)
    close(w, r[3], None, at(11, 2, 13, 30), rating=4)
    # R4 办不成事, online by frank: still new, its clock paused.
    r[4] = file(w, w.frank, "", at(11, 10), enterprise=w.other_enterprise)
    clock_of(r[4], paused_at=at(11, 12), due_at=None, next_alert_at=None)
    # R5 housing, by bob over the phone: open, request clock overdue, part clock at risk.
    r[5] = file(w, w.bob, "housing", at(11, 20), channel=Request.Channel.PHONE, talent=w.talent)
    clock_of(r[5], level=2, due_at=NOW - dt.timedelta(hours=1))
    Clock.objects.filter(part__request=r[5]).update(level=1, due_at=NOW + dt.timedelta(days=1))
    # R6 medical, by bob at the window: open, at risk.
    r[6] = file(w, w.bob, "medical", at(11, 27), channel=Request.Channel.WALK_IN, talent=w.talent)
    clock_of(r[6], level=1, due_at=NOW + dt.timedelta(hours=2))
    # R8 medical, October: done and rated then (counted nowhere in November).
    r[8] = file(w, w.tina, "medical", at(10, 12), talent=w.talent)
    close(w, r[8], None, at(10, 13), met=False, rating=1, rater=w.tina)
    # R7, R9 housing, December: open, clocks fine (not November's).
    r[7] = file(w, w.tina, "housing", at(12, 1), talent=w.talent)
    r[9] = file(w, w.tina, "housing", at(12, 3, 9, 30), talent=w.talent)
    return r


def rows(report_rows):
    return {r.label: (r.met, r.breached, r.at_risk, r.overdue, r.paused, r.rate) for r in report_rows}


def name(user):
    return user.display_name or user.username


def test_november_figures(world, november):
    nov = reports.parse_month("2026-11", NOW)
    rep = reports.build(world.zone.pk, nov, NOW)
    assert (rep.filed, rep.done, rep.open_now, rep.queue) == (6, 3, 5, 1)
    # (met, breached, at risk, overdue, paused, rate %)
    assert rows(rep.sla_category) == {
        "住房安居": (1, 1, 0, 1, 0, 50.0),
        "医疗保健": (1, 0, 1, 0, 0, 100.0),
        "办不成事": (0, 0, 0, 0, 1, None),
    }
    assert [r.label for r in rep.sla_category] == ["住房安居", "医疗保健", "办不成事"]
    total = rep.totals["category"]
    assert (total.met, total.breached, total.at_risk, total.overdue, total.paused, total.rate) == (
        2,
        1,
        1,
        1,
        1,
        66.7,
    )
    assert rows(rep.sla_department) == {"住建局": (1, 1, 1, 0, 0, 50.0)}
    assert rows(rep.sla_specialist) == {
        name(world.bob): (1, 1, 1, 1, 0, 50.0),
        name(world.carol): (1, 0, 0, 0, 1, 100.0),
    }
    # Working hours: R1 09:00 Mon → 09:00 Wed = 14 h, R2 → Fri 09:00 = 28 h; R3 3 h; parts 7 h and 21 h.
    assert [(d.label, d.count, d.hours, d.days) for d in rep.handling_category] == [
        ("住房安居", 2, 21.0, 3.0),
        ("医疗保健", 1, 3.0, 0.43),
    ]
    assert [(d.label, d.count, d.hours, d.days) for d in rep.handling_department] == [
        ("住建局", 2, 14.0, 2.0)
    ]
    sat = rep.satisfaction
    assert (sat.count, sat.average) == (3, 3.67)
    assert sat.distribution == [(1, 0), (2, 1), (3, 0), (4, 1), (5, 1)]
    assert [(x.label, x.count, x.average) for x in sat.by_category] == [
        ("住房安居", 2, 3.5),
        ("医疗保健", 1, 4.0),
    ]
    assert {x.label: (x.count, x.average) for x in sat.by_specialist} == {
        name(world.bob): (2, 3.5),
        name(world.carol): (1, 4.0),
    }
    assert {label: n for _v, label, n in rep.channels} == {
        "网上提交": 3,
        "窗口来访": 1,
        "电话": 1,
        "微信": 1,
        "走访收集": 0,
    }
    # Backlog now (Thu 3 Dec 10:00): R9 0.5 h, R7 2 days, R6 4 days, R5 9 days, R4 16 days.
    assert [(b.label, b.count) for b in rep.backlog] == [
        ("1个工作日内", 1),
        ("1–3个工作日", 1),
        ("3–5个工作日", 1),
        ("5–10个工作日", 1),
        ("10个工作日以上", 1),
    ]
    # Another zone sees none of it.
    assert reports.build(world.other_zone.pk, nov, NOW).filed == 0


def test_the_other_months(world, november):
    october = reports.build(world.zone.pk, reports.parse_month("2026-10", NOW), NOW)
    assert (october.filed, october.done) == (1, 1)
    assert rows(october.sla_category) == {"医疗保健": (0, 1, 0, 0, 0, 0.0)}  # R8 late; open ones began later
    assert october.satisfaction.distribution[0] == (1, 1)
    december = reports.build(world.zone.pk, reports.parse_month("2026-12", NOW), NOW)
    assert december.period.current and december.period.label == "2026年12月（截至目前）"
    assert (december.filed, december.done) == (2, 0)
    # Open clocks are a snapshot: every open one of the zone started before December's end.
    assert rows(december.sla_category)["住房安居"] == (0, 0, 0, 1, 0, None)


@pytest.mark.django_db
def test_working_days_ago_is_exact():
    assert reports.working_days_ago(NOW, 1) == at(12, 2, 10)
    assert reports.working_days_ago(NOW, 3) == at(11, 30, 10)  # over the weekend
    assert reports.working_days_ago(at(12, 1, 9), 1) == at(11, 30, 9)  # opening time: the day before


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2026-13", reports.BAD_MONTH),
        ("2026-1", reports.BAD_MONTH),
        ("abc", reports.BAD_MONTH),
        ("1999-12", reports.EARLY_MONTH),
        ("2027-01", reports.FUTURE_MONTH),
    ],
)
def test_bad_months(raw, message):
    with pytest.raises(reports.BadMonth) as exc:
        reports.parse_month(raw, NOW)
    assert str(exc.value) == message


def test_default_periods():
    assert [p.key for p in reports.periods("", NOW)] == ["2026-11", "2026-12"]
    assert [p.key for p in reports.periods(None, at(1, 5).replace(year=2027))] == ["2026-12", "2027-01"]
    assert [p.key for p in reports.periods("2026-03", NOW)] == ["2026-03"]


def test_workbook_of_november(world, november):
    rep = reports.build(world.zone.pk, reports.parse_month("2026-11", NOW), NOW)
    buf = io.BytesIO()
    report_views.workbook(rep).save(buf)
    book = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    assert book.sheetnames[:4] == ["概要", "按类别时限", "按部门时限", "按专员时限"]
    sla = [list(r) for r in book["按类别时限"].iter_rows(values_only=True)]
    assert sla[0] == ["诉求类别", "按时办结", "超时办结", "临近到期", "已超时", "暂停计时", "按时办结率（%）"]
    assert sla[1:] == [
        ["住房安居", 1, 1, 0, 1, 0, 50],
        ["医疗保健", 1, 0, 1, 0, 0, 100],
        ["办不成事", 0, 0, 0, 0, 1, None],
        ["合计", 2, 1, 1, 1, 1, 66.7],
    ]
    assert [list(r) for r in book["积压账龄"].iter_rows(min_row=2, values_only=True)] == [
        ["1个工作日内", 1],
        ["1–3个工作日", 1],
        ["3–5个工作日", 1],
        ["5–10个工作日", 1],
        ["10个工作日以上", 1],
    ]
    assert [r[1] for r in book["满意度分布"].iter_rows(min_row=2, values_only=True)] == [0, 1, 0, 1, 1]
    assert [list(r) for r in book["部门办理用时"].iter_rows(min_row=2, values_only=True)] == [
        ["住建局", 14, 2, 2]
    ]
    summary = dict(book["概要"].iter_rows(values_only=True))
    assert (
        summary["本月受理诉求"] == 6
        and summary["“办不成事”待答复"] == 1
        and summary["统计月份"] == "2026年11月"
    )
    charts = {ws.title: [type(c).__name__ for c in ws._charts] for ws in book.worksheets if ws._charts}
    assert charts["按类别时限"] == ["BarChart"] and charts["积压账龄"] == ["BarChart"]
    assert charts["满意度分布"] == ["PieChart"] and charts["受理渠道"] == ["PieChart"]
    assert charts["部门办理用时"] == ["BarChart"]


# -- the pages -------------------------------------------------------------------------------------


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_page_for_the_office(world):
    categories()
    req = file(world, world.tina, "housing", None, talent=world.talent)
    close(world, req, timezone.now(), timezone.now(), rating=5, rater=world.tina)
    response = client_for(world.alice).get("/desk/report/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "服务诉求统计",
        "办理时限：按诉求类别",
        "办理时限：按办理部门",
        "办理时限：按服务专员",
        "未办结诉求账龄",
        "满意度",
        "受理渠道",
    ):
        assert text in page
    now = timezone.now()
    assert reports.last_full_period(now).label in page and reports.current_period(now).label in page
    assert 'id="desk-report-charts"' in page and "echarts-5.6.0.min.js" in page and "desk-report.js" in page
    assert "<script>" not in page  # data in a JSON block, no inline script (CSP)
    assert "住房安居" in page
    one = client_for(world.alice).get("/desk/report/", {"month": reports.current_period(now).key})
    assert one.status_code == 200 and one.content.decode().count('class="desk-chart"') == 5


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["tina", "bob", "dave"])
def test_page_and_workbook_refused_to_others(world, who):
    client = client_for(getattr(world, who))
    assert client.get("/desk/report/").status_code == 403
    assert client.get("/desk/report.xlsx").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_anonymous_goes_to_login(world):
    response = Client().get("/desk/report/")
    assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("raw", "message"),
    [("2026-13", reports.BAD_MONTH), ("yesterday", reports.BAD_MONTH), ("2999-01", reports.FUTURE_MONTH)],
)
def test_bad_month_is_400_with_a_message(world, raw, message):
    client = client_for(world.alice)
    for url in ("/desk/report/", "/desk/report.xlsx"):
        response = client.get(url, {"month": raw})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not AuditLog.objects.filter(action="export").exists()


@pytest.mark.django_db(transaction=True)
def test_workbook_download(world):
    categories()
    ontime = file(world, world.tina, "housing", None, talent=world.talent)
    close(world, ontime, timezone.now(), timezone.now(), rating=4, rater=world.tina)
    file(world, world.erin, "housing", None, enterprise=world.enterprise)
    month = reports.current_period().key
    response = client_for(world.alice).get("/desk/report.xlsx", {"month": month})
    assert response.status_code == 200
    assert response["Content-Type"] == report_views.XLSX
    assert f"filename*=UTF-8''{quote(f'服务诉求月报-{month}.xlsx')}" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    summary = dict(book["概要"].iter_rows(values_only=True))
    assert summary["本月受理诉求"] == 2 and summary["本月办结诉求"] == 1 and summary["平均满意度（星）"] == 4
    sla = list(book["按类别时限"].iter_rows(min_row=2, values_only=True))
    assert sla[0] == ("住房安居", 1, 0, 0, 0, 0, 100)
    assert book["按类别时限"]._charts and book["满意度分布"]._charts
    log = AuditLog.objects.get(action="export")
    assert log.actor_id == world.alice.pk and log.zone_id == world.zone.pk
    assert log.after["list"] == "desk.report" and log.after["month"] == month


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_charts_draw_in_chromium_under_the_csp(world, live_server, browser):
    """The charts are drawn by the static script from the JSON block: no CSP violation, no error."""
    from talentpark.core.tests.browser import ARTIFACTS, login

    categories()
    req = file(world, world.tina, "housing", None, talent=world.talent)
    close(world, req, timezone.now(), timezone.now(), rating=5, rater=world.tina)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.location.get("url", "").endswith("favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/desk/report/?month={reports.current_period().key}")
    page.wait_for_load_state("networkidle")
    assert page.locator(".desk-chart svg").count() == 5
    assert page.locator(".desk-chart svg text", has_text="住房安居").count() >= 1
    assert problems == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "desk-report.png"), full_page=True)
    page.close()
