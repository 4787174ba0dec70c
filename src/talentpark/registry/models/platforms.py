"""Platforms and projects (项目平台库)."""

from __future__ import annotations

from django.db import models


class Platform(models.Model):
    """An innovation platform: lab, incubator, postdoc station, academician workstation …"""

    class Kind(models.TextChoices):
        KEY_LAB = "key_lab", "重点实验室"
        ENGINEERING_CENTRE = "eng_centre", "工程技术研究中心"
        ENTERPRISE_TECH_CENTRE = "tech_centre", "企业技术中心"
        INCUBATOR = "incubator", "科技企业孵化器"
        MAKER_SPACE = "maker_space", "众创空间"
        POSTDOC_STATION = "postdoc_station", "博士后科研工作站"
        POSTDOC_BASE = "postdoc_base", "博士后创新实践基地"
        ACADEMICIAN = "academician", "院士工作站"
        RESEARCH_INSTITUTE = "institute", "新型研发机构/产业研究院"
        SKILL_MASTER = "skill_master", "技能大师工作室"
        EXPERT_BASE = "expert_base", "专家服务基地"

    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        PROVINCIAL = "provincial", "省级"
        MUNICIPAL = "municipal", "市级"
        ZONE = "zone", "区级"

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    name = models.CharField("平台名称", max_length=120, db_index=True)
    kind = models.CharField("平台类型", max_length=16, choices=Kind.choices, db_index=True)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="platforms",
        verbose_name="依托单位",
    )
    host_organisation = models.CharField("依托单位（非企业）", max_length=100, blank=True)
    chain = models.ForeignKey(
        "registry.IndustryChain",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="platforms",
        verbose_name="服务产业链",
    )
    approved_on = models.DateField("认定时间", null=True, blank=True)
    approved_by = models.CharField("认定部门", max_length=60, blank=True)
    description = models.TextField("简介", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "创新平台"
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="uniq_platform_name_per_zone")]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """A project: 科技项目储备库 entries, "人才+项目" projects, industrialisation projects."""

    class Kind(models.TextChoices):
        SCIENCE_RESERVE = "reserve", "科技项目储备"
        TALENT_PROJECT = "talent_project", "人才+项目"
        INDUSTRIALISATION = "industrial", "产业化项目"
        CHALLENGE = "challenge", "揭榜挂帅"

    class Status(models.TextChoices):
        RESERVE = "reserve", "储备"
        APPROVED = "approved", "已立项"
        BUILDING = "building", "在建"
        PRODUCING = "producing", "已投产"
        CLOSED = "closed", "已结题"

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    name = models.CharField("项目名称", max_length=150, db_index=True)
    kind = models.CharField("项目类型", max_length=16, choices=Kind.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RESERVE)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name="承担单位",
    )
    leader = models.ForeignKey(
        "registry.Talent",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_projects",
        verbose_name="项目负责人",
    )
    chain = models.ForeignKey(
        "registry.IndustryChain",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name="所属产业链",
    )
    investment = models.DecimalField("总投资（万元）", max_digits=14, decimal_places=2, null=True, blank=True)
    started_on = models.DateField("开始时间", null=True, blank=True)
    description = models.TextField("项目简介", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "项目"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name
