"""Decisions (frozen, explained), claims and their workflow, review requests, certifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from talentpark.core.fields import EncryptedPIIField
from talentpark.core.models import AppendOnlyModel


class Decision(AppendOnlyModel):
    """An automated eligibility decision, frozen with the data it was computed from (PIPL art. 24).

    Never edited: a later profile change leads to a new decision in a later cycle,
    never to a different past one.
    """

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    policy = models.ForeignKey(
        "policies.Policy", models.PROTECT, related_name="decisions", verbose_name="政策"
    )
    version = models.ForeignKey(
        "policies.PolicyVersion", models.PROTECT, related_name="decisions", verbose_name="规则版本"
    )
    run = models.ForeignKey(
        "policies.PublishRun",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="计算任务",
    )
    talent = models.ForeignKey(
        "registry.Talent", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="人才"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="企业"
    )
    cycle = models.CharField("周期", max_length=10, default="once")
    as_of = models.DateField("计算日")
    eligible = models.BooleanField("符合条件")
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    tier = models.CharField("认定层次", max_length=1, blank=True)
    inputs = models.JSONField("计算依据数据")
    clauses = models.JSONField("逐条结果")
    explanation = models.TextField("说明")
    computed_at = models.DateTimeField("计算时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "资格判定"
        ordering = ["-id"]
        indexes = [models.Index(fields=["zone", "talent"]), models.Index(fields=["zone", "enterprise"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(talent__isnull=False, enterprise__isnull=True)
                | models.Q(talent__isnull=True, enterprise__isnull=False),
                name="decision_one_subject",
            ),
            models.CheckConstraint(condition=~models.Q(explanation=""), name="decision_explained"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {'符合' if self.eligible else '不符合'}"


class Claim(models.Model):
    """One benefit owed to one talent or enterprise under one policy for one cycle.

    Its status moves only through ``policies.workflow.transition``; every change is a
    ``ClaimEvent``. Money moves only through ``policies.ledger``.
    """

    class Status(models.TextChoices):
        NOTIFIED = "notified", "待确认"
        APPLYING = "applying", "待申报"
        REVIEWING = "reviewing", "审核中"
        APPROVED = "approved", "待拨付"
        PAID = "paid", "已兑现"
        CERTIFIED = "certified", "已认定"
        GRANTED = "granted", "已享受"
        REJECTED = "rejected", "未通过"
        DECLINED = "declined", "已放弃"
        PAUSED = "paused", "已暂停"
        REVERSED = "reversed", "已冲正"

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    policy = models.ForeignKey("policies.Policy", models.PROTECT, related_name="claims", verbose_name="政策")
    version = models.ForeignKey(
        "policies.PolicyVersion", models.PROTECT, related_name="claims", verbose_name="规则版本"
    )
    decision = models.OneToOneField(Decision, models.PROTECT, related_name="claim", verbose_name="资格判定")
    talent = models.ForeignKey(
        "registry.Talent", models.PROTECT, null=True, blank=True, related_name="claims", verbose_name="人才"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name="企业",
    )
    cycle = models.CharField("周期", max_length=10, default="once")
    status = models.CharField("状态", max_length=10, choices=Status.choices, db_index=True)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2, default=0)
    tier = models.CharField("认定层次", max_length=1, blank=True)
    levels_required = models.PositiveSmallIntegerField("审核级数", default=1)
    levels_done = models.PositiveSmallIntegerField("已审核级数", default=0)
    payee_name = models.CharField("收款户名", max_length=100, blank=True)
    bank_name = models.CharField("开户银行", max_length=60, blank=True)
    bank_account = EncryptedPIIField("银行账号", kind="bank_account", null=True, blank=True)
    application = models.JSONField("申报信息", default=dict, blank=True)
    status_reason = models.CharField("状态说明", max_length=300, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    paid_at = models.DateTimeField("兑现时间", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "政策兑现"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["zone", "status"]),
            models.Index(fields=["zone", "policy", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "talent", "cycle"],
                condition=models.Q(talent__isnull=False),
                name="one_claim_per_talent_cycle",
            ),
            models.UniqueConstraint(
                fields=["policy", "enterprise", "cycle"],
                condition=models.Q(enterprise__isnull=False),
                name="one_claim_per_enterprise_cycle",
            ),
            models.CheckConstraint(
                condition=models.Q(talent__isnull=False, enterprise__isnull=True)
                | models.Q(talent__isnull=True, enterprise__isnull=False),
                name="claim_one_subject",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="claim_amount_nonnegative"),
            models.CheckConstraint(
                condition=models.Q(levels_done__lte=models.F("levels_required")), name="claim_levels_bounded"
            ),
        ]

    def __str__(self) -> str:
        who = self.talent or self.enterprise
        return f"{self.policy} · {who}"

    @property
    def subject(self) -> object:
        return self.talent if self.talent_id else self.enterprise

    @property
    def subject_name(self) -> str:
        if self.talent_id:
            return self.talent.person.name  # type: ignore[union-attr]
        return self.enterprise.name  # type: ignore[union-attr]

    @property
    def level_label(self) -> str:
        if self.status != self.Status.REVIEWING:
            return ""
        return f"第{self.levels_done + 1}级/共{self.levels_required}级"


class ClaimEvent(AppendOnlyModel):
    """One status change of a claim: who, when, from, to, why."""

    claim = models.ForeignKey(Claim, models.CASCADE, related_name="events", verbose_name="兑现")
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人", max_length=150)
    from_status = models.CharField("原状态", max_length=10, blank=True)
    to_status = models.CharField("新状态", max_length=10)
    level = models.PositiveSmallIntegerField("审核级", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "兑现进度"
        ordering = ["claim_id", "id"]

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status}"

    @property
    def to_label(self) -> str:
        return Claim.Status(self.to_status).label


class ReviewRequest(models.Model):
    """A person's request that a human re-examine an automated decision (PIPL art. 24)."""

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        UPHELD = "upheld", "维持原判定"
        CORRECTED = "corrected", "已更正"

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    decision = models.ForeignKey(Decision, models.PROTECT, related_name="reviews", verbose_name="资格判定")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="申请人"
    )
    reason = models.TextField("复核理由")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    resolution = models.TextField("处理意见", blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "人工复核"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision"], condition=models.Q(status="open"), name="one_open_review_per_decision"
            )
        ]

    def __str__(self) -> str:
        return f"复核 · {self.decision}"


class Certification(AppendOnlyModel):
    """A talent's certified tier (人才认定) with its validity; the registry's ``Talent.tier`` follows it."""

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    talent = models.ForeignKey(
        "registry.Talent", models.PROTECT, related_name="certifications", verbose_name="人才"
    )
    claim = models.OneToOneField(Claim, models.PROTECT, related_name="certification", verbose_name="认定申请")
    tier = models.CharField("认定层次", max_length=1)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至")
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="认定人",
    )
    created_at = models.DateTimeField("认定时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "人才认定"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.talent} · {self.tier}类"
