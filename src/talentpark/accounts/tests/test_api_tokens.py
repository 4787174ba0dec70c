"""API tokens: issued once, stored hashed, expire, revocable, audited."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from talentpark.accounts.models import APIToken
from talentpark.accounts.services import revoke_api_token
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog


def _get(key: str):
    return Client().get("/api/registry/enterprises", headers={"Authorization": f"Bearer {key}"})


@pytest.mark.django_db
def test_the_command_prints_a_key_once_and_stores_only_its_hash(world):
    out = io.StringIO()
    call_command("issue_api_token", "erin", "ERP 同步", stdout=out)
    key = out.getvalue().strip()
    token = APIToken.objects.get()
    assert key.startswith("tp_") and len(key) > 40
    assert token.key_hash == APIToken.hash_key(key) and key not in (token.prefix + token.key_hash)
    assert _get(key).status_code == 200
    assert AuditLog.objects.filter(action="api_token.issue").count() == 1


@pytest.mark.django_db
def test_expired_and_revoked_tokens_are_refused(world):
    out = io.StringIO()
    call_command("issue_api_token", "erin", "x", stdout=out)
    key = out.getvalue().strip()
    token = APIToken.objects.get()
    APIToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _get(key).status_code == 401
    APIToken.objects.filter(pk=token.pk).update(expires_at=None)
    assert _get(key).status_code == 200
    revoke_api_token(ActionContext.system("test"), token)
    assert _get(key).status_code == 401


@pytest.mark.django_db
def test_unknown_users_get_a_chinese_error(world):
    with pytest.raises(CommandError, match="用户不存在"):
        call_command("issue_api_token", "nobody", "x")


def _patch(client: Client, enterprise, body: dict, **headers: str):
    return client.patch(
        f"/api/registry/enterprises/{enterprise.pk}",
        json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


@pytest.mark.django_db(transaction=True)
def test_a_bearer_token_client_writes_without_csrf(code_tables, world):
    _, key = APIToken.issue(world.erin, "ERP 同步")
    client = Client(enforce_csrf_checks=True)  # no cookie, no CSRF token: a server-to-server client
    r = _patch(client, world.enterprise, {"short_name": "测试重工"}, Authorization=f"Bearer {key}")
    assert r.status_code == 200, r.content
    world.enterprise.refresh_from_db()
    assert world.enterprise.short_name == "测试重工"
    assert AuditLog.objects.filter(action="enterprise.update", actor=world.erin).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_session_still_needs_the_csrf_token_and_is_told_so_in_chinese(code_tables, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.erin)
    r = _patch(client, world.enterprise, {"short_name": "测试重工"})
    assert r.status_code == 403
    assert r.json() == {"detail": [{"field": "__all__", "message": "安全校验失败（CSRF），请刷新页面后重试"}]}
    world.enterprise.refresh_from_db()
    assert world.enterprise.short_name == ""
    client.get("/")  # sets the csrftoken cookie, as the page a browser came from did
    token = client.cookies["csrftoken"].value
    r = _patch(client, world.enterprise, {"short_name": "测试重工"}, **{"X-CSRFToken": token})
    assert r.status_code == 200, r.content


@pytest.mark.django_db
def test_a_bearer_header_never_falls_back_to_the_session(world):
    client = Client()
    client.force_login(world.erin)
    r = client.get("/api/registry/enterprises", headers={"Authorization": "Bearer tp_wrong"})
    assert r.status_code == 401
    assert r.json()["detail"][0]["message"] == "请先登录或提供有效的访问令牌"
