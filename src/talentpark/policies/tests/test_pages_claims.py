"""Claim pages by persona: the subject confirms or declines, staff approve or return, the office pays.

Personas (see ``conftest.py``): alice office · bob specialist owning tina · carol another
specialist · dave department handler · erin HR of tina's employer · frank HR elsewhere ·
tina talent · pat partner · amy ambassador · paul province viewer.
"""

from __future__ import annotations

import decimal
import re
from typing import Any

import pytest
from django.urls import reverse

from talentpark.core.context import ActionContext
from talentpark.policies import runs
from talentpark.policies.models import Claim, LedgerEntry, Policy, ReviewRequest
from talentpark.policies.tests.factories import AS_OF, make_policy, make_version
from talentpark.policies.tests.pagekit import GOOD_ACCOUNT, client_for, make_phd

pytestmark = pytest.mark.django_db
S = Claim.Status


def _publish(world: Any, **policy: Any) -> Claim:
    """Publish the doctorate subsidy; tina (a PhD) gets a claim waiting for her."""
    make_phd(world)
    p = make_policy(world.zone, **policy)
    version = make_version(p)
    runs.publish(ActionContext(user=world.alice, role="office", zone_id=world.zone.pk), version, AS_OF)
    return Claim.objects.get(policy=p, talent=world.talent)


@pytest.fixture
def claim(world: Any) -> Claim:
    return _publish(world)


def _confirm(world: Any, claim: Claim) -> None:
    response = client_for(world, "tina").post(
        reverse("policies:claim_confirm", args=[claim.pk]), {"account": "profile"}
    )
    assert response.status_code == 302, response.content.decode()


def test_claims_list_and_detail_per_role(world, claim) -> None:
    listing = reverse("policies:claim_list")
    detail = reverse("policies:claim_detail", args=[claim.pk])
    expected = {
        # persona: (list status, tina's claim listed, detail status)
        "alice": (200, True, 200),
        "bob": (200, True, 200),  # tina's specialist
        "carol": (200, False, 404),
        "dave": (200, False, 404),  # nothing waits at his department's level yet (see below)
        "erin": (200, False, 404),  # HR sees the enterprise's claims, not its employees'
        "frank": (200, False, 404),
        "tina": (200, True, 200),
        "pat": (403, False, 403),
        "amy": (403, False, 403),
        "paul": (403, False, 403),
    }
    for persona, (list_status, listed, detail_status) in expected.items():
        client = client_for(world, persona)
        page = client.get(listing)
        assert page.status_code == list_status, persona
        assert ("唐娜" in page.content.decode()) == listed, persona
        assert client.get(detail).status_code == detail_status, persona
    _confirm(world, claim)  # now waiting at level 1, routed to dave's 住建局
    dave = client_for(world, "dave")
    assert "唐娜" in dave.get(listing).content.decode() and dave.get(detail).status_code == 200
    assert (
        "唐娜"
        in client_for(world, "alice").get(listing, {"q": "唐娜", "status": "notified"}).content.decode()
    )
    assert "唐娜" not in client_for(world, "alice").get(listing, {"status": "paid"}).content.decode()


def test_the_claim_page_explains_the_frozen_decision(world, claim) -> None:
    html = client_for(world, "tina").get(reverse("policies:claim_detail", args=[claim.pk])).content.decode()
    assert "博士安家补贴" in html and "100000.00 元" in html and "待确认" in html
    assert "请确认是否申领（意愿确认）" in html  # NEXT_STEP
    assert "资格判定说明" in html and "符合第三条" in html
    # the clause table: article, requirement, result and the values used
    # evidence by the label a person knows (学历等级 4 is 博士), never the bare code
    assert "具有博士研究生及以上学历" in html and "学历等级：博士" in html and ">符合<" in html
    assert "学历等级：4" not in html
    # 免申即享: one button, the profile's bank account shown masked, never in clear
    assert "确认申领" in html and "使用其他账户" in html
    assert GOOD_ACCOUNT not in html and GOOD_ACCOUNT[-4:] in html
    assert "申请人工复核" in html


