"""Enterprises (企业库) and the HR accounts that act for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from talentpark.core.fields import EncryptedPIIField


class Enterprise(models.Model):
    """An enterprise registered in a zone, identified there by its unified social credit code."""

    class Scale(models.TextChoices):
        LARGE = "large", "大型"
        MEDIUM = "medium", "中型"
        SMALL = "small", "小型"
        MICRO = "micro", "微型"

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    name = models.CharField("企业名称", max_length=100, db_index=True)
    short_name = models.CharField("简称", max_length=40, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18)
    division = models.ForeignKey("core.Division", models.PROTECT, related_name="+", verbose_name="注册地")
    industry = models.ForeignKey("core.Industry", models.PROTECT, related_name="+", verbose_name="所属行业")
    scale = models.CharField("企业规模", max_length=8, choices=Scale.choices, default=Scale.SMALL)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    registered_capital = models.DecimalField(
        "注册资本（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    employee_count = models.PositiveIntegerField("职工人数", default=0)
    is_key = models.BooleanField("重点企业", default=False, db_index=True)
    is_high_tech = models.BooleanField("高新技术企业", default=False)
    address = models.CharField("地址", max_length=200, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = EncryptedPIIField("联系电话", kind="phone", null=True, blank=True)
    description = models.TextField("企业简介", blank=True)
    department = models.ForeignKey(
        "accounts.Department", models.PROTECT, null=True, blank=True, verbose_name="服务部门"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="服务专员",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "企业"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["zone", "uscc"], name="uniq_enterprise_uscc_per_zone")]

    def __str__(self) -> str:
        return self.name


class EnterpriseAccount(models.Model):
    """Links an HR login to the one enterprise it acts for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="enterprise_account", verbose_name="账号"
    )
    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="accounts", verbose_name="企业")

    class Meta:
        verbose_name = verbose_name_plural = "企业账号"

    def __str__(self) -> str:
        return f"{self.enterprise} / {self.user}"
