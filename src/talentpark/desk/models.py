"""一窗受理、集中办理、专员服务、全程跟踪: the service desk's records.

- :class:`Request` — one request (诉求) of a talent or an enterprise, filed online or by a specialist
  on her behalf; its category is a value of the office's dictionary ``desk_category`` (empty: the
  "办不成事" queue). It splits into :class:`Part` rows, one per department (集中办理); it is done when
  every part is.
- :class:`Step` — every thing that happened to a request, in order (全程跟踪): who, when, what; the
  requester sees the public ones.
- :class:`Clock` — a working-time deadline (first contact, a part, a whole request) with its stored,
  indexed due time and next alert time, polled by the scheduled job ``desk.sla_scan``.
- :class:`Assignment` — 1+N 包保: a talent, enterprise or project and its named specialist, with the
  first-contact record and the personal service list (:class:`ServiceItem`).
- :class:`Visit` — a specialist's monthly visit to an enterprise, with the issues raised
  (:class:`VisitIssue`), each of which may become a request.
- :class:`SpecialistProfile` — a specialist's skills (categories), team lead and capacity.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

CATEGORY_DICTIONARY = "desk_category"


class SpecialistProfile(models.Model):
    """What a specialist is good at (category values), whom she escalates to, how much she can carry."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="desk_profile", verbose_name="服务专员"
    )
    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    skills = models.JSONField("擅长类别", default=list, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="组长",
    )
    capacity = models.PositiveIntegerField("包保上限", default=40)

    class Meta:
        verbose_name = verbose_name_plural = "专员档案"

    def __str__(self) -> str:
        return str(self.user)


