"""节假日与调休 pages (系统管理): a year's holidays and make-up working days, and the office's
table over the library (thin views over :mod:`talentpark.core.workcalendar`).

The library's days are read-only; the table's rows are added, changed and deleted here, each
change one audit row. Permission: ``core.calendar.change`` (the office) or a superuser.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from talentpark.core import audit, workcalendar
from talentpark.core.access import has_perm
from talentpark.core.context import ActionContext
from talentpark.core.models import CalendarDay

CALENDAR = "core.calendar.change"


def _require(request: HttpRequest) -> None:
    user: Any = request.user
    if not ((user.is_superuser and user.is_active) or has_perm(user, CALENDAR)):
        raise PermissionDenied


def _year(raw: str | None, default: int) -> int:
    try:
        year = int(raw or default)
    except ValueError:
        return default
    return year if workcalendar.MIN_YEAR <= year <= workcalendar.MAX_YEAR else default


def _row(day: str) -> CalendarDay:
    """The table's row of ``day`` (YYYY-MM-DD; the table is keyed by date, one row a day)."""
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(CalendarDay, date=date)


def _kinds() -> list[tuple[str, str]]:
    return [(k, gettext(label)) for k, label in workcalendar.KIND_LABELS.items()]


@login_required
def calendar_list(request: HttpRequest) -> HttpResponse:
    """A year's special days (GET ?year=), and the form adding a row (POST)."""
    _require(request)
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today.year)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = request.POST.dict()
        try:
            row = workcalendar.save_day(ActionContext.from_request(request), values)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, gettext("已保存 %(date)s") % {"date": row.date.isoformat()})
            return redirect(f"{reverse('core:calendar_list')}?year={row.date.year}")
    cal = workcalendar.calendar()
    rows = {r.date: r for r in CalendarDay.objects.filter(date__year=year).select_related("updated_by")}
    days = []
    for day in cal.year_days(year):
        lib = workcalendar.library_days(year).get(day.date)
        days.append(
            {
                "day": day,
                "row": rows.get(day.date),
                "name": rows[day.date].name
                if day.date in rows
                else (gettext(lib[1]) if lib and lib[1] else ""),
                "kind_label": gettext(workcalendar.KIND_LABELS.get(day.kind, "")) if day.kind else "",
                "library": gettext(workcalendar.KIND_LABELS[lib[0]]) if lib else "",
            }
        )
    context = {
        "year": year,
        "years": [year - 1, year, year + 1],
        "days": days,
        "library_knows": workcalendar.library_knows(year),
        "in_table": year in cal.table_years,
        "missing": cal.missing_years(today),
        "values": values,
        "errors": errors,
        "kinds": _kinds(),
    }
    return render(request, "core/calendar_list.html", context, status=400 if errors else 200)


@login_required
def calendar_edit(request: HttpRequest, day: str) -> HttpResponse:
    _require(request)
    row = _row(day)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values: dict[str, Any] = request.POST.dict()
        try:
            row = workcalendar.save_day(ActionContext.from_request(request), values, row)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, gettext("已保存 %(date)s") % {"date": row.date.isoformat()})
            return redirect(f"{reverse('core:calendar_list')}?year={row.date.year}")
    else:
        values = {"date": row.date.isoformat(), "kind": row.kind, "name": row.name, "note": row.note}
    context = {
        "row": row,
        "values": values,
        "errors": errors,
        "kinds": _kinds(),
        "history": list(audit.history(row)),
    }
    return render(request, "core/calendar_form.html", context, status=400 if errors else 200)


@login_required
@require_POST
def calendar_delete(request: HttpRequest, day: str) -> HttpResponse:
    _require(request)
    row = _row(day)
    year = row.date.year
    workcalendar.delete_day(ActionContext.from_request(request), row)
    messages.success(request, gettext("已删除 %(date)s 的记录") % {"date": row.date.isoformat()})
    return redirect(f"{reverse('core:calendar_list')}?year={year}")
