"""In Debian's chromium at 375 px: the export form, the import pages, a preview with problems and htmx progress."""

from __future__ import annotations

import pytest
from django.test import override_settings

from talentpark.core.tests.browser import ARTIFACTS
from talentpark.registry.tests.factories import PASSWORD, make_id_number

from .helpers import talent_row, workbook

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, (page.url, width)


@pytest.mark.django_db(transaction=True)
@override_settings(TALENTPARK_IMPORT_SYNC_BYTES=0)  # a background job: the page polls its progress
def test_import_and_export_pages_at_375px(world, live_server, browser, tmp_path, task_queue):
    task_queue.start_worker()
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, is_mobile=True, accept_downloads=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/registry/talent/?q=唐娜")
    page.click("details.export summary")
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "mobile-export-form.png"), full_page=True)
    with page.expect_download() as download:
        page.click("details.export button[type=submit]")
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto(f"{live_server.url}/registry/import/")
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "mobile-import-home.png"), full_page=True)
    page.goto(f"{live_server.url}/registry/import/talent/")
    _fits(page)
    bad = tmp_path / "人才.xlsx"
    rows = [talent_row(id_number=make_id_number(sex="M")) for _ in range(40)]
    rows.append(talent_row(id_number="370811199005170024", phone="12345"))
    bad.write_bytes(workbook(rows))
    page.set_input_files("input[name=file]", str(bad))
    page.click("button.primary")
    page.wait_for_selector("text=发现 2 个问题", timeout=20_000)  # htmx polled, then reloaded the page
    _fits(page)
    assert "校验位不正确" in page.content()
    page.screenshot(path=str(ARTIFACTS / "mobile-import-problems.png"), full_page=True)
    context.close()
