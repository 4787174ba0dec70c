"""在线用户 and the session limits: 强制下线 ends a session at its next request; idle and absolute
limits per role (staff and public), under a controlled clock (no sleeps)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from talentpark.accounts import sessions
from talentpark.accounts.models import LoginEvent, User, UserSession
from talentpark.accounts.roles import Role
from talentpark.core.models import AuditLog
from talentpark.registry.tests.factories import PASSWORD

UA = "Mozilla/5.0 (iPhone) TalentParkTest/2.0"


class Clock:
    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: Any) -> Clock:
    c = Clock()
    monkeypatch.setattr(timezone, "now", c)
    return c


def _signed_in(username: str, ip: str = "10.16.5.6") -> Client:
    client = Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=UA)
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def _home(client: Client) -> Any:
    return client.get(reverse("accounts:home"))


def _on_login_page(response: Any, client: Client) -> str:
    assert response.status_code == 302 and response["Location"].startswith("/login/"), response
    return client.get(response["Location"]).content.decode()


# -- 强制下线 --------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_office_forces_a_session_out_and_its_next_request_lands_on_the_login_page(world):
    bob = _signed_in("bob")
    alice = _signed_in("alice", ip="10.16.0.1")
    assert _home(bob).status_code == 200
    page = alice.get(reverse("accounts:session_list"))
    rows = {s.user.username: s for s in page.context["page"].object_list}
    assert set(rows) == {"alice", "bob"}
    body = page.content.decode()
    assert "10.16.5.6" in body and "TalentParkTest/2.0" in body and "当前会话" in body
    assert rows["bob"].session_key not in body  # the session key is never shown

    response = alice.post(reverse("accounts:usersession_end", args=[rows["bob"].pk]))
    assert response.status_code == 302
    row = UserSession.objects.get(pk=rows["bob"].pk)
    assert (row.end_reason, row.ended_by) == (UserSession.End.FORCED, world.alice)
    assert row.ended_at is not None
    event = LoginEvent.objects.get(kind=LoginEvent.Kind.FORCED)
    assert (event.user, event.zone, event.ip, event.user_agent) == (world.bob, world.zone, "10.16.5.6", UA)
    assert "alice" in event.detail
    audit = AuditLog.objects.get(action="session.force_logout")
    assert (audit.actor, audit.object_id, audit.ip) == (world.alice, str(row.pk), "10.16.0.1")

    assert "强制下线" in _on_login_page(_home(bob), bob)  # the next request: anonymous, and told why
    assert "_auth_user_id" not in bob.session
    # Her row is gone from the list; alice's own session goes on.
    assert {
        s.user.username for s in alice.get(reverse("accounts:session_list")).context["page"].object_list
    } == {"alice"}


@pytest.mark.django_db(transaction=True)
def test_another_zones_office_neither_sees_nor_ends_the_session(world):
    User.objects.create_user("zhang", password=PASSWORD, role=Role.OFFICE, zone=world.other_zone)
    bob = _signed_in("bob")
    other = _signed_in("zhang")
    row = UserSession.objects.get(user=world.bob)
    listed = other.get(reverse("accounts:session_list")).context["page"].object_list
    assert [s.user.username for s in listed] == ["zhang"]
    assert other.post(reverse("accounts:usersession_end", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.ended_at is None
    assert _home(bob).status_code == 200
    assert not AuditLog.objects.filter(action="session.force_logout").exists()


@pytest.mark.django_db(transaction=True)
def test_roles_without_the_permission_cannot_end_a_session(world):
    _signed_in("carol")
    bob = _signed_in("bob")
    row = UserSession.objects.get(user=world.carol)
    assert bob.post(reverse("accounts:usersession_end", args=[row.pk])).status_code == 403
    row.refresh_from_db()
    assert row.ended_at is None


@pytest.mark.django_db(transaction=True)
def test_the_office_cannot_force_out_her_own_session_nor_end_one_twice(world):
    alice = _signed_in("alice")
    own = UserSession.objects.get(user=world.alice)
    page = alice.post(reverse("accounts:usersession_end", args=[own.pk]), follow=True)
    assert "不能强制下线自己当前的登录" in page.content.decode()
    own.refresh_from_db()
    assert own.ended_at is None
    _signed_in("bob")
    theirs = UserSession.objects.get(user=world.bob)
    alice.post(reverse("accounts:usersession_end", args=[theirs.pk]))
    again = alice.post(reverse("accounts:usersession_end", args=[theirs.pk]), follow=True)
    assert "该会话已结束" in again.content.decode()
    assert AuditLog.objects.filter(action="session.force_logout").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_row_ended_behind_a_sessions_back_logs_it_out_at_the_next_refresh(world, clock):
    """A forced logout racing a request (the session saved again after its deletion) still ends it."""
    bob = _signed_in("bob")
    UserSession.objects.filter(user=world.bob).update(ended_at=clock.now, end_reason=UserSession.End.FORCED)
    assert _home(bob).status_code == 200  # within the minute: nothing read
    clock.advance(seconds=sessions.REFRESH + 1)
    assert "强制下线" in _on_login_page(_home(bob), bob)


# -- limits -------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_staff_session_idle_past_30_minutes_is_logged_out_and_a_talents_is_not(world, clock):
    bob, tina = _signed_in("bob"), _signed_in("tina")
    clock.advance(minutes=29)
    assert _home(bob).status_code == 200 and _home(tina).status_code == 200  # activity: 29 min idle at most
    clock.advance(minutes=31)
    assert _home(tina).status_code == 200  # 31 minutes idle: within the public 120
    body = _on_login_page(_home(bob), bob)
    assert "长时间未操作" in body
    event = LoginEvent.objects.get(kind=LoginEvent.Kind.TIMEOUT)
    assert (event.user, event.zone, event.ip, event.user_agent) == (world.bob, world.zone, "10.16.5.6", UA)
    assert "30分钟" in event.detail
    row = UserSession.objects.get(user=world.bob)
    assert row.end_reason == UserSession.End.IDLE and row.ended_at == clock.now
    assert not LoginEvent.objects.filter(kind=LoginEvent.Kind.LOGOUT).exists()  # a timeout, not a logout
    clock.advance(minutes=121)
    assert "长时间未操作" in _on_login_page(_home(tina), tina)
    assert UserSession.objects.get(user=world.tina).end_reason == UserSession.End.IDLE


@pytest.mark.django_db(transaction=True)
def test_the_absolute_limit_ends_an_active_session_8_hours_for_staff_72_for_the_public(world, clock):
    bob, erin = _signed_in("bob"), _signed_in("erin")
    for _ in range(24):  # active every 20 minutes for 8 hours
        clock.advance(minutes=20)
        assert _home(bob).status_code == 200
        assert _home(erin).status_code == 200
    clock.advance(minutes=1)
    assert "8小时" in _on_login_page(_home(bob), bob)
    assert UserSession.objects.get(user=world.bob).end_reason == UserSession.End.ABSOLUTE
    assert "8小时" in LoginEvent.objects.get(kind=LoginEvent.Kind.TIMEOUT, user=world.bob).detail
    assert _home(erin).status_code == 200  # an enterprise's HR: 72 hours
    for _ in range(64 * 3):
        clock.advance(minutes=20)
        _home(erin)
    clock.advance(minutes=1)
    assert "72小时" in _on_login_page(_home(erin), erin)
    assert UserSession.objects.get(user=world.erin).end_reason == UserSession.End.ABSOLUTE


@pytest.mark.django_db(transaction=True)
def test_limits_are_read_through_limits_for(world, clock):
    assert sessions.limits_for(world.bob) == sessions.Limits(dt.timedelta(minutes=30), dt.timedelta(hours=8))
    assert sessions.limits_for(world.paul) == sessions.Limits(
        dt.timedelta(minutes=120), dt.timedelta(hours=72)
    )
    bob = _signed_in("bob")
    clock.advance(minutes=6)
    with override_settings(TALENTPARK_SESSION_IDLE_MINUTES_STAFF=5):
        assert sessions.limits_for(world.bob).idle == dt.timedelta(minutes=5)
        assert "长时间未操作" in _on_login_page(_home(bob), bob)


@pytest.mark.django_db(transaction=True)
def test_last_activity_is_written_at_most_once_a_minute(world, clock):
    bob = _signed_in("bob")
    row = UserSession.objects.get(user=world.bob)

    def writes() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert _home(bob).status_code == 200
        return sum(q["sql"].lstrip().upper().startswith("UPDATE") for q in captured.captured_queries)

    _home(bob)
    clock.advance(seconds=30)
    assert writes() == 0
    clock.advance(seconds=31)
    assert writes() == 2  # the row's last activity and the session's
    row.refresh_from_db()
    assert row.last_seen_at == clock.now
    clock.advance(seconds=59)
    assert writes() == 0


@pytest.mark.django_db(transaction=True)
def test_the_online_list_leaves_out_sessions_past_their_limits(world, clock):
    _signed_in("bob")
    _signed_in("tina")
    alice = _signed_in("alice")
    clock.advance(minutes=20)
    alice.get(reverse("accounts:home"))  # alice is active; bob and tina are not
    clock.advance(minutes=11)
    names = {s.user.username for s in alice.get(reverse("accounts:session_list")).context["page"].object_list}
    assert "bob" not in names and "alice" in names
    tina_row = UserSession.objects.get(user=world.tina)
    assert tina_row.zone == world.zone  # a talent's session belongs to the zone of her record
    assert "tina" in names
    filtered = alice.get(reverse("accounts:session_list"), {"role": "talent"}).context["page"].object_list
    assert [s.user.username for s in filtered] == ["tina"]
    assert alice.get(reverse("accounts:session_list"), {"role": "nonsense"}).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_new_session_id_at_login_and_the_row_follows_a_password_change(world):
    client = Client()
    client.get(reverse("accounts:login"))
    client.cookies["sessionid"] = "stale-anonymous-key"
    client.post(reverse("accounts:login"), {"username": "bob", "password": PASSWORD})
    row = UserSession.objects.get(user=world.bob)
    assert row.session_key == client.session.session_key != "stale-anonymous-key"
    new = "Brand-New-Pass-2026!"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    changed = client.session.session_key
    assert _home(client).status_code == 200
    row.refresh_from_db()
    assert row.session_key == changed  # 强制下线 still reaches the session after its key changed


# -- a session waiting for its code ----------------------------------------------------------


def _awaiting_code(username: str) -> tuple[Client, Any]:
    """A client past the password of an account with an authenticator, not yet past its code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.get(username=username)
    device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)
    client = Client(REMOTE_ADDR="10.16.5.6", HTTP_USER_AGENT=UA)
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:otp_verify")), response
    return client, device


