"""Template context: the signed-in user's role and what the navigation may show.

Staff see grouped menus (so the bar fits 1280 px however many registries there are);
a talent sees her own pages only: home, her profile, policies, her claims, jobs,
apartments and her password — never a staff registry.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language

from talentpark.accounts.access import has_perm
from talentpark.accounts.roles import Role
from talentpark.core import notify

# (label, url name, permission or None for every signed-in user of the role)
NavItem = tuple[str, str, str | None]

NAV_GROUPS: list[tuple[str, list[NavItem]]] = [
    (
        "一网四库",
        [
            ("人才库", "registry:talent_list", "registry.talent.view"),
            ("企业库", "registry:enterprise_list", "registry.enterprise.view"),
            ("平台库", "registry:platform_list", "registry.platform.view"),
            ("项目库", "registry:project_list", "registry.project.view"),
            ("产业链", "registry:chain_list", "registry.chain.view"),
            ("档案变更审核", "accounts:profile_change_list", "registry.talent.change"),
            ("企业注册审核", "signup:registration_list", "signup.enterprise.review"),
            ("数据导入", "registry:import_home", "registry.import"),
        ],
    ),
    (
        "政策兑现",
        [
            ("政策库", "policies:policy_list", "policies.policy.view"),
            ("新建政策", "policies:policy_new", "policies.policy.change"),
            ("政策兑现", "policies:claim_list", "policies.claim.view"),
            ("人工复核", "policies:review_list", "policies.review.view"),
            ("兑现台账", "policies:ledger_list", "policies.ledger.view"),
        ],
    ),
    (
        "招聘引才",
        [
            ("岗位", "recruitment:position_list", "recruitment.position.view"),
            ("人才需求", "recruitment:demand_list", "recruitment.demand.view"),
        ],
    ),
    (
        "服务保障",
        [
            ("人才公寓", "housing:apartment_list", "housing.apartment.view"),
            ("讲师库", "innovation:lecturer_list", "innovation.lecturer.view"),
        ],
    ),
    (
        "系统管理",
        [
            ("组织机构", "accounts:department_list", "accounts.department.view"),
            ("用户管理", "accounts:user_list", "accounts.user.view"),
            ("通知公告", "core:announcement_list", "core.announcement.change"),
            ("隐私政策版本", "signup:notice_list", "signup.privacy.publish"),
            ("操作日志", "core:audit_list", "audit.view"),
            ("登录日志", "accounts:loginlog_list", "accounts.loginlog.view"),
            ("在线用户", "accounts:session_list", "accounts.session.view"),
            ("修改密码", "accounts:password_change", None),
        ],
    ),
]

TALENT_NAV: list[NavItem] = [
    ("首页", "accounts:home", None),
    ("我的档案", "accounts:profile", None),
    ("政策", "policies:policy_list", "policies.policy.view"),
    ("我的兑现", "policies:claim_list", "policies.claim.own"),
    ("岗位", "recruitment:position_list", "recruitment.position.view"),
    ("人才公寓", "housing:apartment_list", "housing.apartment.view"),
    ("修改密码", "accounts:password_change", None),
]

# Every label the navigation can show (the runtime i18n inventory reads it).
NAV: list[NavItem] = [item for _group, items in NAV_GROUPS for item in items] + TALENT_NAV


def _allowed(user: Any, items: list[NavItem]) -> list[tuple[str, str]]:
    return [(label, url_name) for label, url_name, perm in items if perm is None or has_perm(user, perm)]


def nav_for(user: Any) -> dict[str, Any]:
    """``nav_items`` (a flat bar: the talent's) or ``nav_groups`` (staff menus: [(label, items)])."""
    if user.role == Role.TALENT:
        return {"nav_items": _allowed(user, TALENT_NAV), "nav_groups": []}
    groups = [(label, allowed) for label, items in NAV_GROUPS if (allowed := _allowed(user, items))]
    return {"nav_items": [], "nav_groups": groups}


# The navigation depends on the role's permissions and the language only: rendered once for each.
_NAV_HTML: dict[tuple[str, str], str] = {}


def nav_html(user: Any) -> str:
    key = (user.role, get_language())
    html = _NAV_HTML.get(key)
    if html is None:
        html = _NAV_HTML[key] = render_to_string("_nav.html", nav_for(user))
    return html


def principal(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav_html": nav_html(user),
        "role_label": user.get_role_display(),  # type: ignore[union-attr]
        "unread_notices": notify.unread(request)[0],
    }
