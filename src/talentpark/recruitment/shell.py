"""招才引智 in the shell: its menu entries and home sections (see ``core.shell``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from talentpark.accounts.access import restrict
from talentpark.core import shell
from talentpark.core.roles import Role
from talentpark.recruitment import access
from talentpark.recruitment.models import Application, Interview, PersonnelDemand, Position
from talentpark.recruitment.services import public_q
from talentpark.registry.shell import hr_enterprise

G = "招聘引才"
shell.nav(G, "岗位", "recruitment:position_list", "recruitment.position.view", order=10)
shell.nav(G, "我的岗位", "recruitment:posts", access.POST, order=12)
shell.nav(G, "应聘管理", "recruitment:pipeline", access.MATCH, order=14)
shell.nav(G, "岗位审核", "recruitment:review", access.REVIEW, order=16)
shell.nav(G, "人才需求", "recruitment:demand_list", "recruitment.demand.view", order=20)
shell.nav(G, "招聘会", "recruitment:fair_list", access.FAIRS, order=30)
shell.talent_nav("岗位大厅", "recruitment:jobs", access.APPLY, order=50)
shell.talent_nav("我的求职", "recruitment:mine", access.APPLY, order=52)
shell.talent_nav("招聘会", "recruitment:fair_list", access.APPLY, order=54)
shell.home_stat(gettext_noop("在招岗位"), Position, {"status": "open"}, "recruitment:position_list", order=50)
shell.home_stat(
    gettext_noop("人才需求"), PersonnelDemand, {"status": "open"}, "recruitment:demand_list", order=60
)


@shell.home_section({Role.TALENT}, "recruitment/_home_positions.html", order=40)
def _open_positions(user: Any) -> dict[str, Any]:
    positions = (
        Position.objects.filter(public_q())
        .select_related("enterprise")
        .only("id", "title", "salary_min", "salary_max", "enterprise__name")
    )
    mine = dict(
        restrict(Application.objects.all(), user)
        .values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    waiting = restrict(Interview.objects.filter(status=Interview.Status.OFFERED), user).count()
    return {
        "positions": restrict(positions, user)[:5],
        "applied": sum(mine.values()),
        "live": sum(n for s, n in mine.items() if s in ("new", "screened", "interview", "offer")),
        "interviews": waiting,
    }


@shell.home_section({Role.HR}, "recruitment/_home_hr.html", order=30)
def _her_positions(user: Any) -> dict[str, Any] | None:
    ent = hr_enterprise(user)
    if ent is None:
        return None
    positions = restrict(Position.objects.filter(enterprise=ent).filter(public_q()), user)
    demands = restrict(PersonnelDemand.objects.filter(status=PersonnelDemand.Status.OPEN), user)
    stages = dict(
        restrict(Application.objects.filter(enterprise=ent), user)
        .values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    return {
        "position_count": positions.count(),
        "demand_count": demands.count(),
        "positions": positions[:10],
        "demands": demands[:10],
        "stages": stages,
    }


@shell.home_section({Role.OFFICE}, "recruitment/_home_office.html", order=45)
def _office(user: Any) -> dict[str, Any]:
    year = timezone.localdate().year
    figures = restrict(Application.objects.all(), user).aggregate(
        applications=Count("id", filter=Q(created_at__year=year)),
        hired=Count("id", filter=Q(stage=Application.Stage.HIRED, hired_on__year=year)),
    )
    pending = restrict(Position.objects.filter(status=Position.Status.PENDING), user).count()
    return {**figures, "pending": pending, "year": year}
