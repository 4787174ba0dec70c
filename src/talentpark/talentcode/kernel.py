"""What 人才码 declares to the kernel (imported by ``TalentcodeConfig.ready``)."""

from __future__ import annotations

from talentpark.core import zone_versions

# Platform-wide signing keys: no zone owns them and no cached page shows them.
zone_versions.register("talentcode.SigningKey", shared=True)
# Tokens and scans are written every minute by every phone and window; no cached page shows them.
zone_versions.register("talentcode.IssuedToken", ignored=True)
zone_versions.register("talentcode.Scan", ignored=True)
zone_versions.register("talentcode.PartnerAccount", ignored=True)
