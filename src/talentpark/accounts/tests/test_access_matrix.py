"""Every role × every page and endpoint → allowed, or 403/404 (one permission layer).

Personas (see conftest): alice office · bob specialist owning tina · carol another
specialist · dave housing handler · erin HR of tina's employer · frank HR elsewhere ·
tina talent · pat partner window · amy ambassador · paul province viewer.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

PERSONAS = ["alice", "bob", "carol", "dave", "erin", "frank", "tina", "pat", "amy", "paul"]

LIST_PAGES = {
    # list page: personas allowed (everyone else 403)
    "registry:talent_list": {"alice", "bob", "carol", "dave", "tina"},
    "registry:enterprise_list": {"alice", "bob", "carol", "dave", "erin", "frank", "tina", "amy", "paul"},
    "registry:platform_list": {"alice", "bob", "carol", "dave", "erin", "frank", "tina", "paul"},
    "registry:project_list": {"alice", "bob", "carol", "dave", "erin", "frank", "tina", "paul"},
    "registry:chain_list": {"alice", "bob", "carol", "dave", "erin", "frank", "tina", "paul"},
    "policies:policy_list": {"alice", "bob", "carol", "dave", "erin", "frank", "tina", "pat", "amy", "paul"},
    "policies:claim_list": {"alice", "bob", "carol", "dave", "erin", "frank", "tina"},  # rows scoped per role
    "policies:ledger_list": {"alice"},
    "policies:review_list": {"alice"},
    "policies:policy_new": {"alice"},  # authoring a policy is the office's
    "recruitment:position_list": {"alice", "bob", "carol", "dave", "erin", "frank", "tina", "amy"},
    "recruitment:demand_list": {"alice", "bob", "carol", "dave", "erin", "frank"},
    "recruitment:jobs": {"alice", "bob", "carol", "dave", "erin", "frank", "tina", "amy"},  # public jobs only
    "recruitment:mine": {"tina"},  # 我的求职: her own applications (recruitment/tests/test_views.py)
    "recruitment:seeker": {"tina"},  # 求职意向
    "recruitment:posts": {"erin", "frank"},  # 我的岗位: the enterprise's own positions
    "recruitment:post_new": {"erin", "frank"},
    "recruitment:demand_new": {"erin", "frank"},
    "recruitment:pipeline": {"alice", "erin", "frank"},  # its own applicants; the office's zone read-only
    "recruitment:review": {"alice"},  # 岗位审核
    "recruitment:fair_list": {"alice", "bob", "carol", "dave", "erin", "frank", "tina"},  # 招聘会 of her zone
    "recruitment:fair_new": {"alice"},  # scheduling is the office's (recruitment/tests/test_fairs.py)
    "housing:apartment_list": {"alice", "bob", "carol", "dave", "erin", "frank", "tina"},
    "innovation:lecturer_list": {"alice", "bob", "carol", "dave", "erin", "frank", "tina"},
    "core:audit_list": {"alice"},
    "registry:import_home": {"alice"},
    "registry:import_talent": {"alice"},
    "accounts:department_list": {"alice"},
    "accounts:user_list": {"alice"},
    "accounts:loginlog_list": {"alice"},  # 登录日志 of her zone (accounts/tests/test_login_log.py)
    "accounts:session_list": {"alice"},  # 在线用户 of her zone (accounts/tests/test_sessions.py)
    "accounts:home": set(PERSONAS),
    "search:page": set(PERSONAS),  # everyone searches; results go through each kind's scope
    "core:inbox": set(PERSONAS),  # her own notices only (core/tests/test_notify.py)
    "core:inbox_settings": set(PERSONAS),
    "core:announcement_list": {"alice"},
    "core:announcement_new": {"alice"},
    "core:job_list": {"alice"},  # 定时任务
    "core:dictionary_list": {"alice"},  # 字典管理 of her zone (core/tests/test_dictionaries.py)
    "core:dictionary_new": {"alice"},
    "core:synonym_list": {"alice"},
    "core:calendar_list": {"alice"},  # 节假日与调休 (core/tests/test_workcalendar.py)
    "core:parameter_list": set(),  # 参数管理: the 系统管理员 (superuser) only (core/tests/test_parameters.py)
    "signup:registration_list": {"alice"},  # 企业注册审核
    "signup:notice_list": {"alice"},  # 隐私政策版本 (publishing: signup/tests/test_signup.py)
    "registry:timeline": {"tina"},  # 我的一码归集: the talent's own (registry/tests/test_timeline.py)
    "registry:wallet": {"tina"},  # 我的材料库: the talent's own (registry/tests/test_wallet.py)
    "talentcode:mine": {"tina"},  # 我的人才码 (talentcode/tests/test_partner_flow.py)
    "talentcode:card": {"tina"},
    "talentcode:partner_list": {"alice"},  # 合作机构 of her zone (talentcode/tests/test_office.py)
    "talentcode:partner_new": {"alice"},
    "talentcode:code_list": {"alice"},  # 人才码管理: stop / restore a code
    "talentcode:scanlog_list": {"alice"},  # 核验记录
    "talentcode:record_list": {"alice"},  # 绿色通道服务记录
}

API_LISTS = {
    "/api/registry/talents": LIST_PAGES["registry:talent_list"],
    "/api/registry/enterprises": LIST_PAGES["registry:enterprise_list"],
    "/api/registry/platforms": LIST_PAGES["registry:platform_list"],
    "/api/registry/projects": LIST_PAGES["registry:project_list"],
    "/api/registry/chains": LIST_PAGES["registry:chain_list"],
    "/api/policies/policys": LIST_PAGES["policies:policy_list"],
    "/api/recruitment/positions": LIST_PAGES["recruitment:position_list"],
    "/api/recruitment/demands": LIST_PAGES["recruitment:demand_list"],
    "/api/housing/apartments": LIST_PAGES["housing:apartment_list"],
    "/api/innovation/lecturers": LIST_PAGES["innovation:lecturer_list"],
    "/api/search": LIST_PAGES["search:page"],
    "/api/registry/timeline": LIST_PAGES["registry:timeline"],
}


def _client(world, name: str) -> Client:
    client = Client()
    client.force_login(getattr(world, name))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_list_pages_and_api_lists_per_role(world, persona):
    client = _client(world, persona)
    for url_name, allowed in LIST_PAGES.items():
        status = client.get(reverse(url_name)).status_code
        assert status == (200 if persona in allowed else 403), (url_name, persona, status)
    for url, allowed in API_LISTS.items():
        status = client.get(url).status_code
        assert status == (200 if persona in allowed else 403), (url, persona, status)


def _wallet_document(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from talentpark.core.context import ActionContext
    from talentpark.registry import wallet

    ctx = ActionContext(user=world.tina, role=world.tina.role, zone_id=None)
    pdf = SimpleUploadedFile("学位证.pdf", b"%PDF-1.7\n%%EOF\n")
    return wallet.upload_document(ctx, world.talent, pdf, kind="diploma")[0]


def _desk_records(world):
    """A request of tina with a part at dave's housing department, one of erin's enterprise, and
    bob's assignment of tina and visit to erin's enterprise."""
    from django.utils import timezone

    from talentpark.core.context import ActionContext
    from talentpark.desk import portfolio, services

    def ctx(user):
        return ActionContext(user=user, role=user.role, zone_id=user.zone_id)

    mine = services.file_request(
        ctx(world.tina),
        world.zone.pk,
        {"talent": world.talent, "title": "住房", "description": "住房", "category": "none"},
    )
    part = services.add_part(ctx(world.bob), mine, world.housing_dept.pk, "住房保障")
    theirs = services.file_request(
        ctx(world.erin),
        world.zone.pk,
        {"enterprise": world.enterprise, "title": "用工", "description": "用工", "category": "none"},
    )
    assignment = portfolio.assign(ctx(world.alice), world.talent, world.bob)
    visit = portfolio.record_visit(
        ctx(world.bob),
        world.enterprise,
        {"visited_on": timezone.localdate().isoformat(), "met_with": "王经理"},
    )
    return mine, part, theirs, assignment, visit


def _object_matrix(world):
    from talentpark.core.models import ScheduledJob

    job = ScheduledJob.objects.create(kind="test.job", zone=world.zone, cron="0 2 * * *")
    foreign_job = ScheduledJob.objects.create(kind="test.job", zone=world.other_zone, cron="0 2 * * *")
    doc = _wallet_document(world)
    mine, part, theirs, assignment, visit = _desk_records(world)
    t, ct, ft = world.talent.pk, world.carols_talent.pk, world.foreign_talent.pk
    e, oe, fe = world.enterprise.pk, world.other_enterprise.pk, world.foreign_enterprise.pk
    return [
        # (page url, api url or None, {persona: expected status}; default 404 for those with the
        # permission but outside their scope, 403 for those without the permission)
        (
            reverse("registry:talent_detail", args=[t]),
            f"/api/registry/talents/{t}",
            {"alice": 200, "bob": 200, "carol": 404, "dave": 404, "tina": 200},
            {"erin", "frank", "pat", "amy", "paul"},
        ),
        (  # 一码归集 of one talent: the same scope as her page
            reverse("registry:talent_timeline", args=[t]),
            f"/api/registry/talents/{t}/timeline",
            {"alice": 200, "bob": 200, "carol": 404, "dave": 404, "tina": 200},
            {"erin", "frank", "pat", "amy", "paul"},
        ),
        (
            reverse("registry:talent_detail", args=[ct]),
            f"/api/registry/talents/{ct}",
            {"alice": 200, "bob": 404, "carol": 200, "dave": 200, "tina": 404},
            {"erin", "frank", "pat", "amy", "paul"},
        ),
        (  # 一码归集 of one talent: the same scope as her page
            reverse("registry:talent_timeline", args=[ct]),
            f"/api/registry/talents/{ct}/timeline",
            {"alice": 200, "bob": 404, "carol": 200, "dave": 200, "tina": 404},
            {"erin", "frank", "pat", "amy", "paul"},
        ),
        (
            reverse("registry:talent_detail", args=[ft]),
            f"/api/registry/talents/{ft}",
            {"alice": 404, "bob": 404, "carol": 404, "dave": 404, "tina": 404},
            {"erin", "frank", "pat", "amy", "paul"},
        ),
        (  # 一码归集 of one talent: the same scope as her page
            reverse("registry:talent_timeline", args=[ft]),
            f"/api/registry/talents/{ft}/timeline",
            {"alice": 404, "bob": 404, "carol": 404, "dave": 404, "tina": 404},
            {"erin", "frank", "pat", "amy", "paul"},
        ),
        (
            reverse("registry:enterprise_detail", args=[e]),
            f"/api/registry/enterprises/{e}",
            {
                "alice": 200,
                "bob": 200,
                "carol": 200,
                "dave": 200,
                "erin": 200,
                "frank": 404,
                "tina": 200,
                "amy": 200,
                "paul": 200,
            },
            {"pat"},
        ),
        (
            reverse("registry:enterprise_detail", args=[fe]),
            f"/api/registry/enterprises/{fe}",
            {
                "alice": 404,
                "bob": 404,
                "carol": 404,
                "dave": 404,
                "erin": 404,
                "frank": 404,
                "tina": 404,
                "amy": 404,
                "paul": 404,  # the foreign zone lies in another province
            },
            {"pat"},
        ),
        (
            reverse("registry:enterprise_edit", args=[e]),
            None,
            {"alice": 200, "bob": 200, "carol": 404, "erin": 200, "frank": 404},
            {"dave", "tina", "pat", "amy", "paul"},
        ),
        (
            reverse("registry:enterprise_edit", args=[oe]),
            None,
            {"alice": 200, "bob": 404, "carol": 200, "erin": 404, "frank": 200},
            {"dave", "tina", "pat", "amy", "paul"},
        ),
        (  # 材料库: tina's document, for her and the staff whose scope covers her (registry/tests/test_wallet.py)
            reverse("registry:document_download", args=[doc.pk]),
            None,
            {"alice": 200, "bob": 200, "carol": 404, "dave": 404, "tina": 200},
            {"erin", "frank", "pat", "amy", "paul"},
        ),
        (
            reverse("core:job_detail", args=[job.pk]),
            None,
            {"alice": 200},
            {"bob", "carol", "dave", "erin", "frank", "tina", "pat", "amy", "paul"},
        ),
        (  # 一窗受理: tina's request, routed in part to dave's department
            reverse("desk:request_detail", args=[mine.pk]),
            None,
            {"alice": 200, "bob": 200, "carol": 404, "dave": 200, "erin": 404, "frank": 404, "tina": 200},
            {"pat", "amy", "paul"},
        ),
        (
            reverse("desk:part_detail", args=[part.pk]),
            None,
            {"alice": 302, "bob": 302, "carol": 404, "dave": 302, "erin": 404, "frank": 404, "tina": 302},
            {"pat", "amy", "paul"},
        ),
        (  # erin's enterprise's request: no department yet
            reverse("desk:request_detail", args=[theirs.pk]),
            None,
            {"alice": 200, "bob": 200, "carol": 404, "dave": 404, "erin": 200, "frank": 404, "tina": 404},
            {"pat", "amy", "paul"},
        ),
        (
            reverse("desk:assignment_detail", args=[assignment.pk]),
            None,
            {"alice": 200, "bob": 200, "carol": 404},
            {"dave", "erin", "frank", "tina", "pat", "amy", "paul"},
        ),
        (
            reverse("desk:visit_detail", args=[visit.pk]),
            None,
            {"alice": 200, "bob": 200, "carol": 404},
            {"dave", "erin", "frank", "tina", "pat", "amy", "paul"},
        ),
        (
            reverse("core:job_detail", args=[foreign_job.pk]),
            None,
            {"alice": 404},  # another zone's job
            {"bob", "carol", "dave", "erin", "frank", "tina", "pat", "amy", "paul"},
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_detail_pages_and_endpoints_per_role(world, persona):
    client = _client(world, persona)
    for page, api, expected, forbidden in _object_matrix(world):
        want = 403 if persona in forbidden else expected[persona]
        assert client.get(page).status_code == want, (page, persona)
        if api:
            assert client.get(api).status_code == want, (api, persona)


@pytest.mark.django_db
def test_changing_an_enterprise_through_the_api_follows_the_same_rules(world):
    url = f"/api/registry/enterprises/{world.enterprise.pk}"
    body = '{"address": "济宁高新区同济科技园1号"}'
    for persona, want in {
        "erin": 200,
        "frank": 404,
        "tina": 403,
        "alice": 200,
        "carol": 404,
        "pat": 403,
    }.items():
        status = _client(world, persona).patch(url, body, content_type="application/json").status_code
        assert status == want, (persona, status)


@pytest.mark.django_db
def test_anonymous_requests_are_sent_to_login_or_refused(world):
    client = Client()
    for url_name in LIST_PAGES:
        response = client.get(reverse(url_name))
        assert response.status_code == 302 and "/login/" in response["Location"], url_name
    for url in API_LISTS:
        assert client.get(url).status_code == 401, url


@pytest.mark.django_db
def test_parameters_are_the_system_administrators_alone(world):
    """参数管理 belongs to the 系统管理员 (a superuser, whatever her role), not to any business role:
    the office (alice) gets 403 on the list and on a parameter's page, the superuser 200."""
    from talentpark.accounts.models import User

    root = User.objects.create_user(
        "sysadmin", password="x-Secret-123", role="office", zone=world.alice.zone, is_superuser=True
    )
    pages = [reverse("core:parameter_list"), reverse("core:parameter_edit", args=["list.page_size"])]
    for persona in PERSONAS:
        for page in pages:
            assert _client(world, persona).get(page).status_code == 403, (persona, page)
    admin = Client()
    admin.force_login(root)
    for page in pages:
        assert admin.get(page).status_code == 200, page
    assert admin.get(reverse("core:parameter_edit", args=["no.such_key"])).status_code == 404
    home = _client(world, "alice").get(reverse("accounts:home")).content.decode()
    assert reverse("core:parameter_list") not in home and reverse("core:dictionary_list") in home
    assert reverse("core:parameter_list") in admin.get(reverse("accounts:home")).content.decode()


