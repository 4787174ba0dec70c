"""Everything shown is Chinese and local: Beijing time, labels not codes, names not usernames,
offline API docs, a Chinese CSRF page.

Personas (see conftest): alice office (display name set below) · tina talent · bob specialist.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from talentpark.accounts.models import User
from talentpark.core import audit, log_labels
from talentpark.core.context import ActionContext
from talentpark.core.models import PIIAccessLog
from talentpark.registry.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2]


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_user_pages_show_beijing_time(world) -> None:
    # 2026-03-01 23:30 UTC is 2026-03-02 07:30 in Asia/Shanghai
    User.objects.filter(pk=world.bob.pk).update(last_login=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC))
    html = _client(world.alice).get(reverse("accounts:user_detail", args=[world.bob.pk])).content.decode()
    assert "2026-03-02 07:30" in html
    assert "23:30" not in html


def test_the_audit_log_shows_labels_names_and_the_object(world) -> None:
    User.objects.filter(pk=world.alice.pk).update(display_name="艾丽丝")
    alice = User.objects.get(pk=world.alice.pk)
    from django.db import transaction

    with transaction.atomic():
        audit.record(
            ActionContext(user=alice, role=alice.role, zone_id=world.zone.pk),
            "enterprise.update",
            world.enterprise,
            before={"name": "旧"},
            after={"name": "新"},
        )
    html = _client(alice).get(reverse("core:audit_list")).content.decode()
    row = html[html.index("<tbody>") :]
    assert "修改企业信息" in row and "enterprise.update" not in row
    assert "人才办管理员" in row and ">office<" not in row
    assert "企业：济宁测试重工股份有限公司" in row
    assert "艾丽丝" in row and ">alice<" not in row
    # the record's own history names the person too
    detail = _client(alice).get(reverse("registry:enterprise_detail", args=[world.enterprise.pk]))
    history = detail.content.decode()
    assert "艾丽丝" in history and "修改企业信息" in history


def test_the_pi_access_log_names_fields_in_chinese(world) -> None:
    PIIAccessLog.objects.create(
        zone_id=world.zone.pk,
        actor=world.alice,
        actor_name="alice",
        role="office",
        subject_type="registry.person",
        subject_id=str(world.talent.person_id),
        subject_repr="唐娜",
        field="id_number",
        reason="核验身份",
        granted=True,
    )
    PIIAccessLog.objects.create(
        zone_id=world.zone.pk,
        actor=world.alice,
        actor_name="alice",
        role="office",
        subject_type="registry:talent",
        subject_id="export",
        subject_repr="人才库导出",
        field="id_number,phone",
        reason="年度统计",
        granted=True,
    )
    html = _client(world.alice).get(reverse("core:pii_access_list")).content.decode()
    row = html[html.index("<tbody>") :]
    assert "身份证号" in row and "身份证号、手机号码" in row
    assert "id_number" not in row and ">phone<" not in row
    assert "自然人：唐娜" in row


def test_every_recorded_action_has_a_chinese_label() -> None:
    """Scans the services for audit.record(ctx, "<action>", ...) calls; each action needs a label."""
    pattern = re.compile(r'audit\.record\(\s*[^,]+,\s*"([a-z_.]+)"')
    found = set()
    for path in SRC.rglob("*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path):
            continue
        found.update(pattern.findall(path.read_text(encoding="utf-8")))
    assert {"talent.register", "enterprise.update", "policy.claim.approve"} <= found  # the scan works
    missing = sorted(a for a in found if a not in log_labels.ACTION_LABELS)
    assert not missing, f"add these actions to core/log_labels.py ACTION_LABELS: {missing}"


def test_api_docs_load_from_vendored_files_only(world) -> None:
    User.objects.filter(pk=world.alice.pk).update(is_staff=True)
    response = _client(User.objects.get(pk=world.alice.pk)).get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert not re.search(r"(?:src|href)=[\"'](?:https?:)?//", html), "the docs page loads from another host"
    assets = re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    static = SRC / "static"
    for asset in assets:
        assert (static / asset.removeprefix("/static/")).is_file(), asset
    vendor = next(static.glob("vendor/swagger-ui-dist-*"))
    assert (vendor / "LICENSE").is_file() and "Apache License" in (vendor / "LICENSE").read_text()


def test_a_csrf_failure_is_a_chinese_page() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期，请刷新后重试" in html
    assert "CSRF verification failed" not in html and "Forbidden" not in html
