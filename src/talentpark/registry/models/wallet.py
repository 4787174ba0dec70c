"""材料库 (document wallet): a talent's materials, uploaded once and attached to any later form by reference."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Document(models.Model):
    """One file a talent keeps in her 材料库 for one zone record (a diploma, a contract, a certificate …).

    The bytes are sealed (AES-GCM under the field keyring, key id in the file's header) under
    ``var/wallet/``, never under a public media URL; ``storage_name`` names that file. ``sha256``
    is the digest of the plaintext, unique per talent: the same file uploaded twice is one row.
    ``content_type`` is what the bytes are (sniffed), whatever the file was called. Feature apps
    attach a document by reference (``policies.ClaimDocument``, ``PROTECT``): a document that a
    submitted application refers to cannot be deleted.
    """

    class Kind(models.TextChoices):
        DIPLOMA = "diploma", "学历学位证书"
        CONTRACT = "contract", "劳动合同"
        CERTIFICATE = "certificate", "职称/资格证书"
        AWARD = "award", "获奖证明"
        SOCIAL = "social", "社保/个税缴纳证明"
        IDENTITY = "identity", "身份证件"
        OTHER = "other", "其他"

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    talent = models.ForeignKey(
        "registry.Talent", models.PROTECT, related_name="documents", verbose_name="人才"
    )
    kind = models.CharField("材料类别", max_length=12, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField("材料名称", max_length=120)
    storage_name = models.CharField("存储文件名", max_length=64, unique=True, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("文件类型", max_length=40)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上传人",
    )

    class Meta:
        verbose_name = "材料"
        verbose_name_plural = "材料库"
        constraints = [
            models.UniqueConstraint(fields=["zone", "talent", "sha256"], name="document_once_per_talent"),
            models.CheckConstraint(condition=models.Q(size__gt=0), name="document_not_empty"),
        ]
        indexes = [models.Index(fields=["zone", "talent", "kind"], name="document_talent_kind")]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}.get(
            self.content_type, ""
        )
