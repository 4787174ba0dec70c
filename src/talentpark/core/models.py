"""Shared kernel models: the zone (tenant), national code tables, audit and PII access logs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from talentpark.core.codes import synonym_problem


class Zone(models.Model):
    """A development zone (园区): the tenant. Every zone-owned row carries ``zone_id``."""

    code = models.SlugField("园区代码", max_length=32, unique=True)
    name = models.CharField("园区名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    division = models.ForeignKey("Division", models.PROTECT, verbose_name="所在行政区划")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "园区"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ZoneVersion(models.Model):
    """How many committed changes a zone's records have seen: cached pages key on it (core.zone_versions)."""

    zone = models.OneToOneField(Zone, models.CASCADE, primary_key=True, related_name="+", verbose_name="园区")
    version = models.BigIntegerField("版本", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "园区数据版本"

    def __str__(self) -> str:
        return f"{self.zone_id}@{self.version}"


class Division(models.Model):
    """GB/T 2260 administrative division (province, prefecture, county)."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        PREFECTURE = "prefecture", "地级"
        COUNTY = "county", "县级"

    code = models.CharField("区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=60)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    is_current = models.BooleanField("现行", default=True)
    # Years the code was in use (python-stdnum's GB/T 2260 history); empty = before the
    # records began (1980) / still in use. Resident ID numbers keep abolished codes.
    valid_from = models.PositiveSmallIntegerField("启用年份", null=True, blank=True)
    valid_to = models.PositiveSmallIntegerField("停用年份", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "行政区划（GB/T 2260）"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    """GB/T 4754-2017 national economic industry classification."""

    class Level(models.TextChoices):
        SECTION = "section", "门类"
        DIVISION = "division", "大类"
        GROUP = "group", "中类"
        CLASS = "class", "小类"

    code = models.CharField("行业代码", max_length=4, primary_key=True)
    name = models.CharField("名称", max_length=80)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")

    class Meta:
        verbose_name = verbose_name_plural = "国民经济行业分类（GB/T 4754-2017）"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class University(models.Model):
    """A university or college, with its national standing (985 / 211 / 双一流).

    A code table shared by every zone, loaded from ``core/data/universities.json``. It lived in
    ``registry`` until core 0016 (the ids, and so every education's university, were kept).
    """

    name = models.CharField("院校名称", max_length=80, unique=True)
    province = models.ForeignKey(Division, models.PROTECT, null=True, blank=True, verbose_name="所在省份")
    kind = models.CharField("办学层次", max_length=8, default="本科")
    is_985 = models.BooleanField("985工程", default=False)
    is_211 = models.BooleanField("211工程", default=False)
    is_double_first_class = models.BooleanField("双一流", default=False)
    is_foreign = models.BooleanField("境外院校", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "院校"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def standing(self) -> str:
        tags = [
            t
            for t, on in (("985", self.is_985), ("211", self.is_211), ("双一流", self.is_double_first_class))
            if on
        ]
        return "·".join(tags)


class CodeSynonym(models.Model):
    """A spelling offices use for a coded value ("男性" → 性别 M, "硕士研究生" → 学历 14).

    Rows without a zone are the national defaults (seeded by a data migration); a zone's
    office adds its own, which win over the defaults for that zone. Read through
    :func:`talentpark.core.synonyms.synonyms_for`.
    """

    class Table(models.TextChoices):
        SEX = "sex", "性别"
        DEGREE = "degree", "学历"
        TITLE = "title", "专业技术职称"
        SKILL = "skill", "职业技能等级"
        PROGRAMME = "programme", "人才计划级别"

    zone = models.ForeignKey(
        Zone, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="园区（空=全国默认）"
    )
    table = models.CharField("代码表", max_length=16, choices=Table.choices)
    spelling = models.CharField("写法", max_length=40)
    code = models.CharField("代码", max_length=16)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "代码同义词"
        ordering = ["table", "code", "spelling"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "table", "spelling"], name="core_synonym_unique_in_zone"),
            models.UniqueConstraint(
                fields=["table", "spelling"],
                condition=models.Q(zone__isnull=True),
                name="core_synonym_unique_national",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spelling} → {self.code}"

    def clean(self) -> None:
        problem = synonym_problem(self.table, self.spelling, self.code)
        if problem:
            raise ValidationError({problem[0]: problem[1]})


class AppendOnlyModel(models.Model):
    """Rows are written once and never changed or deleted from the application."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(f"{type(self).__name__} is append-only")


class ChainedLogQuerySet(models.QuerySet):
    """A chained log's rows are never changed or deleted in bulk either (PostgreSQL's trigger
    refuses it as well); ``bulk_create`` links the new rows into their zones' chains."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError(f"{self.model.__name__} is append-only")

    def delete(self) -> Any:
        raise PermissionError(f"{self.model.__name__} is append-only")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        from talentpark.core import auditchain

        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise ValueError(f"{self.model.__name__} rows are appended, never upserted")
        rows = list(objs)
        created: list[Any] = []
        auditchain.append_many(
            self.model,
            rows,
            lambda linked: created.extend(
                super(ChainedLogQuerySet, self).bulk_create(linked, *args, **kwargs)
            ),
        )
        return created


class ChainedLogModel(AppendOnlyModel):
    """An append-only log whose rows form a hash chain per zone (``core.auditchain``)."""

    at = models.DateTimeField("时间", db_index=True)  # set when the row is linked, under the chain's lock
    zone_id = models.BigIntegerField("园区", null=True, blank=True, db_index=True)
    seq = models.BigIntegerField("链内序号", editable=False)
    prev_hash = models.CharField("上一条哈希", max_length=64, editable=False)
    hash = models.CharField("本条哈希", max_length=64, editable=False)

    objects = ChainedLogQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(f"{type(self).__name__} is append-only")
        from talentpark.core import auditchain

        auditchain.append(self, lambda: models.Model.save(self, *args, **kwargs))


class AuditChain(models.Model):
    """The head of one hash chain: a log's rows of one zone (``zone_key`` 0: rows without a zone).

    Locked by every writer appending to the chain, so appends are serialised per zone."""

    log = models.CharField("日志", max_length=32)
    zone_key = models.BigIntegerField("园区（0=无园区）")
    seq = models.BigIntegerField("条数", default=0)
    head = models.CharField("最后一条哈希", max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "审计哈希链"
        constraints = [
            models.UniqueConstraint(fields=["log", "zone_key"], name="core_auditchain_one_per_zone")
        ]

    def __str__(self) -> str:
        return f"{self.log}@{self.zone_key}#{self.seq}"


def _chain_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.UniqueConstraint(fields=["zone_id", "seq"], name=f"{prefix}_chain_seq"),
        models.UniqueConstraint(
            fields=["seq"], condition=models.Q(zone_id__isnull=True), name=f"{prefix}_chain_seq_no_zone"
        ),
    ]


class AuditLog(ChainedLogModel):
    """The business log: one row per domain operation, written in its transaction."""

    class Result(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,  # an account that acted is deactivated, never deleted: its rows name it
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    role = models.CharField("角色", max_length=32, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    reason = models.CharField("原因", max_length=300, blank=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices, default=Result.SUCCESS)
    ip = models.CharField("来源IP", max_length=45, blank=True)
    request_id = models.CharField("请求ID", max_length=32, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "操作日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = _chain_constraints("core_auditlog")

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"


class PIIAccessLog(ChainedLogModel):
    """Every unmasked read of personal information, and every refused attempt."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="查看人",
    )
    actor_name = models.CharField("查看人", max_length=150, blank=True)
    role = models.CharField("角色", max_length=32, blank=True)
    subject_type = models.CharField("对象类型", max_length=64)
    subject_id = models.CharField("对象ID", max_length=64)
    subject_repr = models.CharField("对象", max_length=200, blank=True)
    field = models.CharField("字段", max_length=32)
    reason = models.CharField("查看理由", max_length=300, blank=True)
    granted = models.BooleanField("是否允许", default=True)
    ip = models.CharField("来源IP", max_length=45, blank=True)
    request_id = models.CharField("请求ID", max_length=32, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "个人信息查看日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        constraints = _chain_constraints("core_piiaccesslog")

    def __str__(self) -> str:
        return f"{self.actor_name} {self.field} {self.subject_repr}"


class Notice(models.Model):
    """站内信: one notice to one user (``core.notify.notify`` writes them; the inbox reads them)."""

    zone = models.ForeignKey(
        Zone, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="园区"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notices", verbose_name="接收人"
    )
    kind = models.CharField("类别", max_length=40)
    text = models.CharField("内容", max_length=200)
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    expires_at = models.DateTimeField("失效时间", null=True, blank=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "站内信"
        ordering = ["-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "id"], name="core_notice_inbox")]

    def __str__(self) -> str:
        return self.text


class Announcement(models.Model):
    """通知公告: the office's announcement to an audience of its zone, shown on their home pages
    from its publish date until its expiry."""

    class Audience(models.TextChoices):
        EVERYONE = "everyone", "全体用户"
        TALENTS = "talents", "全体人才"
        ENTERPRISES = "enterprises", "全体企业"
        STAFF = "staff", "园区工作人员"
        DEPARTMENT = "department", "指定部门"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤回"

    zone = models.ForeignKey(Zone, models.PROTECT, related_name="+", verbose_name="园区")
    title = models.CharField("标题", max_length=80)
    body = models.TextField("正文", max_length=2000)
    audience = models.CharField("发布对象", max_length=12, choices=Audience.choices)
    department = models.ForeignKey(
        "accounts.Department", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="部门"
    )
    publish_on = models.DateField("发布日期")
    expires_on = models.DateField("截止日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知公告"
        ordering = ["-publish_on", "-id"]
        indexes = [models.Index(fields=["zone", "status", "publish_on"], name="core_announcement_live")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("publish_on")),
                name="core_announcement_expires_after_publish",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NoticeDelivery(models.Model):
    """A notice sent (or to be sent) through a channel beyond the inbox: SMS, e-mail."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"
        NO_ADDRESS = "no_address", "无联系方式"

    notice = models.ForeignKey(Notice, models.CASCADE, related_name="deliveries", verbose_name="站内信")
    channel = models.CharField("渠道", max_length=10)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    error = models.CharField("错误", max_length=300, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "消息发送记录"
        constraints = [models.UniqueConstraint(fields=["notice", "channel"], name="core_delivery_once")]

    def __str__(self) -> str:
        return f"{self.channel} {self.status}"


class NoticePreference(models.Model):
    """Whether a kind of notice reaches a user through a channel (the kind's default otherwise)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notice_preferences", verbose_name="用户"
    )
    kind = models.CharField("类别", max_length=40)
    channel = models.CharField("渠道", max_length=10)
    enabled = models.BooleanField("接收", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "消息接收设置"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="core_notice_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.channel}={self.enabled}"


from talentpark.core.scheduling.models import JobRun, ScheduledJob, WorkerHeartbeat  # noqa: E402  (定时任务)


class Dictionary(models.Model):
    """字典: a list of values a zone's office edits itself (local talent programmes, service-desk
    categories), as opposed to the national code tables.

    A row without a zone is the platform-wide dictionary of its code; a zone's row of the same code
    replaces it for that zone (see :func:`talentpark.core.dictionaries.items`).
    """

    zone = models.ForeignKey(
        Zone, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="园区（空=全平台）"
    )
    code = models.CharField("字典编码", max_length=40)
    name = models.CharField("字典名称", max_length=60)
    description = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "字典"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="core_dictionary_unique_in_zone"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(zone__isnull=True), name="core_dictionary_unique_platform"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class DictionaryItem(models.Model):
    """One value of a dictionary: the stored ``value``, the ``label`` people read, its place in
    the list, whether it is offered, and optional data (a talent programme's level)."""

    dictionary = models.ForeignKey(Dictionary, models.CASCADE, related_name="items", verbose_name="字典")
    value = models.CharField("字典值", max_length=80)
    label = models.CharField("显示名称", max_length=80)
    sort = models.IntegerField("排序", default=0)
    enabled = models.BooleanField("启用", default=True)
    extra = models.JSONField("附加信息", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "字典项"
        ordering = ["sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dictionary", "value"], name="core_dictionary_item_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class Parameter(models.Model):
    """An override of a run-time parameter declared in :mod:`talentpark.core.parameters`.

    ``value`` empty (NULL) means "the default" (restored); the row stays, and ``revision`` counts
    its changes. Each process keeps a copy of the overrides for ``TALENTPARK_PARAMETER_TTL``
    seconds (see the module).
    """

    key = models.CharField("参数键", max_length=80, unique=True)
    value = models.TextField("参数值", null=True, blank=True)
    revision = models.PositiveIntegerField("修改次数", default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="修改人",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "系统参数"
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class SmsCode(models.Model):
    """One SMS verification code sent to a phone for a purpose (``core.smscodes`` issues and checks them).

    Only keyed hashes are stored: of the phone (the blind index, for look-up and rate limits) and
    of the code (with a salt of its own). ``is_current`` marks the newest code of a phone and
    purpose; a partial unique index keeps it to one, so two concurrent sends cannot both win.
    """

    class Purpose(models.TextChoices):
        SIGNUP_TALENT = "signup_talent", "人才注册"
        SIGNUP_ENTERPRISE = "signup_enterprise", "企业注册"
        PASSWORD_RESET = "password_reset", "找回密码"

    phone_hash = models.CharField("手机号码（密钥散列）", max_length=64)
    purpose = models.CharField("用途", max_length=20, choices=Purpose.choices)
    code_hash = models.CharField("验证码（加盐散列）", max_length=100)
    ip = models.CharField("来源IP", max_length=45, blank=True)
    sent = models.BooleanField("已发送", default=True)
    created_at = models.DateTimeField("发送时间", db_index=True)
    expires_at = models.DateTimeField("失效时间")
    attempts = models.PositiveSmallIntegerField("校验次数", default=0)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    is_current = models.BooleanField("最新", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "短信验证码"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone_hash", "purpose"],
                condition=models.Q(is_current=True),
                name="core_smscode_one_current",
            ),
        ]
        indexes = [
            models.Index(fields=["phone_hash", "created_at"], name="core_smscode_phone_day"),
            models.Index(fields=["ip", "created_at"], name="core_smscode_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"


class Lease(models.Model):
    """Work one holder at a time, across every process (``core.leases``): e.g. one export per user."""

    key = models.CharField("锁", max_length=120, unique=True)
    token = models.CharField("持有令牌", max_length=32)
    holder = models.CharField("持有进程", max_length=120, blank=True)
    acquired_at = models.DateTimeField("取得时间")
    expires_at = models.DateTimeField("到期时间")

    class Meta:
        verbose_name = verbose_name_plural = "运行锁"

    def __str__(self) -> str:
        return self.key


class CalendarDay(models.Model):
    """节假日与调休: one day of the national working calendar as the office entered it from the
    State Council's notice — a public holiday (放假) or a 调休 make-up working day (上班).

    Platform-wide (the calendar is national; no zone overrides it). A row overrides what the
    chinese-calendar library says of its date; see :mod:`talentpark.core.workcalendar`.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("节日名称", max_length=30, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="修改人",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "节假日与调休"
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]), name="core_calendarday_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


from talentpark.core.search.models import SearchDocument  # noqa: E402  (the index table is a core model)

__all__ = [
    "Announcement",
    "AppendOnlyModel",
    "AuditLog",
    "CodeSynonym",
    "Dictionary",
    "DictionaryItem",
    "Division",
    "Industry",
    "JobRun",
    "Notice",
    "NoticeDelivery",
    "NoticePreference",
    "PIIAccessLog",
    "Parameter",
    "ScheduledJob",
    "SearchDocument",
    "SmsCode",
    "WorkerHeartbeat",
    "Zone",
]
