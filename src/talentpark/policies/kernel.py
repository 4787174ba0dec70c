"""What policies declares to the kernel (imported by ``PoliciesConfig.ready``): its personal-information
fields and how its models move the zone versions.
"""

from __future__ import annotations

from talentpark.core import pii_inventory, zone_versions
from talentpark.core.pii_inventory import PIField

pii_inventory.register(
    PIField(
        "policies.claim.bank_account", "sensitive", "本次政策兑现的收款账户", "兑现完成后10年（财务档案）"
    ),
    PIField(
        "policies.ledgerentry.payee_account_masked",
        "general",
        "兑现台账（仅存脱敏账号末四位）",
        "10年（财务档案）",
    ),
)

zone_versions.register("policies.PublishRun", ignored=True)
zone_versions.register("policies.ClaimEvent", zone_of=lambda event: event.claim.zone_id)
zone_versions.register("policies.PolicyAttachment", zone_of=lambda attachment: attachment.policy.zone_id)
