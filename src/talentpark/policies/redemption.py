"""Redeeming a claim (政策兑现 / 免申即享): the subject's side and the department's side.

The subject (or, 帮办代办, her specialist with a reason) confirms (``confirm_claim``) or
declines (``decline_claim``); the departments a policy routes to approve (``approve_claims``,
level by level, different people per level) or return it (``reject_claims``); the final
approval of a 人才认定 claim certifies the talent's tier. Status changes go through
``policies.workflow``; money moves only in ``policies.ledger``; a human review of the
automated decision is ``policies.reviews``.

Each operation validates its input whole (Chinese "字段：原因" messages), runs in one
transaction and writes one audit row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from talentpark.accounts.roles import Role
from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.core.validation import FieldErrors
from talentpark.policies import access, workflow
from talentpark.policies.models import Certification, Claim, ClaimEvent, Policy
from talentpark.registry import services as registry_services
from talentpark.registry.models import Talent

S = Claim.Status


# --------------------------------------------------------------------------- the subject's side


def owns(user: Any, claim: Claim) -> bool:
    if user is None:
        return False
    if claim.talent_id:
        return (
            user.role == Role.TALENT and Talent.objects.filter(pk=claim.talent_id, person__user=user).exists()
        )
    account = getattr(user, "enterprise_account", None)
    return user.role == Role.HR and account is not None and account.enterprise_id == claim.enterprise_id


def acts_for(user: Any, claim: Claim) -> bool:
    """帮办代办: the subject's own specialist (or the office) may confirm on her behalf, with a reason."""
    if user is None or user.role not in (Role.SPECIALIST, Role.OFFICE) or user.zone_id != claim.zone_id:
        return False
    if user.role == Role.OFFICE:
        return True
    if claim.talent_id:
        return Talent.objects.filter(pk=claim.talent_id, specialist=user).exists()
    return claim.enterprise is not None and claim.enterprise.specialist_id == user.pk


