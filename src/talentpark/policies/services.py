"""Policy redemption (政策兑现 / 免申即享): authoring and claims.

Authoring (``save_version``), the subject's side (``confirm_claim``, ``decline_claim``,
``request_review``), the department's side (``approve_claims``, ``reject_claims``) and
certification. Evaluating a version over the zone (publishing, cycles, 补充比对) is
``policies.runs``; money moves only in ``policies.ledger``.

Each operation validates its input whole (Chinese "字段：原因" messages), runs in one
transaction and writes one audit row.
"""

from __future__ import annotations

import decimal
import logging
import os
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from stdnum import luhn

from talentpark.accounts.models import Department
from talentpark.accounts.roles import Role
from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.core.search import index
from talentpark.core.validation import FieldErrors, parse_date
from talentpark.policies import access, engine, workflow
from talentpark.policies.models import (
    ApprovalLevel,
    Certification,
    Claim,
    ClaimEvent,
    Decision,
    Policy,
    PolicyAttachment,
    PolicyVersion,
    ReviewRequest,
)
from talentpark.policies.models.policy import ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES
from talentpark.policies.rules import RuleError
from talentpark.registry import services as registry_services
from talentpark.registry.models import Talent

log = logging.getLogger(__name__)
S = Claim.Status
ARTICLE_RE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条(之[一二三四五六七八九十]+)?$")


# --------------------------------------------------------------------------- authoring


@dataclass
class VersionInput:
    target: str
    valid_from: Any
    valid_to: Any = None
    clauses: Sequence[dict[str, str]] = ()
    outcome_kind: str = PolicyVersion.OutcomeKind.AMOUNT
    outcome_expr: str = ""
    outcome_article: str = ""
    tier_valid_years: int = 3
    tier_validity: str = ""  # "A=5, B=5": tiers that last longer or shorter than tier_valid_years
    benefit: str = ""
    note: str = ""


def validate_version(policy: Policy, data: VersionInput) -> tuple[FieldErrors, dict[str, Any]]:
    """Check a rule version whole, compiling it; nothing is saved here."""
    errors = FieldErrors()
    clean: dict[str, Any] = {}
    if data.target not in PolicyVersion.Target.values:
        errors.add("target", "适用对象", "请选择人才或企业")
    elif policy.target != Policy.Target.BOTH and data.target != policy.target:
        errors.add("target", "适用对象", f"本政策适用于{policy.get_target_display()}")
    clean["target"] = data.target
    clean["valid_from"] = errors.check("valid_from", "适用起始日", parse_date, data.valid_from)
    clean["valid_to"] = (
        errors.check("valid_to", "适用截止日", parse_date, data.valid_to)
        if data.valid_to not in (None, "")
        else None
    )
    if clean["valid_from"] and clean["valid_to"] and clean["valid_to"] < clean["valid_from"]:
        errors.add("valid_to", "适用截止日", "不能早于适用起始日")
    clauses = []
    if not data.clauses:
        errors.add("clauses", "条件条款", "至少需要一条条件")
    for i, c in enumerate(data.clauses):
        article = (c.get("article") or "").strip()
        text = (c.get("text") or "").strip()
        expr = (c.get("expr") or "").strip()
        if not ARTICLE_RE.match(article):
            errors.add(f"clauses.{i}.article", f"条款 {i + 1} 依据条款", "应写作“第三条”这样的条文序号")
        if not text:
            errors.add(f"clauses.{i}.text", f"条款 {i + 1} 条件说明", "不能为空")
        if not expr:
            errors.add(f"clauses.{i}.expr", f"条款 {i + 1} 条件表达式", "不能为空")
        clauses.append({"article": article, "text": text, "expr": expr})
    clean["clauses"] = clauses
    if data.outcome_kind not in PolicyVersion.OutcomeKind.values:
        errors.add("outcome_kind", "结果类型", "无效")
    clean["outcome_kind"] = data.outcome_kind
    clean["outcome_expr"] = (data.outcome_expr or "").strip()
    clean["outcome_article"] = (data.outcome_article or "").strip()
    if data.outcome_kind != PolicyVersion.OutcomeKind.NONE:
        if not clean["outcome_expr"]:
            errors.add("outcome_expr", "金额/层次公式", "不能为空")
        if clean["outcome_article"] and not ARTICLE_RE.match(clean["outcome_article"]):
            errors.add("outcome_article", "金额依据条款", "应写作“第三条”这样的条文序号")
    if policy.is_certification and data.outcome_kind != PolicyVersion.OutcomeKind.TIER:
        errors.add("outcome_kind", "结果类型", "人才认定政策的结果必须是人才层次")
    try:
        years = int(data.tier_valid_years)
        if not 1 <= years <= 10:
            raise ValueError
        clean["tier_valid_years"] = years
    except (TypeError, ValueError):
        errors.add("tier_valid_years", "认定有效期（年）", "应为1到10之间的整数")
    clean["tier_validity"] = errors.check(
        "tier_validity", "分层次有效期", parse_tier_validity, data.tier_validity
    )
    clean["benefit"] = (data.benefit or "").strip()[:200]
    clean["note"] = (data.note or "").strip()[:200]
    if (
        clean["target"] in PolicyVersion.Target.values
        and clean["outcome_kind"] in PolicyVersion.OutcomeKind.values
    ):
        # Compile even when other fields are wrong, so every problem is reported at once;
        # article/text placeholders keep the engine to the expressions.
        probe_clauses = [
            {"article": c["article"] or "第一条", "text": c["text"] or "-", "expr": c["expr"] or "true"}
            for c in clauses
        ] or [{"article": "第一条", "text": "-", "expr": "true"}]
        probe = PolicyVersion(policy=policy, zone_id=policy.zone_id, **{**clean, "clauses": probe_clauses})
        if clean["outcome_kind"] != PolicyVersion.OutcomeKind.NONE and not clean["outcome_expr"]:
            probe.outcome_kind = PolicyVersion.OutcomeKind.NONE
        try:
            engine.compiled(probe)
        except RuleError as exc:
            for p in exc.errors:
                key = "outcome_expr" if p.part == "outcome" else f"clauses.{p.clause_index}.expr"
                errors.errors.setdefault(key, []).append(p.message)
    return errors, clean


