"""Template context: the signed-in user's role and what the navigation may show."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from talentpark.accounts.access import has_perm


def principal(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    nav = [(label, url_name) for label, url_name, perm in NAV if has_perm(user, perm)]
    return {"nav_items": nav, "role_label": user.get_role_display()}  # type: ignore[union-attr]


NAV = [
    ("人才库", "registry:talent_list", "registry.talent.view"),
    ("企业库", "registry:enterprise_list", "registry.enterprise.view"),
    ("平台库", "registry:platform_list", "registry.platform.view"),
    ("项目库", "registry:project_list", "registry.project.view"),
    ("产业链", "registry:chain_list", "registry.chain.view"),
    ("数据导入", "registry:import_home", "registry.import"),
    ("政策库", "policies:policy_list", "policies.policy.view"),
    ("政策兑现", "policies:claim_list", "policies.claim.view"),
    ("人工复核", "policies:review_list", "policies.review.view"),
    ("兑现台账", "policies:ledger_list", "policies.ledger.view"),
    ("岗位", "recruitment:position_list", "recruitment.position.view"),
    ("人才需求", "recruitment:demand_list", "recruitment.demand.view"),
    ("人才公寓", "housing:apartment_list", "housing.apartment.view"),
    ("讲师库", "innovation:lecturer_list", "innovation.lecturer.view"),
    ("组织机构", "accounts:department_list", "accounts.department.view"),
    ("用户管理", "accounts:user_list", "accounts.user.view"),
    ("操作日志", "core:audit_list", "audit.view"),
]
