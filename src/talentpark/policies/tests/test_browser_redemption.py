"""免申即享 end to end in Debian's chromium: the office writes and publishes a rule, the talent confirms
on her phone, two approvers approve, the office pays, and the talent sees the money on her timeline.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from talentpark.core.tests.browser import ARTIFACTS, login
from talentpark.policies.models import Claim, LedgerEntry
from talentpark.policies.tests.factories import make_policy
from talentpark.policies.tests.pagekit import GOOD_ACCOUNT, make_phd

pytestmark = pytest.mark.browser


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, (page.url, width)


def _desktop(browser: Any, base: str, persona: str) -> Any:
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    page = context.new_page()
    login(page, base, persona)
    return context, page


def _fill_clause(page: Any, row: int, article: str, text: str, expr: str) -> None:
    rows = page.locator("#clauses tbody tr")
    rows.nth(row).locator("input[name=article]").fill(article)
    rows.nth(row).locator("input[name=text]").fill(text)
    rows.nth(row).locator("textarea[name=expr]").fill(expr)


@pytest.mark.django_db(transaction=True)
def test_office_publishes_talent_confirms_two_approve_office_pays(world, live_server, browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    make_phd(world)
    policy = make_policy(world.zone, approval_levels=2)
    base = live_server.url

    # -- the office writes the rule, watching the live preview, and publishes it
    context, page = _desktop(browser, base, "alice")
    page.goto(f"{base}/policies/policy/{policy.pk}/")
    page.click("text=规则与兑现")
    page.click("text=新建规则")
    page.wait_for_selector("#preview .figures, #preview .problems")
    _fill_clause(page, 0, "第二条", "在区内企业就业", "has_employer")
    page.click("button[value=add]")
    expect(page.locator("#clauses tbody tr")).to_have_count(2)  # (the CSP forbids evaluated JS)
    _fill_clause(page, 1, "第三条", "具有博士研究生及以上学历", "degre >= 4")  # a typo first
    page.fill("input[name=outcome_article]", "第四条")
    page.fill("textarea[name=outcome_expr]", 'degree == "博士后" ? 150000 : 100000')
    page.wait_for_selector("#preview .problems >> text=degre")
    assert "第1行" in page.inner_text("#preview")
    page.locator("#preview").screenshot(path=str(ARTIFACTS / "redemption-preview-error.png"))
    page.locator("#clauses tbody tr").nth(1).locator("textarea[name=expr]").fill("degree_level >= 4")
    page.click("button[value=add]")
    expect(page.locator("#clauses tbody tr")).to_have_count(3)
    _fill_clause(page, 2, "第五条", "入区满1年", "years_in_zone >= 1")
    expect(page.locator("#preview .figures")).to_be_visible()
    expect(page.locator("#preview")).to_contain_text("唐娜")
    expect(page.locator("#preview")).to_contain_text("第五条")
    preview = page.inner_text("#preview")
    assert "最常卡住的条件：第三条" in preview  # carol's talent is a bachelor: the degree stops her
    page.screenshot(path=str(ARTIFACTS / "redemption-rule-editor.png"), full_page=True)
    page.click("button.primary[value=save]")
    page.wait_for_selector("text=草稿已保存")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#publish-box button[type=submit]")
    page.wait_for_selector("#run-progress .run-status >> text=已完成", timeout=20_000)
    assert "符合条件并已推送" in page.inner_text("#run-progress")
    page.screenshot(path=str(ARTIFACTS / "redemption-run.png"), full_page=True)
    context.close()
    claim = Claim.objects.get(policy=policy, talent=world.talent)

    # -- the talent finds it on her phone, with the reason, and confirms with one click
    phone = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = phone.new_page()
    login(page, base, "tina")
    card = page.locator(".todo-card").first
    assert "博士安家补贴" in card.inner_text() and "100000.00 元" in card.inner_text()
    assert "符合第三条" in card.inner_text()
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "redemption-talent-home-375.png"), full_page=True)
    card.locator("text=去确认").click()
    page.wait_for_selector("text=资格判定说明")
    _fits(page)
    assert GOOD_ACCOUNT not in page.content() and GOOD_ACCOUNT[-4:] in page.content()
    page.screenshot(path=str(ARTIFACTS / "redemption-claim-375.png"), full_page=True)
    page.click("button.primary:has-text('确认申领')")
    page.wait_for_selector("text=已确认申领")
    assert "部门审核中" in page.inner_text("main")

    # -- two different approvers, then the office pays
    context, desk = _desktop(browser, base, "dave")
    desk.goto(f"{base}/policies/claim/review/")
    desk.check(f"input[name=claim][value='{claim.pk}']")
    desk.screenshot(path=str(ARTIFACTS / "redemption-batch.png"), full_page=True)
    desk.fill("input[name=reason]", "材料齐全")
    desk.click("button:has-text('批量通过')")
    desk.wait_for_selector("text=已通过 1 项")
    context.close()
    context, desk = _desktop(browser, base, "alice")
    desk.goto(f"{base}/policies/claim/{claim.pk}/")
    desk.click("button:has-text('审核通过')")
    desk.wait_for_selector("text=审核通过，等待拨付")
    desk.screenshot(path=str(ARTIFACTS / "redemption-claim-office.png"), full_page=True)
    desk.click("button:has-text('确认拨付')")
    desk.wait_for_selector(".flash >> text=已拨付 100000.00 元")
    desk.goto(f"{base}/policies/policy/{policy.pk}/ledger/")
    assert "平" in desk.inner_text(".recon-result .badge")
    desk.screenshot(path=str(ARTIFACTS / "redemption-ledger.png"), full_page=True)
    desk.goto(f"{base}/policies/policy/{policy.pk}/rules/")
    desk.screenshot(path=str(ARTIFACTS / "redemption-workspace.png"), full_page=True)
    context.close()
    assert LedgerEntry.objects.filter(claim=claim).count() == 1

    # -- the talent sees the payment on her timeline
    page.goto(f"{base}/")
    progress = page.inner_text(".progress-card")
    assert "已兑现" in progress and "100000.00 元" in progress
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "redemption-talent-paid-375.png"), full_page=True)
    phone.close()