TIER_VALIDITY_ITEM = re.compile(r"^([A-Za-z])\s*[=:：]\s*(\d{1,2})$")


def parse_tier_validity(text: str | None) -> dict[str, int]:
    """``"A=5, B=5"`` (also ``A:5；B：5``) as ``{"A": 5, "B": 5}``; blank is no exceptions."""
    out: dict[str, int] = {}
    for item in re.split(r"[,，;；、\s]+", (text or "").strip()):
        if not item:
            continue
        m = TIER_VALIDITY_ITEM.match(item)
        if m is None:
            raise ValidationError(f"“{item}”格式不对，应写作“A=5, B=5”（层次=年数）", code="format")
        tier, years = m.group(1).upper(), int(m.group(2))
        if tier not in "ABCDE":
            raise ValidationError(f"“{item}”：层次只能是A至E", code="tier")
        if not 1 <= years <= 10:
            raise ValidationError(f"“{item}”：有效期应为1到10年", code="range")
        if tier in out:
            raise ValidationError(f"{tier}类写了两次", code="duplicate")
        out[tier] = years
    return out


def save_version(
    ctx: ActionContext, policy: Policy, data: VersionInput, *, version: PolicyVersion | None = None
) -> PolicyVersion:
    """Create a new draft version or edit a draft; published versions are never edited."""
    errors, clean = validate_version(policy, data)
    if version is not None and version.status != PolicyVersion.Status.DRAFT:
        errors.add("status", "状态", "已发布或已停用的版本不能修改，请新建版本")
    errors.raise_if_any()
    with transaction.atomic():
        if version is None:
            last = policy.versions.aggregate(n=Max("number"))["n"] or 0
            version = PolicyVersion(
                zone_id=policy.zone_id, policy=policy, number=last + 1, created_by=ctx.user
            )
            before = None
        else:
            version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
            before = audit.snapshot(version, VERSION_AUDIT_FIELDS)
        for k, v in clean.items():
            setattr(version, k, v)
        version.save()
        audit.record(
            ctx,
            "policy.version.save",
            version,
            before=before,
            after=audit.snapshot(version, VERSION_AUDIT_FIELDS),
        )
    return version


VERSION_AUDIT_FIELDS = (
    "number",
    "status",
    "target",
    "valid_from",
    "valid_to",
    "clauses",
    "outcome_kind",
    "outcome_expr",
    "outcome_article",
    "tier_valid_years",
    "tier_validity",
    "benefit",
)


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


