"""SMS codes under real concurrency (PostgreSQL, threads with their own connections).

Ten threads holding the right code: exactly one uses it. Ten threads guessing: exactly five
checks are counted. Ten threads sending: exactly one code goes out.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from talentpark.core import notify, smscodes
from talentpark.core.context import ActionContext
from talentpark.core.models import SmsCode
from talentpark.core.tests.threads import race

pytestmark = [
    pytest.mark.pg_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are proven on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]
THREADS = 10
PHONE = "13700001111"
P = smscodes.Purpose.PASSWORD_RESET


@pytest.fixture
def outbox(settings):
    settings.TALENTPARK_NOTIFY_BACKENDS = {
        **settings.TALENTPARK_NOTIFY_BACKENDS,
        "sms": "talentpark.core.notify.MemorySmsBackend",
    }
    notify.SMS_OUTBOX.clear()
    yield notify.SMS_OUTBOX
    notify.SMS_OUTBOX.clear()


def _code(outbox) -> str:
    import re

    return re.search(r"验证码(\d{6})", outbox[-1][1]).group(1)


def test_two_concurrent_verifications_never_both_succeed(outbox):
    smscodes.issue(ActionContext.system(), PHONE, P)
    code = _code(outbox)

    def use(i: int) -> str:
        row = smscodes.check(PHONE, P, code)
        with transaction.atomic():
            smscodes.consume(row)
        return "ok"

    results = race(THREADS, use)
    assert results.count("ok") == 1, results
    assert all(isinstance(r, smscodes.SmsCodeError) for r in results if r != "ok")
    assert SmsCode.objects.get().used_at is not None


def test_concurrent_guesses_are_counted_to_five_and_no_further(outbox):
    smscodes.issue(ActionContext.system(), PHONE, P)
    wrong = f"{(int(_code(outbox)) + 1) % 10**6:06d}"
    results = race(THREADS, lambda i: smscodes.check(PHONE, P, wrong))
    messages = [r.messages[0] for r in results]
    assert sum("不正确" in m for m in messages) == 5, messages
    assert sum("错误次数已达5次" in m for m in messages) == 5, messages
    assert SmsCode.objects.get().attempts == 5


def test_concurrent_sends_send_one_code(outbox):
    results = race(THREADS, lambda i: smscodes.issue(ActionContext(user=None, ip=f"10.1.1.{i}"), PHONE, P))
    sent = [r for r in results if isinstance(r, SmsCode)]
    assert len(sent) == 1, results
    assert all(isinstance(r, smscodes.SmsRateLimited) for r in results if not isinstance(r, SmsCode))
    assert len(outbox) == 1 and SmsCode.objects.count() == 1
