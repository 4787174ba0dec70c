"""A talent's request to change fields of her own record that the office must verify."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from talentpark.core.fields import EncryptedPIIField


class ProfileChange(models.Model):
    """Changes a talent asked for on fields that need verification (学历, 职称, 工作单位, 手机号 …).

    Until the office approves, her record keeps the old values; approving applies
    ``changes`` (and ``new_phone``), rejecting leaves the record as it was. ``previous``
    is what the record held when she asked (the phone masked), for the reviewer.
    A talent has at most one pending request per zone.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "已退回"

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    talent = models.ForeignKey(
        "registry.Talent", models.PROTECT, related_name="profile_changes", verbose_name="人才"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="申请人"
    )
    changes = models.JSONField("申请修改", default=dict, help_text="字段 → 新值（手机号码另行加密保存）")
    previous = models.JSONField("原值", default=dict)
    new_phone = EncryptedPIIField("新手机号码", kind="phone", null=True, blank=True)
    note = models.CharField("申请说明", max_length=300, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    review_note = models.CharField("审核意见", max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "档案变更申请"
        ordering = ["-id"]
        indexes = [models.Index(fields=["zone", "status"], name="profilechange_zone_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "talent"],
                condition=models.Q(status="pending"),
                name="one_pending_profile_change",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending", reviewed_at__isnull=True)
                | (~models.Q(status="pending") & models.Q(reviewed_at__isnull=False)),
                name="profile_change_reviewed_when_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"档案变更 · {self.talent}"
