"""人才码's office pages, declared once as listings: partner institutions (with their windows,
services, accounts and latest services on the detail page), talent codes, scans and services."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from talentpark.accounts.access import has_perm, restrict
from talentpark.core.listing import Col, Filter, Listing, Related
from talentpark.registry.pages import TALENTS
from talentpark.talentcode.models import SCAN_OUTCOMES, GreenService, Partner, Scan, ServiceRecord, TalentCode

CHANGE = "talentcode.partner.change"


def _partner_links(obj: Partner, request: Any) -> dict[str, Any]:
    if not has_perm(request.user, CHANGE):
        return {}
    return {
        "links": [
            ("编辑机构信息", reverse("talentcode:partner_edit", args=[obj.pk])),
            ("新增窗口", reverse("talentcode:window_new", args=[obj.pk])),
            ("新增服务项目", reverse("talentcode:service_new", args=[obj.pk])),
            ("新增窗口账号", reverse("talentcode:account_new", args=[obj.pk])),
        ]
    }


def _partner_choices(user: Any) -> list[tuple[int, str]]:
    return [(p.pk, p.name) for p in restrict(Partner.objects.all(), user)]


def _account_state(account: Any) -> str:
    return "启用" if account.user.is_active else "已停用"


PARTNERS = Listing(
    model=Partner,
    slug="partner",
    namespace="talentcode",
    title="合作机构",
    search=("name", "address"),
    search_hint="机构名称或地址",
    columns=(
        Col("机构名称", "name", link=True),
        Col("机构类别", "kind"),
        Col("地址", "address"),
        Col("联系电话", "contact"),
        Col("合作中", "is_active"),
    ),
    filters=(
        Filter("kind", "机构类别", "kind", Partner.Kind.choices),
        Filter("active", "合作中", "is_active", [("True", "是"), ("False", "否")]),
    ),
    sections=(
        (
            "机构信息",
            (
                Col("机构名称", "name"),
                Col("机构类别", "kind"),
                Col("地址", "address"),
                Col("联系电话", "contact"),
                Col("合作中", "is_active"),
            ),
        ),
    ),
    related=(
        Related(
            "服务窗口",
            lambda p, u: p.windows.all(),
            (Col("窗口名称", "name"), Col("位置", "location"), Col("启用", "is_active")),
            url_name="talentcode:window_edit",
        ),
        Related(
            "绿色通道服务",
            lambda p, u: p.services.select_related("window"),
            (
                Col("服务名称", "name"),
                Col("办理窗口", lambda s: s.window.name if s.window else "各窗口"),
                Col("适用人才层次", GreenService.tier_labels),
                Col("每人每年次数上限", lambda s: s.per_year or "不限"),
                Col("启用", "is_active"),
            ),
            url_name="talentcode:service_edit",
        ),
        Related(
            "窗口账号",
            lambda p, u: p.accounts.select_related("user", "window"),
            (
                Col("用户名", "user.username"),
                Col("姓名", "user.display_name"),
                Col("默认窗口", lambda a: a.window.name if a.window else "—"),
                Col("状态", _account_state),
            ),
            url_name="talentcode:account_edit",
        ),
        Related(
            "最近服务记录",
            lambda p, u: p.records.select_related("service", "talent__person")[:20],
            (
                Col("时间", "at"),
                Col("服务", "service.name"),
                Col("人才", "talent.person.name", personal=True),
            ),
            url_name="talentcode:record_detail",
        ),
    ),
    extra_context=_partner_links,
    create=("新增合作机构", "talentcode:partner_new", CHANGE),
)


def _code_actions(obj: TalentCode, request: Any) -> dict[str, Any]:
    if not has_perm(request.user, CHANGE):
        return {}
    return {"code_action": reverse("talentcode:code_status", args=[obj.pk]), "code": obj}


CODES = Listing(
    model=TalentCode,
    slug="code",
    namespace="talentcode",
    title="人才码管理",
    select_related=("talent__person", "zone"),
    search=("talent__person__name", "code_id"),
    search_hint="姓名或人才码标识",
    order_by=("-created_at", "-id"),
    columns=(
        Col("人才", "talent.person.name", link=True),
        Col("人才码标识", "code_id"),
        Col("状态", "status"),
        Col("生成时间", "created_at"),
        Col("停用原因", "revoked_reason"),
    ),
    filters=(Filter("status", "状态", "status", TalentCode.Status.choices),),
    sections=(
        (
            "人才码",
            (
                Col("人才", "talent.person.name", to=("registry:talent_detail", "talent_id")),
                Col("人才码标识", "code_id"),
                Col("状态", "status"),
                Col("生成时间", "created_at"),
                Col("停用时间", "revoked_at"),
                Col("停用原因", "revoked_reason"),
            ),
        ),
    ),
    related=(
        Related(
            "服务记录",
            lambda c, u: c.records.select_related("service", "partner")[:50],
            (Col("时间", "at"), Col("合作机构", "partner.name"), Col("服务", "service.name")),
            url_name="talentcode:record_detail",
        ),
        Related(
            "最近核验",
            lambda c, u: c.scans.select_related("partner")[:20],
            (
                Col("时间", "at"),
                Col("合作机构", "partner.name"),
                Col("方式", "method"),
                Col("结果", Scan.outcome_label),
            ),
            url_name="talentcode:scanlog_detail",
        ),
    ),
    extra_context=_code_actions,
    detail_actions="talentcode/_code_actions.html",
)

SCANS = Listing(
    model=Scan,
    slug="scanlog",
    namespace="talentcode",
    title="核验记录",
    select_related=("partner", "window", "user", "code__talent__person"),
    search=("partner__name",),
    search_hint="合作机构名称",
    columns=(
        Col("核验时间", "at", link=True),
        Col("合作机构", "partner.name"),
        Col("窗口", "window.name"),
        Col("方式", "method"),
        Col("结果", Scan.outcome_label),
        Col("人才", "code.talent.person.name", personal=True),
        Col("展示的信息", "fields_shown"),
    ),
    filters=(
        Filter("method", "方式", "method", Scan.Method.choices),
        Filter("valid", "结果", "outcome", list(SCAN_OUTCOMES.items())),
        Filter(
            "partner",
            "合作机构",
            "partner_id",
            _partner_choices,
        ),
    ),
    sections=(
        (
            "核验",
            (
                Col("核验时间", "at"),
                Col("合作机构", "partner.name", to=("talentcode:partner_detail", "partner_id")),
                Col("窗口", "window.name"),
                Col("核验人", "user.username"),
                Col("方式", "method"),
                Col("结果", Scan.outcome_label),
                Col("人才码", "code.code_id", to=("talentcode:code_detail", "code_id")),
                Col("令牌过期时间", "expires_at"),
                Col("展示的信息", "fields_shown"),
                Col("IP", "ip"),
            ),
        ),
    ),
)

RECORDS = Listing(
    model=ServiceRecord,
    slug="record",
    namespace="talentcode",
    title="绿色通道服务记录",
    select_related=("partner", "service", "talent__person", "window"),
    search=("partner__name", "service__name", "talent__person__name"),
    search_hint="机构、服务或人才姓名",
    columns=(
        Col("时间", "at", link=True),
        Col("合作机构", "partner.name"),
        Col("服务", "service.name"),
        Col("人才", "talent.person.name", personal=True),
        Col("窗口", "window.name"),
    ),
    filters=(
        Filter("kind", "机构类别", "partner__kind", Partner.Kind.choices),
        Filter(
            "partner",
            "合作机构",
            "partner_id",
            _partner_choices,
        ),
    ),
    sections=(
        (
            "服务记录",
            (
                Col("时间", "at"),
                Col("合作机构", "partner.name", to=("talentcode:partner_detail", "partner_id")),
                Col("窗口", "window.name"),
                Col("服务", "service.name"),
                Col("人才", "talent.person.name", to=("registry:talent_detail", "talent_id"), personal=True),
                Col("人才码", "code.code_id", to=("talentcode:code_detail", "code_id")),
                Col("核验记录", "scan_id", to=("talentcode:scanlog_detail", "scan_id")),
                Col("备注", "note"),
            ),
        ),
    ),
)

LISTINGS = (PARTNERS, CODES, SCANS, RECORDS)

# The talent's page in 一网四库 links to her code, for the office to stop or restore it.
TALENTS.add_related(
    Related(
        "人才码",
        lambda t, u: (
            restrict(TalentCode.objects.filter(talent=t), u) if has_perm(u, "talentcode.partner.view") else []
        ),
        (Col("人才码标识", "code_id"), Col("状态", "status"), Col("停用原因", "revoked_reason")),
        url_name="talentcode:code_detail",
    )
)
