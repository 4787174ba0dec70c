"""The service desk's report page (服务诉求统计) and its monthly workbook (服务诉求月报).

Both are for the office (``desk.report.view``) and cover the user's zone. The page shows, without
``?month=``, the last full month and the current month (each with its tables and ECharts charts,
drawn by ``static/talentpark/desk-report.js`` from a ``json_script`` block: the CSP allows no inline
script); ``?month=YYYY-MM`` shows that month alone. The workbook is one month: ``?month=`` or, by
default, the last full month; one sheet per report with native Excel charts; each download writes
one ``export`` audit row, as list exports do (``core.export``).
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from talentpark.accounts.access import has_perm
from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.core.export import XLSX, neutralise
from talentpark.desk import reports
from talentpark.desk.access import REPORT

TITLE = "服务诉求月报"


def _zone_of(request: HttpRequest) -> int:
    user: Any = request.user
    if not has_perm(user, REPORT) or not user.zone_id:
        raise PermissionDenied(REPORT)
    return int(user.zone_id)


# -- the page --------------------------------------------------------------------------------------


def _bar(
    el: str, title: str, labels: list[str], series: list[tuple[str, list[Any]]], stack: bool
) -> dict[str, Any]:
    return {
        "el": el,
        "type": "bar",
        "title": title,
        "categories": labels,
        "series": [{"name": name, "data": data} for name, data in series],
        "stack": stack,
    }


def _pie(el: str, title: str, items: list[tuple[str, Any]]) -> dict[str, Any]:
    return {"el": el, "type": "pie", "title": title, "data": [{"name": n, "value": v} for n, v in items]}


def charts(report: reports.Report, n: int) -> list[dict[str, Any]]:
    """The page's charts of one period, as plain data for desk-report.js."""
    p = f"desk-chart-{n}"
    cat = report.sla_category
    dept = report.handling_department
    return [
        _bar(
            f"{p}-sla",
            "各类别办理时限情况",
            [r.label for r in cat],
            [
                ("按时办结", [r.met for r in cat]),
                ("超时办结", [r.breached for r in cat]),
                ("临近到期", [r.at_risk for r in cat]),
                ("已超时", [r.overdue for r in cat]),
                ("暂停计时", [r.paused for r in cat]),
            ],
            True,
        ),
        _bar(
            f"{p}-hours",
            "各部门平均办理用时（工作小时）",
            [r.label for r in dept],
            [("平均用时", [r.hours for r in dept])],
            False,
        ),
        _bar(
            f"{p}-backlog",
            "未办结诉求账龄",
            [b.label for b in report.backlog],
            [("诉求数", [b.count for b in report.backlog])],
            False,
        ),
        _pie(f"{p}-rating", "满意度分布", [(f"{s}星", c) for s, c in report.satisfaction.distribution]),
        _pie(f"{p}-channel", "受理渠道", [(label, c) for _v, label, c in report.channels]),
    ]


@login_required
def report(request: HttpRequest) -> HttpResponse:
    zone_id = _zone_of(request)
    now = timezone.now()
    month = request.GET.get("month", "").strip()
    context: dict[str, Any] = {
        "month": month,
        "this_month": reports.current_period(now).key,
        "last_month": reports.last_full_period(now).key,
    }
    try:
        chosen = reports.periods(month, now)
    except reports.BadMonth as exc:
        context.update(error=str(exc), sections=[], charts=[])
        return render(request, "desk/report.html", context, status=400)
    sections = []
    chart_data: list[dict[str, Any]] = []
    for n, period in enumerate(chosen):
        rep = reports.build(zone_id, period, now)
        specs = charts(rep, n)
        chart_data += specs
        sla = [
            {
                "title": "办理时限：按诉求类别",
                "head": "诉求类别",
                "rows": rep.sla_category,
                "total": rep.totals["category"],
            },
            {
                "title": "办理时限：按办理部门",
                "head": "办理部门",
                "rows": rep.sla_department,
                "total": rep.totals["department"],
            },
            {
                "title": "办理时限：按服务专员",
                "head": "服务专员",
                "rows": rep.sla_specialist,
                "total": rep.totals["specialist"],
            },
        ]
        sections.append({"report": rep, "charts": [s["el"] for s in specs], "sla": sla})
    context.update(
        sections=sections, charts=chart_data, xlsx_month=month or reports.last_full_period(now).key
    )
    return render(request, "desk/report.html", context)


# -- the workbook ----------------------------------------------------------------------------------

HEAD_FONT = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="F2F4F7")
SLA_HEADERS = ["按时办结", "超时办结", "临近到期", "已超时", "暂停计时", "按时办结率（%）"]


def _cell(value: Any) -> Any:
    return neutralise(value) if isinstance(value, str) else value


def _sheet(book: Workbook, title: str, headers: list[str], rows: list[list[Any]], first: bool = False) -> Any:
    ws = book.active if first else book.create_sheet()
    ws.title = title
    ws.append(headers)
    for cell in ws[1]:
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
    for row in rows:
        ws.append([_cell(v) for v in row])
    for n, header in enumerate(headers, start=1):
        width = max([len(str(header))] + [len(str(r[n - 1])) for r in rows if n - 1 < len(r)] + [4])
        ws.column_dimensions[get_column_letter(n)].width = min(width * 2 + 2, 40)
    ws.freeze_panes = "A2"
    return ws


def _sla_rows(rows: list[reports.SlaRow], total: reports.SlaRow) -> list[list[Any]]:
    out = [[r.label, r.met, r.breached, r.at_risk, r.overdue, r.paused, r.rate] for r in rows]
    if rows:
        out.append(
            [total.label, total.met, total.breached, total.at_risk, total.overdue, total.paused, total.rate]
        )
    return out


