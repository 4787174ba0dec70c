"""In Debian's chromium: the talent's profile fits a 375 px phone; the staff menus fit 1280 px."""

from __future__ import annotations

import pytest

from talentpark.core.tests.browser import ARTIFACTS, login

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_talents_profile_fits_a_375px_phone(world, live_server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    login(page, live_server.url, "tina")
    page.goto(live_server.url + "/registry/profile/")
    assert page.locator("h1").first.inner_text().strip() == "我的档案"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    page.screenshot(path=str(ARTIFACTS / "mobile-my-profile.png"), full_page=True)
    # She saves an e-mail address: applied at once, shown on the page.
    page.fill("input[name=email]", "tang.na@example.com")
    page.click("form.profile-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "tang.na@example.com" in page.locator(".profile-card").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_staff_navigation_fits_1280px_in_one_row(world, live_server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    login(page, live_server.url, "alice")
    nav = page.locator("nav.nav")
    box = nav.bounding_box()
    assert box is not None
    assert page.evaluate("document.querySelector('nav.nav').scrollWidth") <= 1280
    tops = page.evaluate(
        "[...document.querySelectorAll('nav.nav > a, nav.nav > details > summary')]"
        ".map(e => Math.round(e.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1, tops  # every entry on one row
    # A group opens as a menu below the bar, and its links work.
    page.click("nav.nav details.navgroup >> summary:has-text('一网四库')")
    page.click("nav.nav details.navgroup >> summary:has-text('系统管理')")
    assert page.locator("nav.nav details[open]").count() == 1  # one menu open at a time
    link = page.locator("nav.nav details[open] .menu a:has-text('操作日志')")
    assert link.is_visible()
    page.screenshot(path=str(ARTIFACTS / "staff-nav-1280.png"))
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text().strip() == "操作日志"
    context.close()
