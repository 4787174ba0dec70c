"""Notices of 政策兑现: each step of a claim that its talent or enterprise must know about reaches
them through ``core.notify`` — the inbox always, an SMS by default (免申即享 is a promise made by
text message), as the person chooses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from talentpark.core import notify
from talentpark.policies.models import Claim
from talentpark.registry.models import EnterpriseAccount, Talent

KIND = "policy.claim"
notify.register_kind(KIND, "政策兑现", channels=(notify.SMS,))

S = Claim.Status

# What the claimant is told when her claim reaches a status (her own steps tell her nothing).
TEXTS: dict[str, str] = {
    S.NOTIFIED: "您符合《{title}》的条件，{benefit}，请登录确认是否申领",
    S.APPLYING: "《{title}》可以申报了，请登录补充材料后提交",
    S.APPROVED: "您申领的《{title}》已审核通过，等待拨付",
    S.PAID: "《{title}》{amount} 元已拨付，请留意银行到账",
    S.REJECTED: "您申领的《{title}》未通过审核：{reason}",
    S.CERTIFIED: "《{title}》认定完成",
    S.GRANTED: "《{title}》审核通过，可享受该项服务",
    S.PAUSED: "本期您已不再符合《{title}》的条件，该项待遇暂停",
    S.REVERSED: "《{title}》的拨付已冲正：{reason}",
}


def _benefit(claim: Claim) -> str:
    if claim.amount:
        return f"可获 {claim.amount:.2f} 元"
    if claim.tier:
        return f"可认定为 {claim.tier} 类人才"
    return "可享受相应待遇"


def _text(claim: Claim, status: str) -> str:
    return TEXTS[status].format(
        title=claim.policy.title,
        benefit=_benefit(claim),
        amount=f"{claim.amount:.2f}",
        reason=claim.status_reason or "详见办理进度",
    )


def claims_moved(claims: Iterable[Claim], status: str) -> int:
    """Tell the people behind ``claims`` (all now at ``status``) what happened; how many notices."""
    if status not in TEXTS:
        return 0
    claims = list(claims)
    talent_users = dict(
        Talent.objects.filter(
            pk__in=[c.talent_id for c in claims if c.talent_id], person__user__isnull=False
        ).values_list("pk", "person__user_id")
    )
    hr_users: dict[int, list[int]] = {}
    for ent_id, user_id in EnterpriseAccount.objects.filter(
        enterprise_id__in=[c.enterprise_id for c in claims if c.enterprise_id], user__is_active=True
    ).values_list("enterprise_id", "user_id"):
        hr_users.setdefault(ent_id, []).append(user_id)
    by_zone: dict[int, list[tuple[int, str, str]]] = {}
    for c in claims:
        users: list[Any] = [talent_users[c.talent_id]] if c.talent_id in talent_users else []
        users += hr_users.get(c.enterprise_id, []) if c.enterprise_id else []
        if users:
            text, link = _text(c, status), reverse("policies:claim_detail", args=[c.pk])
            by_zone.setdefault(c.zone_id, []).extend((u, text, link) for u in users)
    for zone_id, items in by_zone.items():
        notify.notify_each(KIND, items, zone_id=zone_id)
    return sum(len(v) for v in by_zone.values())
