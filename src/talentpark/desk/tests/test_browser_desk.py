"""In Debian's chromium at 375 px: tina files a request from her phone; it splits to the housing
and the human-resources departments; each handler completes its part in the browser; tina sees
every step with its time and who did it, and rates the service."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from talentpark.core.tests.browser import ARTIFACTS, login
from talentpark.desk.models import Request

pytestmark = pytest.mark.browser


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, (page.url, width)


def _complete_part(browser: Any, url: str, who: str, request_url: str, result: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, url, who)
    page.goto(request_url)
    page.click("button:has-text('开始办理')")
    page.wait_for_load_state("networkidle")
    page.fill("textarea[name=result]", result)
    page.click("button:has-text('本部门办结')")
    page.wait_for_load_state("networkidle")
    assert "本部门办件已办结" in page.content()
    context.close()


@pytest.mark.django_db(transaction=True)
def test_a_request_split_to_two_departments_is_followed_and_rated_on_her_phone(
    desk, live_server, browser
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    phone = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    tina = phone.new_page()
    login(tina, live_server.url, "tina")
    tina.click("a:has-text('我的诉求')")
    tina.click("a:has-text('提交诉求')")
    tina.fill("input[name=title]", "落户和住房")
    tina.fill("textarea[name=description]", "刚入职，全家落户，同时想申请人才公寓")
    tina.select_option("select[name=category]", "settle")
    _fits(tina)
    tina.screenshot(path=str(ARTIFACTS / "desk-file-375.png"), full_page=True)
    tina.click("button:has-text('提交')")
    tina.wait_for_load_state("networkidle")
    assert "诉求已提交" in tina.content()
    req = Request.objects.get()
    assert {p.department.name for p in req.parts.all()} == {"住建局", "人社局"}
    request_url = tina.url

    _complete_part(browser, live_server.url, "dave", request_url, "人才公寓已分配，可随时入住")
    _complete_part(browser, live_server.url, "hank", request_url, "落户手续已办结")

    tina.reload()
    steps = tina.locator("ol.timeline li")
    for text in ("提交诉求", "分派部门", "部门开始办理", "人才公寓已分配", "落户手续已办结", "办结"):
        expect(steps.filter(has_text=text).first).to_be_visible()
    expect(steps.filter(has_text="人才公寓已分配").first).to_contain_text(
        desk.dave.display_name
    )  # who did it
    expect(steps.first.locator("time")).to_be_visible()  # when
    _fits(tina)
    tina.screenshot(path=str(ARTIFACTS / "desk-steps-375.png"), full_page=True)
    tina.check("input[name=rating][value='4']")
    tina.fill("input[name=comment]", "两个部门都很快")
    tina.click("button:has-text('提交评价')")
    tina.wait_for_load_state("networkidle")
    assert "感谢您的评价" in tina.content()
    req.refresh_from_db()
    assert req.status == Request.Status.DONE and req.rating == 4
    phone.close()
