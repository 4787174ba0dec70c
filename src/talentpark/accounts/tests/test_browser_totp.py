"""In Debian's chromium: an office account enrols an authenticator on first sign-in, then signs
in with a code; the enrolment page and the code step fit a 375 px phone."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentpark.accounts.tests.test_totp import code
from talentpark.core.tests.browser import ARTIFACTS, login

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_office_enrols_totp_on_first_sign_in_and_then_signs_in_with_a_code(
    world, live_server, browser, settings
):
    settings.TALENTPARK_OTP_REQUIRED_ROLES = frozenset({"office"})
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1280, 900), (375, 812)):
        TOTPDevice.objects.filter(user=world.alice).delete()
        context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 500)
        page = context.new_page()
        login(page, live_server.url, "alice")
        assert "/security/" in page.url
        assert "您的账号须启用双因素认证" in page.content()
        page.goto(live_server.url + "/registry/talent/")  # nothing else opens
        assert "/security/" in page.url
        page.click("button:has-text('绑定身份验证器')")
        page.wait_for_load_state("networkidle")
        assert page.locator(".qr svg").count() == 1
        device = TOTPDevice.objects.get(user=world.alice, confirmed=False)
        assert page.locator(".secret code").inner_text().replace(" ", "") in device.config_url
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(ARTIFACTS / f"totp-enrol-{width}.png"), full_page=True)
        page.fill("input[name=otp_token]", code(device))
        page.click("text=确认绑定")
        page.wait_for_load_state("networkidle")
        # Enrolled, she lands on the page she asked for before it was refused.
        assert page.locator("h1").first.inner_text().strip().startswith("人才库")
        context.close()

        # The next sign-in asks for the code after the password.
        context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 500)
        page = context.new_page()
        login(page, live_server.url, "alice")
        assert "/login/verify/" in page.url
        assert page.locator("h1").first.inner_text().strip() == "输入验证码"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(ARTIFACTS / f"totp-code-{width}.png"), full_page=True)
        page.fill("input[name=otp_token]", "000001" if code(device, 1) != "000001" else "000002")
        page.click("text=验证并登录")
        assert "不正确或已过期" in page.content()
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
        page.fill("input[name=otp_token]", code(device, 1))
        page.click("text=验证并登录")
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").first.inner_text().strip() == "工作台"
        page.goto(live_server.url + "/security/")
        assert "已启用" in page.content()
        context.close()