def _right_code(device: Any) -> str:
    from django_otp.oath import TOTP

    device.refresh_from_db()
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


@pytest.mark.django_db(transaction=True)
def test_a_session_waiting_for_its_code_is_held_to_the_idle_limit(world, clock):
    client, device = _awaiting_code("bob")
    with override_settings(TALENTPARK_SESSION_IDLE_MINUTES_STAFF=2):  # below the code step's 5 minutes
        clock.advance(minutes=1)
        assert client.get(reverse("accounts:otp_verify")).status_code == 200  # still waiting
        clock.advance(minutes=3)
        assert "长时间未操作" in _on_login_page(_home(client), client)  # not sent on to the code page
        late = client.post(reverse("accounts:otp_verify"), {"otp_token": _right_code(device)})
    assert late["Location"].startswith("/login/")  # back to the password step
    assert "_auth_user_id" not in client.session
    assert UserSession.objects.get(user=world.bob).end_reason == UserSession.End.IDLE
    assert "2分钟" in LoginEvent.objects.get(kind=LoginEvent.Kind.TIMEOUT).detail
    assert not LoginEvent.objects.filter(kind=LoginEvent.Kind.LOGIN).exists()


@pytest.mark.django_db(transaction=True)
def test_a_session_waiting_for_its_code_is_held_to_the_absolute_limit(world):
    client, _ = _awaiting_code("bob")
    session = client.session  # the stored clock: signed in with the password 8 hours and a minute ago
    session[sessions.LOGIN_AT] = (timezone.now() - dt.timedelta(hours=8, minutes=1)).timestamp()
    session.save()
    response = client.get("/api/registry/talents")  # the API too: timed out, not told to give a code
    assert response.status_code == 401
    assert UserSession.objects.get(user=world.bob).end_reason == UserSession.End.ABSOLUTE


