"""What signup declares to the kernel (imported by ``SignupConfig.ready``): its personal-information
fields and how its models move the zone versions.
"""

from __future__ import annotations

from talentpark.core import pii_inventory, zone_versions
from talentpark.core.pii_inventory import PIField

pii_inventory.register(
    PIField(
        "signup.enterpriseregistration.contact_name", "general", "企业注册审核与结果告知", "审核完成后3年"
    ),
    PIField(
        "signup.enterpriseregistration.contact_phone",
        "general",
        "企业注册短信验证、审核结果告知与找回密码",
        "审核完成后3年",
    ),
    # Proof of consent (PIPL art. 14): when and from where a person accepted a privacy-notice version.
    PIField("signup.privacyconsent.ip", "general", "隐私政策同意的证明（来源IP）", "账号注销后3年"),
    PIField(
        "signup.privacyconsent.user_agent", "general", "隐私政策同意的证明（浏览器标识）", "账号注销后3年"
    ),
    PIField("signup.enterpriseregistration.ip", "general", "企业注册同意隐私政策的证明", "审核完成后3年"),
    PIField(
        "signup.enterpriseregistration.user_agent", "general", "企业注册同意隐私政策的证明", "审核完成后3年"
    ),
)

zone_versions.register("signup.PrivacyNotice", shared=True)  # platform-wide notice; sign-in machinery
zone_versions.register("signup.PrivacyConsent", shared=True)
