"""The payment ledger: append-only entries; a reversal is a new negative entry."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from talentpark.core.models import AppendOnlyModel


class LedgerEntry(AppendOnlyModel):
    class Kind(models.TextChoices):
        PAYMENT = "payment", "拨付"
        REVERSAL = "reversal", "冲正"

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    policy = models.ForeignKey("policies.Policy", models.PROTECT, related_name="ledger", verbose_name="政策")
    claim = models.ForeignKey("policies.Claim", models.PROTECT, related_name="ledger", verbose_name="兑现")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    idempotency_key = models.CharField("幂等键", max_length=80, unique=True)
    reverses = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="reversed_by", verbose_name="冲正对象"
    )
    voucher = models.CharField("凭证号", max_length=40, unique=True)
    payee_name = models.CharField("收款户名", max_length=100, blank=True)
    bank_name = models.CharField("开户银行", max_length=60, blank=True)
    payee_account_masked = models.CharField("收款账号（脱敏）", max_length=40, blank=True)
    note = models.CharField("摘要", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="经办人",
    )
    created_at = models.DateTimeField("记账时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "兑现台账"
        ordering = ["-id"]
        indexes = [models.Index(fields=["zone", "policy", "created_at"])]
        constraints = [
            # A claim is paid at most once, whatever the keys and however many workers race.
            models.UniqueConstraint(
                fields=["claim"], condition=models.Q(kind="payment"), name="one_payment_per_claim"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="payment", amount__gt=0, reverses__isnull=True)
                | models.Q(kind="reversal", amount__lt=0, reverses__isnull=False),
                name="ledger_sign_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} {self.get_kind_display()} {self.amount}"
