"""In Debian's chromium at 375 px: tina opens 我的一码归集, filters by kind and loads more (htmx)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from talentpark.core import parameters, timeline
from talentpark.core.context import ActionContext
from talentpark.core.tests.browser import ARTIFACTS, login
from talentpark.registry import services

pytestmark = pytest.mark.browser


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, (page.url, width)


@pytest.mark.django_db(transaction=True)
def test_tina_reads_her_timeline_on_a_375px_phone(world, live_server, browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    alice = ActionContext(user=world.alice, role=world.alice.role, zone_id=world.zone.pk)
    services.set_talent_tier(alice, world.talent, "C", dt.date(2029, 6, 30))

    def services_desk(subject: Any, viewer: Any) -> list[timeline.TimelineEvent]:
        base = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
        return [
            timeline.TimelineEvent(
                at=base + dt.timedelta(days=i),
                title=f"服务事项第{i + 1}项：子女入学咨询已办结，工作日内电话回访一次",
                detail="办理部门：园区教育局",
            )
            for i in range(40)
        ]

    timeline.register_source("t_desk", "服务事项", services_desk)
    try:
        size = parameters.value("list.page_size")
        context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
        page = context.new_page()
        login(page, live_server.url, "tina")
        page.click("a:has-text('我的一码归集')")
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").inner_text() == "我的一码归集"
        events = page.locator("li.tl-event")
        expect(events).to_have_count(size)
        assert "人才认定：C类" in events.first.inner_text()  # newest first: today's certification
        assert "人才库建档" in events.nth(1).inner_text() and "服务事项第40项" in events.nth(2).inner_text()
        _fits(page)
        page.screenshot(path=str(ARTIFACTS / "timeline-talent-375.png"), full_page=True)

        page.click("#tl-more a")  # htmx appends the next page in place
        expect(events).to_have_count(min(2 * size, 40 + 3))
        assert page.url.endswith("/registry/timeline/")
        _fits(page)

        page.click("nav.tl-kinds a:has-text('人才认定')")  # a plain link: works without script
        page.wait_for_load_state("networkidle")
        expect(events).to_have_count(1)
        assert "人才认定：C类（高层次人才）" in events.first.inner_text()
        assert "kind=tier" in page.url
        _fits(page)
        page.screenshot(path=str(ARTIFACTS / "timeline-talent-tier-375.png"), full_page=True)
        context.close()
    finally:
        timeline.unregister_source("t_desk")
