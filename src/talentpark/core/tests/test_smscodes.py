"""SMS verification codes: hashed at rest, 5 minutes, 5 checks, one send per 60 s, caps, single use."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import transaction
from django.utils import timezone

from talentpark.core import notify, smscodes
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog, SmsCode

PHONE = "13912345678"
P = smscodes.Purpose.SIGNUP_TALENT


@pytest.fixture
def outbox(settings):
    settings.TALENTPARK_NOTIFY_BACKENDS = {
        **settings.TALENTPARK_NOTIFY_BACKENDS,
        "sms": "talentpark.core.notify.MemorySmsBackend",
    }
    notify.SMS_OUTBOX.clear()
    yield notify.SMS_OUTBOX
    notify.SMS_OUTBOX.clear()


def ctx(ip: str = "10.0.0.1") -> ActionContext:
    return ActionContext(user=None, role="anonymous", ip=ip)


def last_code(outbox, phone: str = PHONE) -> str:
    to, text = outbox[-1]
    assert to == phone
    return re.search(r"验证码(\d{6})", text).group(1)


def _only_message(exc) -> str:
    return next(m for msgs in exc.value.message_dict.values() for m in msgs)


@pytest.mark.django_db
def test_a_code_is_sent_and_only_hashes_are_stored(outbox):
    row = smscodes.issue(ctx(), PHONE, P)
    code = last_code(outbox)
    assert "5分钟内有效" in outbox[-1][1] and "人才注册" in outbox[-1][1]
    stored = SmsCode.objects.filter(pk=row.pk).values().get()
    assert not any(PHONE in str(v) or code == str(v) for v in stored.values())
    assert code not in stored["code_hash"]
    audit = AuditLog.objects.get(action="sms_code.issue")
    assert PHONE not in str(audit.after) and audit.after["phone"] == "139****5678"
    assert smscodes.verify(PHONE, P, code).pk == row.pk


@pytest.mark.django_db
def test_bad_numbers_and_codes_are_refused_in_chinese(outbox):
    with pytest.raises(smscodes.SmsCodeError) as exc:
        smscodes.issue(ctx(), "1234", P)
    assert _only_message(exc).startswith("手机号码：")
    with pytest.raises(smscodes.SmsCodeError) as exc:
        smscodes.check(PHONE, P, "123456")
    assert _only_message(exc) == "短信验证码：请先获取验证码"
    smscodes.issue(ctx(), PHONE, P)
    with pytest.raises(smscodes.SmsCodeError) as exc:
        smscodes.check(PHONE, P, "12ab")
    assert _only_message(exc) == "短信验证码：应为6位数字"
    assert outbox and SmsCode.objects.get().attempts == 0  # a malformed code is not a guess


@pytest.mark.django_db
def test_a_code_expires_after_five_minutes(outbox):
    now = timezone.now()
    smscodes.issue(ctx(), PHONE, P, now=now)
    code = last_code(outbox)
    with pytest.raises(smscodes.SmsCodeError) as exc:
        smscodes.check(PHONE, P, code, now=now + dt.timedelta(minutes=5, seconds=1))
    assert _only_message(exc) == "短信验证码：已过期，请重新获取"
    assert smscodes.check(PHONE, P, code, now=now + dt.timedelta(minutes=4, seconds=59))


@pytest.mark.django_db
def test_five_wrong_checks_kill_the_code(outbox):
    smscodes.issue(ctx(), PHONE, P)
    code = last_code(outbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    messages = []
    for _ in range(5):
        with pytest.raises(smscodes.SmsCodeError) as exc:
            smscodes.check(PHONE, P, wrong)
        messages.append(_only_message(exc))
    assert messages[0] == "短信验证码：不正确，还可再试4次"
    assert messages[-1] == "短信验证码：不正确，错误次数已达上限，请重新获取"
    with pytest.raises(smscodes.SmsCodeError) as exc:
        smscodes.check(PHONE, P, code)  # even the right code now
    assert _only_message(exc) == "短信验证码：错误次数已达5次，请重新获取"


@pytest.mark.django_db
def test_one_send_per_phone_and_purpose_per_minute(outbox):
    now = timezone.now()
    smscodes.issue(ctx(), PHONE, P, now=now)
    first = last_code(outbox)
    with pytest.raises(smscodes.SmsRateLimited) as exc:
        smscodes.issue(ctx(), PHONE, P, now=now + dt.timedelta(seconds=20))
    assert _only_message(exc) == "手机号码：验证码已发送，请40秒后再重新获取"
    smscodes.issue(ctx(), PHONE, smscodes.Purpose.PASSWORD_RESET, now=now)  # another purpose is its own
    smscodes.issue(ctx(), PHONE, P, now=now + dt.timedelta(seconds=61))
    second = last_code(outbox)
    assert len(outbox) == 3 and "人才注册" in outbox[-1][1]
    if first != second:  # the newer code replaces the older one
        with pytest.raises(smscodes.SmsCodeError) as exc:
            smscodes.check(PHONE, P, first, now=now + dt.timedelta(seconds=62))
        assert "不正确" in _only_message(exc)
    assert smscodes.check(PHONE, P, second, now=now + dt.timedelta(seconds=62))


@pytest.mark.django_db
def test_daily_cap_per_phone_and_hourly_cap_per_ip(outbox, settings):
    settings.TALENTPARK_SMS_DAILY_LIMIT = 3
    start = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    for i in range(3):
        smscodes.issue(ctx(f"10.0.0.{i}"), PHONE, P, now=start + dt.timedelta(minutes=2 * i))
    with pytest.raises(smscodes.SmsRateLimited) as exc:
        smscodes.issue(ctx("10.0.0.9"), PHONE, P, now=start + dt.timedelta(minutes=10))
    assert "今日获取验证码已达3次" in _only_message(exc)
    settings.TALENTPARK_SMS_IP_HOURLY_LIMIT = 2
    smscodes.issue(ctx("10.9.9.9"), "13800000001", P, now=start)
    smscodes.issue(ctx("10.9.9.9"), "13800000002", P, now=start)
    with pytest.raises(smscodes.SmsRateLimited) as exc:
        smscodes.issue(ctx("10.9.9.9"), "13800000003", P, now=start + dt.timedelta(minutes=59))
    assert "当前网络获取验证码过于频繁" in _only_message(exc)
    smscodes.issue(ctx("10.9.9.9"), "13800000003", P, now=start + dt.timedelta(minutes=61))


@pytest.mark.django_db
def test_a_code_is_used_once_and_a_rolled_back_use_leaves_it_usable(outbox):
    smscodes.issue(ctx(), PHONE, P)
    code = last_code(outbox)
    row = smscodes.check(PHONE, P, code)
    with pytest.raises(RuntimeError), transaction.atomic():
        smscodes.consume(row)
        raise RuntimeError("the operation failed after using the code")
    smscodes.verify(PHONE, P, code)
    with pytest.raises(smscodes.SmsCodeError) as exc:
        smscodes.verify(PHONE, P, code)
    assert _only_message(exc) == "短信验证码：已使用，请重新获取"


@pytest.mark.django_db
def test_a_failed_send_frees_the_slot(settings):
    settings.TALENTPARK_NOTIFY_BACKENDS = {
        **settings.TALENTPARK_NOTIFY_BACKENDS,
        "sms": "talentpark.core.tests.test_smscodes.BrokenBackend",
    }
    with pytest.raises(smscodes.SmsCodeError) as exc:
        smscodes.issue(ctx(), PHONE, P)
    assert _only_message(exc) == "手机号码：短信发送失败，请稍后重试"
    assert not SmsCode.objects.filter(is_current=True).exists()


class BrokenBackend:
    def send(self, address, notice):
        raise ConnectionError("provider down")


def test_console_backend_masks_the_number(capsys, settings):
    settings.TALENTPARK_NOTIFY_BACKENDS = {
        **settings.TALENTPARK_NOTIFY_BACKENDS,
        "sms": "talentpark.core.notify.ConsoleSmsBackend",
    }
    notify.send_sms(PHONE, smscodes.message("123456", P))
    out = capsys.readouterr().out
    assert "139****5678" in out and PHONE not in out and "123456" in out
