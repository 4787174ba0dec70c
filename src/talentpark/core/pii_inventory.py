"""The personal-information inventory (PIPL art. 51): every PI field, its class, purpose, retention.

A test walks all models and fails when a field that looks like personal information is
missing here, or when a sensitive one is not encrypted.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PIField:
    label: str  # "app_label.model.field"
    sensitivity: str  # "sensitive" (PIPL art. 28) or "general"
    purpose: str
    retention: str


INVENTORY: tuple[PIField, ...] = (
    PIField("accounts.user.email", "general", "账号找回与通知", "账号注销后1年"),
    PIField("accounts.user.display_name", "general", "登录后显示与审计记录", "账号注销后1年"),
    PIField("registry.person.id_number", "sensitive", "身份核验、人才认定与政策兑现的唯一标识", "离区后5年"),
    PIField("registry.person.phone", "general", "服务联系、业务通知", "离区后5年"),
    PIField("registry.person.name", "general", "人才档案、服务办理", "离区后5年"),
    PIField("registry.person.birth_date", "general", "政策年龄条件判断", "离区后5年"),
    PIField("registry.person.email", "general", "服务联系", "离区后5年"),
    PIField("registry.person.hukou_division", "general", "落户、子女就学等政策条件", "离区后5年"),
    PIField("registry.person.bank_account", "sensitive", "政策兑现资金拨付（一次申报预填）", "离区后5年"),
    PIField(
        "policies.claim.bank_account", "sensitive", "本次政策兑现的收款账户", "兑现完成后10年（财务档案）"
    ),
    PIField(
        "policies.ledgerentry.payee_account_masked",
        "general",
        "兑现台账（仅存脱敏账号末四位）",
        "10年（财务档案）",
    ),
    PIField(
        "registry.profilechange.new_phone",
        "general",
        "人才申请变更的手机号码（人才办核实后生效）",
        "离区后5年",
    ),
    PIField("registry.familymember.name", "general", "配偶就业、子女就学服务", "离区后5年"),
    PIField(
        "registry.familymember.birth_date",
        "sensitive",
        "子女就学政策条件（含不满十四周岁未成年人信息）",
        "离区后5年",
    ),
    PIField("registry.enterprise.contact_name", "general", "企业联系", "企业注销后3年"),
    PIField("registry.enterprise.contact_phone", "general", "企业联系", "企业注销后3年"),
    PIField("innovation.lecturer.name", "general", "讲师库展示与培训安排", "退出讲师库后3年"),
    PIField(
        "signup.enterpriseregistration.contact_name", "general", "企业注册审核与结果告知", "审核完成后3年"
    ),
    PIField(
        "signup.enterpriseregistration.contact_phone",
        "general",
        "企业注册短信验证、审核结果告知与找回密码",
        "审核完成后3年",
    ),
    PIField("innovation.lecturer.phone", "general", "培训联系", "退出讲师库后3年"),
    # Proof of consent (PIPL art. 14): when and from where a person accepted a privacy-notice version.
    PIField("signup.privacyconsent.ip", "general", "隐私政策同意的证明（来源IP）", "账号注销后3年"),
    PIField(
        "signup.privacyconsent.user_agent", "general", "隐私政策同意的证明（浏览器标识）", "账号注销后3年"
    ),
    PIField("signup.enterpriseregistration.ip", "general", "企业注册同意隐私政策的证明", "审核完成后3年"),
    PIField(
        "signup.enterpriseregistration.user_agent", "general", "企业注册同意隐私政策的证明", "审核完成后3年"
    ),
    # SMS codes keep the phone only as its keyed blind index, for rate limits and checks.
    PIField(
        "core.smscode.phone_hash",
        "general",
        "短信验证码校验与发送频率限制（仅存密钥哈希）",
        "限流只需1天（定期清理待实现）",
    ),
    # The search index copies names (never ID numbers, phones, e-mails or birth dates) and is
    # rewritten or deleted with its record.
    PIField("core.searchdocument.title", "general", "全文检索：人才姓名等记录标题", "随源记录更新或删除"),
    PIField(
        "core.searchdocument.tokens",
        "general",
        "全文检索：姓名、拼音、单位、学历等分词",
        "随源记录更新或删除",
    ),
)

# Field names that always mean personal information, wherever they appear.
PI_NAME_HINTS = ("id_number", "phone", "bank_account", "mobile", "passport", "birth_date", "email")
# These kinds must be stored encrypted (EncryptedPIIField).
MUST_ENCRYPT_HINTS = ("id_number", "phone", "bank_account", "mobile", "passport")


def inventory_labels() -> set[str]:
    return {f.label for f in INVENTORY}
