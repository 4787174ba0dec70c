"""Self-registration: the privacy notice's versions, who accepted which, enterprises waiting for the office."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from talentpark.core.fields import BlindIndexField, EncryptedPIIField


class PrivacyNotice(models.Model):
    """One version of the platform's privacy notice (隐私政策). The one in force is the newest
    whose ``effective_at`` has passed; a talent who accepted an older one accepts it at her next login."""

    version = models.CharField("版本号", max_length=20, unique=True)
    title = models.CharField("标题", max_length=80)
    body = models.TextField("正文")
    effective_at = models.DateTimeField("生效时间", db_index=True)
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "隐私政策版本"
        ordering = ["-effective_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"


class PrivacyConsent(models.Model):
    """A person's acceptance of one version of the privacy notice (PIPL art. 14, 17): when, from where."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="privacy_consents", verbose_name="用户"
    )
    notice = models.ForeignKey(
        PrivacyNotice, models.PROTECT, related_name="consents", verbose_name="隐私政策"
    )
    accepted_at = models.DateTimeField("同意时间")
    ip = models.CharField("来源IP", max_length=45, blank=True)
    user_agent = models.CharField("浏览器标识", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "隐私政策同意记录"
        ordering = ["-accepted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "notice"], name="signup_consent_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.notice.version}"


class EnterpriseRegistration(models.Model):
    """An enterprise's own registration, waiting for the office to verify it (企业注册审核).

    Approval creates (or links to the unclaimed registry record with the same credit code) the
    enterprise and its HR account with the password the contact chose; only its hash is kept,
    and it is cleared when the registration is rejected.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "已退回"

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    uscc = models.CharField("统一社会信用代码", max_length=18)
    name = models.CharField("企业名称", max_length=100)
    industry = models.ForeignKey("core.Industry", models.PROTECT, related_name="+", verbose_name="所属行业")
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = EncryptedPIIField("联系人手机号码", kind="phone")
    contact_phone_hash = BlindIndexField(source="contact_phone", kind="phone", null=True)
    username = models.CharField("登录用户名", max_length=150)
    password_hash = models.CharField(max_length=128, blank=True, editable=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
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
    enterprise = models.ForeignKey(
        "registry.Enterprise", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="企业"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="企业账号",
    )
    notice = models.ForeignKey(PrivacyNotice, models.PROTECT, related_name="+", verbose_name="同意的隐私政策")
    consent_at = models.DateTimeField("同意时间")
    ip = models.CharField("来源IP", max_length=45, blank=True)
    user_agent = models.CharField("浏览器标识", max_length=300, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "企业注册申请"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "uscc"],
                condition=models.Q(status="pending"),
                name="signup_one_pending_per_uscc",
            ),
        ]
        indexes = [models.Index(fields=["zone", "status"], name="signup_reg_zone_status")]

    def __str__(self) -> str:
        return self.name
