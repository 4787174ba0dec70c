"""In Debian's chromium: every role signs in and sees its own home page; talent pages fit 375 px."""

from __future__ import annotations

import pytest

from talentpark.core.tests.browser import ARTIFACTS, login

pytestmark = pytest.mark.browser

HOME_HEADINGS = {
    "alice": "工作台",
    "bob": "工作台",
    "dave": "工作台",
    "erin": "企业工作台",
    "tina": "我的人才档案",
    "pat": "工作台",  # what the window and the ambassador may open (政策; 企业, 岗位), no placeholder
    "amy": "工作台",
    "paul": "全省园区概览",
}


@pytest.mark.django_db(transaction=True)
def test_each_role_signs_in_and_sees_its_home(world, live_server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    for persona, heading in HOME_HEADINGS.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        login(page, live_server.url, persona)
        assert page.locator("h1").first.inner_text().strip() == heading, persona
        assert "即将上线" not in page.content(), persona  # a role's page works or is not shown
        assert page.locator(".who").inner_text().startswith(str(getattr(world, persona)))
        page.screenshot(path=str(ARTIFACTS / f"home-{persona}.png"), full_page=True)
        context.close()


@pytest.mark.django_db(transaction=True)
def test_talent_pages_fit_a_375px_phone(world, live_server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    login(page, live_server.url, "tina")
    for name, path in [
        ("home", "/"),
        ("profile", f"/registry/talent/{world.talent.pk}/"),
        ("enterprises", "/registry/enterprise/"),
        ("positions", "/recruitment/position/"),
        ("policies", "/policies/policy/"),
    ]:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width)
        page.screenshot(path=str(ARTIFACTS / f"mobile-{name}.png"), full_page=True)
    # The profile shows her phone masked, never in clear, and no PI is left in localStorage.
    page.goto(live_server.url + f"/registry/talent/{world.talent.pk}/")
    assert world.talent.person.phone.plaintext_for_processing() not in page.content()
    assert page.evaluate("window.localStorage.length") == 0
    context.close()
