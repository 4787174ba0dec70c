"""政策库: a policy, its dated rule versions, and the runs that publish them.

A policy carries what does not change between versions (title, text, budget, how it is
redeemed and approved); each ``PolicyVersion`` carries the executable rule: clauses
citing the policy's articles, an amount (or tier) formula, and its validity dates.
"""

from __future__ import annotations

import datetime as dt
import decimal

from django.conf import settings
from django.db import models
from django.utils import timezone


class Policy(models.Model):
    class Target(models.TextChoices):
        TALENT = "talent", "人才"
        ENTERPRISE = "enterprise", "企业"
        BOTH = "both", "人才和企业"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        EXPIRED = "expired", "已失效"

    class Category(models.TextChoices):
        CERTIFICATION = "certification", "人才认定"
        SUBSIDY = "subsidy", "资金补助"
        HOUSING = "housing", "住房安居"
        EDUCATION = "education", "子女就学"
        SPOUSE = "spouse", "配偶就业"
        MEDICAL = "medical", "医疗保健"
        PLATFORM = "platform", "平台奖励"
        INNOVATION = "innovation", "创新创业"

    class Mode(models.TextChoices):
        AUTO = "auto", "免申即享"
        APPLY = "apply", "申报类"

    class Recurrence(models.TextChoices):
        ONCE = "once", "一次性"
        MONTHLY = "monthly", "按月"
        YEARLY = "yearly", "按年"

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    title = models.CharField("政策名称", max_length=150)
    doc_number = models.CharField("文号", max_length=60, blank=True)
    issuing_body = models.CharField("发文机关", max_length=100)
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    target = models.CharField("适用对象", max_length=12, choices=Target.choices)
    published_on = models.DateField("发布日期", null=True, blank=True)
    effective_from = models.DateField("生效日期", null=True, blank=True)
    effective_to = models.DateField("截止日期", null=True, blank=True)
    summary = models.TextField("摘要", blank=True)
    full_text = models.TextField("政策全文", blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    mode = models.CharField("兑现方式", max_length=8, choices=Mode.choices, default=Mode.AUTO)
    recurrence = models.CharField(
        "兑现周期", max_length=8, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    approval_levels = models.PositiveSmallIntegerField(
        "审核级数", default=1, help_text="1–3 级；同一申请的各级须由不同人员审核"
    )
    budget_total = models.DecimalField(
        "预算总额（元）", max_digits=14, decimal_places=2, null=True, blank=True, help_text="空表示不涉及资金"
    )
    budget_paid = models.DecimalField("已拨付（元）", max_digits=14, decimal_places=2, default=0)
    materials = models.TextField("申报材料", blank=True, help_text="申报类政策需提交的材料，每行一项")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "政策"
        ordering = ["-published_on", "-id"]
        constraints = [
            # The final guard of the ledger: paying never takes a budget below zero.
            models.CheckConstraint(
                condition=models.Q(budget_total__isnull=True)
                | models.Q(budget_paid__lte=models.F("budget_total")),
                name="policy_budget_not_exceeded",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_paid__gte=0), name="policy_budget_paid_nonnegative"
            ),
            models.CheckConstraint(
                condition=models.Q(approval_levels__gte=1, approval_levels__lte=3),
                name="policy_approval_levels_1_3",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_from__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="policy_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def budget_left(self) -> decimal.Decimal | None:
        return None if self.budget_total is None else self.budget_total - self.budget_paid

    @property
    def is_certification(self) -> bool:
        return self.category == self.Category.CERTIFICATION

    def current_version(self) -> PolicyVersion | None:
        return self.versions.filter(status=PolicyVersion.Status.PUBLISHED).order_by("-number").first()


class ApprovalLevel(models.Model):
    """Who approves one level of a policy's claims: a department of the zone, or the office (null).

    A level with no row is the office's. A claim waiting at level ``levels_done + 1`` is in the
    queue of that level's department (its handlers, or with 本部门及以下 scope those above it).
    """

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    policy = models.ForeignKey(Policy, models.CASCADE, related_name="levels", verbose_name="政策")
    number = models.PositiveSmallIntegerField("审核级")
    approver = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核部门",
        help_text="空表示由人才办审核",
    )

    class Meta:
        verbose_name = verbose_name_plural = "审核分工"
        ordering = ["policy_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "policy", "number"], name="uniq_policy_approval_level"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=3), name="approval_level_number_1_3"
            ),
        ]
        indexes = [models.Index(fields=["zone", "approver"])]

    def __str__(self) -> str:
        return f"{self.policy} 第{self.number}级"

    @property
    def approver_label(self) -> str:
        return self.approver.name if self.approver_id else "人才办"  # type: ignore[union-attr]


ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ofd": "application/ofd",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


class PolicyAttachment(models.Model):
    policy = models.ForeignKey(Policy, models.CASCADE, related_name="attachments", verbose_name="政策")
    name = models.CharField("附件名称", max_length=120)
    file = models.FileField("文件", upload_to="policies/%Y/")
    size = models.PositiveIntegerField("大小（字节）", default=0)
    uploaded_at = models.DateTimeField("上传时间", null=True, blank=True, auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "政策附件"

    def __str__(self) -> str:
        return self.name


class PolicyVersion(models.Model):
    """One dated version of a policy's executable rule (CEL; see ``policies.rules``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        RETIRED = "retired", "已停用"

    class Target(models.TextChoices):
        TALENT = "talent", "人才"
        ENTERPRISE = "enterprise", "企业"

    class OutcomeKind(models.TextChoices):
        AMOUNT = "amount", "金额（元）"
        TIER = "tier", "人才层次"
        NONE = "none", "非资金待遇"

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    policy = models.ForeignKey(Policy, models.CASCADE, related_name="versions", verbose_name="政策")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    target = models.CharField("适用对象", max_length=12, choices=Target.choices)
    valid_from = models.DateField("适用起始日")
    valid_to = models.DateField("适用截止日", null=True, blank=True)
    clauses = models.JSONField(
        "条件条款", default=list, help_text="[{article, text, expr}]，全部满足方可享受"
    )
    outcome_kind = models.CharField(
        "结果类型", max_length=8, choices=OutcomeKind.choices, default=OutcomeKind.AMOUNT
    )
    outcome_expr = models.TextField("金额/层次公式", blank=True)
    outcome_article = models.CharField("金额依据条款", max_length=20, blank=True)
    tier_valid_years = models.PositiveSmallIntegerField("认定有效期（年）", default=3)
    tier_validity = models.JSONField(
        "分层次有效期（年）",
        default=dict,
        blank=True,
        help_text='如 {"A": 5, "B": 5}；未列出的层次按认定有效期',
    )
    benefit = models.CharField(
        "享受内容", max_length=200, blank=True, help_text="非资金待遇的说明，如“可申请人才公寓”"
    )
    note = models.CharField("修订说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="起草人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )

    class Meta:
        verbose_name = verbose_name_plural = "政策规则版本"
        ordering = ["policy_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="uniq_policy_version_number"),
            models.UniqueConstraint(
                fields=["policy"],
                condition=models.Q(status="published"),
                name="one_published_version_per_policy",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="policy_version_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} v{self.number}"

    def valid_years_for(self, tier: str) -> int:
        """How long a certification into ``tier`` lasts under this version."""
        return int(self.tier_validity.get(tier, self.tier_valid_years))

    @property
    def tier_validity_text(self) -> str:
        return ", ".join(f"{t}={n}" for t, n in sorted(self.tier_validity.items()))

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class PublishRun(models.Model):
    """One background evaluation of a version over the whole zone (publish or a recurring cycle)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    class Purpose(models.TextChoices):
        PUBLISH = "publish", "发布"
        CYCLE = "cycle", "周期复核"
        SWEEP = "sweep", "补充比对"
        REEVALUATE = "reeval", "变更比对"  # 一键直达: a talent or enterprise changed (policies.reevaluate)

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    version = models.ForeignKey(PolicyVersion, models.CASCADE, related_name="runs", verbose_name="规则版本")
    purpose = models.CharField("用途", max_length=8, choices=Purpose.choices, default=Purpose.PUBLISH)
    cycle = models.CharField("周期", max_length=10, default="once")
    as_of = models.DateField("计算日")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField("待计算", default=0)
    done = models.PositiveIntegerField("已计算", default=0)
    eligible = models.PositiveIntegerField("符合条件", default=0)
    paused = models.PositiveIntegerField("暂停", default=0)
    amount = models.DecimalField("金额合计（元）", max_digits=14, decimal_places=2, default=0)
    error = models.TextField("错误", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发起人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    progressed_at = models.DateTimeField("最近进展", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    # A queued or running run with no progress for this long has lost its worker.
    STALL_AFTER = dt.timedelta(minutes=30)

    class Meta:
        verbose_name = verbose_name_plural = "政策计算任务"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.version} {self.get_purpose_display()} {self.cycle}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.done / self.total))

    @property
    def is_stalled(self) -> bool:
        if self.status not in (self.Status.QUEUED, self.Status.RUNNING):
            return False
        last = self.progressed_at or self.created_at
        return last is not None and last < timezone.now() - self.STALL_AFTER

    @property
    def can_retry(self) -> bool:
        """Failed, or stalled (its worker died): running it again continues where it stopped."""
        return self.status == self.Status.FAILED or self.is_stalled
