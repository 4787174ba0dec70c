"""The API: session and token auth, pagination, masked PII, Chinese errors naming the field."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from talentpark.accounts.models import APIToken
from talentpark.registry.tests.factories import TalentFactory


@pytest.fixture
def alice_client(world):
    client = Client()
    client.force_login(world.alice)
    return client


@pytest.mark.django_db
def test_lists_are_paginated_and_capped(world, alice_client):
    for _ in range(5):
        TalentFactory(zone=world.zone, employer=world.enterprise)
    body = alice_client.get("/api/registry/talents?page=2&page_size=3").json()
    assert body["count"] == 7 and body["page"] == 2 and len(body["items"]) == 3
    assert alice_client.get("/api/registry/talents?page_size=100000").json()["page_size"] == 200


@pytest.mark.django_db
def test_personal_data_is_masked_in_api_answers(world, alice_client):
    item = alice_client.get(f"/api/registry/talents/{world.talent.pk}").json()
    assert item["phone"].count("*") == 4 and item["id_number"].count("*") == 11
    plain = world.talent.person.phone.plaintext_for_processing()
    assert plain not in json.dumps(alice_client.get("/api/registry/talents").json())


@pytest.mark.django_db
def test_a_bearer_token_authenticates_and_a_wrong_one_does_not(world):
    _, key = APIToken.issue(world.erin, "ERP sync")
    client = Client()
    ok = client.get("/api/registry/enterprises", headers={"Authorization": f"Bearer {key}"})
    assert ok.status_code == 200 and [e["id"] for e in ok.json()["items"]] == [world.enterprise.pk]
    bad = client.get("/api/registry/enterprises", headers={"Authorization": "Bearer tp_wrong"})
    assert bad.status_code == 401
    assert bad.json()["detail"][0]["message"] == "请先登录或提供有效的访问令牌"


@pytest.mark.django_db
def test_bad_input_gets_422_with_the_field_and_a_chinese_reason(world):
    client = Client()
    client.force_login(world.erin)
    url = f"/api/registry/enterprises/{world.enterprise.pk}"
    r = client.patch(
        url, json.dumps({"uscc": "91370811MA3C4D5E0X", "employee_count": 5}), content_type="application/json"
    )
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail[0]["field"] == "uscc" and detail[0]["message"].startswith("统一社会信用代码：")
    world.enterprise.refresh_from_db()
    assert world.enterprise.employee_count == 0  # nothing half-saved


@pytest.mark.django_db
def test_mass_assignment_is_refused_by_the_schema(world):
    client = Client()
    client.force_login(world.erin)
    r = client.patch(
        f"/api/registry/enterprises/{world.enterprise.pk}",
        json.dumps({"is_key": False}),
        content_type="application/json",
    )
    assert r.status_code == 422
    assert r.json()["detail"][0] == {"field": "is_key", "message": "is_key：不允许提交该字段"}


@pytest.mark.django_db
def test_malformed_json_and_bad_query_params_are_not_500(world, alice_client):
    r = alice_client.patch(
        f"/api/registry/enterprises/{world.enterprise.pk}", "{not json", content_type="application/json"
    )
    assert r.status_code in (400, 422)
    assert alice_client.get("/api/registry/talents?page=abc").status_code == 422
    assert alice_client.get("/api/registry/talents?degree=zzz&chain=1%27--").status_code == 200


@pytest.mark.django_db
def test_openapi_schema_lists_the_registry_endpoints(world):
    client = Client()
    world.alice.is_staff = True
    world.alice.save()
    client.force_login(world.alice)
    schema = client.get("/api/openapi.json").json()
    assert "/api/registry/talents" in schema["paths"]
    assert "/api/registry/enterprises/{pk}" in schema["paths"]


@pytest.mark.django_db
def test_filtering_by_chain_lists_each_talent_once(world, alice_client):
    from talentpark.registry.models import ChainRole, EnterpriseChainRole, IndustryChain

    a = IndustryChain.objects.create(zone=world.zone, code="auto", name="汽车及零部件")
    b = IndustryChain.objects.create(zone=world.zone, code="digital", name="数字经济")
    for chain in (a, b):  # one enterprise in two chains must not duplicate its talents
        EnterpriseChainRole.objects.create(
            zone=world.zone, enterprise=world.enterprise, chain=chain, role=ChainRole.SUPPORTING
        )
    body = alice_client.get(f"/api/registry/talents?chain={a.pk}").json()
    assert [i["name"] for i in body["items"]] == ["唐娜"] and body["count"] == 1
    ents = alice_client.get(f"/api/registry/enterprises?role={ChainRole.SUPPORTING}").json()
    assert [e["id"] for e in ents["items"]] == [world.enterprise.pk]


@pytest.mark.django_db
def test_record_pages_link_talent_employer_chain_and_back(world, alice_client):
    from django.urls import reverse

    from talentpark.registry.models import ChainRole, EnterpriseChainRole, IndustryChain, Platform

    chain = IndustryChain.objects.create(zone=world.zone, code="machinery", name="工程机械及智能装备")
    EnterpriseChainRole.objects.create(
        zone=world.zone, enterprise=world.enterprise, chain=chain, role=ChainRole.CHAIN_MASTER
    )
    platform = Platform.objects.create(
        zone=world.zone,
        name="重工院士工作站",
        kind="academician",
        level="provincial",
        enterprise=world.enterprise,
        chain=chain,
    )
    enterprise_url = reverse("registry:enterprise_detail", args=[world.enterprise.pk])
    chain_url = reverse("registry:chain_detail", args=[chain.pk])
    talent_html = alice_client.get(reverse("registry:talent_detail", args=[world.talent.pk])).content.decode()
    assert f'href="{enterprise_url}"' in talent_html and f'href="{chain_url}"' in talent_html
    ent_html = alice_client.get(enterprise_url).content.decode()
    assert f'href="{chain_url}"' in ent_html and "链主企业" in ent_html
    assert f'href="{reverse("registry:platform_detail", args=[platform.pk])}"' in ent_html
    chain_html = alice_client.get(chain_url).content.decode()
    assert f'href="{enterprise_url}"' in chain_html