@pytest.mark.django_db
def test_only_a_partner_account_linked_to_an_institution_scans(world):
    """扫码核验 needs the partner role and a link to one of the zone's partners: pat before the link
    is refused like everyone else, after it she (and no other persona) sees the scan page."""
    from talentpark.talentcode.models import Partner, PartnerAccount

    scan = reverse("talentcode:scan")
    for persona in PERSONAS:
        assert _client(world, persona).get(scan).status_code == 403, persona
    hospital = Partner.objects.create(zone=world.zone, name="矩阵医院", kind=Partner.Kind.HOSPITAL)
    PartnerAccount.objects.create(zone=world.zone, user=world.pat, partner=hospital)
    for persona in PERSONAS:
        want = 200 if persona == "pat" else 403
        assert _client(world, persona).get(scan).status_code == want, persona


@pytest.mark.django_db
def test_partner_pages_are_the_offices_of_its_zone(world):
    """An institution, its window, service, account and a talent's code: the office of the zone
    sees each (200), the office of nobody else's zone does not (404), other roles are refused."""
    from talentpark.talentcode import services
    from talentpark.talentcode.models import GreenService, Partner, PartnerAccount, PartnerWindow

    pages = []
    for zone, want in ((world.zone, 200), (world.other_zone, 404)):
        hospital = Partner.objects.create(zone=zone, name="矩阵医院", kind=Partner.Kind.HOSPITAL)
        window = PartnerWindow.objects.create(zone=zone, partner=hospital, name="人才专窗")
        service = GreenService.objects.create(zone=zone, partner=hospital, name="优先挂号", tiers="ABC")
        pages += [
            (reverse("talentcode:partner_detail", args=[hospital.pk]), want),
            (reverse("talentcode:partner_edit", args=[hospital.pk]), want),
            (reverse("talentcode:window_new", args=[hospital.pk]), want),
            (reverse("talentcode:window_edit", args=[window.pk]), want),
            (reverse("talentcode:service_edit", args=[service.pk]), want),
            (reverse("talentcode:account_new", args=[hospital.pk]), want),
        ]
    account = PartnerAccount.objects.create(zone=world.zone, user=world.pat, partner=Partner.objects.first())
    code = services.code_for(world.talent)
    foreign = services.code_for(world.foreign_talent)
    pages += [
        (reverse("talentcode:account_edit", args=[account.pk]), 200),
        (reverse("talentcode:code_detail", args=[code.pk]), 200),
        (reverse("talentcode:code_detail", args=[foreign.pk]), 404),
    ]
    for persona in PERSONAS:
        client = _client(world, persona)
        for url, want in pages:
            status = client.get(url).status_code
            assert status == (want if persona == "alice" else 403), (url, persona, status)


