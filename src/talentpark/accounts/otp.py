"""The second factor: TOTP authenticators (django-otp) — enrol, verify, remove, reset by the office.

A user holds at most one confirmed ``TOTPDevice``. Enrolment creates an unconfirmed device
(``start_totp``), shows its QR code and secret, and confirms it only after a correct code
(``confirm_totp``). Wrong codes are throttled by django-otp's exponential back-off (1, 2, 4 …
seconds, ``OTP_TOTP_THROTTLE_FACTOR``), counted on the device, so a new session does not reset
them. Every change writes an audit row; every wrong code writes a failed one.
"""

from __future__ import annotations

import math
from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentpark.accounts.models import User
from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog

DEVICE_NAME = "身份验证器"


def required(user: Any) -> bool:
    """Must this account sign in with a second factor? Superusers (unless the setting says not, as
    under pytest) and the roles of ``TALENTPARK_OTP_REQUIRED_ROLES``."""
    if user.is_superuser:
        return bool(settings.TALENTPARK_OTP_REQUIRED_FOR_SUPERUSERS)
    return user.role in settings.TALENTPARK_OTP_REQUIRED_ROLES


def device_of(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator, if she has one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_of(user: Any) -> TOTPDevice | None:
    """The authenticator she started to enrol and has not confirmed yet."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def secret_of(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The enrolment QR code (the otpauth:// URL), rendered here as inline SVG: no image host."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, dark="#1f2933")
    return mark_safe(svg)  # noqa: S308  # segno's own SVG; the URL is ours (user name, secret)


def _zone(user: Any) -> int | None:
    return user.zone_id  # type: ignore[no-any-return]


def start_totp(ctx: ActionContext, user: User) -> TOTPDevice:
    """A fresh unconfirmed authenticator for ``user`` (any earlier unconfirmed one is dropped)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        audit.record(ctx, "account.otp.start", user, zone_id=_zone(user))
    return device


def _throttled(device: TOTPDevice) -> str | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    if info and info.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        until = info.get("locked_until")
        wait = max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 1
        return gettext("验证码：错误次数过多，请%(s)d秒后再试") % {"s": wait}
    return gettext("验证码：暂时不能验证，请稍后再试")


def _verify(ctx: ActionContext, device: TOTPDevice, token: str, action: str) -> tuple[str | None, bool]:
    """Verify ``token`` on ``device`` (locked, so a code is accepted once): a Chinese error or None,
    and whether a code was checked against the device and found wrong (not when it was malformed
    or the back-off had not yet passed: nothing was tried then)."""
    token = (token or "").strip().replace(" ", "")
    if not (len(token) == device.digits and token.isdigit()):
        return gettext("验证码：请输入身份验证器显示的%(n)d位数字") % {"n": device.digits}, False
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        message = _throttled(locked)
        ok = message is None and locked.verify_token(token)  # saves the throttle or last_t itself
    wrong = message is None and not ok
    if wrong:
        message = gettext("验证码：不正确或已过期，请输入身份验证器当前显示的验证码")
    if message is not None:
        audit.record(ctx, action, device.user, zone_id=_zone(device.user), result=AuditLog.Result.FAILURE)
    return message, wrong


def _check(ctx: ActionContext, device: TOTPDevice, token: str, action: str) -> str | None:
    return _verify(ctx, device, token, action)[0]


def confirm_totp(ctx: ActionContext, device: TOTPDevice, token: str) -> str | None:
    """Confirm a pending authenticator with a correct code; it replaces any earlier one."""
    message = _check(ctx, device, token, "account.otp.enrol")
    if message is not None:
        return message
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
        device.refresh_from_db()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(ctx, "account.otp.enrol", device.user, zone_id=_zone(device.user))
    return None


def verify_login(ctx: ActionContext, user: User, token: str) -> tuple[TOTPDevice | None, str | None, bool]:
    """The code step of signing in: the device that accepted ``token``, or a Chinese error and
    whether it was a wrong code (which counts toward the login lockout, ``accounts.lockout``)."""
    device = device_of(user)
    if device is None:
        return None, gettext("验证码：您的账号尚未绑定身份验证器"), False
    message, wrong = _verify(ctx, device, token, "account.otp.verify")
    return (None, message, wrong) if message else (device, None, False)


def remove_totp(ctx: ActionContext, user: User, password: str) -> str | None:
    """Remove her own authenticator after re-entering her password; a Chinese error or None."""
    if not password or not user.check_password(password):
        return gettext("密码：不正确，未解除绑定")
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        audit.record(ctx, "account.otp.remove", user, zone_id=_zone(user), before={"devices": removed})
    return None


def reset_totp(ctx: ActionContext, target: User, reason: str) -> str | None:
    """The office removes someone's authenticator (a lost phone): she enrols again at next sign-in."""
    reason = (reason or "").strip()
    if not reason:
        return gettext("重置理由：必填，将记录在操作日志中")
    if len(reason) > 300:
        return gettext("重置理由：不能超过300个字")
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=target).delete()
        audit.record(
            ctx,
            "account.otp.reset",
            target,
            zone_id=_zone(target),
            before={"devices": removed},
            after={"devices": 0, "reason": reason},
        )
    return None
