"""Who sees enterprise registrations: the office of their zone (permission ``signup.enterprise.review``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from talentpark.accounts.access import grant, register_scope, zone_q
from talentpark.accounts.roles import Role
from talentpark.signup.models import EnterpriseRegistration

REVIEW = "signup.enterprise.review"
PUBLISH_NOTICE = "signup.privacy.publish"  # 隐私政策版本 (the platform's notice, not a zone's)


@register_scope(EnterpriseRegistration, "signup.enterprise")
def registration_scope(
    user: Any, qs: QuerySet[EnterpriseRegistration], action: str
) -> QuerySet[EnterpriseRegistration]:
    if user.role == Role.OFFICE and action == "review":
        return qs.filter(zone_q(user))
    return qs.none()


grant({Role.OFFICE: {REVIEW, PUBLISH_NOTICE}})  # 企业注册审核, 隐私政策版本