def _registration(zone):
    from django.utils import timezone

    from talentpark.core.models import Industry
    from talentpark.registry.tests.factories import make_uscc
    from talentpark.signup.models import EnterpriseRegistration, PrivacyNotice

    notice = PrivacyNotice.objects.first() or PrivacyNotice.objects.create(
        version="t1", title="隐私政策", body="正文" * 20, effective_at=timezone.now()
    )
    return EnterpriseRegistration.objects.create(
        zone=zone,
        uscc=make_uscc(),
        name="矩阵测试有限公司",
        industry=Industry.objects.filter(level=Industry.Level.DIVISION).first(),
        contact_name="周敏",
        contact_phone="13605371234",
        username=f"matrix_{zone.pk}",
        notice=notice,
        consent_at=timezone.now(),
    )


# Registration pages (signup) and 找回密码: url name → status for a signed-in persona (all alike).
SIGNED_IN_PUBLIC_PAGES = {
    "signup:start": 302,  # already signed in: to her home
    "signup:talent": 302,
    "signup:enterprise": 302,
    "signup:done": 200,
    "signup:privacy": 200,
    "signup:privacy_accept": 302,  # nothing to accept: to her home
    "accounts:password_reset": 200,
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_registration_pages_and_review_per_role(world, persona):
    client = _client(world, persona)
    for url_name, want in SIGNED_IN_PUBLIC_PAGES.items():
        response = client.get(reverse(url_name))
        assert response.status_code == want, (url_name, persona, response.status_code)
        if want == 302:
            assert response["Location"] == reverse("accounts:home"), (url_name, persona)
    own, foreign = _registration(world.zone), _registration(world.other_zone)
    # the office decides registrations of her zone only; no reason given, so nothing is decided
    for reg, want in ((own, {"alice": 302}), (foreign, {"alice": 404})):
        url = reverse("signup:registration_review", args=[reg.pk])
        status = client.post(url, {"decision": "reject"}).status_code
        assert status == want.get(persona, 403), (persona, reg.zone_id, status)
        reg.refresh_from_db()
        assert reg.status == "pending"


@pytest.mark.django_db
def test_anonymous_visitors_reach_the_registration_pages_only(world):
    client = Client()
    for url_name in ("signup:start", "signup:talent", "signup:enterprise", "signup:done", "signup:privacy"):
        assert client.get(reverse(url_name)).status_code == 200, url_name
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    for url in (
        reverse("signup:privacy_accept"),
        reverse("signup:notice_list"),
        reverse("signup:registration_review", args=[_registration(world.zone).pk]),
    ):
        response = client.post(url) if "review" in url else client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


# 账号安全 (POST only): every signed-in persona manages her own authenticator. The data is chosen
# to change nothing lasting beyond the pending authenticator that otp_start creates. In order:
# otp_confirm finds the pending one and refuses the malformed code; otp_remove the wrong password.
OWN_TOTP_POSTS = [
    ("accounts:otp_start", {}, 302),  # back to 账号安全, showing the QR code
    ("accounts:otp_confirm", {"otp_token": "abc"}, 200),  # 账号安全 again, with the error
    ("accounts:otp_remove", {"password": "not-her-password"}, 200),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", PERSONAS)
def test_totp_pages_per_role(world, persona):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from talentpark.registry.tests.factories import UserFactory

    client = _client(world, persona)
    user = getattr(world, persona)
    for url_name, data, want in OWN_TOTP_POSTS:
        url = reverse(url_name)
        assert client.get(url).status_code == 405, (url_name, persona)
        status = client.post(url, data).status_code
        assert status == want, (url_name, persona, status)
    assert list(TOTPDevice.objects.filter(user=user).values_list("confirmed", flat=True)) == [False]
    # The office's reset of someone else's authenticator: hers alone, in her zone (404 outside it).
    # No reason given, so nothing is reset.
    own = UserFactory(username="matrix_own", role="specialist", zone=world.zone)
    far = UserFactory(username="matrix_far", role="specialist", zone=world.other_zone)
    for target, want in ((own, {"alice": 200}), (far, {"alice": 404})):
        TOTPDevice.objects.create(user=target, name="身份验证器", confirmed=True)
        url = reverse("accounts:user_otp_reset", args=[target.pk])
        assert client.get(url).status_code == want.get(persona, 403), (persona, target.username)
        status = client.post(url, {"reason": ""}).status_code
        assert status == want.get(persona, 403), (persona, target.username, status)
        assert TOTPDevice.objects.filter(user=target, confirmed=True).exists()


@pytest.mark.django_db(transaction=True)
def test_anonymous_visitors_are_sent_to_login_from_the_totp_pages(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    urls = [reverse(name) for name, _, _ in OWN_TOTP_POSTS]
    urls.append(reverse("accounts:user_otp_reset", args=[world.bob.pk]))
    for url in urls:
        response = client.post(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    assert not TOTPDevice.objects.exists()
