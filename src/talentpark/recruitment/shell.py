"""招聘引才 in the shell: its menu entries and home sections (see ``core.shell``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from talentpark.accounts.access import restrict
from talentpark.core import shell
from talentpark.core.roles import Role
from talentpark.recruitment.models import PersonnelDemand, Position
from talentpark.registry.shell import hr_enterprise

G = "招聘引才"
shell.nav(G, "岗位", "recruitment:position_list", "recruitment.position.view", order=10)
shell.nav(G, "人才需求", "recruitment:demand_list", "recruitment.demand.view", order=20)
shell.talent_nav("岗位", "recruitment:position_list", "recruitment.position.view", order=50)
shell.home_stat(gettext_noop("在招岗位"), Position, {"status": "open"}, "recruitment:position_list", order=50)
shell.home_stat(
    gettext_noop("人才需求"), PersonnelDemand, {"status": "open"}, "recruitment:demand_list", order=60
)


@shell.home_section({Role.TALENT}, "recruitment/_home_positions.html", order=40)
def _open_positions(user: Any) -> dict[str, Any]:
    positions = (
        Position.objects.filter(status=Position.Status.OPEN)
        .select_related("enterprise")
        .only("id", "title", "salary_min", "salary_max", "enterprise__name")
    )
    return {"positions": restrict(positions, user)[:5]}


@shell.home_section({Role.HR}, "recruitment/_home_hr.html", order=30)
def _her_positions(user: Any) -> dict[str, Any] | None:
    ent = hr_enterprise(user)
    if ent is None:
        return None
    positions = restrict(Position.objects.filter(enterprise=ent, status=Position.Status.OPEN), user)
    demands = restrict(PersonnelDemand.objects.filter(status=PersonnelDemand.Status.OPEN), user)
    return {
        "position_count": positions.count(),
        "demand_count": demands.count(),
        "positions": positions[:10],
        "demands": demands[:10],
    }
