"""Registration: a talent registers herself; an enterprise registers and the office decides; consent."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from talentpark.accounts.models import User
from talentpark.accounts.roles import Role
from talentpark.core import notify
from talentpark.core.models import AuditLog, Notice, SmsCode
from talentpark.registry.models import Enterprise, EnterpriseAccount, Person, Talent
from talentpark.registry.tests.factories import EnterpriseFactory, TalentFactory, make_id_number, make_uscc
from talentpark.signup import services
from talentpark.signup.models import EnterpriseRegistration, PrivacyConsent, PrivacyNotice

PHONE = "13605371234"
PASSWORD = "Lanhu#Gaoxin2026"


@pytest.fixture(autouse=True)
def first_notice(db):
    """The data migration's notice (transactional tests flush it): seed it again."""
    import importlib

    from django.apps import apps

    importlib.import_module("talentpark.signup.migrations.0002_first_privacy_notice").create(apps, None)


@pytest.fixture
def outbox(settings):
    settings.TALENTPARK_NOTIFY_BACKENDS = {
        **settings.TALENTPARK_NOTIFY_BACKENDS,
        "sms": "talentpark.core.notify.MemorySmsBackend",
    }
    notify.SMS_OUTBOX.clear()
    yield notify.SMS_OUTBOX
    notify.SMS_OUTBOX.clear()


def _code(outbox, phone=PHONE) -> str:
    _to, text = next(m for m in reversed(outbox) if m[0] == phone)
    return re.search(r"验证码(\d{6})", text).group(1)


def _send(client, url, phone=PHONE):
    return client.post(url, {"action": "send_code", "phone": phone}, HTTP_HX_REQUEST="true")


def _talent_form(world, outbox, client, **overrides):
    url = reverse("signup:talent")
    assert _send(client, url, overrides.get("phone", PHONE)).status_code == 200
    data = {
        "zone_id": world.zone.pk,
        "phone": PHONE,
        "code": _code(outbox, overrides.get("phone", PHONE)),
        "name": "林晓雯",
        "id_number": make_id_number(),
        "zone_entry_date": "2025-03-01",
        "username": "linxiaowen",
        "password": PASSWORD,
        "password2": PASSWORD,
        "consent": "1",
        "notice_version": services.current_notice().version,
        "action": "register",
    }
    data.update(overrides)
    return client.post(url, data)


def _counts():
    return (
        User.objects.count(),
        Person.objects.count(),
        Talent.objects.count(),
        PrivacyConsent.objects.count(),
    )


@pytest.mark.django_db(transaction=True)
def test_a_talent_registers_herself_and_goes_to_declare_her_profile(world, outbox):
    client = Client()
    response = _talent_form(world, outbox, client)
    assert response.status_code == 302 and response["Location"] == reverse("registry:profile")
    user = User.objects.get(username="linxiaowen")
    assert user.role == Role.TALENT and user.zone == world.zone and user.check_password(PASSWORD)
    talent = Talent.objects.get(person__user=user)
    assert talent.zone == world.zone and talent.person.name == "林晓雯"
    assert talent.person.phone == PHONE and talent.person.sex == "F"
    consent = PrivacyConsent.objects.get(user=user)
    assert consent.notice.version == "2026.1" and consent.ip == "127.0.0.1"
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"sms_code.issue", "talent.register", "talent.login.link", "signup.talent"} <= actions
    assert SmsCode.objects.get(purpose="signup_talent").used_at is not None
    assert client.get(reverse("registry:profile")).status_code == 200  # signed in


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_id_number_in_the_zone_is_refused_with_the_office_to_call(world, outbox):
    existing = world.talent.person.id_number.plaintext_for_processing()
    before = _counts()
    response = _talent_form(world, outbox, Client(), id_number=existing)
    assert response.status_code == 400
    text = response.content.decode()
    assert "该身份证号已在测试高新区登记，不能重复注册" in text and "园区人才办" in text
    assert _counts() == before
    # the code was not used up: she may correct and retry
    assert SmsCode.objects.get(purpose="signup_talent").used_at is None


