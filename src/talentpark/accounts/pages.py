"""组织机构 and 用户 pages for the talent office (its own zone only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from talentpark.accounts.access import has_perm, register_scope, zone_q
from talentpark.accounts.models import Department, LoginEvent, User, UserSession
from talentpark.accounts.roles import Role
from talentpark.core.listing import Col, Filter, Listing, Related


def _office_zone_scope(user: Any, qs: QuerySet[Any], action: str) -> QuerySet[Any]:
    return qs.filter(zone_q(user)) if action == "view" else qs.none()


register_scope(Department, "accounts.department")(_office_zone_scope)
register_scope(User, "accounts.user")(_office_zone_scope)
register_scope(LoginEvent, "accounts.loginlog")(_office_zone_scope)


@register_scope(UserSession, "accounts.session")
def _session_scope(user: Any, qs: QuerySet[Any], action: str) -> QuerySet[Any]:
    """在线用户: the office sees and ends (``change``: 强制下线) the sessions of its zone's users."""
    return qs.filter(zone_q(user)) if action in ("view", "change") else qs.none()


def _indented(d: Department) -> str:
    depth = max(d.path.count("/") - 2, 0)
    return "　" * depth + ("└ " if depth else "") + d.name


DEPARTMENTS = Listing(
    model=Department,
    slug="department",
    namespace="accounts",
    title="组织机构",
    select_related=("parent", "zone"),
    search=("name",),
    search_hint="部门名称",
    columns=(Col("部门", _indented, link=True), Col("类型", "kind"), Col("上级部门", "parent.name")),
    sections=(
        (
            "部门信息",
            (
                Col("部门名称", "name"),
                Col("类型", "kind"),
                Col("上级部门", "parent.name"),
                Col("园区", "zone.name"),
            ),
        ),
    ),
    related=(
        Related(
            "下级部门",
            lambda d, u: d.children.all(),
            (Col("部门", "name", link=True), Col("类型", "kind")),
            "accounts:department_detail",
        ),
        Related(
            "成员",
            lambda d, u: d.user_set.filter(is_active=True).order_by("username"),
            (
                Col("用户名", "username", link=True),
                Col("姓名", "display_name"),
                Col("角色", "role"),
                Col("数据范围", "effective_scope_label"),
            ),
            "accounts:user_detail",
        ),
    ),
)


def _second_factor(u: User) -> str:
    from talentpark.accounts import otp

    return gettext("已启用") if otp.device_of(u) is not None else gettext("未启用")


def _user_actions(u: User, request: Any) -> dict[str, Any]:
    """The office's actions on a user's page: 重置双因素认证 (a lost phone)."""
    if not has_perm(request.user, "accounts.user.otp_reset"):
        return {}
    return {"links": [("重置双因素认证", reverse("accounts:user_otp_reset", args=[u.pk]))]}


USERS = Listing(
    model=User,
    slug="user",
    namespace="accounts",
    title="用户管理",
    select_related=("department", "zone"),
    order_by=("role", "username"),
    search=("username", "display_name"),
    search_hint="用户名或姓名",
    columns=(
        Col("用户名", "username", link=True),
        Col("姓名", "display_name"),
        Col("角色", "role"),
        Col("部门", "department.name"),
        Col("数据范围", "effective_scope_label"),
        Col("启用", "is_active"),
    ),
    filters=(
        Filter("role", "角色", "role", Role.choices),
        Filter("active", "启用", "is_active", [("1", "是"), ("0", "否")]),
    ),
    sections=(
        (
            "账号信息",
            (
                Col("用户名", "username"),
                Col("姓名", "display_name"),
                Col("角色", "role"),
                Col("部门", "department.name"),
                Col("数据范围", "effective_scope_label"),
                Col("启用", "is_active"),
                Col("最近登录", "last_login"),
                Col("双因素认证", _second_factor),
            ),
        ),
    ),
    extra_context=_user_actions,
)


def _day(value: str, *, end: bool = False) -> dt.datetime:
    """Midnight (Beijing time) starting the day ``value`` (YYYY-MM-DD), or the next one (``end``)."""
    day = dt.date.fromisoformat(value)  # ValueError: the filter is ignored
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=int(end)), dt.time()))


def _browser(event: LoginEvent) -> str:
    text = event.user_agent
    return text if len(text) <= 60 else text[:57] + "…"


LOGIN_LOG = Listing(
    model=LoginEvent,
    slug="loginlog",
    namespace="accounts",
    title="登录日志",
    select_related=("user",),
    search=("username", "user__display_name"),
    search_hint="登录名或姓名",
    columns=(
        Col("时间", "at", link=True),
        Col("类型", "kind"),
        Col("登录名", "username", personal=True),
        Col("姓名", "user.display_name", personal=True),
        Col("来源IP", "ip"),
        Col("浏览器", _browser),
        Col("说明", "detail"),
    ),
    filters=(
        Filter("kind", "类型", "kind", LoginEvent.Kind.choices),
        Filter("ip", "来源IP", lambda v: Q(ip__startswith=v), widget="text"),
        Filter("from", "开始日期", lambda v: Q(at__gte=_day(v)), widget="date"),
        Filter("to", "结束日期", lambda v: Q(at__lt=_day(v, end=True)), widget="date"),
    ),
    sections=(
        (
            "登录记录",
            (
                Col("时间", "at"),
                Col("类型", "kind"),
                Col("登录名", "username", personal=True),
                Col("姓名", "user.display_name", personal=True),
                Col("角色", "user.role"),
                Col("来源IP", "ip"),
                Col("浏览器", "user_agent"),
                Col("说明", "detail"),
            ),
        ),
    ),
)

LISTINGS = (DEPARTMENTS, USERS, LOGIN_LOG)
