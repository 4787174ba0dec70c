"""Industry chains (产业链), their segments and each enterprise's role in a chain."""

from __future__ import annotations

from django.db import models


class IndustryChain(models.Model):
    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    code = models.SlugField("代码", max_length=32)
    name = models.CharField("产业链", max_length=60)
    description = models.TextField("简介", blank=True)
    industries = models.ManyToManyField("core.Industry", blank=True, verbose_name="对应行业（GB/T 4754）")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "产业链"
        ordering = ["zone_id", "order"]
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="uniq_chain_code_per_zone")]

    def __str__(self) -> str:
        return self.name


class ChainSegment(models.Model):
    class Stage(models.TextChoices):
        UPSTREAM = "up", "上游"
        MIDSTREAM = "mid", "中游"
        DOWNSTREAM = "down", "下游"

    chain = models.ForeignKey(IndustryChain, models.CASCADE, related_name="segments", verbose_name="产业链")
    name = models.CharField("环节", max_length=60)
    stage = models.CharField("位置", max_length=4, choices=Stage.choices)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "产业链环节"
        ordering = ["chain_id", "order"]

    def __str__(self) -> str:
        return f"{self.chain.name}·{self.name}"


class ChainRole(models.TextChoices):
    CHAIN_MASTER = "master", "链主企业"
    LEADING = "leading", "龙头企业"
    SUPPORTING = "supporting", "配套企业"


class EnterpriseChainRole(models.Model):
    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    enterprise = models.ForeignKey(
        "registry.Enterprise", models.CASCADE, related_name="chain_roles", verbose_name="企业"
    )
    chain = models.ForeignKey(IndustryChain, models.CASCADE, related_name="members", verbose_name="产业链")
    segment = models.ForeignKey(ChainSegment, models.SET_NULL, null=True, blank=True, verbose_name="环节")
    role = models.CharField("链上角色", max_length=12, choices=ChainRole.choices)

    class Meta:
        verbose_name = verbose_name_plural = "企业链上角色"
        constraints = [
            models.UniqueConstraint(fields=["zone", "enterprise", "chain"], name="uniq_enterprise_per_chain"),
        ]
        indexes = [models.Index(fields=["chain", "role"])]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.chain} · {self.get_role_display()}"
