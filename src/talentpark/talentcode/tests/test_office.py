"""The office manages partners, windows, services and window accounts, and stops or restores a
talent's code: through the pages, with bad input named field by field and nothing half-saved."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from talentpark.core.models import AuditLog
from talentpark.talentcode import services
from talentpark.talentcode.models import GreenService, Partner, PartnerAccount, PartnerWindow, TalentCode
from talentpark.talentcode.tests.test_partner_flow import ctx, desk  # noqa: F401  # fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def office(world):
    client = Client()
    client.force_login(world.alice)
    return client


def test_partner_window_service_from_the_pages(world, office):
    listing = office.get("/talentcode/partner/").content.decode()
    assert "新增合作机构" in listing
    bad = office.post("/talentcode/partner/new/", {"name": "", "kind": "spaceport"})
    assert bad.status_code == 400 and "机构名称：不能为空" in bad.content.decode()
    assert "机构类别：请选择" in bad.content.decode() and Partner.objects.count() == 0
    made = office.post("/talentcode/partner/new/", {"name": "高新区第一实验小学", "kind": "school"})
    school = Partner.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/talentcode/partner/{school.pk}/"
    assert school.zone_id == world.zone.pk and school.is_active
    twice = office.post("/talentcode/partner/new/", {"name": "高新区第一实验小学", "kind": "school"})
    assert twice.status_code == 400 and "同名" in twice.content.decode() and Partner.objects.count() == 1

    assert (
        office.post(f"/talentcode/partner/{school.pk}/window/new/", {"name": "入学服务窗口"}).status_code
        == 302
    )
    window = PartnerWindow.objects.get()
    bad = office.post(
        f"/talentcode/partner/{school.pk}/service/new/",
        {"name": "子女入学绿色通道", "window": "999999", "per_year": "x"},
    )
    page = bad.content.decode()
    assert bad.status_code == 400 and "办理窗口：不属于本机构" in page and "适用人才层次" in page
    assert "每人每年次数上限：应为0至365" in page and GreenService.objects.count() == 0
    ok = office.post(
        f"/talentcode/partner/{school.pk}/service/new/",
        {"name": "子女入学绿色通道", "window": window.pk, "tiers": ["A", "B"], "per_year": "1"},
    )
    assert ok.status_code == 302
    service = GreenService.objects.get()
    assert (service.tiers, service.per_year, service.window_id) == ("AB", 1, window.pk)
    detail = office.get(f"/talentcode/partner/{school.pk}/").content.decode()
    assert "入学服务窗口" in detail and "子女入学绿色通道" in detail and "A类、B类" in detail
    off = office.post(f"/talentcode/service/{service.pk}/", {"name": "子女入学绿色通道", "tiers": ["A"]})
    assert off.status_code == 302
    service.refresh_from_db()
    assert not service.is_active and service.tiers == "A"  # an unticked 启用 turns it off
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"talentcode.partner.create", "talentcode.window.create", "talentcode.service.change"} <= actions


def _sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_window_account_signs_in_scans_and_stops_when_disabled(world, office):
    hospital = Partner.objects.create(zone=world.zone, name="高新区人民医院", kind=Partner.Kind.HOSPITAL)
    window = PartnerWindow.objects.create(zone=world.zone, partner=hospital, name="门诊人才专窗")
    url = f"/talentcode/partner/{hospital.pk}/account/new/"
    bad = office.post(url, {"username": "a b", "display_name": ""})
    assert bad.status_code == 400 and "用户名：应为3至30位" in bad.content.decode()
    assert "姓名：不能为空" in bad.content.decode()
    taken = office.post(url, {"username": world.tina.username, "display_name": "王芳"})
    assert taken.status_code == 400 and "已被使用" in taken.content.decode()
    made = office.post(url, {"username": "rmyy_window2", "display_name": "王芳", "window": window.pk})
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    password = re.search(r'<code class="secret">([^<]+)</code>', made.content.decode())[1]
    account = PartnerAccount.objects.get(user__username="rmyy_window2")
    assert (
        account.user.role == "partner" and account.user.zone_id == world.zone.pk and account.window == window
    )

    staff = Client()
    assert _sign_in(staff, "rmyy_window2", password).status_code == 302
    assert staff.get("/talentcode/scan/").status_code == 200
    assert office.post(f"/talentcode/account/{account.pk}/", {"active": "0"}).status_code == 302
    assert not get_user_model().objects.get(pk=account.user_id).is_active
    assert staff.get("/talentcode/scan/").status_code == 302  # signed out at the next request
    assert _sign_in(Client(), "rmyy_window2", password).status_code == 200  # the form again: refused
    assert AuditLog.objects.filter(action="talentcode.account.disable").count() == 1


def test_revoke_then_reinstate_from_the_code_page(world, office, desk):  # noqa: F811
    services.set_consent(ctx(world.tina), world.talent, Partner.Kind.HOSPITAL, ["tier"])
    old = services.current_token(world.talent)
    code = TalentCode.objects.get(talent=world.talent)
    talent_page = office.get(f"/registry/talent/{world.talent.pk}/").content.decode()
    assert f"/talentcode/code/{code.pk}/" in talent_page  # her page in 一网四库 links to the code
    status_url = f"/talentcode/code/{code.pk}/status/"
    office.post(status_url, {"action": "revoke", "reason": ""})
    code.refresh_from_db()
    assert code.status == TalentCode.Status.ACTIVE  # a reason is required
    office.post(status_url, {"action": "revoke", "reason": "手机遗失"})
    code.refresh_from_db()
    assert code.status == TalentCode.Status.REVOKED and code.revoked_reason == "手机遗失"
    refused = services.verify(ctx(world.pat), world.pat, old.token)
    assert not refused.valid and "停用" in refused.message
    assert "恢复人才码" in office.get(f"/talentcode/code/{code.pk}/").content.decode()
    office.post(status_url, {"action": "reinstate"})
    code.refresh_from_db()
    assert code.status == TalentCode.Status.ACTIVE
    assert not services.verify(ctx(world.pat), world.pat, old.token).valid  # the old token stays dead
    assert services.verify(ctx(world.pat), world.pat, services.current_token(world.talent).token).valid