def _bar_chart(
    ws: Any, title: str, rows: int, cols: int, anchor: str, y_title: str, stacked: bool = False
) -> None:
    """A bar chart of the sheet's columns 2..cols+1 over the labels in column 1 (rows 2..rows+1)."""
    if rows == 0:
        return
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = y_title
    chart.height, chart.width = 8, 16
    if stacked:
        chart.grouping, chart.overlap = "stacked", 100
    data = Reference(ws, min_col=2, max_col=cols + 1, min_row=1, max_row=rows + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=rows + 1))
    ws.add_chart(chart, anchor)


def _pie_chart(ws: Any, title: str, rows: int, anchor: str) -> None:
    chart = PieChart()
    chart.title = title
    chart.height, chart.width = 8, 12
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=rows + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=rows + 1))
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    ws.add_chart(chart, anchor)


def workbook(report: reports.Report) -> Workbook:
    """The monthly summary: one sheet per report, each with its native chart."""
    book = Workbook()
    sat = report.satisfaction
    _sheet(
        book,
        "概要",
        ["项目", "数值"],
        [
            ["统计月份", report.period.label],
            ["生成时间", timezone.localtime(report.now).strftime("%Y-%m-%d %H:%M")],
            ["本月受理诉求", report.filed],
            ["本月办结诉求", report.done],
            ["当前未办结诉求", report.open_now],
            ["“办不成事”待答复", report.queue],
            ["诉求按时办结率（%）", report.totals["category"].rate],
            ["部门按时办结率（%）", report.totals["department"].rate],
            ["评价数", sat.count],
            ["平均满意度（星）", sat.average],
        ],
        first=True,
    )
    ws = _sheet(
        book,
        "按类别时限",
        ["诉求类别", *SLA_HEADERS],
        _sla_rows(report.sla_category, report.totals["category"]),
    )
    _bar_chart(ws, "各类别办理时限情况", len(report.sla_category), 5, "I2", "件数", stacked=True)
    ws = _sheet(
        book,
        "按部门时限",
        ["办理部门", *SLA_HEADERS],
        _sla_rows(report.sla_department, report.totals["department"]),
    )
    _bar_chart(ws, "各部门办理时限情况", len(report.sla_department), 5, "I2", "件数", stacked=True)
    ws = _sheet(
        book,
        "按专员时限",
        ["服务专员", *SLA_HEADERS],
        _sla_rows(report.sla_specialist, report.totals["specialist"]),
    )
    _bar_chart(ws, "各专员办理时限情况", len(report.sla_specialist), 5, "I2", "件数", stacked=True)
    ws = _sheet(
        book,
        "类别办理用时",
        ["诉求类别", "平均用时（工作小时）", "平均用时（工作日）", "办结件数"],
        [[r.label, r.hours, r.days, r.count] for r in report.handling_category],
    )
    _bar_chart(ws, "各类别平均办理用时", len(report.handling_category), 1, "G2", "工作小时")
    ws = _sheet(
        book,
        "部门办理用时",
        ["办理部门", "平均用时（工作小时）", "平均用时（工作日）", "办结件数"],
        [[r.label, r.hours, r.days, r.count] for r in report.handling_department],
    )
    _bar_chart(ws, "各部门平均办理用时", len(report.handling_department), 1, "G2", "工作小时")
    ws = _sheet(book, "积压账龄", ["账龄", "未办结诉求"], [[b.label, b.count] for b in report.backlog])
    _bar_chart(ws, "未办结诉求账龄", len(report.backlog), 1, "D2", "件数")
    ws = _sheet(book, "满意度分布", ["评价", "件数"], [[f"{s}星", c] for s, c in sat.distribution])
    _pie_chart(ws, "满意度分布", len(sat.distribution), "D2")
    _sheet(
        book,
        "满意度",
        ["维度", "名称", "评价数", "平均满意度（星）"],
        [["诉求类别", r.label, r.count, r.average] for r in sat.by_category]
        + [["服务专员", r.label, r.count, r.average] for r in sat.by_specialist],
    )
    ws = _sheet(
        book,
        "受理渠道",
        ["受理渠道", "受理诉求"],
        [[label, n] for _v, label, n in report.channels] + [["“办不成事”待答复（当前）", report.queue]],
    )
    _pie_chart(ws, "受理渠道", len(report.channels), "D2")
    return book


@login_required
def report_xlsx(request: HttpRequest) -> HttpResponse:
    zone_id = _zone_of(request)
    now = timezone.now()
    month = request.GET.get("month", "").strip()
    try:
        period = reports.parse_month(month, now) if month else reports.last_full_period(now)
    except reports.BadMonth as exc:
        return render(
            request,
            "desk/report.html",
            {"error": str(exc), "month": month, "sections": [], "charts": []},
            status=400,
        )
    rep = reports.build(zone_id, period, now)
    buf = io.BytesIO()
    workbook(rep).save(buf)
    ctx = ActionContext.from_request(request)
    with transaction.atomic():
        audit.record(
            ctx,
            "export",
            None,
            zone_id=zone_id,
            after={
                "list": "desk.report",
                "title": TITLE,
                "month": period.key,
                "rows": rep.filed,
                "format": "xlsx",
            },
        )
    filename = f"{TITLE}-{period.key}.xlsx"
    response = HttpResponse(buf.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"desk-report-{period.key}.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "no-store"
    return response