@pytest.mark.django_db(transaction=True)
def test_the_code_must_follow_the_password_within_five_minutes(world, clock):
    client, device = _awaiting_code("bob")
    clock.advance(minutes=4)
    assert client.get(reverse("accounts:otp_verify")).status_code == 200  # active, within the 30 idle
    clock.advance(minutes=2)
    late = client.post(reverse("accounts:otp_verify"), {"otp_token": _right_code(device)})
    assert "5分钟内未输入验证码" in _on_login_page(late, client)
    assert "_auth_user_id" not in client.session
    event = LoginEvent.objects.get(kind=LoginEvent.Kind.TIMEOUT)
    assert (event.user, event.detail) == (world.bob, "5分钟内未输入验证码")
    assert UserSession.objects.get(user=world.bob).end_reason == UserSession.End.IDLE
    # Signed in again, with the code in time: the limit no longer applies once the code is given.
    again = Client(REMOTE_ADDR="10.16.5.6", HTTP_USER_AGENT=UA)
    again.post(reverse("accounts:login"), {"username": "bob", "password": PASSWORD})
    clock.advance(minutes=4)
    assert again.post(reverse("accounts:otp_verify"), {"otp_token": _right_code(device)}).status_code == 302
    clock.advance(minutes=10)
    assert _home(again).status_code == 200
