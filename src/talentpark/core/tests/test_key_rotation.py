"""Key rotation: old ciphertexts stay readable, rotation moves them to the new key id."""

from __future__ import annotations

import base64
import os

import pytest

from talentpark.core import crypto
from talentpark.core.keyrotation import rotate
from talentpark.core.models import AuditLog
from talentpark.registry.models import Person
from talentpark.registry.tests.factories import PersonFactory


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def _kids() -> set[str]:
    return {crypto.key_id_of(p.phone.token) for p in Person.objects.all()} | {
        crypto.key_id_of(p.id_number.token) for p in Person.objects.all()
    }


@pytest.mark.django_db
def test_rotation_reencrypts_under_the_new_key_and_keeps_values(settings):
    old = f"old:{_key()}"
    settings.TALENTPARK_FIELD_KEYS = old
    people = [PersonFactory() for _ in range(3)]
    phones = {p.pk: p.phone.plaintext_for_processing() for p in people}
    assert _kids() == {"old"}

    settings.TALENTPARK_FIELD_KEYS = f"new:{_key()},{old}"  # new key first = active; old still readable
    assert {p.pk: p.phone.plaintext_for_processing() for p in Person.objects.all()} == phones
    assert rotate() == 6
    assert _kids() == {"new"}
    assert AuditLog.objects.filter(action="pii.rotate_keys").count() == 1

    settings.TALENTPARK_FIELD_KEYS = settings.TALENTPARK_FIELD_KEYS.split(",")[0]  # old key retired
    assert {p.pk: p.phone.plaintext_for_processing() for p in Person.objects.all()} == phones
    assert rotate() == 0


@pytest.mark.django_db
def test_a_value_under_an_unknown_key_id_is_refused(settings):
    settings.TALENTPARK_FIELD_KEYS = f"gone:{_key()}"
    PersonFactory()
    settings.TALENTPARK_FIELD_KEYS = f"other:{_key()}"
    with pytest.raises(crypto.DecryptionError):
        Person.objects.get().phone.plaintext_for_processing()
