"""Positions (岗位) and personnel demands (人才需求). Workflows come with recruiting."""

from __future__ import annotations

from django.db import models

from talentpark.core.codes import Degree


class Position(models.Model):
    class Category(models.TextChoices):
        RND = "rnd", "研发设计"
        ENGINEERING = "engineering", "工程技术"
        PRODUCTION = "production", "生产制造"
        QUALITY = "quality", "质量检测"
        MANAGEMENT = "management", "经营管理"
        SALES = "sales", "市场销售"
        IT = "it", "信息技术"
        MEDICAL = "medical", "医药研发"

    class Status(models.TextChoices):
        OPEN = "open", "招聘中"
        CLOSED = "closed", "已结束"

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    enterprise = models.ForeignKey(
        "registry.Enterprise", models.CASCADE, related_name="positions", verbose_name="招聘企业"
    )
    title = models.CharField("岗位名称", max_length=60, db_index=True)
    category = models.CharField("岗位类别", max_length=12, choices=Category.choices)
    headcount = models.PositiveSmallIntegerField("招聘人数", default=1)
    min_degree = models.CharField("最低学历", max_length=2, choices=Degree.choices)
    major = models.CharField("专业要求", max_length=60, blank=True)
    salary_min = models.PositiveIntegerField("月薪下限（元）")
    salary_max = models.PositiveIntegerField("月薪上限（元）")
    description = models.TextField("岗位职责", blank=True)
    status = models.CharField(
        "状态", max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    published_on = models.DateField("发布日期")

    class Meta:
        verbose_name = verbose_name_plural = "招聘岗位"
        ordering = ["-published_on", "-id"]
        indexes = [
            # the list's order within a zone, and the open positions of a zone newest first (homes)
            models.Index(fields=["zone", "-published_on", "-id"], name="position_zone_newest"),
            models.Index(fields=["zone", "status", "-published_on", "-id"], name="position_zone_open_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(salary_max__gte=models.F("salary_min")), name="salary_range_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title


class PersonnelDemand(models.Model):
    """An enterprise's declared need for people it cannot yet find (人才需求/紧缺人才)."""

    class Urgency(models.TextChoices):
        NORMAL = "normal", "一般"
        URGENT = "urgent", "急需"
        SCARCE = "scarce", "紧缺"

    class Status(models.TextChoices):
        OPEN = "open", "对接中"
        MET = "met", "已满足"
        WITHDRAWN = "withdrawn", "已撤回"

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    enterprise = models.ForeignKey(
        "registry.Enterprise", models.CASCADE, related_name="demands", verbose_name="需求企业"
    )
    title = models.CharField("需求岗位/方向", max_length=60)
    major = models.CharField("专业方向", max_length=60, blank=True)
    min_degree = models.CharField("学历要求", max_length=2, choices=Degree.choices)
    count = models.PositiveSmallIntegerField("需求人数", default=1)
    urgency = models.CharField("紧迫程度", max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    reported_on = models.DateField("填报日期")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "人才需求"
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["zone", "-reported_on", "-id"], name="demand_zone_newest"),
            models.Index(fields=["zone", "status", "-reported_on", "-id"], name="demand_zone_open_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.title}"
