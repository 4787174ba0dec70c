"""The partner API: verify then record, with a bearer token, as a hospital's system would."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from talentpark.accounts.models import APIToken
from talentpark.core.models import PIIAccessLog
from talentpark.talentcode import services
from talentpark.talentcode.models import Scan, ServiceRecord
from talentpark.talentcode.tests.test_partner_flow import consent, desk  # noqa: F401  # fixture

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user):
    _, secret = APIToken.issue(user, "医院HIS对接")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _post(client, url, body):
    response = client.post(url, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_verify_then_record_then_replay_is_409(world, desk):  # noqa: F811
    consent(world, ("tier", "name"))
    api = _client(world.pat)
    issued = services.current_token(world.talent)
    status, body = _post(
        api, "/api/talentcode/verify", {"code": issued.token, "window_id": desk["window"].pk}
    )
    assert status == 200 and body["valid"] is True and body["tier"] == "B", body
    assert body["fields"] == {"姓名": world.talent.person.name}
    offered = {o["name"]: o for o in body["offers"]}
    assert offered["优先挂号"]["entitled"] and not offered["专家会诊"]["entitled"]
    assert Scan.objects.get(pk=body["scan_id"]).method == Scan.Method.API
    assert PIIAccessLog.objects.filter(subject_id=str(world.talent.pk), field="name").count() == 1

    url = f"/api/talentcode/scans/{body['scan_id']}/services"
    status, done = _post(api, url, {"service_id": desk["green"].pk, "note": "已挂号"})
    assert status == 200 and done["service"] == "优先挂号"
    again = _post(api, "/api/talentcode/verify", {"code": issued.short_code})[1]
    status, replay = _post(
        api, f"/api/talentcode/scans/{again['scan_id']}/services", {"service_id": desk["green"].pk}
    )
    assert status == 409 and replay["code"] == "replay" and "不能重复使用" in replay["detail"][0]["message"]
    assert ServiceRecord.objects.count() == 1


def test_invalid_code_is_a_logged_200_and_bad_input_names_the_field(world, desk):  # noqa: F811
    api = _client(world.pat)
    status, body = _post(api, "/api/talentcode/verify", {"code": "12345678"})
    assert status == 200 and body["valid"] is False and "数字码" in body["message"]
    assert Scan.objects.get(pk=body["scan_id"]).outcome == "short_code"
    status, body = _post(api, "/api/talentcode/verify", {"kode": "x"})
    assert status == 422 and {d["field"] for d in body["detail"]} >= {"code", "kode"}
    status, body = _post(api, "/api/talentcode/verify", {"code": "x", "window_id": 999999})
    assert status == 400 and "办理窗口" in body["detail"][0]["message"]


def test_record_refusals_change_nothing(world, desk):  # noqa: F811
    api = _client(world.pat)
    issued = services.current_token(world.talent)
    scan_id = _post(api, "/api/talentcode/verify", {"code": issued.token})[1]["scan_id"]
    url = f"/api/talentcode/scans/{scan_id}/services"
    status, body = _post(api, url, {"service_id": desk["green"].pk})  # no consent yet
    assert status == 403 and "未授权" in body["detail"][0]["message"]
    status, body = _post(api, url, {"service_id": 999999})
    assert status == 400 and body["detail"][0]["field"] == "service_id"
    assert _post(api, "/api/talentcode/scans/999999/services", {"service_id": desk["green"].pk})[0] == 404
    assert ServiceRecord.objects.count() == 0


def test_only_partner_accounts_and_the_rate_limit_is_429(world, desk, settings):  # noqa: F811
    assert _post(_client(world.tina), "/api/talentcode/verify", {"code": "12345678"})[0] == 403
    assert _post(Client(), "/api/talentcode/verify", {"code": "12345678"})[0] == 401
    settings.TALENTPARK_TALENTCODE_SCAN_LIMIT = 2
    api = _client(world.pat)
    codes = [_post(api, "/api/talentcode/verify", {"code": "12345678"})[0] for _ in range(3)]
    assert codes == [200, 200, 429]
    assert Scan.objects.filter(outcome="rate_limited").count() == 1
