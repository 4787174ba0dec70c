"""``/talentcode/keys.json``: anonymous, cacheable, public material only."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentpark.core.context import ActionContext
from talentpark.talentcode import keys, tokens


@pytest.mark.django_db
def test_key_list_is_public_cacheable_and_verifies_tokens():
    key = keys.active_key()
    now = int(timezone.now().timestamp())
    text = tokens.issue(issuer="demo-zone", talent_code=tokens.new_talent_code_id(), now=now)
    keys.rotate(ActionContext.system("测试"))
    url = reverse("talentcode:keys")
    assert url == "/talentcode/keys.json"
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"  # a browser verifier on another origin
    assert "Access-Control-Allow-Credentials" not in response
    body = json.loads(response.content)
    assert set(body) == {"keys", "issued_at"}
    assert [set(k) for k in body["keys"]] == [{"kid", "alg", "x", "status", "not_after"}] * 2
    assert keys.private_key(keys.active_key()) not in response.content
    assert "sealed" not in response.content.decode() and "v1:aesgcm" not in response.content.decode()
    # what a verifier downloads is all it needs
    assert tokens.verify(text, keys=body, now=now).kid == key.kid


@pytest.mark.django_db
def test_unchanged_list_answers_304_and_only_get_is_allowed():
    keys.active_key()
    client = Client()
    first = client.get("/talentcode/keys.json")
    again = client.get("/talentcode/keys.json", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    keys.rotate(ActionContext.system("测试"))
    changed = client.get("/talentcode/keys.json", headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert client.head("/talentcode/keys.json").status_code == 200
    assert client.post("/talentcode/keys.json").status_code == 405  # never a write


@pytest.mark.django_db
def test_no_key_yet_is_an_empty_list_and_makes_none():
    body = json.loads(Client().get("/talentcode/keys.json").content)
    assert body["keys"] == []
    from talentpark.talentcode.models import SigningKey

    assert not SigningKey.objects.exists()
