"""Every field holding personal information is in the inventory, and the sensitive ones are encrypted."""

from __future__ import annotations

from django.apps import apps

from talentpark.core.fields import EncryptedPIIField
from talentpark.core.pii_inventory import INVENTORY, MUST_ENCRYPT_HINTS, PI_NAME_HINTS, inventory_labels


def _fields():
    for model in apps.get_models():
        if not model.__module__.startswith("talentpark."):
            continue
        for field in model._meta.concrete_fields:
            yield f"{model._meta.label_lower}.{field.name}", field


def test_every_pi_looking_field_is_in_the_inventory():
    known = inventory_labels()
    missing = [
        label
        for label, field in _fields()
        if any(h in field.name for h in PI_NAME_HINTS)
        and not field.name.endswith("_hash")
        and label not in known
    ]
    assert missing == []


def test_ids_phones_and_accounts_are_encrypted_at_rest():
    plain = [
        label
        for label, field in _fields()
        if any(h in field.name for h in MUST_ENCRYPT_HINTS)
        and not field.name.endswith("_hash")
        and not isinstance(field, EncryptedPIIField)
    ]
    assert plain == []


def test_the_inventory_names_real_fields_with_purpose_and_retention():
    existing = {label for label, _ in _fields()}
    for entry in INVENTORY:
        assert entry.label in existing, entry.label
        assert entry.sensitivity in ("sensitive", "general") and entry.purpose and entry.retention
