"""In Debian's chromium: every role signs in and sees its own home page; talent pages fit 375 px."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from talentpark.registry.tests.factories import PASSWORD

pytestmark = pytest.mark.browser

# Playwright's sync API runs an event loop in this thread; the live server has its own.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(
    os.environ.get("TALENTPARK_ARTIFACTS", Path(__file__).resolve().parents[4] / "test-artifacts")
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

HOME_HEADINGS = {
    "alice": "工作台",
    "bob": "工作台",
    "dave": "工作台",
    "erin": "企业工作台",
    "tina": "我的人才档案",
    "pat": "合作窗口",
    "amy": "引才大使工作台",
    "paul": "全省园区概览",
}


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
def test_each_role_signs_in_and_sees_its_home(world, live_server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    for persona, heading in HOME_HEADINGS.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        _login(page, live_server.url, persona)
        assert page.locator("h1").first.inner_text().strip() == heading, persona
        assert page.locator(".who").inner_text().startswith(str(getattr(world, persona)))
        page.screenshot(path=str(ARTIFACTS / f"home-{persona}.png"), full_page=True)
        context.close()


@pytest.mark.django_db(transaction=True)
def test_talent_pages_fit_a_375px_phone(world, live_server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    _login(page, live_server.url, "tina")
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
