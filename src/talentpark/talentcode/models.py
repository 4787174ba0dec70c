from __future__ import annotations

from django.db import models


class SigningKey(models.Model):
    """A key that signs 人才码 tokens (``talentcode.tokens``); platform-wide, not a zone's.

    Only the active key signs, and only it keeps its private half (sealed under the field keyring,
    ``talentcode.keys``). A retiring key still verifies the tokens it signed until ``not_after``; a
    retired key verifies nothing. The public halves of all of them are published
    (``/talentcode/keys.json``) for offline verifiers.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "启用"
        RETIRING = "retiring", "停签（仍可验证）"
        RETIRED = "retired", "已退役"

    kid = models.CharField("密钥标识", max_length=16, unique=True)
    alg = models.CharField("签名算法", max_length=16, default="EdDSA")
    public_key = models.BinaryField("公钥")
    private_key_sealed = models.TextField("私钥（加密）", blank=True, editable=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    retiring_at = models.DateTimeField("停签时间", null=True, blank=True)
    not_after = models.DateTimeField("验证截止", null=True, blank=True)
    retired_at = models.DateTimeField("退役时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "人才码签名密钥"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="active"),
                name="talentcode_one_active_key",
            ),
            models.CheckConstraint(
                condition=models.Q(status="active") | models.Q(private_key_sealed=""),
                name="talentcode_only_active_key_keeps_private",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kid} ({self.alg}, {self.get_status_display()})"
