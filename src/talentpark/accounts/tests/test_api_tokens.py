"""API tokens: issued once, stored hashed, expire, revocable, audited."""

from __future__ import annotations

import datetime as dt
import io

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