@pytest.mark.django_db(transaction=True)
def test_bad_id_number_wrong_code_and_no_consent_are_refused(world, outbox):
    before = _counts()
    good = make_id_number()  # one number: its check digit, changed
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    r = _talent_form(world, outbox, Client(), id_number=bad)
    assert r.status_code == 400 and "身份证号：校验位不正确" in r.content.decode()
    client = Client()
    r = _talent_form(world, outbox, client, phone="13605370001", code="000000")
    assert r.status_code == 400 and "短信验证码：" in r.content.decode()
    r = _talent_form(world, outbox, Client(), phone="13605370002", consent="")
    assert r.status_code == 400 and "请阅读并同意《隐私政策》后再注册" in r.content.decode()
    r = _talent_form(world, outbox, Client(), phone="13605370003", password2="Other#2026abc")
    assert r.status_code == 400 and "两次输入的密码不一致" in r.content.decode()
    assert _counts() == before


@pytest.mark.django_db(transaction=True)
def test_a_failure_midway_leaves_no_rows(world, outbox, monkeypatch):
    from talentpark.registry import services as registry

    def broken(*args, **kwargs):
        raise RuntimeError("the link failed after the user and the talent were written")

    monkeypatch.setattr(registry, "link_person_login", broken)
    before = _counts()
    with pytest.raises(RuntimeError):
        _talent_form(world, outbox, Client())
    assert _counts() == before
    assert not AuditLog.objects.filter(action__in=["talent.register", "signup.talent"]).exists()


@pytest.mark.django_db(transaction=True)
def test_the_send_code_button_answers_429_when_pressed_again_too_soon(world, outbox):
    client = Client()
    url = reverse("signup:talent")
    assert _send(client, url).status_code == 200
    again = _send(client, url)
    assert again.status_code == 429 and "秒后再重新获取" in again.content.decode()


def _enterprise_form(world, outbox, client, **overrides):
    url = reverse("signup:enterprise")
    phone = overrides.get("phone", PHONE)
    assert _send(client, url, phone).status_code == 200
    data = {
        "zone_id": world.zone.pk,
        "uscc": make_uscc(),
        "name": "济宁蓝湖智能装备有限公司",
        "industry": "34",
        "contact_name": "周敏",
        "phone": phone,
        "code": _code(outbox, phone),
        "username": "lanhu_hr",
        "password": PASSWORD,
        "password2": PASSWORD,
        "consent": "1",
        "notice_version": services.current_notice().version,
        "action": "register",
    }
    data.update(overrides)
    return client.post(url, data)


@pytest.mark.django_db(transaction=True)
def test_an_enterprise_registers_and_the_office_approves(world, outbox):
    r = _enterprise_form(world, outbox, Client())
    assert r.status_code == 302 and r["Location"] == reverse("signup:done")
    reg = EnterpriseRegistration.objects.get()
    assert reg.status == "pending" and not User.objects.filter(username="lanhu_hr").exists()
    office = Client()
    office.force_login(world.alice)
    page = office.get(reverse("signup:registration_list"))
    assert page.status_code == 200 and "济宁蓝湖智能装备有限公司" in page.content.decode()
    assert PHONE not in page.content.decode()  # masked
    office.post(reverse("signup:registration_review", args=[reg.pk]), {"decision": "approve"})
    reg.refresh_from_db()
    assert reg.status == "approved"
    hr = User.objects.get(username="lanhu_hr")
    assert hr.role == Role.HR and hr.is_active and hr.check_password(PASSWORD)
    ent = Enterprise.objects.get(zone=world.zone, uscc=reg.uscc)
    assert EnterpriseAccount.objects.get(user=hr).enterprise == ent
    assert Notice.objects.filter(recipient=hr, kind="signup.enterprise").exists()
    assert any("审核通过" in text and to == PHONE for to, text in outbox)
    login = Client().post(reverse("accounts:login"), {"username": "lanhu_hr", "password": PASSWORD})
    assert login.status_code == 302 and login["Location"] == reverse("accounts:home")