def test_the_talent_confirms_with_one_click_and_the_profile_account(world, claim) -> None:
    _confirm(world, claim)
    claim.refresh_from_db()
    assert claim.status == S.REVIEWING
    assert claim.bank_account.plaintext_for_processing() == GOOD_ACCOUNT  # type: ignore[union-attr]


def test_a_bad_bank_account_is_a_message_next_to_the_field_and_changes_nothing(world, claim) -> None:
    response = client_for(world, "tina").post(
        reverse("policies:claim_confirm", args=[claim.pk]),
        {"account": "other", "bank_name": "中国银行", "bank_account": "6222 0202 0011 2345 678"},
    )
    html = response.content.decode()
    assert response.status_code == 400 and "银行账号：校验位不正确，请核对卡号" in html
    assert 'value="other" checked' in html  # the choice is kept
    response = client_for(world, "tina").post(
        reverse("policies:claim_confirm", args=[claim.pk]), {"account": "other", "bank_account": "12"}
    )
    html = response.content.decode()
    assert "开户银行：请填写开户银行" in html and "银行账号：应为12至19位数字" in html
    claim.refresh_from_db()
    assert claim.status == S.NOTIFIED and claim.bank_account is None


def test_another_account_can_be_given(world, claim) -> None:
    response = client_for(world, "tina").post(
        reverse("policies:claim_confirm", args=[claim.pk]),
        {
            "account": "other",
            "bank_name": "中国银行",
            "payee_name": "唐娜",
            "bank_account": "6217000010001234569",
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == S.REVIEWING and claim.bank_name == "中国银行"


def test_nobody_confirms_someone_else_s_claim(world, claim) -> None:
    make_phd(world, world.carols_talent)
    other = _publish(world, title="另一项补贴")
    carols = Claim.objects.get(policy=other.policy, talent=world.carols_talent)
    url = reverse("policies:claim_confirm", args=[carols.pk])
    assert client_for(world, "tina").post(url, {"account": "profile"}).status_code == 404
    for persona in ("alice", "bob", "dave"):  # staff never confirm for a person
        assert client_for(world, persona).post(url, {"account": "profile"}).status_code == 403
    assert client_for(world, "erin").post(url, {"account": "profile"}).status_code == 404
    carols.refresh_from_db()
    assert carols.status == S.NOTIFIED


def test_an_application_policy_asks_one_line_per_material(world) -> None:
    claim = _publish(world, mode=Policy.Mode.APPLY, materials="劳动合同\n学位证书")
    assert claim.status == S.APPLYING
    tina = client_for(world, "tina")
    html = tina.get(reverse("policies:claim_detail", args=[claim.pk])).content.decode()
    assert "提交申报" in html and "劳动合同" in html and "学位证书" in html and "入区时间" in html
    response = tina.post(
        reverse("policies:claim_confirm", args=[claim.pk]), {"account": "profile", "m0": "合同编号 A-1"}
    )
    assert response.status_code == 400 and "学位证书：请填写材料说明" in response.content.decode()
    assert 'value="合同编号 A-1"' in response.content.decode()
    response = tina.post(
        reverse("policies:claim_confirm", args=[claim.pk]),
        {"account": "profile", "m0": "合同编号 A-1", "m1": "博士学位证"},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == S.REVIEWING and claim.application == {
        "劳动合同": "合同编号 A-1",
        "学位证书": "博士学位证",
    }


def test_the_talent_declines(world, claim) -> None:
    response = client_for(world, "tina").post(
        reverse("policies:claim_decline", args=[claim.pk]), {"reason": "已享受同类"}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == S.DECLINED and "已享受同类" in claim.status_reason


def test_a_human_review_is_asked_for_and_resolved(world, claim) -> None:
    tina = client_for(world, "tina")
    url = reverse("policies:claim_review_request", args=[claim.pk])
    empty = tina.post(url, {"reason": "  "})
    assert empty.status_code == 400 and "复核理由：请说明需要人工复核的原因" in empty.content.decode()
    assert not ReviewRequest.objects.exists()
    assert tina.post(url, {"reason": "我已取得博士后证书"}).status_code == 302
    review = ReviewRequest.objects.get()
    # the office's queue shows it with the decision; other roles may not see the queue
    queue = client_for(world, "alice").get(reverse("policies:review_list")).content.decode()
    assert "我已取得博士后证书" in queue and "符合第三条" in queue and "唐娜" in queue
    for persona in ("bob", "dave", "tina", "erin"):
        assert client_for(world, persona).get(reverse("policies:review_list")).status_code == 403
        assert (
            client_for(world, persona).post(reverse("policies:review_resolve", args=[review.pk])).status_code
            == 403
        )
    bad = client_for(world, "alice").post(
        reverse("policies:review_resolve", args=[review.pk]), {"outcome": "upheld"}
    )
    assert bad.status_code == 400 and "处理意见：请填写处理意见" in bad.content.decode()
    ok = client_for(world, "alice").post(
        reverse("policies:review_resolve", args=[review.pk]),
        {"outcome": "upheld", "resolution": "档案中学历为博士，金额无误"},
    )
    assert ok.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewRequest.Status.UPHELD
    page = tina.get(reverse("policies:claim_detail", args=[claim.pk])).content.decode()
    assert "档案中学历为博士，金额无误" in page


def test_two_levels_need_two_people_and_a_return_needs_a_reason(world, claim) -> None:
    _confirm(world, claim)
    dave, alice = client_for(world, "dave"), client_for(world, "alice")
    reject = dave.post(reverse("policies:claim_reject", args=[claim.pk]), {"reason": ""})
    assert reject.status_code == 400 and "退回理由：不通过时必须说明理由" in reject.content.decode()
    claim.refresh_from_db()
    assert claim.status == S.REVIEWING
    assert (
        client_for(world, "tina").post(reverse("policies:claim_approve", args=[claim.pk])).status_code == 403
    )
    assert (
        client_for(world, "bob").post(reverse("policies:claim_approve", args=[claim.pk])).status_code == 403
    )
    assert (
        dave.post(reverse("policies:claim_approve", args=[claim.pk]), {"reason": "材料齐全"}).status_code
        == 302
    )
    again = dave.post(reverse("policies:claim_approve", args=[claim.pk]))
    assert again.status_code == 404  # level 2 is routed to the office, not to his department
    assert alice.post(reverse("policies:claim_approve", args=[claim.pk])).status_code == 302
    claim.refresh_from_db()
    assert claim.status == S.APPROVED and claim.levels_done == 2


def test_batch_review_is_all_or_nothing(world, claim) -> None:
    make_phd(world, world.carols_talent)
    second = _publish(world, title="另一项补贴", approval_levels=1, approvers=[world.housing_dept])
    carols = Claim.objects.get(policy=second.policy, talent=world.carols_talent)
    _confirm(world, claim)
    _confirm(world, second)
    dave = client_for(world, "dave")
    page = dave.get(reverse("policies:claim_batch")).content.decode()
    assert "唐娜" in page and "批量通过" in page and "柯然" not in page  # carol's talent has not confirmed
    url = reverse("policies:claim_batch")
    empty = dave.post(url, {"claim": [claim.pk, second.pk], "op": "reject", "reason": ""})
    assert empty.status_code == 400 and "退回理由" in empty.content.decode()
    # a claim not waiting in his queue spoils the whole batch, with its own message
    mixed = dave.post(url, {"claim": [claim.pk, carols.pk], "op": "approve"})
    assert mixed.status_code == 400 and "有 1 项不在您的待审核范围内" in mixed.content.decode()
    claim.refresh_from_db()
    assert claim.levels_done == 0
    assert (
        dave.post(url, {"claim": [claim.pk, second.pk], "op": "approve", "reason": "同意"}).status_code == 302
    )
    claim.refresh_from_db()
    second.refresh_from_db()
    assert (claim.status, claim.levels_done, second.status) == (S.REVIEWING, 1, S.APPROVED)
    for persona in ("bob", "tina", "erin", "pat"):
        assert client_for(world, persona).get(url).status_code == 403


def _approved(world: Any, claim: Claim) -> None:
    _confirm(world, claim)
    client_for(world, "dave").post(reverse("policies:claim_approve", args=[claim.pk]))
    client_for(world, "alice").post(reverse("policies:claim_approve", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == S.APPROVED


def test_the_office_pays_once_even_when_the_form_is_sent_twice(world, claim) -> None:
    _approved(world, claim)
    alice = client_for(world, "alice")
    page = alice.get(reverse("policies:claim_detail", args=[claim.pk])).content.decode()
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    assert "确认拨付 100000.00 元" in page
    assert (
        client_for(world, "dave")
        .post(reverse("policies:claim_pay", args=[claim.pk]), {"idempotency_key": key})
        .status_code
        == 403
    )
    first = alice.post(reverse("policies:claim_pay", args=[claim.pk]), {"idempotency_key": key})
    second = alice.post(reverse("policies:claim_pay", args=[claim.pk]), {"idempotency_key": key})
    assert first.status_code == second.status_code == 302
    assert LedgerEntry.objects.filter(claim=claim).count() == 1
    claim.refresh_from_db()
    assert claim.status == S.PAID
    claim.policy.refresh_from_db()
    assert claim.policy.budget_paid == decimal.Decimal("100000")
    # the talent sees 已兑现 with the amount on her page; the ledger shows only the masked account
    html = client_for(world, "tina").get(reverse("policies:claim_detail", args=[claim.pk])).content.decode()
    assert "已兑现" in html and "已拨付 100000.00 元" in html
    assert GOOD_ACCOUNT not in html


def test_a_payment_is_reversed_only_with_a_reason(world, claim) -> None:
    _approved(world, claim)
    alice = client_for(world, "alice")
    alice.post(reverse("policies:claim_pay", args=[claim.pk]), {"idempotency_key": "k1"})
    entry = LedgerEntry.objects.get(claim=claim)
    url = reverse("policies:entry_reverse", args=[entry.pk])
    empty = alice.post(url, {"reason": "", "idempotency_key": "r1"})
    assert empty.status_code == 400 and "冲正原因：必须填写" in empty.content.decode()
    assert client_for(world, "dave").post(url, {"reason": "错付", "idempotency_key": "r1"}).status_code == 403
    assert LedgerEntry.objects.filter(claim=claim).count() == 1
    assert alice.post(url, {"reason": "账户错误", "idempotency_key": "r1"}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == S.REVERSED and LedgerEntry.objects.filter(claim=claim).count() == 2


def test_ledger_and_reconciliation_are_the_office_s(world, claim) -> None:
    _approved(world, claim)
    alice = client_for(world, "alice")
    alice.post(reverse("policies:claim_pay", args=[claim.pk]), {"idempotency_key": "k1"})
    url = reverse("policies:policy_ledger", args=[claim.policy_id])
    html = alice.get(url).content.decode()
    assert "台账与对账" in html and ">平<" in html and "100000.00" in html and "FK" in html
    assert GOOD_ACCOUNT not in html and GOOD_ACCOUNT[-4:] in html
    for persona in ("bob", "dave", "tina", "erin", "paul"):
        assert client_for(world, persona).get(url).status_code == 403
        assert client_for(world, persona).get(reverse("policies:ledger_list")).status_code == 403
    assert "FK" in alice.get(reverse("policies:ledger_list")).content.decode()
    export = alice.post(reverse("policies:ledger_export"), {"format": "csv", "policy": claim.policy_id})
    body = b"".join(export.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert ",100000.00," in body and GOOD_ACCOUNT not in body and GOOD_ACCOUNT[-4:] in body


@pytest.mark.django_db(transaction=True)  # the homes are cached until a change commits
def test_homes_show_to_dos_and_progress(world, claim) -> None:
    tina = client_for(world, "tina")
    home = tina.get("/").content.decode()
    assert "待办：政策兑现" in home and "博士安家补贴" in home and "100000.00 元" in home
    assert "符合第三条" in home and reverse("policies:claim_detail", args=[claim.pk]) in home
    _approved(world, claim)
    alice = client_for(world, "alice")
    office = alice.get("/").content.decode()
    assert "待拨付" in office and "待处理复核" in office
    alice.post(reverse("policies:claim_pay", args=[claim.pk]), {"idempotency_key": "k1"})
    home = tina.get("/").content.decode()
    assert "待办：政策兑现" not in home and "我的办事进度" in home
    assert "已兑现" in home and "已拨付 100000.00 元" in home
    # erin's enterprise has no claims; she sees her progress card, never tina's claims
    erin = client_for(world, "erin").get("/").content.decode()
    assert "我的办事进度" in erin and "博士安家补贴" not in erin


def test_enterprise_claims_reach_their_hr(world) -> None:
    policy = make_policy(world.zone, target=Policy.Target.ENTERPRISE, title="重点企业奖励")
    version = make_version(
        policy,
        target="enterprise",
        clauses=[{"article": "第二条", "text": "重点企业", "expr": "is_key"}],
        outcome_expr="50000",
    )
    runs.publish(ActionContext(user=world.alice, role="office", zone_id=world.zone.pk), version, AS_OF)
    claim = Claim.objects.get(policy=policy, enterprise=world.enterprise)
    home = client_for(world, "erin").get("/").content.decode()
    assert "待办：政策兑现" in home and "重点企业奖励" in home and "50000.00 元" in home
    frank_claim = Claim.objects.get(policy=policy, enterprise=world.other_enterprise)
    assert reverse("policies:claim_detail", args=[frank_claim.pk]) not in home
    page = client_for(world, "erin").get(reverse("policies:claim_detail", args=[claim.pk])).content.decode()
    assert "您的档案中还没有银行账户" in page
    assert (
        client_for(world, "frank").get(reverse("policies:claim_detail", args=[claim.pk])).status_code == 404
    )


def test_navigation_by_role(world) -> None:
    def nav(persona: str) -> str:
        html = client_for(world, persona).get("/").content.decode()
        found = re.search(r'<nav class="nav[^"]*"[^>]*>(.*?)</nav>', html, re.S)
        assert found, persona
        return found.group(1)

    alice = nav("alice")
    assert "政策兑现" in alice and "人工复核" in alice and "兑现台账" in alice
    dave = nav("dave")
    assert "政策兑现" in dave and "人工复核" not in dave and "兑现台账" not in dave
    tina = nav("tina")  # a talent's own navigation: her claims, no staff desks
    assert "我的兑现" in tina and "兑现台账" not in tina and "人工复核" not in tina


def test_staff_reach_the_subject_s_record_only_when_in_their_scope(world, claim) -> None:
    record = reverse("registry:talent_detail", args=[world.talent.pk])
    page = reverse("policies:claim_detail", args=[claim.pk])
    assert record in client_for(world, "bob").get(page).content.decode()  # tina's specialist
    assert record not in client_for(world, "dave").get(page).content.decode()  # another department's talent


def test_the_claim_page_follows_the_chosen_language(world, claim) -> None:
    tina = client_for(world, "tina")
    tina.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = tina.get(reverse("policies:claim_detail", args=[claim.pk])).content.decode()
    assert "Confirm claim" in html and "Why you qualify" in html and "确认申领" not in html
    assert "Please confirm whether you want to claim it" in html  # the next step too
    assert "To do: policy benefit" in tina.get("/").content.decode()