def clean_bank_account(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    if not digits:
        raise ValidationError("请填写收款银行账号", code="required")
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        raise ValidationError("应为12至19位数字", code="format")
    if len(digits) >= 16 and not luhn.is_valid(digits):
        raise ValidationError("校验位不正确，请核对卡号", code="checksum")
    return digits


@dataclass
class Confirmation:
    use_profile_account: bool = True
    payee_name: str = ""
    bank_name: str = ""
    bank_account: str = ""
    application: dict[str, str] | None = None


def prefill(claim: Claim) -> dict[str, Any]:
    """What the department needs, taken from the profile (一次申报): shown masked, never re-typed."""
    if claim.talent_id:
        talent = Talent.objects.select_related("person", "employer").get(pk=claim.talent_id)
        person = talent.person
        return {
            "payee_name": person.name,
            "bank_name": person.bank_name,
            "bank_account": person.bank_account,  # Sensitive: masked when rendered
            "profile": {
                "姓名": person.name,
                "工作单位": talent.employer.name if talent.employer else "—",
                "最高学历": person.get_highest_degree_display() or "—",
                "专业技术职称": talent.get_professional_title_display(),
                "入区时间": talent.zone_entry_date.isoformat(),
                "人才层次": talent.get_tier_display(),
            },
        }
    ent = claim.enterprise
    assert ent is not None
    return {
        "payee_name": ent.name,
        "bank_name": "",
        "bank_account": None,
        "profile": {"企业名称": ent.name, "统一社会信用代码": ent.uscc, "联系人": ent.contact_name or "—"},
    }


def materials(policy: Policy) -> list[str]:
    return [line.strip() for line in policy.materials.splitlines() if line.strip()]


def confirm_claim(ctx: ActionContext, claim: Claim, data: Confirmation) -> Claim:
    """意愿确认 (免申即享) or submitting the prefilled application (申报类): one step."""
    errors = FieldErrors()
    proxy = not owns(ctx.user, claim)
    if proxy and not acts_for(ctx.user, claim):
        raise ValidationError({"claim": ["事项：只能由本人（或本企业人事）确认"]})
    if proxy and not ctx.reason.strip():
        errors.add("reason", "代办说明", "服务专员代为确认时须说明本人意愿的来源（如电话确认）")
    if claim.status not in (S.NOTIFIED, S.APPLYING):
        errors.add("status", "状态", f"该事项当前为“{claim.get_status_display()}”，无需再次确认")
    pre = prefill(claim)
    payee = bank_name = ""
    account: str | None = None
    needs_money = claim.amount > 0
    if needs_money:
        if data.use_profile_account and pre["bank_account"] is not None:
            payee, bank_name = pre["payee_name"], pre["bank_name"]
            account = pre["bank_account"].plaintext_for_processing()
        else:
            payee = (data.payee_name or "").strip() or pre["payee_name"]
            bank_name = (data.bank_name or "").strip()
            if not bank_name:
                errors.add("bank_name", "开户银行", "请填写开户银行")
            account = errors.check("bank_account", "银行账号", clean_bank_account, data.bank_account)
    application: dict[str, str] = {}
    if claim.status == S.APPLYING:
        given = data.application or {}
        for i, item in enumerate(materials(claim.policy)):
            value = (given.get(f"m{i}") or "").strip()
            if not value:
                errors.add(f"m{i}", item, "请填写材料说明（如文件名、编号或链接）")
            application[item] = value[:500]
    errors.raise_if_any()
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.status != claim.status:
            raise ValidationError({"status": ["状态：该事项已被处理，请刷新页面"]})
        note = f"服务专员代办确认：{ctx.reason.strip()}" if proxy else "本人已确认，提交审核"
        workflow.transition(ctx, locked, S.REVIEWING, note=note)
        locked.confirmed_at = timezone.now()
        locked.payee_name, locked.bank_name = payee, bank_name
        locked.bank_account = account  # type: ignore[assignment]
        locked.application = application
        locked.save()
        audit.record(ctx, "policy.claim.confirm", locked, after={"status": locked.status})
    return locked


def decline_claim(ctx: ActionContext, claim: Claim, reason: str = "") -> Claim:
    proxy = not owns(ctx.user, claim)
    if proxy and not (acts_for(ctx.user, claim) and ctx.reason.strip()):
        raise ValidationError(
            {"claim": ["事项：只能由本人（或本企业人事）操作；服务专员代办须说明本人意愿的来源"]}
        )
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        workflow.transition(ctx, locked, S.DECLINED, note=(reason or "本人放弃").strip())
        locked.save()
        audit.record(ctx, "policy.claim.decline", locked, after={"status": locked.status})
    return locked


# --------------------------------------------------------------------------- the department's side


def _approvers(claim: Claim) -> set[int]:
    return set(
        ClaimEvent.objects.filter(claim=claim, level__isnull=False, actor__isnull=False).values_list(
            "actor_id", flat=True
        )
    )


def _not_routed(ctx: ActionContext, claim: Claim, name: str) -> str | None:
    """Why ``ctx.user`` may not decide ``claim`` now, or None when the waiting level is hers."""
    if access.may_decide(ctx.user, claim):
        return None
    if claim.status == S.APPROVED:
        return f"{name}：已审核通过、等待拨付的事项只能由人才办退回"
    approver = access.approver_of(claim)
    who = approver.name if approver is not None else "人才办"
    return f"{name}：第{claim.levels_done + 1}级审核由“{who}”负责，您无权处理"


def approve_claims(ctx: ActionContext, claims: Sequence[Claim], reason: str = "") -> list[Claim]:
    """Approve one level of each claim; all or nothing. Levels need different people, and each
    level only by the department it is routed to (``ApprovalLevel``; no row: the office)."""
    if not claims:
        raise ValidationError({"claims": ["审核事项：请至少选择一项"]})
    done: list[Claim] = []
    with transaction.atomic():
        problems: list[str] = []
        locked = list(Claim.objects.select_for_update().filter(pk__in=[c.pk for c in claims]).order_by("pk"))
        for claim in locked:
            name = f"{claim.subject_name}（{claim.policy.title}）"
            if claim.status != S.REVIEWING:
                problems.append(f"{name}：当前为“{claim.get_status_display()}”，不在审核中")
            elif ctx.user is not None and ctx.user.pk in _approvers(claim):
                problems.append(f"{name}：您已审核过本事项的上一级，各级审核须由不同人员完成")
            elif (why := _not_routed(ctx, claim, name)) is not None:
                problems.append(why)
        if problems:
            raise ValidationError({"claims": problems})
        for claim in locked:
            level = claim.levels_done + 1
            claim.levels_done = level
            if level < claim.levels_required:
                to = S.REVIEWING
            elif claim.policy.is_certification:
                to = S.CERTIFIED
            elif claim.amount > 0:
                to = S.APPROVED
            else:
                to = S.GRANTED
            note = f"第{level}级审核通过" + (f"：{reason}" if reason else "")
            workflow.transition(ctx, claim, to, note=note, level=level)
            claim.save()
            if to == S.CERTIFIED:
                _certify(ctx, claim)
            audit.record(ctx, "policy.claim.approve", claim, after={"status": to, "level": level})
            done.append(claim)
    return done


def reject_claims(ctx: ActionContext, claims: Sequence[Claim], reason: str) -> list[Claim]:
    reason = (reason or "").strip()
    errors = FieldErrors()
    if not claims:
        errors.add("claims", "审核事项", "请至少选择一项")
    if not reason:
        errors.add("reason", "退回理由", "不通过时必须说明理由，理由将告知申请人")
    errors.raise_if_any()
    done: list[Claim] = []
    with transaction.atomic():
        locked = list(Claim.objects.select_for_update().filter(pk__in=[c.pk for c in claims]).order_by("pk"))
        bad = []
        for c in locked:
            if c.status not in (S.REVIEWING, S.APPROVED):
                bad.append(f"{c.subject_name}：当前为“{c.get_status_display()}”，不能退回")
            elif (why := _not_routed(ctx, c, f"{c.subject_name}（{c.policy.title}）")) is not None:
                bad.append(why)
        if bad:
            raise ValidationError({"claims": bad})
        for claim in locked:
            workflow.transition(
                ctx, claim, S.REJECTED, note=f"审核未通过：{reason}", level=claim.levels_done + 1
            )
            claim.save()
            audit.record(ctx, "policy.claim.reject", claim, after={"status": S.REJECTED, "reason": reason})
            done.append(claim)
    return done


def _certify(ctx: ActionContext, claim: Claim) -> Certification:
    """Final approval of a 人才认定 claim: store the tier with its validity on the talent."""
    assert claim.talent_id is not None
    version = claim.version
    start = timezone.localdate()
    years = version.valid_years_for(claim.tier)
    try:
        until = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        until = start.replace(year=start.year + years, day=28)
    cert = Certification.objects.create(
        zone_id=claim.zone_id,
        talent_id=claim.talent_id,
        claim=claim,
        tier=claim.tier,
        valid_from=start,
        valid_until=until,
        certified_by=ctx.user,
    )
    talent = Talent.objects.get(pk=claim.talent_id)
    registry_services.set_talent_tier(ctx, talent, claim.tier, until)
    return cert
