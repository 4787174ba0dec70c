"""The password policy (等保 level 3 身份鉴别): validators with Chinese messages, history, expiry.

* ``MinimumLengthValidator`` — at least ``TALENTPARK_PASSWORD_MIN_LENGTH`` characters (10).
* ``CharacterClassesValidator`` — at least three of: capital letters, small letters, digits,
  other characters.
* ``PasswordHistoryValidator`` — none of the user's last five passwords (the current one
  included). Django calls its ``password_changed`` whenever a password is set and saved
  (``set_password`` + ``save``: every service, form, the admin and ``createsuperuser``), which
  writes a ``PasswordHistory`` row: so the history is written wherever a password is set, and no
  service can forget it.
* ``expired(user)`` — a staff account's password older than ``TALENTPARK_PASSWORD_MAX_AGE_DAYS``
  (90; 0 = never). A user with no recorded change counts from her account's creation or from the
  migration that introduced the history, whichever is later (the demo's accounts start fresh).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from talentpark.accounts.roles import STAFF_ROLES

HISTORY_MIGRATION = ("accounts", "0005_password_history")


class MinimumLengthValidator:
    def __init__(self, min_length: int = 10) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                ngettext(
                    "密码太短：至少需要%(min)d个字符",
                    "密码太短：至少需要%(min)d个字符",
                    self.min_length,
                )
                % {"min": self.min_length},
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return ngettext("至少%(min)d个字符", "至少%(min)d个字符", self.min_length) % {"min": self.min_length}


def character_classes(password: str) -> int:
    """How many of the four classes (A–Z, a–z, 0–9, anything else) the password uses."""
    return sum(
        (
            any("A" <= c <= "Z" for c in password),
            any("a" <= c <= "z" for c in password),
            any(c.isdigit() for c in password),
            any(not (c.isascii() and c.isalnum()) for c in password),
        )
    )


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                gettext("密码须包含大写字母、小写字母、数字、其他符号中的至少%(n)d类")
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return gettext("包含大写字母、小写字母、数字、其他符号中的至少%(n)d类") % {"n": self.min_classes}


class PasswordHistoryValidator:
    def __init__(self, count: int = 5) -> None:
        self.count = count

    def _recent_hashes(self, user: Any) -> list[str]:
        from talentpark.accounts.models import PasswordHistory

        hashes = [user.password] if user.password else []
        for h in PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count]:
            if h not in hashes:
                hashes.append(h)
        return hashes[: self.count]

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        if any(check_password(password, h) for h in self._recent_hashes(user)):
            raise ValidationError(
                gettext("不能使用最近%(n)d次用过的密码") % {"n": self.count}, code="password_reused"
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        """Django calls this after a new password is saved: remember its hash (and only 20 of them)."""
        from talentpark.accounts.models import PasswordHistory

        if user is None or not user.pk:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[20:]
        if stale:
            PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self) -> str:
        return gettext("不能与最近%(n)d次用过的密码相同") % {"n": self.count}


@functools.cache
def _baseline() -> dt.datetime:
    """When the password history began (the migration's time): the oldest date a password can have."""
    row = MigrationRecorder.Migration.objects.filter(
        app=HISTORY_MIGRATION[0], name=HISTORY_MIGRATION[1]
    ).first()
    return row.applied if row else timezone.now()


def changed_at(user: Any) -> dt.datetime:
    """When the user's password was last set, as far as we know."""
    from talentpark.accounts.models import PasswordHistory

    last = PasswordHistory.objects.filter(user=user).values_list("created_at", flat=True).first()
    if last is not None:
        return last
    return max(user.date_joined, _baseline())


def expires(user: Any) -> bool:
    """Is the user's password held to the maximum age (staff accounts)?"""
    return bool(user.role in STAFF_ROLES or user.is_staff or user.is_superuser)


def expired(user: Any, now: dt.datetime | None = None) -> bool:
    days = settings.TALENTPARK_PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not expires(user):
        return False
    return (now or timezone.now()) - changed_at(user) > dt.timedelta(days=days)


def help_texts() -> list[str]:
    """The rules a new password must meet, as the change form lists them."""
    from django.contrib.auth.password_validation import get_default_password_validators

    ours = (MinimumLengthValidator, CharacterClassesValidator, PasswordHistoryValidator)
    return [v.get_help_text() for v in get_default_password_validators() if isinstance(v, ours)]
