"""政策库: policy metadata. Executable eligibility and amount rules come with policy redemption."""

from __future__ import annotations

from django.db import models


class Policy(models.Model):
    class Target(models.TextChoices):
        TALENT = "talent", "人才"
        ENTERPRISE = "enterprise", "企业"
        BOTH = "both", "人才和企业"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        EXPIRED = "expired", "已失效"

    class Category(models.TextChoices):
        CERTIFICATION = "certification", "人才认定"
        SUBSIDY = "subsidy", "资金补助"
        HOUSING = "housing", "住房安居"
        EDUCATION = "education", "子女就学"
        SPOUSE = "spouse", "配偶就业"
        MEDICAL = "medical", "医疗保健"
        PLATFORM = "platform", "平台奖励"
        INNOVATION = "innovation", "创新创业"

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    title = models.CharField("政策名称", max_length=150)
    doc_number = models.CharField("文号", max_length=60, blank=True)
    issuing_body = models.CharField("发文机关", max_length=100)
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    target = models.CharField("适用对象", max_length=12, choices=Target.choices)
    published_on = models.DateField("发布日期", null=True, blank=True)
    effective_from = models.DateField("生效日期", null=True, blank=True)
    effective_to = models.DateField("截止日期", null=True, blank=True)
    summary = models.TextField("摘要", blank=True)
    full_text = models.TextField("政策全文", blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "政策"
        ordering = ["-published_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_from__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="policy_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PolicyAttachment(models.Model):
    policy = models.ForeignKey(Policy, models.CASCADE, related_name="attachments", verbose_name="政策")
    name = models.CharField("附件名称", max_length=120)
    file = models.FileField("文件", upload_to="policies/%Y/")

    class Meta:
        verbose_name = verbose_name_plural = "政策附件"

    def __str__(self) -> str:
        return self.name
