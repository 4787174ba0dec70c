"""组织机构 and 用户 pages for the talent office (its own zone only)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from talentpark.accounts.access import register_scope, zone_q
from talentpark.accounts.models import Department, User
from talentpark.accounts.roles import Role
from talentpark.core.listing import Col, Filter, Listing, Related


def _office_zone_scope(user: Any, qs: QuerySet[Any], action: str) -> QuerySet[Any]:
    return qs.filter(zone_q(user)) if action == "view" else qs.none()


register_scope(Department, "accounts.department")(_office_zone_scope)
register_scope(User, "accounts.user")(_office_zone_scope)


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
            ),
        ),
    ),
)

LISTINGS = (DEPARTMENTS, USERS)
