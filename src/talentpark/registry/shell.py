"""一网四库 in the shell: its menu entries and home sections (see ``core.shell``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_noop

from talentpark.accounts.access import province_zone_q, restrict
from talentpark.core import shell
from talentpark.core.models import Zone
from talentpark.core.roles import Role
from talentpark.registry.models import Enterprise, Platform, Project, Talent
from talentpark.registry.services import held_tier

G = "一网四库"
shell.nav(G, "人才库", "registry:talent_list", "registry.talent.view", order=10)
shell.nav(G, "企业库", "registry:enterprise_list", "registry.enterprise.view", order=20)
shell.nav(G, "平台库", "registry:platform_list", "registry.platform.view", order=30)
shell.nav(G, "项目库", "registry:project_list", "registry.project.view", order=40)
shell.nav(G, "产业链", "registry:chain_list", "registry.chain.view", order=50)
shell.nav(G, "档案变更审核", "registry:profile_change_list", "registry.talent.change", order=60)
shell.nav(G, "数据导入", "registry:import_home", "registry.import", order=70)
shell.talent_nav("我的档案", "registry:profile", None, order=20)
shell.talent_nav("我的一码归集", "registry:timeline", None, order=25)
shell.talent_nav("我的材料库", "registry:wallet", "registry.document.own", order=22)

shell.home_stat(gettext_noop("人才"), Talent, {}, "registry:talent_list", order=10)
shell.home_stat(gettext_noop("企业"), Enterprise, {}, "registry:enterprise_list", order=20)
shell.home_stat(gettext_noop("创新平台"), Platform, {}, "registry:platform_list", order=30)
shell.home_stat(gettext_noop("项目"), Project, {}, "registry:project_list", order=40)


@shell.home_section({Role.TALENT}, "registry/_home_talents.html", order=20)
def _her_records(user: Any) -> dict[str, Any]:
    talents = list(restrict(Talent.objects.select_related("zone", "employer", "person"), user))
    today = timezone.localdate()
    for t in talents:
        t.tier_held = held_tier(t, today)  # type: ignore[attr-defined]  # expired shows as such
    return {"talents": talents}


def hr_enterprise(user: Any) -> Enterprise | None:
    """The enterprise an HR user works for (read once per request: several home sections ask)."""
    if not hasattr(user, "_tp_hr_enterprise"):
        user._tp_hr_enterprise = restrict(Enterprise.objects.all(), user, "change").first()
    return user._tp_hr_enterprise  # type: ignore[no-any-return]


@shell.home_section({Role.HR}, "registry/_home_enterprise.html", order=20)
def _her_enterprise(user: Any) -> dict[str, Any]:
    return {"enterprise": hr_enterprise(user)}


@shell.home_section({Role.PROVINCE}, "registry/_home_province.html", order=10)
def _province_zones(user: Any) -> dict[str, Any]:
    zones = list(
        Zone.objects.filter(province_zone_q(user))
        .annotate(enterprises=Count("enterprise", distinct=True))
        .order_by("id")
    )
    talent_counts = dict(
        Talent.objects.filter(province_zone_q(user, "zone__division__code"))
        .values_list("zone_id")
        .annotate(n=Count("id"))
        .values_list("zone_id", "n")
    )
    for z in zones:
        z.talent_count = talent_counts.get(z.id, 0)  # type: ignore[attr-defined]
    return {"zones": zones}
