"""Login: hashed passwords, throttling against guessing, no user enumeration."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from talentpark.registry.tests.factories import PASSWORD


def _post(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_a_right_password_signs_in_and_lands_on_the_role_home(world):
    client = Client()
    response = _post(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert "工作台" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_passwords_are_stored_hashed(world):
    world.alice.set_password("Another-Pass-2026")
    assert world.alice.password.startswith(("argon2$", "pbkdf2_sha256$", "md5$"))
    assert "Another-Pass-2026" not in world.alice.password
    assert settings.PASSWORD_HASHERS[-2].endswith("Argon2PasswordHasher") or settings.PASSWORD_HASHERS[
        0
    ].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_even_for_the_right_password(world):
    client = Client()
    for _ in range(settings.TALENTPARK_LOGIN_FAILURE_LIMIT - 1):
        assert _post(client, "alice", "wrong-guess").status_code == 200
    assert _post(client, "alice", "wrong-guess").status_code == 429  # the 5th failure locks
    locked = _post(client, "alice", PASSWORD)
    assert locked.status_code == 429
    assert "账号已临时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def _without_csrf(html: bytes) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.decode())
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", text)


@pytest.mark.django_db
def test_unknown_users_and_wrong_passwords_get_the_same_answer(world):
    unknown = _post(Client(), "nobody-here", "whatever-1")
    wrong = _post(Client(), "alice", "whatever-1")
    assert unknown.status_code == wrong.status_code == 200
    assert _without_csrf(unknown.content).replace("nobody-here", "X") == _without_csrf(wrong.content).replace(
        "alice", "X"
    )


@pytest.mark.django_db
def test_hr_home_lists_only_its_own_open_positions(world):
    import datetime as dt

    from talentpark.recruitment.models import Position

    def job(enterprise, title, status):
        return Position.objects.create(
            zone=world.zone,
            enterprise=enterprise,
            title=title,
            category="rnd",
            min_degree="21",
            salary_min=6000,
            salary_max=9000,
            status=status,
            published_on=dt.date(2026, 10, 1),
        )

    job(world.enterprise, "液压工程师", "open")
    job(world.enterprise, "已招满岗位", "closed")
    job(world.other_enterprise, "别家岗位", "open")
    client = Client()
    client.force_login(world.erin)
    html = client.get("/").content.decode()
    assert "液压工程师" in html and "已招满岗位" not in html and "别家岗位" not in html


@pytest.mark.django_db(transaction=True)
def test_a_successful_sign_in_clears_the_failures(world):
    """Without an authenticator the password completes the sign-in and clears the count (with
    one, the code does: accounts/tests/test_totp.py)."""
    limit = settings.TALENTPARK_LOGIN_FAILURE_LIMIT
    client = Client()
    for _ in range(limit - 1):
        assert _post(client, "alice", "wrong-guess").status_code == 200
    assert _post(client, "alice", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(limit - 1):
        assert _post(client, "alice", "wrong-guess").status_code == 200  # counted afresh
    assert _post(client, "alice", PASSWORD).status_code == 302