@pytest.mark.django_db(transaction=True)
def test_approval_links_the_unclaimed_registry_enterprise(world, outbox):
    unclaimed = EnterpriseFactory(zone=world.zone, name="济宁已登记未开户有限公司")
    _enterprise_form(world, outbox, Client(), uscc=unclaimed.uscc)
    reg = EnterpriseRegistration.objects.get()
    services.review_enterprise(
        services.ActionContext(user=world.alice, role="office", zone_id=world.zone.pk), reg, True
    )
    assert EnterpriseAccount.objects.get(user__username="lanhu_hr").enterprise == unclaimed
    assert Enterprise.objects.filter(uscc=unclaimed.uscc).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_office_rejects_with_a_reason_and_the_contact_is_told(world, outbox):
    _enterprise_form(world, outbox, Client())
    reg = EnterpriseRegistration.objects.get()
    office = Client()
    office.force_login(world.alice)
    office.post(reverse("signup:registration_review", args=[reg.pk]), {"decision": "reject"})
    reg.refresh_from_db()
    assert reg.status == "pending"  # no reason: refused
    office.post(
        reverse("signup:registration_review", args=[reg.pk]),
        {"decision": "reject", "review_note": "营业执照注册地不在本园区"},
    )
    reg.refresh_from_db()
    assert reg.status == "rejected" and reg.password_hash == ""
    assert any("未通过审核：营业执照注册地不在本园区" in text for _to, text in outbox)
    assert not User.objects.filter(username="lanhu_hr").exists()


