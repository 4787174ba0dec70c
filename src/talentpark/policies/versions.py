"""A policy's rule versions: checking a version whole, saving drafts, what a publish would refuse.

``validate_version`` compiles a version (nothing saved) so every problem is reported at once;
``save_version`` creates or edits a draft (published versions are never edited); and
``version_problems`` says what a publish today would refuse. Publishing itself, and
evaluating a version over the zone, is ``policies.runs``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.core.validation import FieldErrors, parse_date
from talentpark.policies import engine
from talentpark.policies.models import Policy, PolicyVersion
from talentpark.policies.rules import RuleError

ARTICLE_RE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条(之[一二三四五六七八九十]+)?$")


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
