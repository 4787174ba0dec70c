"""The platform's service-desk categories (a zone's office localises and edits them on 字典管理)
and the clock scan as a scheduled-job row (every five minutes)."""

from django.db import migrations

CODE = "desk_category"
# (value, label, departments, documents, working days, part days, keywords) — Jining's 帮办代办 list
CATEGORIES = [
    ("certification", "人才认定", ["service_centre", "hrss"], ["学历学位证书", "劳动合同"], 10, 5,
     ["认定", "层次", "人才类别", "评定"]),
    ("housing", "住房安居", ["housing"], ["劳动合同", "无房证明"], 10, 5,
     ["公寓", "住房", "租房", "购房", "房补", "安居"]),
    ("schooling", "子女就学", ["education"], ["户口簿", "出生证明"], 15, 10,
     ["子女", "入学", "上学", "学校", "幼儿园", "转学"]),
    ("medical", "医疗保健", ["health"], [], 5, 3, ["医疗", "体检", "看病", "医院", "就医", "绿色通道"]),
    ("spouse", "配偶就业", ["hrss"], ["结婚证"], 20, 15, ["配偶", "爱人", "家属就业", "随迁"]),
    ("residence", "居留落户", ["public_security"], ["身份证件", "劳动合同"], 10, 5,
     ["落户", "户口", "居留", "签证", "迁入"]),
    ("funding", "资金补助", ["finance", "hrss"], ["银行账户"], 15, 10, ["补贴", "补助", "奖励", "资金", "拨付", "津贴"]),
    ("tax", "个税与社保", ["tax", "hrss"], [], 10, 5, ["个税", "社保", "公积金", "纳税"]),
    ("enterprise", "企业服务", ["investment", "science"], [], 10, 5, ["招聘", "用工", "项目", "申报", "厂房", "融资"]),
]


def seed(apps, schema_editor):
    Dictionary = apps.get_model("core", "Dictionary")
    Item = apps.get_model("core", "DictionaryItem")
    dictionary, made = Dictionary.objects.get_or_create(
        zone=None,
        code=CODE,
        defaults={"name": "诉求类别", "description": "一窗受理的诉求类别：办理部门、所需材料、办理时限（工作日）"},
    )
    for sort, (value, label, depts, docs, days, part_days, keywords) in enumerate(CATEGORIES, start=1):
        Item.objects.get_or_create(
            dictionary=dictionary,
            value=value,
            defaults={
                "label": label,
                "sort": sort * 10,
                "extra": {
                    "departments": depts,
                    "documents": docs,
                    "days": days,
                    "part_days": part_days,
                    "keywords": keywords,
                },
            },
        )


JOBS = [("desk.sla_scan", "*/5 * * * *")]


def create_jobs(apps, schema_editor):
    import datetime as dt

    from croniter import croniter
    from django.utils import timezone

    ScheduledJob = apps.get_model("core", "ScheduledJob")
    now = timezone.localtime(timezone.now()).replace(second=0, microsecond=0)
    for kind, cron in JOBS:
        if not ScheduledJob.objects.filter(kind=kind, zone__isnull=True).exists():
            nxt = croniter(cron, now).get_next(dt.datetime)
            ScheduledJob.objects.create(kind=kind, cron=cron, enabled=True, next_run_at=nxt)


def forward(apps, schema_editor):
    seed(apps, schema_editor)
    create_jobs(apps, schema_editor)


def backward(apps, schema_editor):
    # Runs first, then the rows without the collector: going back through several apps' migrations,
    # the collector can meet a JobRun class rendered from another state and refuse the query.
    kinds = [k for k, _ in JOBS]
    apps.get_model("core", "JobRun").objects.filter(job__kind__in=kinds).delete()
    jobs = apps.get_model("core", "ScheduledJob").objects.filter(kind__in=kinds)
    jobs._raw_delete(jobs.db)
    apps.get_model("core", "DictionaryItem").objects.filter(dictionary__zone=None, dictionary__code=CODE).delete()
    dictionaries = apps.get_model("core", "Dictionary").objects.filter(zone=None, code=CODE)
    dictionaries._raw_delete(dictionaries.db)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_initial"),
        ("core", "0014_scheduled_jobs"),
    ]
    operations = [migrations.RunPython(forward, backward)]
