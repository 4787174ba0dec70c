"""Accounts: users with one role each, the department tree, API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from talentpark.accounts.roles import DEFAULT_SCOPE, DataScope, Role


class Department(models.Model):
    """A node of a zone's department tree (人才办, 服务中心, 住建局 …).

    ``path`` is the materialised path of ids ("/3/7/"), so "本部门及以下" is a
    prefix match on an indexed column rather than a recursive query.
    """

    class Kind(models.TextChoices):
        OFFICE = "office", "人才工作领导小组办公室"
        SERVICE_CENTRE = "service_centre", "人才服务中心"
        HOUSING = "housing", "住房和城乡建设"
        EDUCATION = "education", "教育"
        HEALTH = "health", "卫生健康"
        PUBLIC_SECURITY = "public_security", "公安"
        HRSS = "hrss", "人力资源和社会保障"
        TAX = "tax", "税务"
        FINANCE = "finance", "财政"
        SCIENCE = "science", "科技创新"
        INVESTMENT = "investment", "招商"
        OTHER = "other", "其他"

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    name = models.CharField("部门名称", max_length=80)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "部门"
        ordering = ["zone_id", "path", "order"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "parent", "name"], name="uniq_dept_name_in_parent")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            self.path = path
            super().save(update_fields=["path"])


class User(AbstractUser):
    """A login. One role per account; staff belong to one zone and one department."""

    display_name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=16, choices=Role.choices, db_index=True)
    zone = models.ForeignKey("core.Zone", models.PROTECT, null=True, blank=True, verbose_name="所属园区")
    department = models.ForeignKey(Department, models.PROTECT, null=True, blank=True, verbose_name="所属部门")
    data_scope = models.CharField("数据范围", max_length=16, choices=DataScope.choices, blank=True)
    province = models.ForeignKey(
        "core.Division",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": "province"},
        verbose_name="所辖省份",
        help_text="省级查看账号只看到行政区划在该省内的园区",
    )

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def effective_scope(self) -> str:
        return self.data_scope or DEFAULT_SCOPE.get(self.role, DataScope.SELF)  # type: ignore[call-overload]

    @property
    def effective_scope_label(self) -> str:
        return str(DataScope(self.effective_scope).label)


class APIToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; shown once at creation."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens", verbose_name="用户")
    name = models.CharField("名称", max_length=60)
    prefix = models.CharField("前缀", max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked = models.BooleanField("已吊销", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "API令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def user_for(cls, key: str) -> User | None:
        """The active user of a live token ``key`` (its last use is noted), or None."""
        row = cls.objects.select_related("user").filter(key_hash=cls.hash_key(key), revoked=False).first()
        if row is None or not row.user.is_active:
            return None
        if row.expires_at and row.expires_at <= timezone.now():
            return None
        cls.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        return row.user

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[APIToken, str]:
        key = "tp_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[:10], key_hash=cls.hash_key(key))
        return token, key


class LoginEvent(models.Model):
    """One line of the 登录日志: a sign-in, a failed or refused one, a lock, or a session's end.

    Written by the signal receivers in ``accounts/login_log.py`` (sign-in, failure, axes' lock,
    logout) and by ``accounts/sessions.py`` (forced logout, timeouts). ``username`` is what was
    typed (control characters removed); the password typed is never stored.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", "登录成功"
        FAILED = "failed", "登录失败"
        LOCKED = "locked", "账号锁定"
        LOGOUT = "logout", "退出登录"
        FORCED = "forced", "强制下线"
        TIMEOUT = "timeout", "超时下线"

    at = models.DateTimeField("时间", db_index=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    username = models.CharField("登录名", max_length=150, blank=True)
    user = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="用户"
    )
    zone = models.ForeignKey("core.Zone", models.PROTECT, null=True, blank=True, verbose_name="园区")
    ip = models.CharField("来源IP", max_length=45, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)
    detail = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录日志"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["zone", "-at"], name="loginevent_zone_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.get_kind_display()}"


class UserSession(models.Model):
    """A signed-in session, for 在线用户: created at sign-in, its last activity refreshed at most
    once a minute by ``accounts.middleware.SessionLimitMiddleware``, ended by logout, 强制下线 or a
    timeout. ``session_key`` names the session in Django's session store; it is never shown."""

    class End(models.TextChoices):
        LOGOUT = "logout", "退出登录"
        FORCED = "forced", "强制下线"
        IDLE = "idle", "闲置超时"
        ABSOLUTE = "absolute", "超过最长登录时间"

    user = models.ForeignKey(User, models.CASCADE, related_name="+", verbose_name="用户")
    zone = models.ForeignKey("core.Zone", models.PROTECT, null=True, blank=True, verbose_name="园区")
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    session_key = models.CharField(max_length=64, db_index=True, editable=False)
    started_at = models.DateTimeField("登录时间")
    last_seen_at = models.DateTimeField("最近活动")
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=10, choices=End.choices, blank=True)
    ended_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    ip = models.CharField("来源IP", max_length=45, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "在线会话"
        ordering = ["-last_seen_at", "-pk"]
        indexes = [
            models.Index(
                fields=["zone", "-last_seen_at"],
                name="usersession_live",
                condition=models.Q(ended_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"


class PasswordHistory(models.Model):
    """A password a user has held: its hash (never the password) and when it was set.

    Written whenever a password is saved (``accounts.passwords.PasswordHistoryValidator``
    is told by Django's ``password_changed``); the newest row dates the password for expiry,
    the last five refuse reuse.
    """

    user = models.ForeignKey(User, models.CASCADE, related_name="password_history", verbose_name="用户")
    password = models.CharField("密码哈希", max_length=128)
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_user_new")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"
