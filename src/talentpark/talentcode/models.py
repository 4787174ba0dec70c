from __future__ import annotations

from django.conf import settings
from django.db import models


class SigningKey(models.Model):
    """A key that signs 人才码 tokens (``talentcode.tokens``); platform-wide, not a zone's.

    Only the active key signs, and only it keeps its private half (sealed under the field keyring,
    ``talentcode.keys``). A retiring key still verifies the tokens it signed until ``not_after``; a
    retired key verifies nothing. The public halves of all of them are published
    (``/talentcode/keys.json``) for offline verifiers.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "启用"
        RETIRING = "retiring", "停签（仍可验证）"
        RETIRED = "retired", "已退役"

    kid = models.CharField("密钥标识", max_length=16, unique=True)
    alg = models.CharField("签名算法", max_length=16, default="EdDSA")
    public_key = models.BinaryField("公钥")
    private_key_sealed = models.TextField("私钥（加密）", blank=True, editable=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    retiring_at = models.DateTimeField("停签时间", null=True, blank=True)
    not_after = models.DateTimeField("验证截止", null=True, blank=True)
    retired_at = models.DateTimeField("退役时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "人才码签名密钥"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="active"),
                name="talentcode_one_active_key",
            ),
            models.CheckConstraint(
                condition=models.Q(status="active") | models.Q(private_key_sealed=""),
                name="talentcode_only_active_key_keeps_private",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kid} ({self.alg}, {self.get_status_display()})"


TIER_CHOICES = [("A", "A类"), ("B", "B类"), ("C", "C类"), ("D", "D类"), ("E", "E类")]


class TalentCode(models.Model):
    """A talent's 人才码 in one zone: the opaque id her tokens carry (never her name or numbers).

    One per talent record; made on first use (``services.code_for``). A revoked code makes every
    token of it fail online verification at once (offline verifiers learn it when the token expires).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "有效"
        REVOKED = "revoked", "已停用"

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    talent = models.ForeignKey("registry.Talent", models.CASCADE, related_name="+", verbose_name="人才")
    code_id = models.CharField("人才码标识", max_length=32, unique=True, editable=False)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)
    revoked_reason = models.CharField("停用原因", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "人才码"
        constraints = [models.UniqueConstraint(fields=["zone", "talent"], name="talentcode_one_per_talent")]

    def __str__(self) -> str:
        return self.code_id


class IssuedToken(models.Model):
    """One token shown on her phone: its id (``cti``), the 8-digit short code typed instead of a
    scan, and its expiry. The short code means nothing without this row; rows past expiry are
    pruned when the next token is issued (``services.current_token``)."""

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    code = models.ForeignKey(TalentCode, models.CASCADE, related_name="tokens", verbose_name="人才码")
    cti = models.CharField("令牌标识", max_length=32, unique=True)
    short_code = models.CharField("数字码", max_length=8, unique=True)
    token = models.TextField("令牌")
    issued_at = models.DateTimeField("签发时间")
    expires_at = models.DateTimeField("过期时间", db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "已签发人才码"
        indexes = [models.Index(fields=["code", "-expires_at"], name="talentcode_token_latest_idx")]

    def __str__(self) -> str:
        return self.cti


class Partner(models.Model):
    """A 合作机构: a hospital, a school's enrolment desk, a bank, the housing office … that gives
    certified talents green-channel services at its windows."""

    class Kind(models.TextChoices):
        HOSPITAL = "hospital", "医疗机构"
        SCHOOL = "school", "学校/教育部门"
        BANK = "bank", "金融机构"
        HOUSING = "housing", "住房保障"
        SERVICE_HALL = "hall", "政务服务大厅"
        TRANSPORT = "transport", "交通出行"
        CULTURE = "culture", "文旅场馆"
        OTHER = "other", "其他"

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    name = models.CharField("机构名称", max_length=80)
    kind = models.CharField("机构类别", max_length=10, choices=Kind.choices, db_index=True)
    address = models.CharField("地址", max_length=120, blank=True)
    contact = models.CharField("联系电话", max_length=40, blank=True)
    is_active = models.BooleanField("合作中", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "合作机构"
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="talentcode_partner_name")]

    def __str__(self) -> str:
        return self.name


class PartnerWindow(models.Model):
    """A counter of a partner institution (e.g. 人才服务专窗, 门诊一楼绿色通道)."""

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    partner = models.ForeignKey(Partner, models.CASCADE, related_name="windows", verbose_name="合作机构")
    name = models.CharField("窗口名称", max_length=60)
    location = models.CharField("位置", max_length=80, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "合作窗口"
        ordering = ["partner_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "partner", "name"], name="talentcode_window_name")
        ]

    def __str__(self) -> str:
        return f"{self.partner.name}·{self.name}"


class PartnerAccount(models.Model):
    """A partner window's staff login: which institution (and usual window) it scans for."""

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="partner_account", verbose_name="账号"
    )
    partner = models.ForeignKey(Partner, models.CASCADE, related_name="accounts", verbose_name="合作机构")
    window = models.ForeignKey(
        PartnerWindow, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="默认窗口"
    )

    class Meta:
        verbose_name = verbose_name_plural = "合作窗口账号"

    def __str__(self) -> str:
        return f"{self.user} @ {self.partner}"


class GreenService(models.Model):
    """A green-channel service a partner gives to talents of some tiers (绿色通道专属服务).

    ``tiers`` holds the tier letters that qualify (e.g. ``"ABC"``); ``window`` empty: any of the
    partner's windows. ``per_year`` caps how often one talent may receive it (0: no cap)."""

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    partner = models.ForeignKey(Partner, models.CASCADE, related_name="services", verbose_name="合作机构")
    window = models.ForeignKey(
        PartnerWindow,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name="办理窗口",
    )
    name = models.CharField("服务名称", max_length=60)
    description = models.CharField("服务说明", max_length=200, blank=True)
    tiers = models.CharField("适用人才层次", max_length=5, default="ABC")
    per_year = models.PositiveSmallIntegerField("每人每年次数上限", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "绿色通道服务"
        ordering = ["partner_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "partner", "name"], name="talentcode_service_name"),
            models.CheckConstraint(condition=~models.Q(tiers=""), name="talentcode_service_has_tiers"),
        ]

    def __str__(self) -> str:
        return self.name

    def tier_labels(self) -> str:
        return "、".join(f"{t}类" for t in self.tiers)


# What a scan's ``outcome`` code means, for the office's pages (an unknown code is shown as is).
SCAN_OUTCOMES = {
    "valid": "有效",
    "expired": "已过期",
    "not_yet_valid": "尚未生效",
    "signature": "签名无效",
    "algorithm": "签名算法不符",
    "unknown_kid": "未知密钥",
    "retired_key": "密钥已退役",
    "claims": "内容无效",
    "prefix": "不是人才码",
    "encoding": "编码无效",
    "empty": "未输入",
    "short_code": "数字码无效或过期",
    "unknown_token": "非本平台签发",
    "other_zone": "不属于本园区",
    "revoked": "人才码已停用",
    "left": "人才已离区",
    "rate_limited": "超出核验频率",
}


class Scan(models.Model):
    """One verification at a partner window (扫码记录), whatever its outcome: the scan log, the
    per-account rate limit's count, and the anchor a recorded service points to."""

    class Method(models.TextChoices):
        QR = "qr", "扫码"
        SHORT_CODE = "short", "输入数字码"
        API = "api", "接口核验"

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    partner = models.ForeignKey(Partner, models.PROTECT, related_name="scans", verbose_name="合作机构")
    window = models.ForeignKey(
        PartnerWindow, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="窗口"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="核验人"
    )
    at = models.DateTimeField("核验时间", db_index=True)
    method = models.CharField("方式", max_length=6, choices=Method.choices)
    outcome = models.CharField("结果", max_length=20)  # "valid" or a TokenInvalid / refusal code
    code = models.ForeignKey(
        TalentCode, models.SET_NULL, null=True, blank=True, related_name="scans", verbose_name="人才码"
    )
    cti = models.CharField("令牌标识", max_length=32, blank=True)
    expires_at = models.DateTimeField("令牌过期时间", null=True, blank=True)
    fields_shown = models.CharField("展示的信息", max_length=80, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "扫码核验记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "at"], name="talentcode_scan_rate_idx")]

    def __str__(self) -> str:
        return f"{self.partner} {self.at:%Y-%m-%d %H:%M} {self.outcome}"

    @property
    def valid(self) -> bool:
        return self.outcome == "valid"

    def outcome_label(self) -> str:
        return SCAN_OUTCOMES.get(self.outcome, self.outcome)


class ServiceRecord(models.Model):
    """A green-channel service given to a talent at a window (服务记录), on her timeline at once.

    One token gives one service once: ``(cti, service)`` is unique, so a replayed or double-scanned
    token cannot record the same service twice (the database refuses the second row)."""

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    code = models.ForeignKey(TalentCode, models.PROTECT, related_name="records", verbose_name="人才码")
    talent = models.ForeignKey("registry.Talent", models.PROTECT, related_name="+", verbose_name="人才")
    service = models.ForeignKey(GreenService, models.PROTECT, related_name="records", verbose_name="服务")
    partner = models.ForeignKey(Partner, models.PROTECT, related_name="records", verbose_name="合作机构")
    window = models.ForeignKey(
        PartnerWindow, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="窗口"
    )
    scan = models.ForeignKey(Scan, models.PROTECT, related_name="records", verbose_name="核验记录")
    cti = models.CharField("令牌标识", max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="经办人"
    )
    at = models.DateTimeField("服务时间", db_index=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "绿色通道服务记录"
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "cti", "service"], name="talentcode_one_use_per_token"),
        ]
        indexes = [models.Index(fields=["talent", "-at"], name="talentcode_record_talent_idx")]

    def __str__(self) -> str:
        return f"{self.service} · {self.at:%Y-%m-%d}"


CONSENT_FIELDS = {
    "tier": "人才层次及有效期、可享服务",
    "name": "姓名",
    "employer": "工作单位",
    "phone": "手机号码（部分隐藏）",
}
CONSENT_VERSION = "2026-12"


class PartnerConsent(models.Model):
    """Her consent (PIPL 23) that partners of one kind see some fields when she shows her code.

    Without a live consent a partner of that kind sees only "valid / not valid". Withdrawal sets
    ``withdrawn_at`` (the row stays, as the record of what she had agreed to); at most one live
    consent per talent and kind (a partial unique constraint)."""

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    talent = models.ForeignKey("registry.Talent", models.CASCADE, related_name="+", verbose_name="人才")
    partner_kind = models.CharField("机构类别", max_length=10, choices=Partner.Kind.choices)
    fields = models.JSONField("同意展示的信息", default=list)
    version = models.CharField("授权文本版本", max_length=16, default=CONSENT_VERSION)
    granted_at = models.DateTimeField("授权时间")
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "人才码授权"
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "talent", "partner_kind"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="talentcode_one_live_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.talent_id} → {self.get_partner_kind_display()}"
