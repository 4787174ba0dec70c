"""An enterprise contact's phone, which only her registration holds: for SMS notices and the reset."""

from __future__ import annotations

from typing import Any

from talentpark.accounts.phones import register_phone_owners
from talentpark.core import notify
from talentpark.core.models import PIIAccessLog
from talentpark.signup.models import EnterpriseRegistration


def contact_phone(user: Any) -> str | None:
    """The phone she registered with, if her account came from a registration (the read is logged)."""
    reg = (
        EnterpriseRegistration.objects.filter(user=user, status=EnterpriseRegistration.Status.APPROVED)
        .order_by("-pk")
        .first()
    )
    if reg is None:
        return None
    PIIAccessLog.objects.create(
        zone_id=reg.zone_id,
        actor=None,
        actor_name="系统",
        role="system",
        subject_type=EnterpriseRegistration._meta.label_lower,
        subject_id=str(reg.pk),
        subject_repr=str(reg)[:200],
        field="contact_phone",
        reason="发送短信通知",
        granted=True,
    )
    phone: Any = reg.contact_phone
    return str(phone.plaintext_for_processing())


def registered_users_with_phone(phone_hash: str) -> list[int]:
    return list(
        EnterpriseRegistration.objects.filter(
            contact_phone_hash=phone_hash, status=EnterpriseRegistration.Status.APPROVED, user__isnull=False
        ).values_list("user_id", flat=True)
    )


notify.register_address(notify.SMS, contact_phone)
register_phone_owners(registered_users_with_phone)
