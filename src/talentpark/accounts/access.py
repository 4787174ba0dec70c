"""The permission layer lives in the kernel (``core.access``); re-exported here for the apps
that import it from ``accounts``. The grants below are the accounts app's own permissions."""

from __future__ import annotations

from talentpark.core.access import (
    can,
    data_scope_q,
    get_for,
    grant,
    has_perm,
    perm_for,
    province_zone_q,
    register_scope,
    require_perm,
    restrict,
    role_permissions,
    sees_people,
    shown,
    talent_zone_ids,
    user_zone_ids,
    zone_public_scope,
    zone_q,
)
from talentpark.core.roles import Role

__all__ = [
    "can",
    "data_scope_q",
    "get_for",
    "grant",
    "has_perm",
    "perm_for",
    "province_zone_q",
    "register_scope",
    "require_perm",
    "restrict",
    "role_permissions",
    "sees_people",
    "shown",
    "talent_zone_ids",
    "user_zone_ids",
    "zone_public_scope",
    "zone_q",
]

grant(
    {
        Role.OFFICE: {
            "accounts.user.view",
            "accounts.department.view",
            "accounts.loginlog.view",  # 登录日志 of the zone's users
            "accounts.session.view",  # 在线用户
            "accounts.session.change",  # 强制下线
            "accounts.user.otp_reset",  # 重置双因素认证 (a lost phone)
        },
    }
)
