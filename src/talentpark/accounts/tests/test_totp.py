"""TOTP (django-otp): enrolment on 账号安全, the code step of signing in, required roles,
removal with the password, the office's reset, and the admin behind the same factor."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentpark.accounts import otp
from talentpark.core.models import AuditLog
from talentpark.registry.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the authenticator shows (``steps_ahead`` 30-second steps later: a code once used
    is refused, the next step's is accepted within the tolerance of one step)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(user: Any) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name=otp.DEVICE_NAME, confirmed=True)
    return device


def sign_in(client: Client, username: str) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def unthrottle(device: TOTPDevice) -> None:
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)


def test_enrolment_shows_a_qr_code_and_confirms_only_after_a_right_code(world):
    client = Client()
    client.force_login(world.tina)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "未启用" in page and "绑定身份验证器" in page
    assert client.get(reverse("accounts:otp_start")).status_code == 405  # starting writes: POST only
    client.post(reverse("accounts:otp_start"))
    device = TOTPDevice.objects.get(user=world.tina)
    assert not device.confirmed
    page = client.get(reverse("accounts:security")).content.decode()
    assert "<svg" in page and 'class="segno"' in page  # drawn on the server, no image host
    assert otp.secret_of(device) in page  # the secret to type when the camera cannot scan

    wrong = client.post(reverse("accounts:otp_confirm"), {"otp_token": "000000"})
    if code(device) == "000000":  # pragma: no cover - one chance in a million
        pytest.skip("the right code happened to be 000000")
    assert "验证码：不正确或已过期" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    throttled = client.post(reverse("accounts:otp_confirm"), {"otp_token": code(device)})
    assert "错误次数过多" in throttled.content.decode()  # the next try waits a second
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    unthrottle(device)
    letters = client.post(reverse("accounts:otp_confirm"), {"otp_token": "12ab56"})
    assert "请输入身份验证器显示的6位数字" in letters.content.decode()

    done = client.post(reverse("accounts:otp_confirm"), {"otp_token": code(device)})
    assert done.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert "已启用" in client.get(reverse("accounts:security")).content.decode()
    actions = list(AuditLog.objects.filter(actor=world.tina).values_list("action", "result"))
    assert ("account.otp.start", "success") in actions
    assert ("account.otp.enrol", "failure") in actions
    assert ("account.otp.enrol", "success") in actions


def test_a_user_with_an_authenticator_signs_in_in_two_steps(world):
    device = enrol(world.bob)
    client = Client()
    first = sign_in(client, "bob")
    assert first.status_code == 302 and first["Location"].startswith(reverse("accounts:otp_verify"))
    # Between the two steps nothing else opens: pages send back to the code, the API refuses.
    home = client.get(reverse("registry:talent_list"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("accounts:otp_verify"))
    assert "next=%2Fregistry%2Ftalent%2F" in home["Location"]
    api = client.get("/api/registry/talents")
    assert api.status_code == 403 and "验证码" in api.json()["detail"][0]["message"]
    assert client.get(reverse("accounts:security")).status_code == 302

    wrong = client.post(reverse("accounts:otp_verify"), {"otp_token": "12345"})
    assert "请输入身份验证器显示的6位数字" in wrong.content.decode()
    session_before = client.session.session_key
    done = client.post(
        reverse("accounts:otp_verify"), {"otp_token": code(device), "next": "/registry/talent/"}
    )
    assert done.status_code == 302 and done["Location"] == "/registry/talent/"
    assert client.session.session_key != session_before  # a new session id once verified
    assert client.get(reverse("registry:talent_list")).status_code == 200
    assert client.get("/api/registry/talents").status_code == 200

    # The same code is not accepted twice (a new sign-in needs the authenticator's next code).
    again = Client()
    sign_in(again, "bob")
    replay = again.post(reverse("accounts:otp_verify"), {"otp_token": code(device)})
    assert "不正确或已过期" in replay.content.decode()
    assert again.get(reverse("accounts:home")).status_code == 302


def test_wrong_codes_are_throttled_and_logged(world, settings):
    # A back-off long enough that a slow machine cannot outlast it between two requests (the
    # deployed factor is 1 second: 1, 2, 4 …); the test ends it with unthrottle().
    settings.OTP_TOTP_THROTTLE_FACTOR = 600
    device = enrol(world.bob)
    client = Client()
    sign_in(client, "bob")
    right = code(device)
    wrong = "999999" if right != "999999" else "888888"
    first = client.post(reverse("accounts:otp_verify"), {"otp_token": wrong})
    assert "不正确或已过期" in first.content.decode()
    second = client.post(reverse("accounts:otp_verify"), {"otp_token": right})
    assert "错误次数过多，请" in second.content.decode()  # even the right code waits
    assert client.get(reverse("accounts:home")).status_code == 302
    # The count lives on the device: a new session does not start afresh.
    other = Client()
    sign_in(other, "bob")
    assert "错误次数过多" in other.post(reverse("accounts:otp_verify"), {"otp_token": right}).content.decode()
    failures = AuditLog.objects.filter(actor=world.bob, action="account.otp.verify", result="failure")
    assert failures.count() == 3
    unthrottle(device)
    assert other.post(reverse("accounts:otp_verify"), {"otp_token": right}).status_code == 302
    assert other.get(reverse("accounts:home")).status_code == 200


def test_required_roles_enrol_right_after_the_password_and_can_do_nothing_else(world, settings):
    settings.TALENTPARK_OTP_REQUIRED_ROLES = frozenset({"office"})
    client = Client()
    first = sign_in(client, "alice")
    assert first.status_code == 302 and first["Location"].startswith(reverse("accounts:security"))
    for url in ("/", reverse("registry:talent_list"), reverse("accounts:password_change"), "/core/inbox/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("accounts:security")
        ), url
    assert client.get("/api/registry/talents").status_code == 403
    page = client.get(reverse("accounts:security")).content.decode()
    assert "您的账号须启用双因素认证" in page
    client.post(reverse("accounts:otp_start"))
    device = TOTPDevice.objects.get(user=world.alice)
    assert client.get("/").status_code == 302  # an unconfirmed device opens nothing
    done = client.post(reverse("accounts:otp_confirm"), {"otp_token": code(device), "next": "/"})
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").status_code == 200

    # From now on she verifies at every sign-in.
    again = Client()
    assert sign_in(again, "alice")["Location"].startswith(reverse("accounts:otp_verify"))
    assert again.get("/").status_code == 302
    again.post(reverse("accounts:otp_verify"), {"otp_token": code(device, 1)})
    assert again.get("/").status_code == 200

    # Roles not listed sign in with the password alone; so does everyone when the setting is empty.
    talent = Client()
    assert sign_in(talent, "tina")["Location"] == reverse("accounts:home")
    assert talent.get("/").status_code == 200


def test_superusers_always_need_the_second_factor(world, settings):
    settings.TALENTPARK_OTP_REQUIRED_ROLES = frozenset()
    settings.TALENTPARK_OTP_REQUIRED_FOR_SUPERUSERS = True
    UserFactory(username="root", role="office", zone=world.zone, is_staff=True, is_superuser=True)
    client = Client()
    assert sign_in(client, "root")["Location"].startswith(reverse("accounts:security"))
    assert client.get("/").status_code == 302


def test_removing_her_authenticator_needs_her_password(world, settings):
    device = enrol(world.alice)
    client = Client()
    sign_in(client, "alice")
    client.post(reverse("accounts:otp_verify"), {"otp_token": code(device)})
    refused = client.post(reverse("accounts:otp_remove"), {"password": "not-my-password"})
    assert "密码：不正确" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=world.alice).exists()
    assert client.post(reverse("accounts:otp_remove"), {"password": PASSWORD}).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.alice).exists()
    assert AuditLog.objects.filter(actor=world.alice, action="account.otp.remove").count() == 1
    assert client.get("/").status_code == 200  # not required for her role here: password alone
    # Where her role requires it, the next page is enrolment again.
    settings.TALENTPARK_OTP_REQUIRED_ROLES = frozenset({"office"})
    assert client.get("/")["Location"].startswith(reverse("accounts:security"))


def test_the_office_resets_a_lost_authenticator_with_a_reason(world):
    device = enrol(world.bob)
    bobs = Client()
    sign_in(bobs, "bob")
    bobs.post(reverse("accounts:otp_verify"), {"otp_token": code(device)})
    assert bobs.get("/").status_code == 200

    office = Client()
    office.force_login(world.alice)
    detail = office.get(reverse("accounts:user_detail", args=[world.bob.pk])).content.decode()
    url = reverse("accounts:user_otp_reset", args=[world.bob.pk])
    assert url in detail and "已启用" in detail
    assert "已绑定" in office.get(url).content.decode()
    no_reason = office.post(url, {"reason": "  "})
    assert "重置理由：必填" in no_reason.content.decode()
    assert TOTPDevice.objects.filter(user=world.bob).exists()
    done = office.post(url, {"reason": "本人来电，手机丢失"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.bob).exists()
    row = AuditLog.objects.get(action="account.otp.reset")
    assert row.actor == world.alice and row.object_id == str(world.bob.pk)
    assert row.reason == "本人来电，手机丢失" and row.after["reason"] == "本人来电，手机丢失"
    # His signed-in session lost its verified device: for his role he goes on with the password
    # (the code step finds no authenticator and lets him through).
    final = bobs.get("/", follow=True)
    assert final.status_code == 200 and final.redirect_chain[-1][0] == reverse("accounts:home")
    assert bobs.get("/").status_code == 200
    assert "未启用" in office.get(reverse("accounts:user_detail", args=[world.bob.pk])).content.decode()


def test_only_the_office_resets_and_only_in_its_zone(world):
    url = reverse("accounts:user_otp_reset", args=[world.bob.pk])
    for persona in ("bob", "dave", "erin", "tina", "pat", "amy", "paul"):
        client = Client()
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 403, persona
        assert client.post(url, {"reason": "x"}).status_code == 403, persona
    stranger = UserFactory(username="far", role="office", zone=world.other_zone)
    client = Client()
    client.force_login(stranger)
    assert client.post(url, {"reason": "x"}).status_code == 404
    bob = Client()
    bob.force_login(world.bob)
    assert reverse("accounts:user_otp_reset", args=[world.bob.pk]) not in bob.get("/").content.decode()


def test_the_admin_is_no_way_around_the_second_factor(world, settings):
    root = UserFactory(username="root", role="office", zone=world.zone, is_staff=True, is_superuser=True)
    device = enrol(root)
    client = Client()
    client.force_login(root)  # the password alone, however it was given
    response = client.get("/admin/")
    assert response.status_code == 302 and not response["Location"].startswith("/admin/")
    assert client.get("/admin/accounts/user/").status_code == 302
    # The admin's own login form is the product's two-step login.
    anonymous = Client().get("/admin/login/?next=/admin/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("accounts:login"))
    client.post(reverse("accounts:otp_verify"), {"otp_token": code(device)})
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    # A staff account without any authenticator never gets in, even where its role does not require one.
    plain = UserFactory(username="plainstaff", role="specialist", zone=world.zone, is_staff=True)
    client = Client()
    client.force_login(plain)
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_the_login_log_and_the_online_session_follow_the_code_step(world, settings):
    from talentpark.accounts.models import LoginEvent, UserSession

    device = enrol(world.alice)
    client = Client()
    assert sign_in(client, "alice")["Location"].startswith(reverse("accounts:otp_verify"))
    # The password alone is not a sign-in: no 登录成功 yet.
    assert not LoginEvent.objects.filter(user=world.alice, kind=LoginEvent.Kind.LOGIN).exists()
    wrong = "000001" if code(device) != "000001" else "000002"
    client.post(reverse("accounts:otp_verify"), {"otp_token": wrong})
    failed = LoginEvent.objects.get(user=world.alice, kind=LoginEvent.Kind.FAILED)
    assert failed.detail == "验证码错误"
    unthrottle(device)
    assert client.post(reverse("accounts:otp_verify"), {"otp_token": code(device, 1)}).status_code == 302
    login = LoginEvent.objects.get(user=world.alice, kind=LoginEvent.Kind.LOGIN)
    assert login.detail == "验证码通过"
    # The session key was renewed at the code step; the 在线用户 row names the new one.
    row = UserSession.objects.get(user=world.alice, ended_at__isnull=True)
    assert row.session_key == client.session.session_key


def _wrong(device: TOTPDevice) -> str:
    """A code the authenticator does not show now, nor one step before or after (the tolerance)."""
    near = {code(device, step) for step in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in near)


def _wrong_codes(client: Client, device: TOTPDevice, n: int) -> list[int]:
    statuses = []
    for _ in range(n):
        unthrottle(device)  # django-otp's back-off is a separate guard: this counts the lockout
        statuses.append(
            client.post(reverse("accounts:otp_verify"), {"otp_token": _wrong(device)}).status_code
        )
    return statuses


def test_wrong_codes_count_toward_the_login_lockout_and_the_right_code_is_refused_during_it(world):
    from talentpark.accounts.models import LoginEvent
    from talentpark.core import parameters

    K = LoginEvent.Kind
    limit = int(parameters.value("login.failure_limit"))
    device = enrol(world.bob)
    client = Client()
    assert sign_in(client, "bob").status_code == 302
    assert _wrong_codes(client, device, limit) == [200] * (limit - 1) + [429]  # the limit-th locks
    unthrottle(device)
    refused = client.post(reverse("accounts:otp_verify"), {"otp_token": code(device)})
    assert refused.status_code == 429
    assert "账号已临时锁定" in refused.content.decode()  # the password step's lockout page
    assert client.get(reverse("accounts:home"))["Location"].startswith(reverse("accounts:otp_verify"))
    assert not LoginEvent.objects.filter(user=world.bob, kind=K.LOGIN).exists()
    # One 登录失败 row per attempt, the lock once, then the refusal.
    rows = list(LoginEvent.objects.filter(user=world.bob).order_by("pk").values_list("kind", "detail"))
    assert rows[:limit] == [(K.FAILED, "验证码错误")] * limit
    assert rows[limit][0] == K.LOCKED
    assert rows[limit + 1 :] == [(K.FAILED, "账号锁定期间的登录尝试，已拒绝")]
    # The same lock holds at the password step.
    assert sign_in(Client(), "bob").status_code == 429
    # What axes keeps of the attempts shows no code (the refused one was the right one).
    from axes.models import AccessAttempt

    kept = "".join(AccessAttempt.objects.filter(username="bob").values_list("post_data", flat=True))
    assert "otp_token=****" in kept and code(device) not in kept and _wrong(device) not in kept


def test_signing_in_again_with_the_password_does_not_clear_the_wrong_codes(world):
    from talentpark.core import parameters

    limit = int(parameters.value("login.failure_limit"))
    device = enrol(world.bob)
    first = Client()
    sign_in(first, "bob")
    assert _wrong_codes(first, device, limit - 1) == [200] * (limit - 1)
    second = Client()
    assert sign_in(second, "bob")["Location"].startswith(reverse("accounts:otp_verify"))
    assert _wrong_codes(second, device, 1) == [429]


def test_the_right_code_clears_the_failures(world):
    from talentpark.core import parameters

    limit = int(parameters.value("login.failure_limit"))
    device = enrol(world.bob)
    client = Client()
    sign_in(client, "bob")
    assert _wrong_codes(client, device, limit - 1) == [200] * (limit - 1)
    unthrottle(device)
    assert client.post(reverse("accounts:otp_verify"), {"otp_token": code(device)}).status_code == 302
    again = Client()
    sign_in(again, "bob")
    assert _wrong_codes(again, device, limit - 1) == [200] * (limit - 1)  # counted afresh
