"""In Debian's chromium: search from the top bar, filter by a facet, open the record; and on a phone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from talentpark.registry.tests.factories import PASSWORD

pytestmark = pytest.mark.browser

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(
    os.environ.get("TALENTPARK_ARTIFACTS", Path(__file__).resolve().parents[5] / "test-artifacts")
)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "Debian chromium is required for browser tests (make test installs it)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True)
def test_search_filter_and_open_a_record(search_zone, live_server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, live_server.url, "alice")
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
    _login(page, live_server.url, "tina")
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
    _login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/search/?q=鲁擎重工")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "search-mobile-office.png"), full_page=True)
    context.close()
