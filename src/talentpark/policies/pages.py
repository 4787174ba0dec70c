"""Policy pages: the policy library, the claims (政策兑现) and the payments ledger (兑现台账)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from talentpark.accounts.access import has_perm, restrict, user_zone_ids
from talentpark.core import zone_versions
from talentpark.core.listing import Col, Filter, Listing
from talentpark.policies.models import Claim, LedgerEntry, Policy

POLICIES = Listing(
    model=Policy,
    slug="policy",
    namespace="policies",
    title="政策库",
    select_related=("zone",),
    search=("title", "doc_number", "issuing_body", "summary"),
    search_hint="政策名称、文号或发文机关",
    columns=(
        Col("政策名称", "title", link=True),
        Col("文号", "doc_number"),
        Col("发文机关", "issuing_body"),
        Col("类别", "category"),
        Col("适用对象", "target"),
        Col("发布日期", "published_on"),
        Col("状态", "status"),
    ),
    filters=(
        Filter("category", "类别", "category", Policy.Category.choices),
        Filter("target", "适用对象", "target", Policy.Target.choices),
        Filter("status", "状态", "status", Policy.Status.choices),
    ),
    sections=(
        (
            "政策信息",
            (
                Col("政策名称", "title"),
                Col("文号", "doc_number"),
                Col("发文机关", "issuing_body"),
                Col("类别", "category"),
                Col("适用对象", "target"),
                Col("发布日期", "published_on"),
                Col("生效日期", "effective_from"),
                Col("截止日期", "effective_to"),
                Col("状态", "status"),
                Col("摘要", "summary"),
                Col("政策全文", "full_text"),
            ),
        ),
    ),
)


def _policy_choices_of(model: Any) -> Any:
    """Policies that have rows of ``model`` the user may see, for a filter drop-down."""

    def read(user: Any) -> list[tuple[Any, str]]:
        rows = restrict(model._default_manager.all(), user).values("policy_id")
        policies = restrict(Policy.objects.filter(pk__in=rows), user).order_by("-id")
        return list(policies.values_list("pk", "title")[:200])

    def choices(user: Any) -> Sequence[tuple[Any, str]]:
        # Built over the user's whole scope (a department's: a union of two claim look-ups), and the
        # same on every page of the list: kept while her zones stand still (core.zone_versions).
        zones = user_zone_ids(user)
        key = f"policy-choices:{model._meta.label}:{user.pk}:{user.role}:{user.department_id}:{user.effective_scope}"
        return zone_versions.cached(key, zone_versions.versions(zones), lambda: read(user))

    return choices


def _amount(claim: Claim) -> str:
    return f"{claim.amount:,.2f}" if claim.amount else "—"


def _cycle(claim: Claim) -> str:
    from talentpark.accounts.templatetags.tp_labels import cycle_label

    return cycle_label(claim.cycle)


def _local(moment: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Beijing time, as every page shows it."""
    return timezone.localtime(moment).strftime(fmt)


CLAIMS = Listing(
    model=Claim,
    slug="claim",
    namespace="policies",
    title="政策兑现",
    select_related=("policy", "talent__person", "enterprise"),
    order_by=("-id",),
    search=("talent__person__name", "enterprise__name", "policy__title"),
    search_hint="人才姓名、企业名称或政策名称",
    columns=(
        Col("申领对象", lambda c: c.subject_name),
        Col("政策", "policy.title"),
        Col("周期", _cycle),
        Col("金额（元）", _amount),
        Col("认定层次", "tier"),
        Col("状态", "status"),
        Col("审核进度", "level_label"),
        Col("生成时间", lambda c: _local(c.created_at)),
    ),
    filters=(
        Filter("status", "状态", "status", Claim.Status.choices),
        Filter("policy", "政策", "policy_id", _policy_choices_of(Claim)),
    ),
)

LEDGER = Listing(
    model=LedgerEntry,
    slug="ledger",
    namespace="policies",
    title="兑现台账",
    select_related=("policy", "created_by"),
    order_by=("-id",),
    search=("voucher", "payee_name", "policy__title"),
    search_hint="凭证号、收款户名或政策名称",
    columns=(
        Col("凭证号", "voucher"),
        Col("政策", "policy.title"),
        Col("类型", "kind"),
        Col("金额（元）", "amount"),
        Col("收款户名", "payee_name"),
        Col("开户银行", "bank_name"),
        Col("收款账号（脱敏）", "payee_account_masked"),
        Col("记账时间", lambda e: _local(e.created_at)),
    ),
    filters=(
        Filter("policy", "政策", "policy_id", _policy_choices_of(LedgerEntry)),
        Filter("kind", "类型", "kind", LedgerEntry.Kind.choices),
    ),
    sections=(
        (
            "台账记录",
            (
                Col("凭证号", "voucher"),
                Col("政策", "policy.title", to=("policies:policy_detail", "policy_id")),
                Col("兑现事项", lambda e: f"#{e.claim_id}", to=("policies:claim_detail", "claim_id")),
                Col("类型", "kind"),
                Col("金额（元）", "amount"),
                Col("收款户名", "payee_name"),
                Col("开户银行", "bank_name"),
                Col("收款账号（脱敏）", "payee_account_masked"),
                Col("摘要", "note"),
                Col("经办人", lambda e: str(e.created_by) if e.created_by else "系统"),
                Col("记账时间", lambda e: _local(e.created_at, "%Y-%m-%d %H:%M:%S")),
            ),
        ),
    ),
)


def _policy_links(obj: Policy, request: Any) -> dict[str, Any]:
    """The office reaches the rule workspace and the ledger from the policy page."""
    links = []
    if has_perm(request.user, "policies.policy.change"):
        links.append((gettext_noop("规则与兑现"), reverse("policies:policy_rules", args=[obj.pk])))
        links.append((gettext_noop("编辑政策信息"), reverse("policies:policy_edit", args=[obj.pk])))
    if has_perm(request.user, "policies.ledger.view"):
        links.append((gettext_noop("台账与对账"), reverse("policies:policy_ledger", args=[obj.pk])))
    if has_perm(request.user, "policies.claim.view"):
        links.append((gettext_noop("兑现事项"), reverse("policies:claim_list") + f"?policy={obj.pk}"))
    for attachment in obj.attachments.order_by("id"):
        links.append((f"📎 {attachment.name}", reverse("policies:attachment_download", args=[attachment.pk])))
    return {"links": links}


POLICIES.extra_context = _policy_links
LISTINGS = (POLICIES, CLAIMS, LEDGER)
