"""What registry declares to the kernel (imported by ``RegistryConfig.ready``): its personal-information
fields and how its models move the zone versions.
"""

from __future__ import annotations

from talentpark.core import pii_inventory, zone_versions
from talentpark.core.pii_inventory import PIField

pii_inventory.register(
    PIField("registry.person.id_number", "sensitive", "身份核验、人才认定与政策兑现的唯一标识", "离区后5年"),
    PIField("registry.person.phone", "general", "服务联系、业务通知", "离区后5年"),
    PIField("registry.person.name", "general", "人才档案、服务办理", "离区后5年"),
    PIField("registry.person.birth_date", "general", "政策年龄条件判断", "离区后5年"),
    PIField("registry.person.email", "general", "服务联系", "离区后5年"),
    PIField("registry.person.hukou_division", "general", "落户、子女就学等政策条件", "离区后5年"),
    PIField("registry.person.bank_account", "sensitive", "政策兑现资金拨付（一次申报预填）", "离区后5年"),
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
    PIField(
        "registry.document.storage_name",
        "sensitive",
        "材料库：人才本人上传的学历、合同、证书等材料（加密存储），供各项申报引用",
        "离区后5年",
    ),
    PIField("registry.enterprise.contact_name", "general", "企业联系", "企业注销后3年"),
    PIField("registry.enterprise.contact_phone", "general", "企业联系", "企业注销后3年"),
)

zone_versions.register("registry.ImportJob", ignored=True)
zone_versions.register("registry.EnterpriseAccount", zone_of=lambda account: account.enterprise.zone_id)
zone_versions.register("registry.ChainSegment", zone_of=lambda segment: segment.chain.zone_id)
