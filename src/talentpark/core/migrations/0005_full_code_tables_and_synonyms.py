"""GB/T 2260 with every code since 1980 and its years (python-stdnum's history), all of
GB/T 4754-2017, and the national default spellings of the small code tables."""

from django.db import migrations

from talentpark.core import codetables
from talentpark.core.normalize import compact

# Frozen copy of the seed (talentpark.core.codes.DEFAULT_SYNONYMS at the time of writing):
# later additions go in a new migration, or are made by the office in the admin.
SEED = {
    "sex": {"男性": "M", "男士": "M", "1": "M", "女性": "F", "女士": "F", "2": "F"},
    "degree": {
        "大专": "31",
        "大学专科": "31",
        "专科生": "31",
        "高职": "31",
        "高职专科": "31",
        "专科（高职）": "31",
        "大学本科": "21",
        "本科生": "21",
        "学士": "21",
        "学士学位": "21",
        "大学": "21",
        "硕士": "14",
        "硕士生": "14",
        "硕士学位": "14",
        "研究生": "14",
        "硕士研究生学历": "14",
        "研究生（硕士）": "14",
        "博士": "11",
        "博士生": "11",
        "博士学位": "11",
        "博士研究生学历": "11",
        "研究生（博士）": "11",
        "博士后研究人员": "PD",
        "博士后出站": "PD",
    },
    "title": {
        "无职称": "0",
        "初级职称": "4",
        "员级": "4",
        "助理级": "4",
        "助理工程师": "4",
        "技术员": "4",
        "中级职称": "3",
        "工程师": "3",
        "讲师": "3",
        "助理研究员": "3",
        "主治医师": "3",
        "副高": "2",
        "副高级职称": "2",
        "高级工程师": "2",
        "副教授": "2",
        "副研究员": "2",
        "副主任医师": "2",
        "正高": "1",
        "正高级职称": "1",
        "正高级工程师": "1",
        "教授级高级工程师": "1",
        "教授": "1",
        "研究员": "1",
        "主任医师": "1",
    },
    "skill": {
        "五级": "5",
        "初级工": "5",
        "初级技能": "5",
        "四级": "4",
        "中级工": "4",
        "中级技能": "4",
        "三级": "3",
        "高级工": "3",
        "高级技能": "3",
        "二级": "2",
        "技师": "2",
        "一级": "1",
        "高级技师": "1",
    },
    "programme": {
        "国家级": "national",
        "国家级人才": "national",
        "省级": "provincial",
        "省级人才": "provincial",
        "市级": "municipal",
        "市级人才": "municipal",
        "区级": "zone",
        "区级人才": "zone",
        "园区级": "zone",
    },
}


def load(apps, schema_editor):
    codetables.load_divisions(apps.get_model("core", "Division"))
    codetables.load_industries(apps.get_model("core", "Industry"))
    CodeSynonym = apps.get_model("core", "CodeSynonym")
    taken = set(CodeSynonym.objects.filter(zone__isnull=True).values_list("table", "spelling"))
    CodeSynonym.objects.bulk_create(
        [
            CodeSynonym(zone=None, table=table, spelling=compact(spelling), code=code)
            for table, spellings in SEED.items()
            for spelling, code in spellings.items()
            if (table, compact(spelling)) not in taken
        ]
    )


def unload(apps, schema_editor):
    apps.get_model("core", "CodeSynonym").objects.filter(zone__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0004_division_years_code_synonym")]
    operations = [migrations.RunPython(load, unload)]
