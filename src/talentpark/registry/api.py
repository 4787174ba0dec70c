"""Registry API: the same listings, filters and permission layer as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from talentpark.accounts.access import get_for, restrict, sees_people
from talentpark.accounts.roles import Role
from talentpark.core import timeline
from talentpark.core.api_kit import (
    Amount,
    Count,
    Day,
    FreeText,
    PageNumber,
    PageSize,
    RecordId,
    add_listing_routes,
    answers,
    page_params,
)
from talentpark.core.context import ActionContext
from talentpark.registry.models import Enterprise, Talent
from talentpark.registry.pages import CHAINS, ENTERPRISES, PLATFORMS, PROJECTS, TALENTS
from talentpark.registry.services import update_enterprise

router = Router(tags=["一网四库"])


class TalentOut(Schema):
    id: int
    zone_id: int
    name: str
    sex: str
    phone: str  # masked
    id_number: str  # masked
    highest_degree: str
    professional_title: str
    skill_level: str
    programme_level: str
    tier: str
    employer_id: int | None
    employer_name: str
    zone_entry_date: dt.date
    status: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.person.name

    @staticmethod
    def resolve_sex(obj: Any) -> str:
        return obj.person.sex

    @staticmethod
    def resolve_phone(obj: Any) -> str:
        return str(obj.person.phone or "")

    @staticmethod
    def resolve_id_number(obj: Any) -> str:
        return str(obj.person.id_number or "")

    @staticmethod
    def resolve_highest_degree(obj: Any) -> str:
        return obj.person.highest_degree

    @staticmethod
    def resolve_employer_name(obj: Any) -> str:
        return obj.employer.name if obj.employer_id else ""


class EnterpriseOut(Schema):
    id: int
    zone_id: int
    name: str
    short_name: str
    uscc: str
    division_id: str
    industry_id: str
    scale: str
    founded_on: dt.date | None
    registered_capital: Decimal | None
    employee_count: int
    is_key: bool
    is_high_tech: bool
    address: str
    contact_name: str | None  # None for roles that see figures, not people (the province)
    contact_phone: str | None  # masked; None as contact_name

    @staticmethod
    def resolve_contact_name(obj: Any, context: Any) -> str | None:
        return obj.contact_name if sees_people(context["request"].user) else None

    @staticmethod
    def resolve_contact_phone(obj: Any, context: Any) -> str | None:
        return str(obj.contact_phone or "") if sees_people(context["request"].user) else None


class EnterprisePatch(Schema):
    """Fields an enterprise's HR (or the office) may change; anything else is refused.

    The API kit's types refuse what no service should see (text starting like a spreadsheet
    formula, numbers beyond their column, dates outside 1900-2100); the service checks the rest.
    """

    model_config = ConfigDict(extra="forbid")

    name: FreeText | None = Field(None, title="企业名称")
    short_name: FreeText | None = Field(None, title="简称")
    uscc: str | None = Field(None, title="统一社会信用代码")
    scale: str | None = Field(None, title="企业规模", description="large、medium、small 或 micro")
    founded_on: Day | None = Field(None, title="成立日期")
    registered_capital: Amount | None = Field(None, title="注册资本（万元）")
    employee_count: Count | None = Field(None, title="职工人数")
    is_high_tech: bool | None = Field(None, title="高新技术企业")
    address: FreeText | None = Field(None, title="地址")
    contact_name: FreeText | None = Field(None, title="联系人")
    contact_phone: str | None = Field(None, title="联系电话")
    description: FreeText | None = Field(None, title="企业简介")
    industry: str | None = Field(None, title="所属行业", description="GB/T 4754-2017 行业代码")


class PlatformOut(Schema):
    id: int
    zone_id: int
    name: str
    kind: str
    level: str
    enterprise_id: int | None
    host_organisation: str
    chain_id: int | None
    approved_on: dt.date | None


class ProjectOut(Schema):
    id: int
    zone_id: int
    name: str
    kind: str
    status: str
    enterprise_id: int | None
    chain_id: int | None
    investment: Decimal | None
    started_on: dt.date | None


class ChainOut(Schema):
    id: int
    zone_id: int
    code: str
    name: str
    description: str


add_listing_routes(router, TALENTS, TalentOut)
add_listing_routes(router, ENTERPRISES, EnterpriseOut)
add_listing_routes(router, PLATFORMS, PlatformOut)
add_listing_routes(router, PROJECTS, ProjectOut)
add_listing_routes(router, CHAINS, ChainOut)


@router.patch(
    "/enterprises/{pk}",
    response=answers(EnterpriseOut, 403, 404),
    operation_id="update_enterprise",
    summary="修改企业信息",
)
def patch_enterprise(request: HttpRequest, pk: RecordId, payload: EnterprisePatch) -> Any:
    enterprise = get_for(Enterprise, request.user, "change", pk=pk)
    changes = payload.model_dump(exclude_unset=True)
    return update_enterprise(
        ActionContext.from_request(request, reason="API修改企业信息"), enterprise, changes
    )


# -- 一码归集: a talent's timeline, as on her page (core.timeline, every app's sources) ----------
class TimelineKindOut(Schema):
    kind: str = Field(title="类别代码")
    label: str = Field(title="类别")


class TimelineEventOut(Schema):
    at: dt.datetime = Field(title="时间", description="带时区（北京时间）")
    kind: str = Field(title="类别代码")
    kind_label: str = Field(title="类别")
    title: str = Field(title="事项")
    detail: str = Field(title="说明")
    url: str = Field(title="记录页面", description="查看者无权打开该记录时为空")
    source: str = Field(title="来源系统")


class TimelineOut(Schema):
    talent_id: int
    count: int
    page: int
    page_size: int
    kinds: list[TimelineKindOut] = Field(description="可筛选的全部类别")
    items: list[TimelineEventOut] = Field(description="最新的在前")


class TimelineParams(Schema):
    kind: list[str] = Field(
        [], title="类别", description="类别代码，可多选（kind=claim&kind=tier）；其他值忽略"
    )
    page: PageNumber = 1
    page_size: PageSize = Field(25, description="每页条数，超过上限（参数管理“接口每页最多条数”）按上限返回")


def _timeline(request: HttpRequest, talent: Talent, params: TimelineParams) -> dict[str, Any]:
    page, page_size = page_params(params.page, params.page_size)
    tl = timeline.page(talent, request.user, timeline.known_kinds(params.kind), page, page_size)
    return {
        "talent_id": talent.pk,
        "count": tl.count,
        "page": tl.number,
        "page_size": tl.page_size,
        "kinds": [{"kind": k, "label": label} for k, label in timeline.kinds()],
        "items": [e.as_dict() for e in tl.events],
    }


@router.get(
    "/talents/{pk}/timeline",
    response=answers(TimelineOut, 403, 404),
    operation_id="get_talent_timeline",
    url_name="talent_timeline",
    summary="人才一码归集",
    description="一名人才在园区办理过的所有事项（建档入区、人才认定、档案变更、政策兑现、注册与授权……），"
    "最新的在前，与页面“一码归集”相同。可见范围与人才详情相同：无权查看人才库为403，"
    "不在本人数据范围内的人才为404。",
)
def talent_timeline(request: HttpRequest, pk: RecordId, params: Query[TimelineParams]) -> Any:
    talent = get_for(TALENTS.queryset(request.user), request.user, "view", pk=pk)
    return _timeline(request, talent, params)


@router.get(
    "/timeline",
    response=answers(TimelineOut, 403, 404),
    operation_id="get_my_timeline",
    url_name="my_timeline",
    summary="我的一码归集",
    description="登录人才本人的一码归集（最新的人才档案；talent 指定本人的另一份档案）。仅限人才角色。",
)
def my_timeline(request: HttpRequest, params: Query[TimelineParams], talent: RecordId | None = None) -> Any:
    user: Any = request.user
    if user.role != Role.TALENT:
        raise PermissionDenied
    mine = restrict(Talent.objects.select_related("zone", "employer", "person"), user, "view")
    record = get_for(mine, user, "view", pk=talent) if talent else mine.order_by("-id").first()
    if record is None:
        from django.http import Http404

        raise Http404
    return _timeline(request, record, params)