def request_review(ctx: ActionContext, decision: Decision, reason: str) -> ReviewRequest:
    """Ask a person to re-examine an automated decision (PIPL art. 24): a task for the office."""
    if ctx.user is None:
        raise ValidationError({"reason": ["复核理由：请先登录"]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["复核理由：请说明需要人工复核的原因"]})
    if len(reason) > 1000:
        raise ValidationError({"reason": ["复核理由：不能超过1000字"]})
    with transaction.atomic():
        if ReviewRequest.objects.filter(decision=decision, status=ReviewRequest.Status.OPEN).exists():
            raise ValidationError({"reason": ["复核理由：该判定已有待处理的复核申请"]})
        review = ReviewRequest.objects.create(
            zone_id=decision.zone_id, decision=decision, requested_by=ctx.user, reason=reason
        )
        audit.record(ctx, "policy.review.request", review, after={"decision": decision.pk})
    return review


def resolve_review(ctx: ActionContext, review: ReviewRequest, outcome: str, resolution: str) -> ReviewRequest:
    errors = FieldErrors()
    if outcome not in (ReviewRequest.Status.UPHELD, ReviewRequest.Status.CORRECTED):
        errors.add("outcome", "处理结果", "请选择维持或更正")
    if not (resolution or "").strip():
        errors.add("resolution", "处理意见", "请填写处理意见，将告知申请人")
    errors.raise_if_any()
    with transaction.atomic():
        locked = ReviewRequest.objects.select_for_update().get(pk=review.pk)
        if locked.status != ReviewRequest.Status.OPEN:
            raise ValidationError({"outcome": ["处理结果：该复核已处理"]})
        locked.status, locked.resolution = outcome, resolution.strip()
        locked.resolved_by, locked.resolved_at = ctx.user, timezone.now()
        locked.save()
        audit.record(ctx, "policy.review.resolve", locked, after={"status": outcome})
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


# --------------------------------------------------------------------------- policy authoring


@dataclass
class PolicyInput:
    """A policy's metadata and redemption settings as typed on the office's form."""

    title: str = ""
    doc_number: str = ""
    issuing_body: str = ""
    category: str = ""
    target: str = ""
    published_on: Any = None
    effective_from: Any = None
    effective_to: Any = None
    summary: str = ""
    full_text: str = ""
    mode: str = Policy.Mode.AUTO
    recurrence: str = Policy.Recurrence.ONCE
    approval_levels: Any = 1
    approvers: Sequence[str] = ()  # per level: a department id, or "" for the office
    budget_total: Any = None
    materials: str = ""


POLICY_AUDIT_FIELDS = (
    "title",
    "doc_number",
    "issuing_body",
    "category",
    "target",
    "published_on",
    "effective_from",
    "effective_to",
    "summary",
    "full_text",
    "mode",
    "recurrence",
    "approval_levels",
    "budget_total",
    "materials",
)
LEVEL_NUMERALS = "一二三"


