"""人才码 in the shell: the talent's entry, the partner window's scan page and home section."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from talentpark.core import shell
from talentpark.core.roles import Role
from talentpark.talentcode.models import Partner, PartnerAccount, ServiceRecord

shell.talent_nav("人才码", "talentcode:mine", "talentcode.code.own", order=15)
shell.nav("服务保障", "扫码核验", "talentcode:scan", "talentcode.scan", order=5)
shell.home_stat(gettext_noop("合作机构"), Partner, {"is_active": True}, "talentcode:partner_list", order=85)
shell.nav("服务保障", "合作机构", "talentcode:partner_list", "talentcode.partner.view", order=6)
shell.nav("服务保障", "人才码管理", "talentcode:code_list", "talentcode.partner.view", order=7)
shell.nav("服务保障", "核验记录", "talentcode:scanlog_list", "talentcode.partner.view", order=8)
shell.nav("服务保障", "绿色通道服务记录", "talentcode:record_list", "talentcode.partner.view", order=9)


@shell.home_section({Role.TALENT}, "talentcode/_home_talent.html", order=5)
def _talent(user: Any) -> dict[str, Any]:
    return {}


@shell.home_section({Role.PARTNER}, "talentcode/_home_partner.html", order=5)
def _partner(user: Any) -> dict[str, Any]:
    account = PartnerAccount.objects.select_related("partner").filter(user=user).first()
    if account is None:
        return {"account": None}
    records = ServiceRecord.objects.filter(partner=account.partner)
    today = timezone.localdate()
    counts = records.aggregate(
        today=Count("id", filter=Q(at__date=today)),
        month=Count("id", filter=Q(at__date__gte=today.replace(day=1))),
    )
    return {
        "account": account,
        "today": counts["today"],
        "month": counts["month"],
        "services": account.partner.services.filter(is_active=True).count(),
        "latest": records.select_related("service")[:5],
    }
