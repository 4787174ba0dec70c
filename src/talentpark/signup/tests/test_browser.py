"""In Debian's chromium at 375 px: a talent registers herself from her phone, reading the SMS code."""

from __future__ import annotations

import re

import pytest

from talentpark.core import notify
from talentpark.core.tests.browser import ARTIFACTS
from talentpark.registry.tests.factories import make_id_number
from talentpark.signup.models import PrivacyConsent

pytestmark = pytest.mark.browser


@pytest.fixture
def outbox(settings):
    settings.TALENTPARK_NOTIFY_BACKENDS = {
        **settings.TALENTPARK_NOTIFY_BACKENDS,
        "sms": "talentpark.core.notify.MemorySmsBackend",
    }
    notify.SMS_OUTBOX.clear()
    yield notify.SMS_OUTBOX
    notify.SMS_OUTBOX.clear()


@pytest.mark.django_db(transaction=True)
def test_a_talent_registers_on_a_375px_phone(world, live_server, browser, outbox):
    import importlib

    from django.apps import apps

    importlib.import_module("talentpark.signup.migrations.0002_first_privacy_notice").create(apps, None)
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.click("text=注册账号")
    page.click("text=我是人才，个人注册")
    assert page.locator("h1").inner_text() == "人才注册"
    page.select_option("select[name=zone_id]", str(world.zone.pk))
    page.fill("input[name=phone]", "13605379876")
    page.click("button[value=send_code]")
    page.wait_for_selector("#code-status:has-text('验证码已发送')")
    code = re.search(r"验证码(\d{6})", outbox[-1][1]).group(1)
    page.fill("input[name=code]", code)
    page.fill("input[name=name]", "孟雨桐")
    page.fill("input[name=id_number]", make_id_number())
    page.fill("input[name=username]", "mengyutong")
    page.fill("input[name=password]", "Liaohe#Talent2026")
    page.fill("input[name=password2]", "Liaohe#Talent2026")
    page.check("input[name=consent]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "signup-talent-375.png"), full_page=True)
    page.click("button[value=register]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/profile/")
    assert "注册成功" in page.content() and "孟雨桐" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "signup-profile-375.png"), full_page=True)
    assert PrivacyConsent.objects.filter(user__username="mengyutong").exists()
    context.close()
