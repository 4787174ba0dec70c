"""Roles, data scopes and the permissions each role holds.

The table is the single source of truth for *what* a role may do; *which rows* it may
do it to is decided by the scope functions registered in each app's ``access.py``.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    TALENT = "talent", "人才"
    HR = "hr", "企业人事"
    SPECIALIST = "specialist", "服务专员"
    DEPT = "dept", "部门经办"
    OFFICE = "office", "人才办管理员"
    AMBASSADOR = "ambassador", "引才大使"
    PARTNER = "partner", "合作窗口"
    PROVINCE = "province", "省级查看"


class DataScope(models.TextChoices):
    ALL = "all", "全部数据"
    DEPT_AND_BELOW = "dept_and_below", "本部门及以下"
    DEPT = "dept", "本部门"
    SELF = "self", "仅本人"


DEFAULT_SCOPE = {
    Role.OFFICE: DataScope.ALL,
    Role.SPECIALIST: DataScope.SELF,
    Role.DEPT: DataScope.DEPT,
}

STAFF_ROLES = frozenset({Role.SPECIALIST, Role.DEPT, Role.OFFICE})

_REGISTRY_READ = {
    "registry.enterprise.view",
    "registry.platform.view",
    "registry.project.view",
    "registry.chain.view",
    "policies.policy.view",
    "recruitment.position.view",
    "housing.apartment.view",
    "innovation.lecturer.view",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.TALENT: frozenset(
        _REGISTRY_READ
        | {"registry.talent.view", "registry.talent.change_self", "policies.claim.view", "policies.claim.own"}
    ),
    Role.HR: frozenset(
        _REGISTRY_READ
        | {
            "registry.enterprise.change",
            "recruitment.demand.view",
            "recruitment.position.change",
            "policies.claim.view",
            "policies.claim.own",
        }
    ),
    Role.SPECIALIST: frozenset(
        _REGISTRY_READ
        | {
            "registry.talent.view",
            "registry.talent.change",
            "registry.enterprise.change",
            "recruitment.demand.view",
            "pii.unmask",
            "policies.claim.view",
        }
    ),
    Role.DEPT: frozenset(
        _REGISTRY_READ
        | {"registry.talent.view", "recruitment.demand.view", "policies.claim.view", "policies.claim.approve"}
    ),
    Role.OFFICE: frozenset(
        _REGISTRY_READ
        | {
            "registry.talent.view",
            "registry.talent.change",
            "registry.enterprise.change",
            "registry.platform.change",
            "registry.project.change",
            "registry.import",  # Excel import of talents, enterprises, platforms and projects
            "policies.policy.change",
            "policies.claim.view",
            "policies.claim.approve",
            "policies.claim.pay",  # the office's finance desk records payments in the ledger
            "policies.review.view",
            "policies.review.handle",
            "policies.ledger.view",
            "recruitment.demand.view",
            "pii.unmask",
            "audit.view",
            "accounts.user.view",
            "accounts.department.view",
            "accounts.loginlog.view",  # 登录日志 of the zone's users
            "accounts.session.view",  # 在线用户
            "accounts.session.change",  # 强制下线
            "core.announcement.change",  # 通知公告
            "signup.enterprise.review",  # 企业注册审核
            "signup.privacy.publish",  # 隐私政策版本
        }
    ),
    Role.AMBASSADOR: frozenset(
        {"registry.enterprise.view", "recruitment.position.view", "policies.policy.view"}
    ),
    Role.PARTNER: frozenset({"policies.policy.view"}),
    # Figures across all zones, never personal data: no talent or lecturer access.
    Role.PROVINCE: frozenset(
        {
            "registry.enterprise.view",
            "registry.platform.view",
            "registry.project.view",
            "registry.chain.view",
            "policies.policy.view",
            "insights.province.view",
        }
    ),
}

# Names and contacts of people shown on records that are not themselves personal (an
# enterprise's contact, a project's leader, a record's specialist). Every role holds it but
# the province viewer, who sees figures, never people.
PEOPLE_VIEW = "core.people.view"
ROLE_PERMISSIONS = {
    role: perms if role == Role.PROVINCE else perms | {PEOPLE_VIEW}
    for role, perms in ROLE_PERMISSIONS.items()
}
