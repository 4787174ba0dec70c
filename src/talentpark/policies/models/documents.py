"""Materials attached to a claim's application by reference to the talent's 材料库 (registry.Document)."""

from __future__ import annotations

from django.db import models


class ClaimDocument(models.Model):
    """One wallet document submitted for one material of a claim's application (一次申报).

    A reference, not a copy: the bytes stay in the talent's 材料库. ``PROTECT`` keeps a document
    that a submitted application refers to (the reviewer must see what was submitted), and the
    row is written only when the application is submitted (``redemption.confirm_claim``).
    """

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    claim = models.ForeignKey(
        "policies.Claim", models.CASCADE, related_name="documents", verbose_name="申领事项"
    )
    document = models.ForeignKey(
        "registry.Document", models.PROTECT, related_name="claim_uses", verbose_name="材料"
    )
    material = models.CharField("所需材料", max_length=200)
    attached_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "申报材料"
        verbose_name_plural = "申报材料"
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "claim", "material"], name="claimdocument_one_per_material"
            )
        ]

    def __str__(self) -> str:
        return self.material