def _text_field(errors: FieldErrors, name: str, label: str, value: str, limit: int, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        errors.add(name, label, "不能为空")
    elif len(text) > limit:
        errors.add(name, label, f"不能超过{limit}字")
    return text[:limit]


def _optional_date(errors: FieldErrors, name: str, label: str, value: Any) -> Any:
    if value in (None, ""):
        return None
    return errors.check(name, label, parse_date, value)


def parse_budget(value: Any) -> decimal.Decimal | None:
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        amount = decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise ValidationError("应为金额数字，如 1000000 或 1000000.00", code="format") from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError("不能为负数", code="range")
    if amount != amount.quantize(decimal.Decimal("0.01")):
        raise ValidationError("最多保留两位小数", code="precision")
    if amount >= decimal.Decimal("1e12"):
        raise ValidationError("金额过大", code="range")
    return amount.quantize(decimal.Decimal("0.01"))


def approver_choices(zone_id: int) -> list[Department]:
    """Departments a level may be routed to (the office itself is the empty choice)."""
    return list(
        Department.objects.filter(zone_id=zone_id)
        .exclude(kind=Department.Kind.OFFICE)
        .order_by("path", "order")
    )


def default_approvers(zone_id: int, category: str, levels: int) -> list[str]:
    """Level 1 to the department of the kind that handles ``category``; the others to the office."""
    kind = access.CATEGORY_KIND.get(category)
    first = (
        Department.objects.filter(zone_id=zone_id, kind=kind).order_by("path", "order").first()
        if kind
        else None
    )
    return [str(first.pk) if first else ""] + [""] * (levels - 1)


def validate_policy(
    zone_id: int, data: PolicyInput, policy: Policy | None = None
) -> tuple[FieldErrors, dict[str, Any], list[int | None]]:
    """Check a policy's metadata whole; nothing is saved here."""
    errors = FieldErrors()
    clean: dict[str, Any] = {
        "title": _text_field(errors, "title", "政策名称", data.title, 150, True),
        "doc_number": _text_field(errors, "doc_number", "文号", data.doc_number, 60, False),
        "issuing_body": _text_field(errors, "issuing_body", "发文机关", data.issuing_body, 100, True),
        "summary": _text_field(errors, "summary", "摘要", data.summary, 2000, False),
        "full_text": _text_field(errors, "full_text", "政策全文", data.full_text, 100_000, False),
        "materials": _text_field(errors, "materials", "申报材料", data.materials, 4000, False),
    }
    for name, label, choices, value in (
        ("category", "类别", Policy.Category, data.category),
        ("target", "适用对象", Policy.Target, data.target),
        ("mode", "兑现方式", Policy.Mode, data.mode),
        ("recurrence", "兑现周期", Policy.Recurrence, data.recurrence),
    ):
        if value not in choices.values:
            errors.add(name, label, "请从列表中选择")
        clean[name] = value
    clean["published_on"] = _optional_date(errors, "published_on", "发布日期", data.published_on)
    clean["effective_from"] = _optional_date(errors, "effective_from", "生效日期", data.effective_from)
    clean["effective_to"] = _optional_date(errors, "effective_to", "截止日期", data.effective_to)
    if clean["effective_from"] and clean["effective_to"] and clean["effective_to"] < clean["effective_from"]:
        errors.add("effective_to", "截止日期", "不能早于生效日期")
    if clean["doc_number"]:
        same = Policy.objects.filter(zone_id=zone_id, doc_number=clean["doc_number"])
        if policy is not None:
            same = same.exclude(pk=policy.pk)
        other = same.first()
        if other is not None:
            errors.add("doc_number", "文号", f"与《{other.title}》重复")
    try:
        levels = int(str(data.approval_levels).strip())
        if not 1 <= levels <= 3:
            raise ValueError
    except (TypeError, ValueError):
        errors.add("approval_levels", "审核级数", "应为1到3之间的整数")
        levels = 0
    clean["approval_levels"] = levels or 1
    clean["budget_total"] = errors.check("budget_total", "预算总额", parse_budget, data.budget_total)
    if (
        policy is not None
        and clean["budget_total"] is not None
        and clean["budget_total"] < policy.budget_paid
    ):
        errors.add("budget_total", "预算总额", f"不能低于已拨付的 {policy.budget_paid:,.2f} 元")
    if policy is not None and clean["budget_total"] is None and policy.budget_paid > 0:
        errors.add("budget_total", "预算总额", "已有拨付记录，不能清空预算")
    if policy is not None and clean["target"] in (Policy.Target.TALENT, Policy.Target.ENTERPRISE):
        clash = policy.versions.exclude(target=clean["target"]).first()
        if clash is not None:
            errors.add(
                "target",
                "适用对象",
                f"第{clash.number}版规则适用于{clash.get_target_display()}，不能改为仅{Policy.Target(clean['target']).label}",
            )
    allowed = {d.pk: d for d in approver_choices(zone_id)}
    approvers: list[int | None] = []
    given = list(data.approvers)
    for number in range(1, levels + 1):
        raw = str(given[number - 1]).strip() if number - 1 < len(given) else ""
        if raw == "":
            approvers.append(None)
        elif raw.isdigit() and int(raw) in allowed:
            approvers.append(int(raw))
        else:
            label = f"第{LEVEL_NUMERALS[number - 1]}级审核部门"
            errors.add(f"approver_{number}", label, "请选择本园区的部门或人才办")
            approvers.append(None)
    return errors, clean, approvers


def _save_levels(policy: Policy, approvers: list[int | None]) -> list[int | None]:
    before = dict(policy.levels.values_list("number", "approver_id"))
    policy.levels.filter(number__gt=len(approvers)).delete()
    for number, approver in enumerate(approvers, start=1):
        if number in before and before[number] == approver:
            continue
        ApprovalLevel.objects.update_or_create(
            zone_id=policy.zone_id, policy=policy, number=number, defaults={"approver_id": approver}
        )
    return [before.get(n) for n in sorted(before)]


def create_policy(ctx: ActionContext, zone_id: int, data: PolicyInput) -> Policy:
    """A new draft policy with its metadata and approval routing."""
    errors, clean, approvers = validate_policy(zone_id, data)
    errors.raise_if_any()
    with transaction.atomic():
        policy = Policy.objects.create(zone_id=zone_id, status=Policy.Status.DRAFT, **clean)
        _save_levels(policy, approvers)
        index.reindex(Policy, [policy.pk])
        audit.record(
            ctx,
            "policy.create",
            policy,
            after={**audit.snapshot(policy, POLICY_AUDIT_FIELDS), "approvers": approvers},
        )
    return policy


def update_policy(ctx: ActionContext, policy: Policy, data: PolicyInput) -> Policy:
    """Edit a policy's metadata and routing (its rule versions are edited in the rule editor)."""
    errors, clean, approvers = validate_policy(policy.zone_id, data, policy)
    errors.raise_if_any()
    with transaction.atomic():
        locked = Policy.objects.select_for_update().get(pk=policy.pk)
        # Re-check against the locked row: a payment since the form was read may raise budget_paid.
        if clean["budget_total"] is not None and clean["budget_total"] < locked.budget_paid:
            raise ValidationError(
                {"budget_total": [f"预算总额：不能低于已拨付的 {locked.budget_paid:,.2f} 元"]}
            )
        before = audit.snapshot(locked, POLICY_AUDIT_FIELDS)
        for k, v in clean.items():
            setattr(locked, k, v)
        locked.save(update_fields=[*clean, "updated_at"])
        old_levels = _save_levels(locked, approvers)
        index.reindex(Policy, [locked.pk])
        old, new = audit.diff(before, audit.snapshot(locked, POLICY_AUDIT_FIELDS))
        if old_levels != approvers:
            old["approvers"], new["approvers"] = old_levels, approvers
        audit.record(ctx, "policy.update", locked, before=old, after=new)
    return locked


# A file's first bytes, per extension: the type is checked, not taken from the name alone.
MAGIC = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".ofd": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
}


