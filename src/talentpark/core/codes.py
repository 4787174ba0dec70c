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

from talentpark.core.normalize import compact


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


# Spellings offices actually write, seeded as national CodeSynonym rows (core migration
# 0005); a zone's office adds its own in the admin. The codes' own labels ("男",
# "硕士研究生", "正高级" …) and the codes themselves are always accepted and need no row.
# 研究生 without a level is read as 硕士研究生, the lower of the two (GB/T 4658 code 10
# groups both): a rule asking for 博士 never matches on it by accident.
DEFAULT_SYNONYMS: dict[str, dict[str, str]] = {
    "sex": {
        "男性": Sex.MALE,
        "男士": Sex.MALE,
        "1": Sex.MALE,  # GB/T 2261.1 code
        "女性": Sex.FEMALE,
        "女士": Sex.FEMALE,
        "2": Sex.FEMALE,
    },
    "degree": {
        "大专": Degree.ZHUANKE,
        "大学专科": Degree.ZHUANKE,
        "专科生": Degree.ZHUANKE,
        "高职": Degree.ZHUANKE,
        "高职专科": Degree.ZHUANKE,
        "专科（高职）": Degree.ZHUANKE,
        "大学本科": Degree.BENKE,
        "本科生": Degree.BENKE,
        "学士": Degree.BENKE,
        "学士学位": Degree.BENKE,
        "大学": Degree.BENKE,
        "硕士": Degree.SHUOSHI,
        "硕士生": Degree.SHUOSHI,
        "硕士学位": Degree.SHUOSHI,
        "研究生": Degree.SHUOSHI,
        "硕士研究生学历": Degree.SHUOSHI,
        "研究生（硕士）": Degree.SHUOSHI,
        "博士": Degree.BOSHI,
        "博士生": Degree.BOSHI,
        "博士学位": Degree.BOSHI,
        "博士研究生学历": Degree.BOSHI,
        "研究生（博士）": Degree.BOSHI,
        "博士后研究人员": Degree.BOSHIHOU,
        "博士后出站": Degree.BOSHIHOU,
    },
    "title": {
        "无职称": ProfessionalTitle.NONE,
        "初级职称": ProfessionalTitle.JUNIOR,
        "员级": ProfessionalTitle.JUNIOR,
        "助理级": ProfessionalTitle.JUNIOR,
        "助理工程师": ProfessionalTitle.JUNIOR,
        "技术员": ProfessionalTitle.JUNIOR,
        "中级职称": ProfessionalTitle.MIDDLE,
        "工程师": ProfessionalTitle.MIDDLE,
        "讲师": ProfessionalTitle.MIDDLE,
        "助理研究员": ProfessionalTitle.MIDDLE,
        "主治医师": ProfessionalTitle.MIDDLE,
        "副高": ProfessionalTitle.VICE_SENIOR,
        "副高级职称": ProfessionalTitle.VICE_SENIOR,
        "高级工程师": ProfessionalTitle.VICE_SENIOR,
        "副教授": ProfessionalTitle.VICE_SENIOR,
        "副研究员": ProfessionalTitle.VICE_SENIOR,
        "副主任医师": ProfessionalTitle.VICE_SENIOR,
        "正高": ProfessionalTitle.SENIOR,
        "正高级职称": ProfessionalTitle.SENIOR,
        "正高级工程师": ProfessionalTitle.SENIOR,
        "教授级高级工程师": ProfessionalTitle.SENIOR,
        "教授": ProfessionalTitle.SENIOR,
        "研究员": ProfessionalTitle.SENIOR,
        "主任医师": ProfessionalTitle.SENIOR,
    },
    "skill": {
        "五级": SkillLevel.L5,
        "初级工": SkillLevel.L5,
        "初级技能": SkillLevel.L5,
        "四级": SkillLevel.L4,
        "中级工": SkillLevel.L4,
        "中级技能": SkillLevel.L4,
        "三级": SkillLevel.L3,
        "高级工": SkillLevel.L3,
        "高级技能": SkillLevel.L3,
        "二级": SkillLevel.L2,
        "技师": SkillLevel.L2,
        "一级": SkillLevel.L1,
        "高级技师": SkillLevel.L1,
    },
    "programme": {
        "国家级": ProgrammeLevel.NATIONAL,
        "国家级人才": ProgrammeLevel.NATIONAL,
        "省级": ProgrammeLevel.PROVINCIAL,
        "省级人才": ProgrammeLevel.PROVINCIAL,
        "市级": ProgrammeLevel.MUNICIPAL,
        "市级人才": ProgrammeLevel.MUNICIPAL,
        "区级": ProgrammeLevel.ZONE,
        "区级人才": ProgrammeLevel.ZONE,
        "园区级": ProgrammeLevel.ZONE,
    },
}

# The choices behind each synonym table (CodeSynonym.table).
SYNONYM_CHOICES: dict[str, type[models.TextChoices]] = {
    "sex": Sex,
    "degree": Degree,
    "title": ProfessionalTitle,
    "skill": SkillLevel,
    "programme": ProgrammeLevel,
}


def synonym_problem(table: str, spelling: str, code: str) -> tuple[str, str] | None:
    """Why ``spelling`` → ``code`` cannot be a synonym of ``table``: (field, "<字段>：<原因>")."""
    choices = SYNONYM_CHOICES.get(table)
    if choices is None:
        return "table", f"代码表：“{table}”不是可设置同义词的代码表"
    key = compact(spelling or "")
    if not key:
        return "spelling", "写法：不能为空"
    if len(key) > 40:
        return "spelling", "写法：不能超过40个字"
    if code not in choices.values:
        return "code", f"代码：“{code}”不是该代码表的代码"
    if any(key in (str(value), compact(str(label))) for value, label in choices.choices):
        return "spelling", f"写法：“{key}”已是该代码表的代码或名称，无需设置"
    return None
