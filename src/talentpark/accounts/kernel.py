"""What accounts declares to the kernel (imported by ``AccountsConfig.ready``): its personal-information
fields, how its models move the zone versions, the departments an announcement may address and how a
bearer token finds its user.
"""

from __future__ import annotations

from talentpark.accounts.models import APIToken, Department
from talentpark.core import announcements, api_kit, pii_inventory, zone_versions
from talentpark.core.pii_inventory import PIField

pii_inventory.register(
    PIField("accounts.user.email", "general", "账号找回与通知", "账号注销后1年"),
    PIField("accounts.user.display_name", "general", "登录后显示与审计记录", "账号注销后1年"),
)

zone_versions.register("accounts.User", ignored=True)  # signing in writes last_login; homes key on its fields
zone_versions.register("accounts.APIToken", ignored=True)
zone_versions.register(
    "accounts.LoginEvent", ignored=True
)  # 登录日志: written at every sign-in, shown on no cached page
zone_versions.register("accounts.UserSession", ignored=True)  # 在线用户: last activity moves every minute
zone_versions.register(
    "accounts.PasswordHistory", ignored=True
)  # written when a password is set; no cached page shows it

announcements.register_departments(
    lambda zone_id: Department.objects.filter(zone_id=zone_id).order_by("path")
)
api_kit.register_token_auth(APIToken.user_for)
