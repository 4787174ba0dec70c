"""SMS verification codes: prove that a person holds a phone number (registration, password reset).

Guarantees, each enforced by the database rather than by a read followed by a write:

* **Only hashes are stored.** The phone as its keyed blind index (``crypto.blind_index``, the
  same as ``Person.phone_hash``), the code as an HMAC under the blind-index key with a salt of
  its own. Neither a database dump nor the admin shows a number or a code.
* **Valid 5 minutes** (``TTL``), **at most 5 checks** (``MAX_ATTEMPTS``): every check counts
  with a conditional ``UPDATE … SET attempts = attempts + 1 WHERE attempts < 5``, in a
  transaction of its own that commits even when the code is wrong, so guesses are never undone
  by the caller's rollback — call :func:`check` *before* opening the operation's transaction.
* **Single use**: :func:`consume` marks the code used with ``UPDATE … WHERE used_at IS NULL``
  inside the operation's transaction. Of two concurrent operations with the same code exactly
  one succeeds; if the operation rolls back, the code stays usable.
* **One send per phone and purpose per 60 s** (``RESEND_SECONDS``): the newest code of a phone
  and purpose is ``is_current``, a partial unique index keeps one, and a new send first retires
  the current code only if it is older than 60 s — two concurrent sends cannot both win.
* **Daily cap** per phone (``TALENTPARK_SMS_DAILY_LIMIT``, all purposes together) and an hourly
  cap per IP address (``TALENTPARK_SMS_IP_HOURLY_LIMIT``). These two are counts and may be
  exceeded by a concurrent send of another purpose; per purpose the 60 s rule serialises them.

Every refusal is a :class:`SmsCodeError` (a ``ValidationError`` with a Chinese message under the
field ``phone`` or ``code``); limits raise :class:`SmsRateLimited`, which pages answer with 429.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from talentpark.core import audit, notify
from talentpark.core.context import ActionContext
from talentpark.core.crypto import blind_index
from talentpark.core.masking import mask_phone
from talentpark.core.models import SmsCode
from talentpark.core.validators import validate_mobile

log = logging.getLogger("talentpark.smscodes")

TTL = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 5
RESEND_SECONDS = 60
CODE_LABEL = "短信验证码"
Purpose = SmsCode.Purpose


class SmsCodeError(ValidationError):
    """A refused send or check; ``message_dict`` holds the field and its Chinese message."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__({field: [message]})


class SmsRateLimited(SmsCodeError):
    """Too many sends (interval, daily or per-IP cap): pages answer 429."""


def daily_limit() -> int:
    return int(getattr(settings, "TALENTPARK_SMS_DAILY_LIMIT", 10))


def ip_hourly_limit() -> int:
    return int(getattr(settings, "TALENTPARK_SMS_IP_HOURLY_LIMIT", 30))


def phone_hash(phone: str) -> str:
    return blind_index(phone, "phone")


def _code_hash(code: str, salt: str) -> str:
    return f"{salt}${blind_index(f'{salt}:{code}', 'sms_code')}"


def _matches(code: str, stored: str) -> bool:
    salt, _, _digest = stored.partition("$")
    return hmac.compare_digest(_code_hash(code, salt), stored)


def _phone(phone: str) -> str:
    try:
        return validate_mobile(phone or "")
    except ValidationError as exc:
        raise SmsCodeError("phone", f"手机号码：{exc.messages[0]}") from None


def _purpose(purpose: str) -> str:
    if purpose not in Purpose.values:
        raise ValueError(f"unknown SMS code purpose {purpose!r}")
    return purpose