class Request(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "待受理"
        PROCESSING = "processing", "办理中"
        WAITING = "waiting", "待补充材料"
        DONE = "done", "已办结"

    class Channel(models.TextChoices):
        ONLINE = "online", "网上提交"
        WALK_IN = "walk_in", "窗口来访"
        PHONE = "phone", "电话"
        WECHAT = "wechat", "微信"
        VISIT = "visit", "走访收集"

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    number = models.CharField("受理编号", max_length=24, unique=True)
    talent = models.ForeignKey(
        "registry.Talent", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="人才"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="企业"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="诉求人账号",
    )
    category = models.CharField("诉求类别", max_length=80, blank=True, db_index=True)
    title = models.CharField("诉求标题", max_length=80)
    description = models.TextField("诉求内容", max_length=2000)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    channel = models.CharField("受理渠道", max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="服务专员",
    )
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    created_at = models.DateTimeField("提交时间", db_index=True)
    done_at = models.DateTimeField("办结时间", null=True, blank=True)
    answer = models.TextField("办理结果", max_length=2000, blank=True)
    rating = models.PositiveSmallIntegerField("满意度", null=True, blank=True)
    rating_comment = models.CharField("评价", max_length=300, blank=True)
    reopened = models.PositiveSmallIntegerField("重新办理次数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "服务诉求"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["zone", "status"]),
            models.Index(fields=["zone", "specialist", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="desk_request_rating_1_5",
            ),
            models.CheckConstraint(
                condition=Q(talent__isnull=False) | Q(enterprise__isnull=False),
                name="desk_request_has_requester",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_unfit(self) -> bool:
        """In the "办不成事" queue: no category fits it."""
        return not self.category


class Part(models.Model):
    """The share of a request one department handles (集中办理)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待办理"
        PROCESSING = "processing", "办理中"
        WAITING = "waiting", "待补充材料"
        DONE = "done", "已办结"

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    request = models.ForeignKey(Request, models.CASCADE, related_name="parts", verbose_name="诉求")
    department = models.ForeignKey(
        "accounts.Department", models.PROTECT, related_name="+", verbose_name="办理部门"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="经办人",
    )
    task = models.CharField("办理事项", max_length=120)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    result = models.TextField("办理结果", max_length=2000, blank=True)
    created_at = models.DateTimeField("分派时间")
    done_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "部门办件"
        ordering = ["id"]
        indexes = [models.Index(fields=["department", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["request", "department"], name="desk_part_one_per_department")
        ]

    def __str__(self) -> str:
        return f"{self.request.number} · {self.department}"


class Step(models.Model):
    """One event of a request (全程跟踪). ``public`` steps are shown to the requester."""

    class Kind(models.TextChoices):
        FILED = "filed", "提交诉求"
        ACCEPTED = "accepted", "受理"
        ROUTED = "routed", "分派部门"
        PART_STARTED = "part_started", "部门开始办理"
        PART_DONE = "part_done", "部门办结"
        ASK = "ask", "请补充材料"
        REPLY = "reply", "诉求人回复"
        DOCUMENT = "document", "补充材料"
        NOTE = "note", "办理备注"
        DONE = "done", "办结"
        RATED = "rated", "评价"
        REOPENED = "reopened", "重新办理"
        REASSIGNED = "reassigned", "更换专员"
        CATEGORISED = "categorised", "确定类别"
        WARNED = "warned", "时限提醒"
        ESCALATED = "escalated", "超时督办"

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    request = models.ForeignKey(Request, models.CASCADE, related_name="steps", verbose_name="诉求")
    part = models.ForeignKey(Part, models.CASCADE, null=True, blank=True, related_name="steps")
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_label = models.CharField("操作人", max_length=80, blank=True)
    kind = models.CharField("环节", max_length=16, choices=Kind.choices)
    text = models.TextField("内容", max_length=2000, blank=True)
    document = models.ForeignKey(
        "registry.Document", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="材料"
    )
    public = models.BooleanField("诉求人可见", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "办理过程"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request.number} {self.get_kind_display()}"


class Clock(models.Model):
    """A working-time deadline. ``due_at`` (100 %) and ``next_alert_at`` (the next threshold still to
    announce: 50 %, 100 %, 150 %, 200 %) are stored and indexed so one indexed range scan finds what
    is due; ``level`` counts the thresholds announced, and only a conditional update that moves it
    sends a notice. While the clock is paused both are empty."""

    class Kind(models.TextChoices):
        CONTACT = "contact", "首次联系"
        PART = "part", "部门办理"
        REQUEST = "request", "诉求办结"

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    kind = models.CharField("时限类型", max_length=8, choices=Kind.choices)
    request = models.ForeignKey(Request, models.CASCADE, null=True, blank=True, related_name="clocks")
    part = models.OneToOneField(Part, models.CASCADE, null=True, blank=True, related_name="clock")
    assignment = models.OneToOneField(
        "desk.Assignment", models.CASCADE, null=True, blank=True, related_name="clock"
    )
    started_at = models.DateTimeField("起算时间")
    limit_minutes = models.PositiveIntegerField("时限（工作分钟）")
    pauses = models.JSONField("暂停记录", default=list, blank=True)
    paused_at = models.DateTimeField("暂停于", null=True, blank=True)
    due_at = models.DateTimeField("到期时间", null=True, blank=True, db_index=True)
    next_alert_at = models.DateTimeField("下次提醒", null=True, blank=True)
    level = models.PositiveSmallIntegerField("已提醒级别", default=0)
    stopped_at = models.DateTimeField("完成时间", null=True, blank=True)
    met = models.BooleanField("按时完成", null=True)

    class Meta:
        verbose_name = verbose_name_plural = "办理时限"
        indexes = [
            models.Index(
                fields=["next_alert_at"], name="desk_clock_alert_open", condition=Q(stopped_at__isnull=True)
            ),
            models.Index(fields=["zone", "kind", "stopped_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=Q(kind="request"), name="desk_clock_one_per_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_at}"


class Assignment(models.Model):
    """1+N 包保: one talent, enterprise or project and its specialist, from ``assigned_at`` until
    ``ended_at`` (a reassignment ends the old row and starts a new one: the history)."""

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="服务专员"
    )
    talent = models.ForeignKey(
        "registry.Talent", models.CASCADE, null=True, blank=True, related_name="+", verbose_name="人才"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", models.CASCADE, null=True, blank=True, related_name="+", verbose_name="企业"
    )
    project = models.ForeignKey(
        "registry.Project", models.CASCADE, null=True, blank=True, related_name="+", verbose_name="项目"
    )
    assigned_at = models.DateTimeField("包保开始")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="指派人",
    )
    reason = models.CharField("指派原因", max_length=200, blank=True)
    ended_at = models.DateTimeField("包保结束", null=True, blank=True)
    contacted_at = models.DateTimeField("首次联系时间", null=True, blank=True)
    contact_note = models.CharField("首次联系情况", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "包保关系"
        ordering = ["-assigned_at", "-id"]
        indexes = [models.Index(fields=["zone", "specialist", "ended_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(talent__isnull=False, enterprise__isnull=True, project__isnull=True)
                    | Q(talent__isnull=True, enterprise__isnull=False, project__isnull=True)
                    | Q(talent__isnull=True, enterprise__isnull=True, project__isnull=False)
                ),
                name="desk_assignment_one_subject",
            ),
            models.UniqueConstraint(
                fields=["talent"], condition=Q(ended_at__isnull=True), name="desk_assignment_one_open_talent"
            ),
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(ended_at__isnull=True),
                name="desk_assignment_one_open_enterprise",
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(ended_at__isnull=True),
                name="desk_assignment_one_open_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.specialist}"

    @property
    def subject(self) -> object:
        return self.talent or self.enterprise or self.project

    @property
    def subject_kind(self) -> str:
        return "人才" if self.talent_id else "企业" if self.enterprise_id else "项目"


class ServiceItem(models.Model):
    """One line of a subject's personal service list (个性化服务清单)."""

    class Status(models.TextChoices):
        PLANNED = "planned", "计划中"
        DONE = "done", "已完成"

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="items", verbose_name="包保关系")
    text = models.CharField("服务事项", max_length=200)
    due_on = models.DateField("计划完成", null=True, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PLANNED)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = verbose_name_plural = "服务清单事项"
        ordering = ["status", "due_on", "id"]

    def __str__(self) -> str:
        return self.text


class Visit(models.Model):
    """A specialist's visit to an enterprise (每月走访)."""

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    enterprise = models.ForeignKey(
        "registry.Enterprise", models.CASCADE, related_name="+", verbose_name="企业"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="走访专员"
    )
    visited_on = models.DateField("走访日期", db_index=True)
    met_with = models.CharField("接待人员", max_length=120)
    summary = models.TextField("走访情况", max_length=2000, blank=True)
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = verbose_name_plural = "企业走访"
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["zone", "enterprise", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.visited_on}"


class VisitIssue(models.Model):
    """Something an enterprise raised during a visit; one click makes it a request."""

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    visit = models.ForeignKey(Visit, models.CASCADE, related_name="issues", verbose_name="走访")
    text = models.CharField("反映问题", max_length=300)
    request = models.OneToOneField(
        Request, models.SET_NULL, null=True, blank=True, related_name="visit_issue", verbose_name="转为诉求"
    )

    class Meta:
        verbose_name = verbose_name_plural = "走访问题"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text
