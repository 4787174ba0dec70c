"""What 人才码 declares to the kernel (imported by ``TalentcodeConfig.ready``)."""

from __future__ import annotations

from talentpark.core import zone_versions

# Platform-wide signing keys: no zone owns them and no cached page shows them.
zone_versions.register("talentcode.SigningKey", shared=True)
