"""Account operations: each owns its transaction and writes one audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from talentpark.accounts.models import APIToken, User
from talentpark.core import audit
from talentpark.core.context import ActionContext


def issue_api_token(ctx: ActionContext, user: User, name: str, days: int = 365) -> tuple[APIToken, str]:
    """Create a bearer token for ``user``; the key is returned once and only its hash is stored."""
    with transaction.atomic():
        token, key = APIToken.issue(user, name)
        token.expires_at = timezone.now() + dt.timedelta(days=days)
        token.save(update_fields=["expires_at"])
        audit.record(
            ctx,
            "api_token.issue",
            token,
            zone_id=user.zone_id,
            after={"user": user.username, "name": name, "prefix": token.prefix, "days": days},
        )
    return token, key


def revoke_api_token(ctx: ActionContext, token: APIToken) -> None:
    with transaction.atomic():
        APIToken.objects.filter(pk=token.pk).update(revoked=True)
        audit.record(
            ctx,
            "api_token.revoke",
            token,
            zone_id=token.user.zone_id,
            before={"revoked": False},
            after={"revoked": True},
        )


def change_password(ctx: ActionContext, form: Any) -> User:
    """Save a validated ``PasswordChangeForm`` (old password checked, validators passed); audited."""
    with transaction.atomic():
        user = form.save()
        audit.record(ctx, "account.password_change", user, zone_id=user.zone_id)
    return user  # type: ignore[no-any-return]


def reset_password_by_sms(
    ctx: ActionContext, phone: str, code: str, password1: str, password2: str, username: str = ""
) -> User:
    """找回密码: the SMS code proves the phone; the new password is held to AUTH_PASSWORD_VALIDATORS.

    A number that belongs to no account fails exactly as a wrong code does (its code was never
    sent), so the answer never tells whether the number has an account."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from talentpark.accounts.phones import users_with_phone
    from talentpark.core import smscodes
    from talentpark.core.validation import FieldErrors

    errors = FieldErrors()
    if not password1:
        errors.add("password1", "新密码", "不能为空")
    elif password1 != password2:
        errors.add("password2", "再次输入新密码", "两次输入的密码不一致")
    errors.raise_if_any()
    sms = smscodes.check(phone, smscodes.Purpose.PASSWORD_RESET, code)  # a wrong code stays counted
    users = list(
        User.objects.filter(pk__in=users_with_phone(smscodes.phone_hash(sms_phone(phone))), is_active=True)
    )
    if username:
        users = [u for u in users if u.username == username.strip()]
    if not users:
        raise ValidationError({"code": [f"{smscodes.CODE_LABEL}：不正确，请重新获取"]})
    if len(users) > 1:
        raise ValidationError({"username": ["用户名：该手机号绑定了多个账号，请填写要找回的用户名"]})
    user = users[0]
    try:
        validate_password(password1, user)
    except ValidationError as exc:
        raise ValidationError({"password1": [f"新密码：{m}" for m in exc.messages]}) from None
    with transaction.atomic():
        smscodes.consume(sms)
        user.set_password(password1)
        user.save(update_fields=["password"])
        audit.record(ctx, "account.password_reset", user, zone_id=user.zone_id, after={"by": "sms"})
    try:  # a lock from earlier failures ends with the reset
        from axes.utils import reset

        reset(username=user.username)
    except Exception:  # noqa: S110 - axes off or unavailable: nothing to unlock
        pass
    return user


def sms_phone(phone: str) -> str:
    from talentpark.core.validators import normalize_mobile

    return normalize_mobile(phone)


def send_reset_code(ctx: ActionContext, phone: str) -> None:
    """Send a reset code only if the number belongs to an account; the same answer either way."""
    from talentpark.accounts.phones import users_with_phone
    from talentpark.core import smscodes
    from talentpark.core.validators import validate_mobile

    try:
        number = validate_mobile(phone or "")
    except Exception:
        number = ""
    owned = (
        bool(number)
        and User.objects.filter(pk__in=users_with_phone(smscodes.phone_hash(number)), is_active=True).exists()
    )
    smscodes.issue(ctx, phone, smscodes.Purpose.PASSWORD_RESET, send=owned)