@pytest.mark.django_db(transaction=True)
def test_a_credit_code_with_an_account_in_the_zone_is_refused(world, outbox):
    r = _enterprise_form(world, outbox, Client(), uscc=world.enterprise.uscc)
    assert r.status_code == 400
    assert "该企业已在测试高新区注册，不能重复注册" in r.content.decode()
    assert not EnterpriseRegistration.objects.exists()
    bad = world.enterprise.uscc[:17] + ("0" if world.enterprise.uscc[17] != "0" else "1")
    r = _enterprise_form(world, outbox, Client(), uscc=bad, phone="13605370009")
    assert "统一社会信用代码：校验位不正确" in r.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_newer_notice_is_accepted_at_the_next_login(world):
    import datetime as dt

    from django.utils import timezone

    first = services.current_notice()
    PrivacyConsent.objects.create(user=world.tina, notice=first, accepted_at=timezone.now())
    client = Client()
    client.force_login(world.tina)
    assert client.get(reverse("accounts:home")).status_code == 200
    services.publish_notice(
        services.ActionContext.system(),
        "2027.1",
        "人才服务平台隐私政策",
        "第二版：新增人才公寓入住信息的处理说明。" * 3,
        timezone.now() - dt.timedelta(minutes=1),
    )
    client.force_login(world.tina)  # her next login
    r = client.get(reverse("accounts:home"))
    assert r.status_code == 302 and r["Location"] == reverse("signup:privacy_accept")
    page = client.get(reverse("signup:privacy_accept"))
    assert "2027.1" in page.content.decode()
    notice = PrivacyNotice.objects.get(version="2027.1")
    client.post(reverse("signup:privacy_accept"), {"notice": notice.pk}, HTTP_USER_AGENT="TestPhone/1.0")
    assert PrivacyConsent.objects.get(user=world.tina, notice=notice).user_agent == "TestPhone/1.0"
    assert client.get(reverse("accounts:home")).status_code == 200
    # an account the office created (no acceptance of its own) is not stopped
    other = Client()
    TalentFactory(zone=world.zone)
    other.force_login(world.bob)
    assert other.get(reverse("accounts:home")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_registered_talent_signs_in_again_with_a_login_row_and_a_session(world, outbox):
    from talentpark.accounts.models import LoginEvent, UserSession

    client = Client()
    assert _talent_form(world, outbox, client).status_code == 302
    user = User.objects.get(username="linxiaowen")
    # the sign-in right after registering is logged and tracked like any other
    assert LoginEvent.objects.filter(user=user, kind=LoginEvent.Kind.LOGIN, zone=world.zone).count() == 1
    assert UserSession.objects.filter(user=user, ended_at__isnull=True, zone=world.zone).count() == 1
    client.post(reverse("accounts:logout"))
    assert UserSession.objects.get(user=user).end_reason == UserSession.End.LOGOUT
    again = Client()
    r = again.post(reverse("accounts:login"), {"username": "linxiaowen", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == reverse("accounts:home")
    assert again.get(reverse("accounts:home")).status_code == 200  # not sent to accept the notice again
    assert again.get(reverse("registry:profile")).status_code == 200
    assert LoginEvent.objects.filter(user=user, kind=LoginEvent.Kind.LOGIN).count() == 2
    assert UserSession.objects.filter(user=user, ended_at__isnull=True).count() == 1


def _office(world) -> Client:
    client = Client()
    client.force_login(world.alice)
    return client


@pytest.mark.django_db(transaction=True)
def test_the_office_publishes_a_new_notice_version_with_an_audit_row(world):
    import datetime as dt

    from django.utils import timezone

    office = _office(world)
    page = office.get(reverse("signup:notice_list"))
    assert (
        page.status_code == 200 and "2026.1" in page.content.decode() and "现行版本" in page.content.decode()
    )
    body = "第二版：新增人才公寓入住信息的处理说明，以及短信验证码的保存期限。"
    r = office.post(
        reverse("signup:notice_list"),
        {
            "version": "2027.1",
            "title": "人才服务平台隐私政策",
            "body": body,
            "effective_at": timezone.localdate(),
        },
    )
    assert r.status_code == 302 and r["Location"] == reverse("signup:notice_list")
    notice = PrivacyNotice.objects.get(version="2027.1")
    assert services.current_notice() == notice and notice.effective_at <= timezone.now()
    row = AuditLog.objects.get(action="privacy.publish")
    assert row.actor == world.alice and row.after["version"] == "2027.1"
    # a later date: published now, in force from that day's midnight
    later = timezone.localdate() + dt.timedelta(days=10)
    office.post(
        reverse("signup:notice_list"),
        {
            "version": "2027.2",
            "title": "人才服务平台隐私政策",
            "body": body,
            "effective_at": later.isoformat(),
        },
    )
    assert services.current_notice() == notice
    assert timezone.localdate(PrivacyNotice.objects.get(version="2027.2").effective_at) == later
    assert "待生效" in office.get(reverse("signup:notice_list")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_bad_notice_names_each_field_and_publishes_nothing(world):
    office = _office(world)
    before = (PrivacyNotice.objects.count(), AuditLog.objects.filter(action="privacy.publish").count())
    r = office.post(
        reverse("signup:notice_list"),
        {"version": "2026.1", "title": "", "body": "太短", "effective_at": "2020-13-01"},
    )
    assert r.status_code == 400
    text = r.content.decode()
    for message in ("版本号：“2026.1”已存在", "标题：不能为空", "正文：不能少于20个字", "生效日期："):
        assert message in text, message
    r = office.post(
        reverse("signup:notice_list"),
        {"version": "2030.1", "title": "隐私政策", "body": "正文" * 20, "effective_at": "2020-01-01"},
    )
    assert r.status_code == 400 and "生效日期：不能早于今天" in r.content.decode()
    assert (
        PrivacyNotice.objects.count(),
        AuditLog.objects.filter(action="privacy.publish").count(),
    ) == before
    # staff without the permission: 403, and nothing published
    bob = Client()
    bob.force_login(world.bob)
    r = bob.post(
        reverse("signup:notice_list"),
        {"version": "2030.1", "title": "隐私政策", "body": "正文" * 20, "effective_at": "2030-01-01"},
    )
    assert r.status_code == 403 and PrivacyNotice.objects.count() == before[0]
