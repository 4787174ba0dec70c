"""In Debian's chromium at 375 px: tina opens her 人才码 and consents for hospitals; pat, at the
hospital's window, types the 8-digit code, sees what she is entitled to and records a service in
one tap; tina sees it on her 一码归集 timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from talentpark.core.tests.browser import ARTIFACTS, login
from talentpark.registry.models import Talent
from talentpark.talentcode.models import GreenService, Partner, PartnerAccount, PartnerWindow, ServiceRecord

pytestmark = pytest.mark.browser


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, (page.url, width)


@pytest.mark.django_db(transaction=True)
def test_code_typed_at_the_window_lands_on_her_timeline(world, live_server, browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    zone = world.zone
    hospital = Partner.objects.create(zone=zone, name="高新区人民医院", kind=Partner.Kind.HOSPITAL)
    window = PartnerWindow.objects.create(zone=zone, partner=hospital, name="门诊人才专窗")
    PartnerAccount.objects.create(zone=zone, user=world.pat, partner=hospital, window=window)
    GreenService.objects.create(zone=zone, partner=hospital, name="专家号优先预约", tiers="ABC")
    Talent.objects.filter(pk=world.talent.pk).update(tier="B", tier_valid_until=dt.date(2030, 12, 31))

    phone = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    tina = phone.new_page()
    login(tina, live_server.url, "tina")
    tina.click("a:has-text('人才码')")
    tina.wait_for_load_state("networkidle")
    expect(tina.locator(".tc-qr-box svg")).to_be_visible()
    form = tina.locator("form.tc-consent", has=tina.locator("input[name=kind][value=hospital]"))
    form.locator("input[name=fields][value=tier]").check()
    form.locator("input[name=fields][value=name]").check()
    form.locator("button[type=submit]").click()
    tina.wait_for_load_state("networkidle")
    assert "已授权医疗机构查看所选信息" in tina.content()
    short = tina.locator(".tc-short strong").inner_text().replace(" ", "")
    assert len(short) == 8 and short.isdigit()
    _fits(tina)
    tina.screenshot(path=str(ARTIFACTS / "talentcode-talent-375.png"), full_page=True)

    desk = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    pat = desk.new_page()
    login(pat, live_server.url, "pat")
    pat.goto(f"{live_server.url}/talentcode/scan/")
    pat.fill("#tc-code", short)
    pat.click("#tc-scan-form button[type=submit]")
    pat.wait_for_load_state("networkidle")
    result = pat.locator("#tc-result")
    expect(result).to_contain_text("人才码有效")
    expect(result).to_contain_text("B类人才")
    expect(result).to_contain_text(world.talent.person.name)
    _fits(pat)
    pat.screenshot(path=str(ARTIFACTS / "talentcode-partner-375.png"), full_page=True)
    result.locator("li", has_text="专家号优先预约").locator("button").click()
    pat.wait_for_load_state("networkidle")
    assert "已登记“专家号优先预约”" in pat.content()
    assert ServiceRecord.objects.filter(talent=world.talent, service__name="专家号优先预约").count() == 1

    tina.goto(f"{live_server.url}/registry/timeline/")
    event = tina.locator("li.tl-event").first
    expect(event).to_contain_text("合作窗口服务：专家号优先预约")
    _fits(tina)
    tina.screenshot(path=str(ARTIFACTS / "talentcode-timeline-375.png"), full_page=True)
    phone.close()
    desk.close()
