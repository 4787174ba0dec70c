"""Registry list and detail pages (一网四库), declared once."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from talentpark.accounts.access import restrict
from talentpark.core.codes import Degree, ProfessionalTitle
from talentpark.core.listing import Col, Filter, Listing, Related
from talentpark.registry.models import (
    ChainRole,
    Enterprise,
    EnterpriseChainRole,
    IndustryChain,
    Platform,
    Project,
    Talent,
)


def chain_choices(user: Any) -> list[tuple[int, str]]:
    return [
        (c.pk, f"{c.zone.short_name or c.zone.name}·{c.name}")
        for c in restrict(IndustryChain.objects.select_related("zone"), user)
    ]


def _in_chain(field: str) -> Any:
    """Rows whose ``field`` (an enterprise id) has a role in the chain: a subquery, so no duplicates."""

    def build(value: str) -> Q:
        members = EnterpriseChainRole.objects.filter(chain_id=int(value)).values("enterprise_id")
        return Q(**{f"{field}__in": members})

    return build


TALENTS = Listing(
    model=Talent,
    slug="talent",
    namespace="registry",
    title="人才库",
    select_related=("person", "employer", "zone", "specialist"),
    search=("person__name", "person__name_pinyin", "employer__name"),
    search_hint="姓名、拼音或工作单位",
    shows_pii=True,
    columns=(
        Col("姓名", "person.name", link=True),
        Col("手机号码", "person.phone"),
        Col("最高学历", "person.highest_degree"),
        Col("职称", "professional_title"),
        Col("人才层次", "tier"),
        Col("工作单位", "employer.name"),
        Col("入区时间", "zone_entry_date"),
        Col("园区", "zone.short_name"),
    ),
    filters=(
        Filter("degree", "学历", "person__highest_degree", Degree.choices),
        Filter("title", "职称", "professional_title", ProfessionalTitle.choices),
        Filter("tier", "人才层次", "tier", [c for c in Talent.Tier.choices if c[0]]),
        Filter("chain", "产业链", _in_chain("employer_id"), chain_choices),
        Filter("status", "状态", "status", Talent.Status.choices),
    ),
    sections=(
        (
            "基本信息",
            (
                Col("姓名", "person.name"),
                Col("性别", "person.sex"),
                Col("出生日期", "person.birth_date"),
                Col("身份证号", "person.id_number"),
                Col("手机号码", "person.phone"),
                Col("户籍所在地", "person.hukou_division"),
                Col("户籍已迁入园区", "person.hukou_in_zone"),
                Col("留学归国", "person.is_returnee"),
                Col("留学国家/地区", "person.returnee_country"),
            ),
        ),
        (
            "在区信息",
            (
                Col("园区", "zone.name"),
                Col("工作单位", "employer.name", to=("registry:enterprise_detail", "employer_id")),
                Col("职务/岗位", "position_title"),
                Col("入区时间", "zone_entry_date"),
                Col("专业技术职称", "professional_title"),
                Col("职业技能等级", "skill_level"),
                Col("技能工种", "skill_occupation"),
                Col("入选人才计划", "programme_level"),
                Col("人才计划名称", "programme_name"),
                Col("人才层次", "tier"),
                Col("认定有效期至", "tier_valid_until"),
                Col("住房情况", "housing"),
                Col("服务专员", "specialist", personal=True),
                Col("状态", "status"),
            ),
        ),
    ),
    related=(
        Related(
            "所在产业链",
            lambda t, u: t.employer.chain_roles.select_related("chain", "segment") if t.employer_id else [],
            (Col("产业链", "chain.name"), Col("链上角色", "role"), Col("环节", "segment.name")),
            "registry:chain_detail",
            link_pk="chain_id",
        ),
        Related(
            "教育经历",
            lambda t, u: t.person.educations.select_related("university"),
            (
                Col("学历", "degree"),
                Col("院校", "university.name"),
                Col("院校层次", "university.standing"),
                Col("专业", "major"),
                Col("毕业时间", "graduated_on"),
            ),
        ),
        Related(
            "家庭成员",
            lambda t, u: t.person.family.all(),
            (
                Col("关系", "relation"),
                Col("姓名", "name"),
                Col("出生日期", "birth_date"),
                Col("就业状况", "employment"),
            ),
        ),
    ),
)

ENTERPRISES = Listing(
    model=Enterprise,
    slug="enterprise",
    namespace="registry",
    title="企业库",
    select_related=("industry", "zone", "division"),
    search=("name", "short_name", "uscc"),
    search_hint="企业名称或信用代码",
    columns=(
        Col("企业名称", "name", link=True),
        Col("统一社会信用代码", "uscc"),
        Col("所属行业", "industry.name"),
        Col("规模", "scale"),
        Col("重点企业", "is_key"),
        Col("高新技术企业", "is_high_tech"),
        Col("园区", "zone.short_name"),
    ),
    filters=(
        Filter("chain", "产业链", _in_chain("pk"), chain_choices),
        Filter(
            "role",
            "链上角色",
            lambda v: Q(pk__in=EnterpriseChainRole.objects.filter(role=v).values("enterprise_id")),
            ChainRole.choices,
        ),
        Filter("scale", "规模", "scale", Enterprise.Scale.choices),
        Filter("key", "重点企业", "is_key", [("1", "是"), ("0", "否")]),
    ),
    sections=(
        (
            "企业信息",
            (
                Col("企业名称", "name"),
                Col("简称", "short_name"),
                Col("统一社会信用代码", "uscc"),
                Col("注册地", "division.name"),
                Col("所属行业", "industry"),
                Col("企业规模", "scale"),
                Col("成立日期", "founded_on"),
                Col("注册资本（万元）", "registered_capital"),
                Col("职工人数", "employee_count"),
                Col("重点企业", "is_key"),
                Col("高新技术企业", "is_high_tech"),
                Col("地址", "address"),
                Col("联系人", "contact_name", personal=True),
                Col("联系电话", "contact_phone", personal=True),
                Col("服务专员", "specialist", personal=True),
                Col("企业简介", "description"),
            ),
        ),
    ),
    related=(
        Related(
            "链上角色",
            lambda e, u: e.chain_roles.select_related("chain", "segment"),
            (Col("产业链", "chain.name"), Col("环节", "segment.name"), Col("角色", "role")),
            "registry:chain_detail",
            link_pk="chain_id",
        ),
        Related(
            "创新平台",
            lambda e, u: restrict(e.platforms.all(), u),
            (Col("平台名称", "name", link=True), Col("类型", "kind"), Col("级别", "level")),
            "registry:platform_detail",
        ),
        Related(
            "项目",
            lambda e, u: restrict(e.projects.all(), u),
            (Col("项目名称", "name", link=True), Col("类型", "kind"), Col("状态", "status")),
            "registry:project_detail",
        ),
        Related(
            "在职人才",
            lambda e, u: restrict(e.talents.select_related("person"), u)[:20],
            (
                Col("姓名", "person.name", link=True),
                Col("学历", "person.highest_degree"),
                Col("职称", "professional_title"),
            ),
            "registry:talent_detail",
        ),
    ),
)

PLATFORMS = Listing(
    model=Platform,
    slug="platform",
    namespace="registry",
    title="平台库",
    select_related=("enterprise", "zone", "chain"),
    search=("name", "host_organisation", "enterprise__name"),
    columns=(
        Col("平台名称", "name", link=True),
        Col("类型", "kind"),
        Col("级别", "level"),
        Col("依托单位", lambda p: p.enterprise.name if p.enterprise_id else p.host_organisation),
        Col("认定时间", "approved_on"),
        Col("园区", "zone.short_name"),
    ),
    filters=(
        Filter("kind", "平台类型", "kind", Platform.Kind.choices),
        Filter("level", "级别", "level", Platform.Level.choices),
        Filter("chain", "产业链", "chain_id", chain_choices),
    ),
    sections=(
        (
            "平台信息",
            (
                Col("平台名称", "name"),
                Col("类型", "kind"),
                Col("级别", "level"),
                Col("依托企业", "enterprise.name", to=("registry:enterprise_detail", "enterprise_id")),
                Col("依托单位（非企业）", "host_organisation"),
                Col("服务产业链", "chain.name", to=("registry:chain_detail", "chain_id")),
                Col("认定时间", "approved_on"),
                Col("认定部门", "approved_by"),
                Col("简介", "description"),
            ),
        ),
    ),
)

PROJECTS = Listing(
    model=Project,
    slug="project",
    namespace="registry",
    title="项目库",
    select_related=("enterprise", "zone", "chain", "leader__person"),
    search=("name", "enterprise__name"),
    columns=(
        Col("项目名称", "name", link=True),
        Col("类型", "kind"),
        Col("状态", "status"),
        Col("承担单位", "enterprise.name"),
        Col("总投资（万元）", "investment"),
        Col("园区", "zone.short_name"),
    ),
    filters=(
        Filter("kind", "项目类型", "kind", Project.Kind.choices),
        Filter("status", "状态", "status", Project.Status.choices),
        Filter("chain", "产业链", "chain_id", chain_choices),
    ),
    sections=(
        (
            "项目信息",
            (
                Col("项目名称", "name"),
                Col("类型", "kind"),
                Col("状态", "status"),
                Col("承担单位", "enterprise.name", to=("registry:enterprise_detail", "enterprise_id")),
                Col(
                    "项目负责人",
                    "leader.person.name",
                    to=("registry:talent_detail", "leader_id"),
                    personal=True,
                ),
                Col("所属产业链", "chain.name", to=("registry:chain_detail", "chain_id")),
                Col("总投资（万元）", "investment"),
                Col("开始时间", "started_on"),
                Col("项目简介", "description"),
            ),
        ),
    ),
)

CHAINS = Listing(
    model=IndustryChain,
    slug="chain",
    namespace="registry",
    title="产业链",
    select_related=("zone",),
    search=("name",),
    columns=(Col("产业链", "name", link=True), Col("园区", "zone.name"), Col("简介", "description")),
    sections=(("产业链", (Col("名称", "name"), Col("园区", "zone.name"), Col("简介", "description"))),),
    related=(
        Related("环节", lambda c, u: c.segments.all(), (Col("环节", "name"), Col("位置", "stage"))),
        Related(
            "链上企业",
            lambda c, u: (
                EnterpriseChainRole.objects.filter(
                    chain=c, enterprise__in=restrict(Enterprise.objects.all(), u)
                )
                .select_related("enterprise", "segment")
                .order_by("role", "enterprise__name")[:100]
            ),
            (Col("企业", "enterprise.name"), Col("角色", "role"), Col("环节", "segment.name")),
            "registry:enterprise_detail",
            link_pk="enterprise_id",
        ),
    ),
)

LISTINGS = (TALENTS, ENTERPRISES, PLATFORMS, PROJECTS, CHAINS)


def _talent_actions(obj: Talent, request: Any) -> dict[str, Any]:
    from django.urls import reverse

    from talentpark.accounts.access import has_perm

    # The page's viewer may see the talent, so she may see her timeline (一码归集) too.
    context: dict[str, Any] = {"links": [("一码归集", reverse("registry:talent_timeline", args=[obj.pk]))]}
    if has_perm(request.user, "pii.unmask"):
        context["pii_unmask"] = reverse("registry:talent_unmask", args=[obj.pk])
    return context


def _enterprise_actions(obj: Enterprise, request: Any) -> dict[str, Any]:
    from django.urls import reverse

    can_edit = restrict(Enterprise.objects.filter(pk=obj.pk), request.user, "change").exists()
    return {"edit_url": reverse("registry:enterprise_edit", args=[obj.pk])} if can_edit else {}


TALENTS.extra_context = _talent_actions
ENTERPRISES.extra_context = _enterprise_actions
