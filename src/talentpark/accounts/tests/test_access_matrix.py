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
    "signup:registration_list": {"alice"},  # 企业注册审核
    "signup:notice_list": {"alice"},  # 隐私政策版本 (publishing: signup/tests/test_signup.py)
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


def _object_matrix(world):
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
        (
            reverse("registry:talent_detail", args=[ct]),
            f"/api/registry/talents/{ct}",
            {"alice": 200, "bob": 404, "carol": 200, "dave": 200, "tina": 404},
            {"erin", "frank", "pat", "amy", "paul"},
        ),
        (
            reverse("registry:talent_detail", args=[ft]),
            f"/api/registry/talents/{ft}",
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
