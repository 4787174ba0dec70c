"""In Debian's chromium: tina, on her phone (375 px), filters the marketplace, sees why a job fits
her and applies in one click; erin, on a desktop, finds her in the pipeline, screens her and
invites her with two times; tina picks one; erin then sees her phone number in full."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from talentpark.core.tests.browser import ARTIFACTS, login
from talentpark.recruitment.models import Application, Interview

pytestmark = pytest.mark.browser


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, (page.url, width)


@pytest.mark.django_db(transaction=True)
def test_a_talent_applies_on_her_phone_and_the_enterprise_runs_the_pipeline(
    jobs: Any, live_server: Any, browser: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    phone = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    tina = phone.new_page()
    login(tina, live_server.url, "tina")
    tina.click("a:has-text('岗位大厅')")
    tina.fill("form.filters input[name=q]", "Java")
    tina.click("form.filters button:has-text('筛选')")
    cards = tina.locator("section.job-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("匹配")
    _fits(tina)
    tina.screenshot(path=str(ARTIFACTS / "recruitment-jobs-375.png"), full_page=True)
    cards.first.locator("h2 a").click()
    expect(tina.locator(".fit-parts")).to_contain_text("✓ Java")
    expect(tina.locator(".fit-parts")).to_contain_text("✗ Spring Boot")
    _fits(tina)
    tina.screenshot(path=str(ARTIFACTS / "recruitment-job-375.png"), full_page=True)
    tina.click("[data-testid=apply]")
    expect(tina.locator("body")).to_contain_text("已投递")
    app = Application.objects.get()

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    erin = desk.new_page()
    login(erin, live_server.url, "erin")
    erin.goto(f"{live_server.url}/recruitment/pipeline/")
    column = erin.locator("section.pipe-col[data-stage=new]")
    expect(column).to_contain_text("唐娜")
    column.locator("a:has-text('唐娜')").click()
    expect(erin.locator("[data-testid=phone]")).to_contain_text("*")
    erin.click("[data-testid=move-screened]")
    expect(erin.locator("body")).to_contain_text("已更新为“初筛通过”")
    first = timezone.localtime() + dt.timedelta(days=2)
    second = first + dt.timedelta(hours=3)
    slots = erin.locator("input[name=slots]")
    slots.nth(0).fill(first.strftime("%Y-%m-%dT%H:%M"))
    slots.nth(1).fill(second.strftime("%Y-%m-%dT%H:%M"))
    erin.fill("input[name=place]", "研发中心三楼")
    erin.click("button:has-text('发出邀请')")
    expect(erin.locator("body")).to_contain_text("已发出面试邀请")

    tina.goto(f"{live_server.url}/recruitment/me/")
    invitation = tina.locator(".todo-card")
    expect(invitation).to_contain_text("请选择一个时间")
    invitation.locator("input[name=slot]").nth(1).check()
    _fits(tina)
    tina.screenshot(path=str(ARTIFACTS / "recruitment-interview-375.png"), full_page=True)
    invitation.locator("button:has-text('确认这个时间')").click()
    expect(tina.locator("body")).to_contain_text("面试已确认")
    interview = Interview.objects.get(application=app)
    assert interview.status == Interview.Status.ACCEPTED
    assert timezone.localtime(interview.chosen.starts_at).strftime("%H:%M") == second.strftime("%H:%M")

    erin.reload()
    plain = jobs.talent.person.phone.plaintext_for_processing()
    expect(erin.locator("[data-testid=phone]")).to_contain_text(plain)
    erin.screenshot(path=str(ARTIFACTS / "recruitment-application.png"), full_page=True)
    phone.close()
    desk.close()
