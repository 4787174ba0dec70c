"""How the platform reaches a talent beyond the inbox: her phone, for SMS notices (core.notify)."""

from __future__ import annotations

from typing import Any

from talentpark.accounts.phones import register_phone_owners
from talentpark.core import notify
from talentpark.core.models import PIIAccessLog
from talentpark.registry.models import Person


def talent_phone(user: Any) -> str | None:
    """The phone on her most recent person record; reading it unmasked is logged (PIPL)."""
    person = Person.objects.filter(user=user, phone_hash__isnull=False).order_by("-pk").first()
    phone: Any = person.phone if person is not None else None  # a Sensitive (self-masking) or None
    if person is None or phone is None:
        return None
    PIIAccessLog.objects.create(
        zone_id=person.zone_id,
        actor=None,
        actor_name="系统",
        role="system",
        subject_type=Person._meta.label_lower,
        subject_id=str(person.pk),
        subject_repr=str(person)[:200],
        field="phone",
        reason="发送短信通知",
        granted=True,
    )
    return str(phone.plaintext_for_processing())


notify.register_address(notify.SMS, talent_phone)


def talent_users_with_phone(phone_hash: str) -> list[int]:
    """The logins of the person records holding this phone (the password reset by SMS)."""
    return list(
        Person.objects.filter(phone_hash=phone_hash, user__isnull=False).values_list("user_id", flat=True)
    )


register_phone_owners(talent_users_with_phone)
