"""找回密码 by SMS: the code proves the phone; unknown numbers get the same answer; audited."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from talentpark.core import notify
from talentpark.core.models import AuditLog

NEW = "Qingshan#Road2026"


@pytest.fixture
def outbox(settings):
    settings.TALENTPARK_NOTIFY_BACKENDS = {
        **settings.TALENTPARK_NOTIFY_BACKENDS,
        "sms": "talentpark.core.notify.MemorySmsBackend",
    }
    notify.SMS_OUTBOX.clear()
    yield notify.SMS_OUTBOX
    notify.SMS_OUTBOX.clear()


def _send(client, phone):
    return client.post(
        reverse("accounts:password_reset"), {"action": "send_code", "phone": phone}, HTTP_HX_REQUEST="true"
    )


@pytest.mark.django_db(transaction=True)
def test_a_talent_resets_her_password_with_an_sms_code(world, outbox):
    phone = world.talent.person.phone.plaintext_for_processing()
    client = Client()
    r = _send(client, phone)
    assert r.status_code == 200 and "如该手机号已绑定账号，验证码已发送" in r.content.decode()
    code = re.search(r"验证码(\d{6})", outbox[-1][1]).group(1)
    weak = client.post(
        reverse("accounts:password_reset"),
        {"phone": phone, "code": code, "password1": "12345678", "password2": "12345678"},
    )
    assert weak.status_code == 400 and "新密码：" in weak.content.decode()
    r = client.post(
        reverse("accounts:password_reset"), {"phone": phone, "code": code, "password1": NEW, "password2": NEW}
    )
    assert r.status_code == 302 and r["Location"] == reverse("accounts:login")
    world.tina.refresh_from_db()
    assert world.tina.check_password(NEW)
    assert AuditLog.objects.filter(action="account.password_reset", object_id=str(world.tina.pk)).exists()
    again = client.post(
        reverse("accounts:password_reset"), {"phone": phone, "code": code, "password1": NEW, "password2": NEW}
    )
    assert again.status_code == 400 and "已使用" in again.content.decode()  # single use


@pytest.mark.django_db(transaction=True)
def test_an_unknown_number_gets_the_same_answer_and_no_sms(world, outbox):
    known = world.talent.person.phone.plaintext_for_processing()
    unknown = "13999990000"
    a, b = _send(Client(), known), _send(Client(), unknown)
    assert a.status_code == b.status_code == 200 and a.content == b.content
    assert [to for to, _ in outbox] == [known]
    r = Client().post(
        reverse("accounts:password_reset"),
        {"phone": unknown, "code": "123456", "password1": NEW, "password2": NEW},
    )
    assert r.status_code == 400 and "短信验证码：不正确" in r.content.decode()
    assert _send(Client(), unknown).status_code == 429  # the same limits for every number