def message(code: str, purpose: str) -> str:
    minutes = int(TTL.total_seconds() // 60)
    return (
        f"【人才服务平台】验证码{code}，用于{Purpose(purpose).label}，{minutes}分钟内有效。"
        "请勿告诉他人；如非本人操作，请忽略本短信。"
    )


def issue(
    ctx: ActionContext, phone: str, purpose: str, *, send: bool = True, now: dt.datetime | None = None
) -> SmsCode:
    """Send a new 6-digit code to ``phone`` for ``purpose``; refused within the limits.

    ``send=False`` stores a code without sending it: the password reset does so for a number
    that has no account, so that the page, the limits and the row are the same either way.
    """
    number, purpose = _phone(phone), _purpose(purpose)
    now = now or timezone.now()
    digest = phone_hash(number)
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(8)
    with transaction.atomic():
        if ctx.ip and SmsCode.objects.filter(
            ip=ctx.ip, created_at__gte=now - dt.timedelta(hours=1)
        ).count() >= (ip_hourly_limit()):
            raise SmsRateLimited("phone", "手机号码：当前网络获取验证码过于频繁，请一小时后再试")
        day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        if SmsCode.objects.filter(phone_hash=digest, created_at__gte=day_start).count() >= daily_limit():
            raise SmsRateLimited(
                "phone", f"手机号码：该号码今日获取验证码已达{daily_limit()}次，请明天再试或联系园区人才办"
            )
        current = SmsCode.objects.filter(phone_hash=digest, purpose=purpose, is_current=True)
        retired = current.filter(created_at__lte=now - dt.timedelta(seconds=RESEND_SECONDS)).update(
            is_current=False
        )
        if not retired:
            last = current.values_list("created_at", flat=True).first()
            if last is not None:
                wait = max(1, RESEND_SECONDS - int((now - last).total_seconds()))
                raise SmsRateLimited("phone", f"手机号码：验证码已发送，请{wait}秒后再重新获取")
        try:
            with transaction.atomic():
                row = SmsCode.objects.create(
                    phone_hash=digest,
                    purpose=purpose,
                    code_hash=_code_hash(code, salt),
                    ip=ctx.ip[:45],
                    sent=send,
                    created_at=now,
                    expires_at=now + TTL,
                )
        except IntegrityError:  # a concurrent send for the same phone and purpose won
            raise SmsRateLimited(
                "phone", f"手机号码：验证码已发送，请{RESEND_SECONDS}秒后再重新获取"
            ) from None
        audit.record(
            ctx,
            "sms_code.issue",
            row,
            after={"purpose": purpose, "phone": mask_phone(number), "sent": send},
        )
    if send:
        try:
            notify.send_sms(number, message(code, purpose), kind="sms_code")
        except Exception as exc:  # the provider failed: free the slot so she can ask again at once
            log.warning("SMS code %s could not be sent: %s", row.pk, exc)
            SmsCode.objects.filter(pk=row.pk).update(is_current=False, sent=False)
            raise SmsCodeError("phone", "手机号码：短信发送失败，请稍后重试") from None
    return row


def check(phone: str, purpose: str, code: str, *, now: dt.datetime | None = None) -> SmsCode:
    """Count one check of ``code`` and return the code row if it matches; refuse otherwise.

    Runs in a transaction of its own: call it before the operation's transaction, so that a
    wrong guess stays counted when the operation fails. Does not use the code up (:func:`consume`).
    """
    number, purpose = _phone(phone), _purpose(purpose)
    code = "".join((code or "").split())
    if not (len(code) == 6 and code.isdigit() and code.isascii()):
        raise SmsCodeError("code", f"{CODE_LABEL}：应为6位数字")
    now = now or timezone.now()
    problem = ""
    with transaction.atomic():
        row = SmsCode.objects.filter(phone_hash=phone_hash(number), purpose=purpose, is_current=True).first()
        if row is None:
            problem = "请先获取验证码"
        elif row.used_at is not None:
            problem = "已使用，请重新获取"
        elif row.expires_at <= now:
            problem = "已过期，请重新获取"
        else:
            counted = SmsCode.objects.filter(
                pk=row.pk, attempts__lt=MAX_ATTEMPTS, used_at__isnull=True, expires_at__gt=now
            ).update(attempts=models.F("attempts") + 1)
            if not counted:
                problem = f"错误次数已达{MAX_ATTEMPTS}次，请重新获取"
            elif not _matches(code, row.code_hash):
                attempts = SmsCode.objects.filter(pk=row.pk).values_list("attempts", flat=True).get()
                left = MAX_ATTEMPTS - attempts
                problem = f"不正确，还可再试{left}次" if left > 0 else "不正确，错误次数已达上限，请重新获取"
    if problem:  # raised after the block: the counted attempt is committed
        raise SmsCodeError("code", f"{CODE_LABEL}：{problem}")
    assert row is not None
    return row


def consume(row: SmsCode, *, now: dt.datetime | None = None) -> None:
    """Use the checked code up, inside the operation's transaction: only one operation succeeds."""
    now = now or timezone.now()
    used = SmsCode.objects.filter(
        pk=row.pk, used_at__isnull=True, is_current=True, expires_at__gt=now
    ).update(used_at=now)
    if not used:
        raise SmsCodeError("code", f"{CODE_LABEL}：已使用或已失效，请重新获取")


def verify(phone: str, purpose: str, code: str, *, now: dt.datetime | None = None) -> SmsCode:
    """:func:`check` then :func:`consume` in one step (for callers with nothing else to write)."""
    row = check(phone, purpose, code, now=now)
    with transaction.atomic():
        consume(row, now=now)
    return row
