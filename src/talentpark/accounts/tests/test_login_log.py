"""登录日志: every sign-in, failure, lock and logout recorded (IP, browser, zone), searchable and
exportable by the office of the zone, never with the password typed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentpark.accounts.models import LoginEvent, User, UserSession
from talentpark.core import parameters
from talentpark.core.models import AuditLog
from talentpark.registry.tests.factories import PASSWORD

UA = "Mozilla/5.0 (Windows NT 10.0) TalentParkTest/1.0"
K = LoginEvent.Kind


def _client(ip: str = "10.16.1.2") -> Client:
    return Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=UA)


def _post(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _events():
    return list(LoginEvent.objects.order_by("pk"))


def _no_password_anywhere(password: str) -> None:
    for e in LoginEvent.objects.all():
        for value in (e.username, e.ip, e.user_agent, e.detail):
            assert password not in value


@pytest.mark.django_db(transaction=True)
def test_a_sign_in_is_recorded_with_ip_browser_user_and_zone(world):
    client = _client()
    assert _post(client, "bob", PASSWORD).status_code == 302
    [event] = _events()
    assert (event.kind, event.username, event.user, event.zone) == (K.LOGIN, "bob", world.bob, world.zone)
    assert (event.ip, event.user_agent) == ("10.16.1.2", UA)
    _no_password_anywhere(PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_a_talents_sign_in_belongs_to_the_zone_of_her_record(world):
    assert world.tina.zone_id is None
    assert _post(_client(), "tina", PASSWORD).status_code == 302
    assert LoginEvent.objects.get(kind=K.LOGIN).zone == world.zone


@pytest.mark.django_db(transaction=True)
def test_failures_are_recorded_with_the_name_typed_and_never_the_password(world):
    _post(_client(), "alice", "Wrong-Guess-123")
    _post(_client("10.9.9.9"), "nobody\r\nINJECTED", "Another-Guess-456")
    known, unknown = _events()
    assert (known.kind, known.user, known.zone, known.detail) == (
        K.FAILED,
        world.alice,
        world.zone,
        "密码错误",
    )
    assert (unknown.kind, unknown.user, unknown.zone) == (K.FAILED, None, None)
    assert unknown.username == "nobodyINJECTED"  # no CR/LF in the log (AUD-7)
    assert (unknown.ip, unknown.detail) == ("10.9.9.9", "用户名不存在")
    _no_password_anywhere("Wrong-Guess-123")
    _no_password_anywhere("Another-Guess-456")


@pytest.mark.django_db(transaction=True)
def test_the_failure_that_reaches_the_limit_locks_once_and_later_attempts_are_refusals(world):
    client = _client()
    for _ in range(parameters.value("login.failure_limit")):
        _post(client, "alice", "Wrong-Guess-123")
    assert _post(client, "alice", PASSWORD).status_code == 429  # the right password, during the lock
    kinds = [e.kind for e in _events()]
    assert kinds == [K.FAILED] * parameters.value("login.failure_limit") + [K.LOCKED, K.FAILED]
    locked = LoginEvent.objects.get(kind=K.LOCKED)
    assert (locked.user, locked.zone, locked.ip, locked.user_agent) == (
        world.alice,
        world.zone,
        "10.16.1.2",
        UA,
    )
    assert str(parameters.value("login.failure_limit")) in locked.detail
    assert "锁定期间" in _events()[-1].detail
    _no_password_anywhere(PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_logout_is_recorded_and_ends_the_session_row(world):
    client = _client()
    _post(client, "bob", PASSWORD)
    row = UserSession.objects.get(user=world.bob)
    assert row.ended_at is None and (row.ip, row.user_agent) == ("10.16.1.2", UA)
    client.post(reverse("accounts:logout"))
    assert [e.kind for e in _events()] == [K.LOGIN, K.LOGOUT]
    row.refresh_from_db()
    assert row.ended_at is not None and row.end_reason == UserSession.End.LOGOUT


@pytest.mark.django_db(transaction=True)
def test_a_failing_log_write_never_breaks_a_sign_in(world):
    client = _client()
    with (
        mock.patch.object(LoginEvent.objects, "create", side_effect=RuntimeError("disk full")),
        mock.patch.object(UserSession.objects, "create", side_effect=RuntimeError("disk full")),
    ):
        assert _post(client, "bob", PASSWORD).status_code == 302
        assert client.get(reverse("accounts:home")).status_code == 200
    assert "_auth_user_id" in client.session
    assert not LoginEvent.objects.exists()


# -- the page ------------------------------------------------------------------------------


def _at(day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 11, day, hour, 0))


def _seed(world) -> None:
    rows = [
        (K.LOGIN, world.bob, "10.16.1.5", _at(3)),
        (K.FAILED, world.carol, "10.16.2.7", _at(4)),
        (K.LOGOUT, world.bob, "223.99.1.1", _at(5, 23)),  # 23:00 Beijing time is still the 5th
        (K.LOCKED, world.dave, "10.16.2.8", _at(6)),
    ]
    for kind, user, ip, at in rows:
        LoginEvent.objects.create(
            at=at, kind=kind, user=user, username=user.username, zone=world.zone, ip=ip, user_agent=UA
        )
    foreign = User.objects.create(username="zhang_other", role="office", zone=world.other_zone)
    LoginEvent.objects.create(
        at=_at(4), kind=K.LOGIN, user=foreign, username="zhang_other", zone=world.other_zone
    )
    LoginEvent.objects.create(at=_at(4), kind=K.FAILED, username="ghost")  # no zone: no office's


def _names(response) -> list[str]:
    return [e.username for e in response.context["page"].object_list]


@pytest.mark.django_db
def test_the_office_searches_its_zones_log_by_name_kind_ip_and_dates(world):
    _seed(world)
    client = Client()
    client.force_login(world.alice)  # her own sign-in is recorded too
    url = reverse("accounts:loginlog_list")
    everything = _names(client.get(url))
    assert set(everything) == {"alice", "bob", "carol", "dave"}  # never the other zone, nor "ghost"
    assert set(_names(client.get(url, {"q": "bo"}))) == {"bob"}
    assert _names(client.get(url, {"kind": "locked"})) == ["dave"]
    assert set(_names(client.get(url, {"ip": "10.16.2."}))) == {"carol", "dave"}
    assert _names(client.get(url, {"from": "2026-11-04", "to": "2026-11-05"})) == ["bob", "carol"]
    assert _names(client.get(url, {"to": "2026-11-03"})) == ["bob"]
    page = client.get(url, {"from": "2026-13-45"})  # no date: ignored, never a 500
    assert page.status_code == 200 and set(_names(page)) == set(everything)
    body = client.get(url).content.decode()
    assert 'type="date" name="from"' in body and 'name="ip"' in body


@pytest.mark.django_db
def test_another_zones_event_is_not_found(world):
    _seed(world)
    theirs = LoginEvent.objects.get(zone=world.other_zone)
    client = Client()
    client.force_login(world.alice)
    assert client.get(reverse("accounts:loginlog_detail", args=[theirs.pk])).status_code == 404
    mine = LoginEvent.objects.get(kind=K.LOCKED)
    assert client.get(reverse("accounts:loginlog_detail", args=[mine.pk])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_export_streams_the_filtered_log_with_the_full_browser_and_is_audited(world):
    _seed(world)
    long_agent = UA + " " + "X" * 120
    LoginEvent.objects.filter(kind=K.LOCKED).update(user_agent=long_agent)
    client = Client()
    client.force_login(world.alice)
    response = client.post(reverse("accounts:loginlog_export"), {"format": "csv", "ip": "10.16.2."})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["时间", "类型", "登录名", "姓名", "角色", "来源IP", "浏览器", "说明"]
    assert sorted(r[2] for r in rows[1:]) == ["carol", "dave"]
    assert long_agent in text
    audit = AuditLog.objects.get(action="export")
    assert audit.actor == world.alice and audit.after["list"] == "accounts.loginlog"
    assert audit.after["filter"] == {"ip": "10.16.2."} and audit.after["rows"] == 2
    xlsx = client.post(reverse("accounts:loginlog_export"), {"format": "xlsx"})
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
