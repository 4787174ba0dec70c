"""Re-encrypting personal data under the active key (PI-4: rotation without downtime).

Old key ids stay in ``TALENTPARK_FIELD_KEYS`` (after the new active one) until this has run;
every value stays readable throughout, because each ciphertext names its key id.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models, transaction

from talentpark.core import audit, crypto
from talentpark.core.context import ActionContext
from talentpark.core.fields import EncryptedPIIField


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    found = []
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedPIIField)]
        if names:
            found.append((model, names))
    return found


def rotate(batch_size: int = 2000) -> int:
    """Re-encrypt every value not under the active key id; returns how many values changed."""
    active = crypto.keyring().active_kid
    changed = 0
    for model, names in encrypted_fields():
        raw = model._default_manager.values_list("pk", *names)  # Sensitive values, token kept
        stale: list[tuple[int, dict[str, object]]] = []
        for row in raw.iterator(chunk_size=batch_size):
            updates = {
                name: value.plaintext_for_processing()
                for name, value in zip(names, row[1:], strict=True)
                if value is not None and crypto.key_id_of(value.token) != active
            }
            if updates:
                stale.append((row[0], updates))
        for start in range(0, len(stale), batch_size):
            with transaction.atomic():
                for pk, updates in stale[start : start + batch_size]:
                    model._default_manager.filter(pk=pk).update(**updates)
                    changed += len(updates)
    with transaction.atomic():
        audit.record(
            ActionContext.system("PII key rotation"),
            "pii.rotate_keys",
            None,
            after={"active_kid": active, "values": changed},
        )
    return changed
