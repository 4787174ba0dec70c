"""The password policy: length, character classes, no reuse of the last five, staff expiry,
and every role changing her own password."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentpark.accounts import passwords
from talentpark.accounts.models import PasswordHistory, User
from talentpark.core.models import AuditLog
from talentpark.demo.writer import DEMO_PASSWORD
from talentpark.registry.tests.factories import PASSWORD, UserFactory


def _errors(password: str, user: User | None = None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


@pytest.mark.django_db
def test_a_password_needs_the_minimum_length(world, settings):
    assert any("至少需要10个字符" in e for e in _errors("Ab1!xyz", world.alice))
    assert _errors("Ab1!xyzwvq", world.alice) == []  # exactly ten
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "talentpark.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}}
    ]
    assert any("至少需要12个字符" in e for e in _errors("Ab1!xyzwvq", world.alice))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("harbourlights", False),  # small letters only
        ("harbourlights7", False),  # two classes
        ("HARBOUR-LIGHTS", False),  # capitals and a symbol: two
        ("Harbourlights7", True),  # three
        ("harbour-lights7", True),  # three, with a symbol
        ("海港灯火harbour7", True),  # Chinese characters count as "other"
        ("Harbour-Lights7", True),  # four
    ],
)
def test_a_password_needs_three_of_four_character_classes(world, password, ok):
    errors = [e for e in _errors(password, world.alice) if "至少3类" in e]
    assert (errors == []) is ok, (password, errors)


@pytest.mark.django_db
def test_the_demo_and_test_passwords_meet_the_policy(world):
    demo_user = User(username="jn_office", display_name="王建国", role="office")
    assert _errors(DEMO_PASSWORD, demo_user) == []
    assert _errors(PASSWORD) == []
    assert passwords.character_classes(DEMO_PASSWORD) == 4


@pytest.mark.django_db
def test_none_of_the_last_five_passwords_again(world):
    user = world.bob
    seq = [f"Harbour-{n}-Lights" for n in range(7)]
    user.set_password(seq[0])
    user.save()
    for n in range(1, 5):
        assert _errors(seq[n], user) == []
        user.set_password(seq[n])
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 5
    # Now the last five are seq[4] (the current one) … seq[0]: every one of them is refused.
    for old in seq[:5]:
        assert any("不能使用最近5次用过的密码" in e for e in _errors(old, user)), old
    user.set_password(seq[5])
    user.save()
    assert _errors(seq[0], user) == []  # six changes ago: allowed again
    assert any("最近5次" in e for e in _errors(seq[1], user))
    # The history keeps hashes, never the passwords.
    assert not PasswordHistory.objects.filter(password__contains="Harbour").exists()


@pytest.mark.django_db(transaction=True)
def test_a_user_whose_password_was_never_recorded_cannot_reuse_the_current_one(world):
    client = Client()
    client.force_login(world.erin)
    url = reverse("accounts:password_change")
    same = client.post(url, {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert same.status_code == 200 and "不能使用最近5次用过的密码" in same.content.decode()


ROLES_CHANGING = ["alice", "bob", "dave", "erin", "tina", "pat", "amy", "paul"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", ROLES_CHANGING)
def test_every_role_reaches_password_change_from_the_navigation_and_succeeds(world, persona):
    client = Client()
    client.force_login(getattr(world, persona))
    url = reverse("accounts:password_change")
    home = client.get("/").content.decode()
    assert f'href="{url}"' in home, persona  # in her navigation
    assert f'href="{reverse("accounts:security")}"' in home, persona
    assert client.get(url).status_code == 200
    assert client.get(reverse("accounts:security")).status_code == 200
    new = "Brand-New-Pass-7"
    short = client.post(url, {"old_password": PASSWORD, "new_password1": "Ab1!", "new_password2": "Ab1!"})
    assert "新密码：" in short.content.decode() and "至少需要10个字符" in short.content.decode()
    done = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.status_code == 302, persona
    user = User.objects.get(pk=getattr(world, persona).pk)
    assert user.check_password(new)
    assert PasswordHistory.objects.filter(user=user).count() == 1
    assert AuditLog.objects.filter(actor=user, action="account.password_change").count() == 1
    assert client.get("/").status_code == 200  # still signed in


def _age(user: User, days: int) -> None:
    PasswordHistory.objects.create(user=user, password=user.password)
    PasswordHistory.objects.filter(user=user).update(created_at=timezone.now() - dt.timedelta(days=days))


@pytest.mark.django_db(transaction=True)
def test_an_expired_staff_password_must_be_changed_before_anything_else(world):
    _age(world.bob, 91)
    client = Client()
    first = client.post(reverse("accounts:login"), {"username": "bob", "password": PASSWORD})
    change = reverse("accounts:password_change")
    assert first.status_code == 302 and first["Location"].startswith(change)
    for url in ("/", reverse("registry:talent_list"), reverse("accounts:security")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(change), url
    assert client.get("/api/registry/talents").status_code == 403
    page = client.get(change).content.decode()
    assert "您的密码已超过有效期" in page
    new = "Harbour-Lights-91"
    done = client.post(change, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert client.get("/").status_code == 200
    assert not passwords.expired(User.objects.get(pk=world.bob.pk))


@pytest.mark.django_db
def test_expiry_applies_to_staff_after_the_set_number_of_days(world, settings):
    for persona in ("alice", "bob", "dave", "tina", "erin", "amy"):
        _age(getattr(world, persona), 89)
    assert not any(passwords.expired(getattr(world, p)) for p in ("alice", "bob", "dave"))
    for persona in ("alice", "bob", "dave", "tina", "erin", "amy"):
        _age(getattr(world, persona), 91)
    assert all(passwords.expired(getattr(world, p)) for p in ("alice", "bob", "dave"))
    assert not any(passwords.expired(getattr(world, p)) for p in ("tina", "erin", "amy"))  # not staff
    settings.TALENTPARK_PASSWORD_MAX_AGE_DAYS = 120
    assert not passwords.expired(world.alice)
    settings.TALENTPARK_PASSWORD_MAX_AGE_DAYS = 0  # off
    assert not passwords.expired(world.alice)


@pytest.mark.django_db
def test_without_a_recorded_change_the_password_counts_from_the_account_or_the_migration(world):
    # The demo generator creates accounts in bulk (no history): they are not expired at once.
    fresh = UserFactory(username="fresh_office", role="office", zone=world.zone)
    assert not PasswordHistory.objects.filter(user=fresh).exists()
    assert not passwords.expired(fresh)
    # An account older than the history counts from the migration that introduced it.
    User.objects.filter(pk=fresh.pk).update(date_joined=timezone.now() - dt.timedelta(days=400))
    fresh.refresh_from_db()
    assert passwords.changed_at(fresh) >= timezone.now() - dt.timedelta(days=1)
    assert not passwords.expired(fresh)
    assert passwords.expired(fresh, now=timezone.now() + dt.timedelta(days=91))