def add_attachment(ctx: ActionContext, policy: Policy, upload: Any, name: str = "") -> PolicyAttachment:
    """Attach an uploaded file (PDF, Word, Excel, OFD or an image, at most 20 MB) to a policy."""
    errors = FieldErrors()
    if upload is None:
        errors.add("file", "附件文件", "请选择要上传的文件")
        errors.raise_if_any()
    filename = os.path.basename(str(upload.name or ""))
    ext = os.path.splitext(filename)[1].lower()
    label = (name or "").strip() or os.path.splitext(filename)[0]
    if ext not in ATTACHMENT_TYPES:
        errors.add("file", "附件文件", "只能上传 PDF、Word、Excel、OFD 或图片（PNG、JPG）文件")
    elif upload.size == 0:
        errors.add("file", "附件文件", "文件是空的")
    elif upload.size > ATTACHMENT_MAX_BYTES:
        errors.add("file", "附件文件", f"不能超过 {ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB")
    else:
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(m) for m in MAGIC[ext]):
            errors.add("file", "附件文件", f"内容与扩展名 {ext} 不符")
    if len(label) > 120:
        errors.add("name", "附件名称", "不能超过120字")
    errors.raise_if_any()
    with transaction.atomic():
        Policy.objects.select_for_update().get(pk=policy.pk)
        attachment = PolicyAttachment(policy=policy, name=label, size=upload.size)
        attachment.file.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)
        try:
            attachment.save()
            audit.record(
                ctx,
                "policy.attachment.add",
                policy,
                after={"attachment": attachment.pk, "name": label, "size": upload.size, "type": ext},
            )
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def remove_attachment(ctx: ActionContext, attachment: PolicyAttachment) -> None:
    with transaction.atomic():
        policy = Policy.objects.select_for_update().get(pk=attachment.policy_id)
        audit.record(
            ctx,
            "policy.attachment.remove",
            policy,
            before={"attachment": attachment.pk, "name": attachment.name, "size": attachment.size},
        )
        stored = attachment.file.name or ""
        attachment.delete()
        transaction.on_commit(lambda: attachment.file.storage.delete(stored))


# --------------------------------------------------------------------------- publishing checks


def version_problems(version: PolicyVersion) -> list[str]:
    """What a publish today would refuse in this version: missing 文号, or the rule's own checks
    (``validate_version``, which compiles it). Empty when it would pass."""
    policy = version.policy
    problems = []
    if not policy.doc_number.strip():
        problems.append("文号：发布前须填写政策文号")
    data = VersionInput(
        target=version.target,
        valid_from=version.valid_from,
        valid_to=version.valid_to,
        clauses=list(version.clauses),
        outcome_kind=version.outcome_kind,
        outcome_expr=version.outcome_expr,
        outcome_article=version.outcome_article,
        tier_valid_years=version.tier_valid_years,
        tier_validity=version.tier_validity_text,
        benefit=version.benefit,
        note=version.note,
    )
    errors, _clean = validate_version(policy, data)
    problems += [m for ms in errors.errors.values() for m in ms]
    return problems
