"""Authoring a policy's own record: its metadata, approval routing and attachments.

``create_policy`` / ``update_policy`` validate the office's form whole (``validate_policy``) and
save the policy with one ``ApprovalLevel`` per level; ``add_attachment`` / ``remove_attachment``
manage its files (type checked by content, not by name). The rules a policy redeems by are
its versions, in ``policies.versions``.

Each operation validates its input whole (Chinese "字段：原因" messages), runs in one
transaction and writes one audit row.
"""

from __future__ import annotations

import decimal
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from talentpark.accounts.models import Department
from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.core.search import index
from talentpark.core.validation import FieldErrors, parse_date
from talentpark.policies import access
from talentpark.policies.models import ApprovalLevel, Policy, PolicyAttachment
from talentpark.policies.models.policy import ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES


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
