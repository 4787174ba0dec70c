"""Pages: Chinese first, masked PII, history for staff, security headers, nothing off-site."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from talentpark.core.models import AuditLog


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_suite_runs_on_the_configured_database():
    url = __import__("os").environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


@pytest.mark.django_db
def test_a_talent_page_shows_masked_numbers_and_no_store(world):
    response = _client(world.alice).get(reverse("registry:talent_detail", args=[world.talent.pk]))
    html = response.content.decode()
    person = world.talent.person
    assert person.phone.plaintext_for_processing() not in html
    assert person.id_number.plaintext_for_processing() not in html
    assert str(person.phone) in html and str(person.id_number) in html
    assert response["Cache-Control"] == "no-store"
    assert "查看完整个人信息" in html  # alice may unmask, with a reason


@pytest.mark.django_db
def test_unmasking_on_the_page_needs_a_reason_and_is_logged(world):
    client = _client(world.bob)
    url = reverse("registry:talent_unmask", args=[world.talent.pk])
    shown = client.post(url, {"field": "phone", "reason": "核实联系方式"})
    assert world.talent.person.phone.plaintext_for_processing() in shown.content.decode()
    assert client.post(url, {"field": "phone", "reason": ""}).status_code == 403
    assert client.get(url).status_code == 405  # no state change (a log row) via GET


@pytest.mark.django_db
def test_staff_see_a_records_history_and_talents_do_not(world):
    _client(world.erin).post(
        reverse("registry:enterprise_edit", args=[world.enterprise.pk]),
        {
            "name": world.enterprise.name,
            "uscc": world.enterprise.uscc,
            "scale": "medium",
            "industry": world.enterprise.industry_id,
            "employee_count": "88",
            "address": "科苑路8号",
        },
    )
    assert AuditLog.objects.filter(action="enterprise.update").count() == 1
    html = (
        _client(world.alice)
        .get(reverse("registry:enterprise_detail", args=[world.enterprise.pk]))
        .content.decode()
    )
    # the history names the person (display name), not her username
    assert "变更记录" in html and "科苑路8号" in html and world.erin.display_name in html
    talent_view = _client(world.tina).get(reverse("registry:enterprise_detail", args=[world.enterprise.pk]))
    assert "变更记录" not in talent_view.content.decode()


@pytest.mark.django_db
def test_a_bad_edit_shows_chinese_errors_and_saves_nothing(world):
    response = _client(world.erin).post(
        reverse("registry:enterprise_edit", args=[world.enterprise.pk]),
        {
            "name": "",
            "uscc": "123",
            "scale": "medium",
            "industry": "9999",
            "employee_count": "-3",
            "contact_phone": "12345",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    for message in (
        "企业名称：不能为空",
        "统一社会信用代码：应为18位",
        "所属行业：",
        "职工人数：应为不小于0的整数",
        "联系电话：",
    ):
        assert message in html
    world.enterprise.refresh_from_db()
    assert world.enterprise.name and world.enterprise.employee_count == 0


@pytest.mark.django_db
def test_every_response_carries_security_headers(world):
    client = _client(world.alice)
    for url in ("/", reverse("registry:talent_list"), "/api/registry/talents", reverse("accounts:login")):
        response = client.get(url)
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_pages_load_nothing_from_other_hosts(world):
    client = _client(world.alice)
    for url in (
        "/",
        reverse("registry:talent_list"),
        reverse("registry:enterprise_list"),
        reverse("accounts:login"),
    ):
        html = client.get(url).content.decode()
        for ref in re.findall(r'(?:src|href|action)="([^"]+)"', html):
            assert not re.match(r"^(https?:)?//", ref), (url, ref)


@pytest.mark.django_db
def test_lists_filter_and_paginate(world):
    client = _client(world.alice)
    html = client.get(reverse("registry:talent_list") + "?q=唐").content.decode()
    assert "唐娜" in html and "柯然" not in html
    assert "共 1 条" in html
    page = client.get(reverse("registry:enterprise_list") + "?page=999&scale=nonsense")
    assert page.status_code == 200


@pytest.mark.django_db
def test_english_is_a_switchable_second_language(world):
    client = _client(world.alice)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert 'lang="en"' in html and "Workbench" in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "工作台" in client.get("/").content.decode()


@pytest.mark.django_db
def test_chinese_comes_first_whatever_the_browser_asks(world):
    client = _client(world.alice)
    html = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert 'lang="zh-CN"' in html and "工作台" in html


def test_times_are_shown_in_beijing_time():
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ


@pytest.mark.django_db
def test_the_stylesheet_is_served_from_this_site(world):
    html = _client(world.alice).get("/").content.decode()
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', html)[1]
    response = Client().get(href)
    assert response.status_code == 200
    assert b".topbar" in b"".join(response.streaming_content) if response.streaming else response.content
