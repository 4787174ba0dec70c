"""招才引智: the zone's job marketplace and its pipeline.

- :class:`Position` — a job an enterprise posts (coded by the 2022 occupational classification,
  ``recruitment/occupations.py``); the office reviews it before it is public; its closing date is
  enforced by the server (:func:`talentpark.recruitment.services.public_positions`).
- :class:`PersonnelDemand` — what an enterprise will need this year (the talent map reads them).
- :class:`JobSeeker` — a person's 求职意向: the occupations, skills, salary, districts and type of work
  she wants, on top of what her record (一次申报) already says; matching reads both.
- :class:`Application` — one person's application to one job (unique), moving through the pipeline
  new → screened → interview → offer → hired, or rejected with a reason; :class:`ApplicationEvent`
  is its history, shown to her (inbox, timeline) and to the enterprise.
- :class:`Interview` with its :class:`InterviewSlot` rows: the times the enterprise offers, one of
  which she picks. Only then does the enterprise see her phone.
- :class:`SavedSearch` — a talent's filter, with the newest position she has been told of.
- :class:`Fair` — a job fair the office schedules (on site, or 空中双选会 online); enterprises take a
  :class:`FairBooth` with their public positions; talents register and check in with their talent
  code (:class:`FairVisitor`); an on-site intention is one :class:`FairIntention`; résumés delivered
  there are applications with the fair.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from talentpark.core.codes import Degree


class EmploymentType(models.TextChoices):
    FULL_TIME = "full", "全职"
    PART_TIME = "part", "兼职"
    INTERN = "intern", "实习"
    FLEXIBLE = "flexible", "灵活用工"


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
        DRAFT = "draft", "草稿"
        PENDING = "pending", "待审核"
        OPEN = "open", "招聘中"
        REJECTED = "rejected", "未通过审核"
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
    occupation = models.CharField("职业分类（2022大典）", max_length=12, blank=True, db_index=True)
    skills = models.JSONField("技能要求", default=list, blank=True)
    min_experience = models.PositiveSmallIntegerField("工作经验（年）", default=0)
    district = models.ForeignKey(
        "core.Division", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="工作地点"
    )
    employment_type = models.CharField(
        "用工形式", max_length=8, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    closes_on = models.DateField("截止日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "招聘岗位"
        ordering = ["-published_on", "-id"]
        indexes = [
            # the list's order within a zone, and the open positions of a zone newest first (homes)
            models.Index(fields=["zone", "-published_on", "-id"], name="position_zone_newest"),
            models.Index(fields=["zone", "status", "-published_on", "-id"], name="position_zone_open_newest"),
            models.Index(fields=["enterprise", "status"], name="position_enterprise_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(salary_max__gte=models.F("salary_min")), name="salary_range_ordered"
            ),
            models.CheckConstraint(condition=models.Q(headcount__gte=1), name="position_headcount_positive"),
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
    occupation = models.CharField("职业分类（2022大典）", max_length=12, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField("需求年度", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "人才需求"
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["zone", "-reported_on", "-id"], name="demand_zone_newest"),
            models.Index(fields=["zone", "status", "-reported_on", "-id"], name="demand_zone_open_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.title}"


class JobSeeker(models.Model):
    """A person's 求职意向. Degree and major are read from her record; these are what only she knows."""

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    person = models.OneToOneField(
        "registry.Person", models.CASCADE, related_name="job_seeker", verbose_name="求职人"
    )
    occupations = models.JSONField("意向职业", default=list, blank=True)
    skills = models.JSONField("技能", default=list, blank=True)
    experience_years = models.PositiveSmallIntegerField("工作年限", default=0)
    expected_salary = models.PositiveIntegerField("期望月薪（元）", null=True, blank=True)
    districts = models.JSONField("意向工作地点", default=list, blank=True)
    employment_type = models.CharField(
        "用工形式", max_length=8, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    summary = models.CharField("自我介绍", max_length=500, blank=True)
    open_to_offers = models.BooleanField("向企业公开求职意向", default=False, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "求职意向"
        indexes = [models.Index(fields=["zone", "open_to_offers"], name="seeker_zone_open")]

    def __str__(self) -> str:
        return f"求职意向 · {self.person_id}"


class Application(models.Model):
    class Stage(models.TextChoices):
        NEW = "new", "新投递"
        SCREENED = "screened", "初筛通过"
        INTERVIEW = "interview", "面试"
        OFFER = "offer", "录用意向"
        HIRED = "hired", "已入职"
        REJECTED = "rejected", "未录用"
        WITHDRAWN = "withdrawn", "已撤回"

    class Reason(models.TextChoices):
        SKILLS = "skills", "技能不匹配"
        DEGREE = "degree", "学历不符"
        EXPERIENCE = "experience", "经验不足"
        SALARY = "salary", "薪资未谈妥"
        FILLED = "filled", "岗位已招满"
        DECLINED = "declined", "求职者放弃"
        OTHER = "other", "其他"

    class Source(models.TextChoices):
        MARKET = "market", "岗位大厅"
        MATCH = "match", "人岗匹配推荐"
        FAIR = "fair", "招聘会"
        LIVE = "live", "直播带岗"

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    position = models.ForeignKey(Position, models.CASCADE, related_name="applications", verbose_name="岗位")
    enterprise = models.ForeignKey(
        "registry.Enterprise", models.CASCADE, related_name="applications", verbose_name="招聘企业"
    )
    person = models.ForeignKey(
        "registry.Person", models.CASCADE, related_name="applications", verbose_name="求职人"
    )
    stage = models.CharField("进度", max_length=10, choices=Stage.choices, default=Stage.NEW, db_index=True)
    reason = models.CharField("未录用原因", max_length=12, choices=Reason.choices, blank=True)
    reason_note = models.CharField("原因说明", max_length=200, blank=True)
    source = models.CharField("来源", max_length=8, choices=Source.choices, default=Source.MARKET)
    resume = models.JSONField("简历（投递时）", default=dict)
    score = models.PositiveSmallIntegerField("匹配度", default=0)
    note = models.CharField("附言", max_length=300, blank=True)
    created_at = models.DateTimeField("投递时间", db_index=True)
    updated_at = models.DateTimeField("更新时间")
    hired_on = models.DateField("入职日期", null=True, blank=True)
    fair = models.ForeignKey(
        "Fair", models.SET_NULL, null=True, blank=True, related_name="applications", verbose_name="招聘会"
    )

    class Meta:
        verbose_name = verbose_name_plural = "求职申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["position", "person"], name="application_once_per_job"),
            models.CheckConstraint(condition=Q(score__lte=100), name="application_score_bounded"),
            models.CheckConstraint(
                condition=~Q(stage="rejected") | ~Q(reason=""), name="application_rejection_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "stage", "-created_at"], name="application_pipeline"),
            models.Index(fields=["zone", "stage", "hired_on"], name="application_zone_hired"),
        ]

    def __str__(self) -> str:
        return f"{self.position} · {self.person_id}"


class ApplicationEvent(models.Model):
    class Kind(models.TextChoices):
        APPLIED = "applied", "投递简历"
        STAGE = "stage", "进度变更"
        INVITED = "invited", "邀请面试"
        SLOT = "slot", "确认面试时间"
        DECLINED = "declined", "婉拒面试"
        NOTE = "note", "备注"
        WITHDRAWN = "withdrawn", "撤回申请"

    application = models.ForeignKey(Application, models.CASCADE, related_name="events", verbose_name="申请")
    at = models.DateTimeField("时间", db_index=True)
    kind = models.CharField("事项", max_length=10, choices=Kind.choices)
    stage = models.CharField("进度", max_length=10, choices=Application.Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    text = models.CharField("说明", max_length=300, blank=True)
    public = models.BooleanField("求职人可见", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "申请记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.application_id}"


class Interview(models.Model):
    class Status(models.TextChoices):
        OFFERED = "offered", "待求职人选择时间"
        ACCEPTED = "accepted", "已确认"
        DECLINED = "declined", "求职人婉拒"
        CANCELLED = "cancelled", "已取消"

    class Mode(models.TextChoices):
        ONSITE = "onsite", "现场面试"
        VIDEO = "video", "视频面试"
        PHONE = "phone", "电话面试"

    application = models.ForeignKey(
        Application, models.CASCADE, related_name="interviews", verbose_name="申请"
    )
    mode = models.CharField("面试方式", max_length=8, choices=Mode.choices, default=Mode.ONSITE)
    place = models.CharField("地点/链接", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OFFERED)
    chosen = models.ForeignKey(
        "InterviewSlot", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="确认的时间"
    )
    created_at = models.DateTimeField("邀请时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="邀请人",
    )

    class Meta:
        verbose_name = verbose_name_plural = "面试邀请"
        ordering = ["-created_at", "-id"]
        constraints = [
            # one live invitation per application at a time
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["offered", "accepted"]),
                name="interview_one_live_per_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} · {self.application_id}"


class InterviewSlot(models.Model):
    interview = models.ForeignKey(Interview, models.CASCADE, related_name="slots", verbose_name="面试邀请")
    starts_at = models.DateTimeField("开始时间")
    minutes = models.PositiveSmallIntegerField("时长（分钟）", default=30)

    class Meta:
        verbose_name = verbose_name_plural = "面试时间"
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "starts_at"], name="interview_slot_unique_time")
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class SavedSearch(models.Model):
    """A talent's saved filter; new public positions that pass it are sent to her inbox."""

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="saved_job_searches", verbose_name="用户"
    )
    name = models.CharField("名称", max_length=40)
    params = models.JSONField("条件", default=dict)
    notify = models.BooleanField("有新岗位时通知我", default=True)
    created_at = models.DateTimeField("保存时间", auto_now_add=True)
    last_notified_at = models.DateTimeField("上次通知", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "岗位订阅"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Fair(models.Model):
    class Kind(models.TextChoices):
        ONSITE = "onsite", "线下招聘会"
        ONLINE = "online", "空中双选会"

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    title = models.CharField("名称", max_length=80)
    kind = models.CharField("形式", max_length=8, choices=Kind.choices, default=Kind.ONSITE)
    venue = models.CharField("地点/链接", max_length=200, blank=True)
    starts_at = models.DateTimeField("开始时间", db_index=True)
    ends_at = models.DateTimeField("结束时间")
    description = models.TextField("简介", blank=True)
    cancelled = models.BooleanField("已取消", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "招聘会"
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="fair_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class FairBooth(models.Model):
    fair = models.ForeignKey(Fair, models.CASCADE, related_name="booths", verbose_name="招聘会")
    enterprise = models.ForeignKey(
        "registry.Enterprise", models.CASCADE, related_name="fair_booths", verbose_name="参会企业"
    )
    number = models.CharField("展位号", max_length=12, blank=True)
    positions = models.ManyToManyField(Position, related_name="fair_booths", verbose_name="参会岗位")
    created_at = models.DateTimeField("报名时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "参会展位"
        ordering = ["number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "enterprise"], name="fair_booth_once_per_enterprise")
        ]

    def __str__(self) -> str:
        return f"{self.fair} · {self.enterprise}"


class FairVisitor(models.Model):
    fair = models.ForeignKey(Fair, models.CASCADE, related_name="visitors", verbose_name="招聘会")
    person = models.ForeignKey(
        "registry.Person", models.CASCADE, related_name="fair_visits", verbose_name="求职人"
    )
    registered_at = models.DateTimeField("报名时间")
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签到人",
    )

    class Meta:
        verbose_name = verbose_name_plural = "招聘会人才"
        ordering = ["-registered_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["fair", "person"], name="fair_visitor_once")]

    def __str__(self) -> str:
        return f"{self.fair} · {self.person_id}"


class FairIntention(models.Model):
    booth = models.ForeignKey(FairBooth, models.CASCADE, related_name="intentions", verbose_name="展位")
    person = models.ForeignKey(
        "registry.Person", models.CASCADE, related_name="fair_intentions", verbose_name="求职人"
    )
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = verbose_name_plural = "现场意向"
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["booth", "person"], name="fair_intention_once")]

    def __str__(self) -> str:
        return f"{self.booth} · {self.person_id}"
