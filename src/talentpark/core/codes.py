"""Small national code tables, as choices whose values are the standard's codes.

Sources (see core/data/SOURCES.md for the large tables):
* Degree: GB/T 4658-2006 学历代码 (11 博士研究生, 14 硕士研究生, 21 大学本科, 31 专科);
  博士后 is not an education level in GB/T 4658 — "PD" is our own code for the
  postdoctoral stage, which talent policies treat as a level above the doctorate.
* Professional title: the four grades of 专业技术职务 (GB/T 8561 groups them so):
  1 正高级, 2 副高级, 3 中级, 4 初级 (助理级/员级).
* Skill level: 国家职业资格 / 职业技能等级 五级 (初级工) to 一级 (高级技师).
* Talent programme level: 国家级 / 省级 / 市级 / 区级 人才计划 (Shandong practice).
"""

from django.db import models


class Degree(models.TextChoices):
    ZHUANKE = "31", "专科"
    BENKE = "21", "本科"
    SHUOSHI = "14", "硕士研究生"
    BOSHI = "11", "博士研究生"
    BOSHIHOU = "PD", "博士后"


# Ordinal rank for comparisons ("本科及以上").
DEGREE_RANK: dict[str, int] = {
    Degree.ZHUANKE: 1,
    Degree.BENKE: 2,
    Degree.SHUOSHI: 3,
    Degree.BOSHI: 4,
    Degree.BOSHIHOU: 5,
}


class ProfessionalTitle(models.TextChoices):
    NONE = "0", "无"
    JUNIOR = "4", "初级"
    MIDDLE = "3", "中级"
    VICE_SENIOR = "2", "副高级"
    SENIOR = "1", "正高级"


class SkillLevel(models.TextChoices):
    NONE = "0", "无"
    L5 = "5", "五级/初级工"
    L4 = "4", "四级/中级工"
    L3 = "3", "三级/高级工"
    L2 = "2", "二级/技师"
    L1 = "1", "一级/高级技师"


class ProgrammeLevel(models.TextChoices):
    NONE = "", "无"
    NATIONAL = "national", "国家级人才计划"
    PROVINCIAL = "provincial", "省级人才计划"
    MUNICIPAL = "municipal", "市级人才计划"
    ZONE = "zone", "区级人才计划"


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"
