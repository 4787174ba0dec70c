"""一窗受理 in the shell: its menu entries and the home cards of the requester, the specialist,
the department handler and the office (see ``core.shell``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from talentpark.accounts.access import restrict
from talentpark.core import shell
from talentpark.core.roles import Role
from talentpark.desk import access
from talentpark.desk.models import Assignment, Clock, Part, Request

G = "一窗受理"
shell.talent_nav("我的诉求", "desk:mine", access.FILE, order=35)
shell.nav(G, "我的诉求", "desk:mine", access.FILE, order=5)
shell.nav(G, "提交诉求", "desk:file", access.FILE, order=6)
shell.nav(G, "服务诉求", "desk:request_list", access.HANDLE, order=10)
shell.nav(G, "部门办件", "desk:part_list", access.PART, order=15)
shell.nav(G, "办不成事", "desk:queue_list", access.QUEUE, order=20)
shell.nav(G, "我的包保", "desk:portfolio", access.PORTFOLIO, order=30)
shell.nav(G, "包保关系", "desk:assignment_list", access.PORTFOLIO, order=35)
shell.nav(G, "企业走访", "desk:visit_list", access.PORTFOLIO, order=40)
shell.nav(G, "服务报表", "desk:report", access.REPORT, order=50)

S = Request.Status


@shell.home_section({Role.TALENT, Role.HR}, "desk/_home_requester.html", order=15)
def _requester(user: Any) -> dict[str, Any]:
    mine = restrict(Request.objects.all(), user)
    open_rows = list(mine.exclude(status=S.DONE).order_by("-created_at")[:3])
    unrated = mine.filter(status=S.DONE, rating__isnull=True).count()
    return {"open_rows": open_rows, "unrated": unrated}


def _clock_counts(clock_rows: Any, now: Any) -> dict[str, int]:
    counts: dict[str, int] = clock_rows.filter(stopped_at__isnull=True).aggregate(
        overdue=Count("id", filter=Q(due_at__lt=now)),
        at_risk=Count("id", filter=Q(level__gte=1, due_at__gte=now)),
        paused=Count("id", filter=Q(paused_at__isnull=False)),
        open=Count("id"),
    )
    return counts


@shell.home_section({Role.SPECIALIST, Role.OFFICE}, "desk/_home_staff.html", order=5)
def _staff(user: Any) -> dict[str, Any]:
    now = timezone.now()
    requests = restrict(Request.objects.all(), user)
    if user.role == Role.SPECIALIST:
        requests = requests.filter(specialist=user)
    clock_rows = Clock.objects.filter(kind=Clock.Kind.REQUEST, request__in=requests)
    counts = _clock_counts(clock_rows, now)
    held = Assignment.objects.filter(zone_id=user.zone_id, ended_at__isnull=True)
    if user.role == Role.SPECIALIST:
        held = held.filter(specialist=user)
    first = held.filter(contacted_at__isnull=True).count()
    base = reverse("desk:request_list")
    cards = [
        (gettext_noop("办理中的诉求"), counts["open"], f"{base}?status=processing"),
        (gettext_noop("已超时"), counts["overdue"], f"{base}?clock=overdue"),
        (gettext_noop("临近到期"), counts["at_risk"], f"{base}?clock=at_risk"),
        (gettext_noop("待诉求人补充"), counts["paused"], f"{base}?clock=paused"),
        (gettext_noop("待首次联系"), first, reverse("desk:portfolio")),
    ]
    if user.role == Role.OFFICE:
        queue = Request.objects.filter(zone_id=user.zone_id, category="", status=S.NEW).count()
        cards.append((gettext_noop("待答复“办不成事”"), queue, reverse("desk:queue_list") + "?status=new"))
    return {"desk_cards": cards}


@shell.home_section({Role.DEPT}, "desk/_home_staff.html", order=5)
def _dept(user: Any) -> dict[str, Any]:
    now = timezone.now()
    parts = restrict(Part.objects.exclude(status=Part.Status.DONE), user)
    counts = parts.aggregate(
        pending=Count("id", filter=Q(status=Part.Status.PENDING)),
        processing=Count("id", filter=Q(status=Part.Status.PROCESSING)),
        overdue=Count("id", filter=Q(clock__due_at__lt=now, clock__stopped_at__isnull=True)),
        at_risk=Count("id", filter=Q(clock__level__gte=1, clock__due_at__gte=now)),
    )
    base = reverse("desk:part_list")
    cards = [
        (gettext_noop("待办理"), counts["pending"], f"{base}?status=pending"),
        (gettext_noop("办理中"), counts["processing"], f"{base}?status=processing"),
        (gettext_noop("已超时"), counts["overdue"], base),
        (gettext_noop("临近到期"), counts["at_risk"], base),
    ]
    return {"desk_cards": cards}
