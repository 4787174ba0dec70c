"""In Debian's chromium: search from the top bar, filter by a facet, open the record; and on a phone."""

from __future__ import annotations

import pytest

from talentpark.core.tests.browser import ARTIFACTS, login

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_search_filter_and_open_a_record(search_zone, live_server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, live_server.url, "alice")
    page.fill(".topsearch input[name=q]", "鲁擎重工")
    page.press(".topsearch input[name=q]", "Enter")
    page.wait_for_load_state("networkidle")
    assert page.locator(".hit").count() >= 5
    assert page.locator(".hit mark").first.inner_text() == "鲁擎重工"
    page.locator(".facets a", has_text="院士工作站").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".hit").count() == 1
    assert "category=platform.academician" in page.url
    page.screenshot(path=str(ARTIFACTS / "search-filtered.png"), full_page=True)
    page.locator(".hit-title").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/registry/platform/{search_zone.academician.pk}/")
    assert "鲁擎重工院士工作站" in page.locator("main").inner_text()
    context.close()


@pytest.mark.django_db(transaction=True)
def test_search_fits_a_375px_phone_with_the_facets_folded(search_zone, live_server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    login(page, live_server.url, "tina")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # the top bar with its box
    page.goto(f"{live_server.url}/search/?q=院士工作站")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not page.locator(".facets").is_visible()
    page.click("label.facet-toggle-label")
    assert page.locator(".facets").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "search-mobile.png"), full_page=True)
    page.locator(".hit-title").first.click()
    page.wait_for_load_state("networkidle")
    assert f"/registry/platform/{search_zone.academician.pk}/" in page.url
    context.close()
    # Staff have a longer top bar (name, role): it still fits, box included.
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/search/?q=鲁擎重工")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "search-mobile-office.png"), full_page=True)
    context.close()
