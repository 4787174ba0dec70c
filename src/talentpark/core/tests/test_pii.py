"""Personal information: encrypted at rest, masked by default, unmasking logged (PIPL)."""

from __future__ import annotations

import logging
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from talentpark.core import crypto
from talentpark.core.context import ActionContext
from talentpark.core.masking import mask_id_number, mask_phone, scrub
from talentpark.core.models import PIIAccessLog
from talentpark.core.pii_access import reveal
from talentpark.core.validators import parse_resident_id
from talentpark.registry.models import Person
from talentpark.registry.tests.factories import EnterpriseFactory, PersonFactory, make_id_number


def test_masks_follow_the_house_format():
    assert mask_id_number("37081119900517123X") == "370***********123X"
    assert mask_phone("13812345678") == "138****5678"


def test_ciphertext_carries_version_algorithm_and_key_id_and_binds_its_kind():
    token = crypto.encrypt("13812345678", "phone")
    assert token.startswith("v1:aesgcm:k1:") or token.split(":")[1] == "aesgcm"
    assert crypto.decrypt(token, "phone") == "13812345678"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, "id_number")  # pasted into another column


def test_a_tampered_ciphertext_is_refused():
    token = crypto.encrypt("13812345678", "phone")
    head, payload = token.rsplit(":", 1)
    flipped = payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(f"{head}:{flipped}", "phone")


def _is_resident_id(value: str) -> bool:
    try:
        parse_resident_id(value)
    except ValidationError:
        return False
    return True


def _raw_database_text() -> str:
    """The database as stored: on SQLite the whole file image, on PostgreSQL every PI table's rows."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.serialize().decode("latin-1")
    with connection.cursor() as cur:
        parts = []
        for table in ("registry_person", "registry_enterprise", "innovation_lecturer"):
            cur.execute("SELECT * FROM " + connection.ops.quote_name(table))  # noqa: S608 (fixed names)
            parts.extend(str(v) for row in cur.fetchall() for v in row)
    return " ".join(parts)


@pytest.mark.django_db(transaction=True)
def test_the_database_holds_no_plaintext_id_numbers_or_phones(code_tables):
    number = make_id_number()
    PersonFactory(id_number=number, phone="13955551234")
    EnterpriseFactory(contact_phone="13955554321")
    raw = _raw_database_text()
    assert "registry_person" in raw or connection.vendor != "sqlite"  # we really read the file
    for plain in (number, "13955551234", "13955554321"):
        assert plain not in raw
    id_like = re.findall(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])", raw)
    assert not [m for m in id_like if _is_resident_id(m)]  # credit codes may look alike; IDs may not
    # A phone stands alone; digits inside a hex hash (the audit chain, keys) are not one.
    assert not re.search(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])", raw)


@pytest.mark.django_db
def test_read_back_values_mask_themselves():
    person = Person.objects.get(pk=PersonFactory(phone="13812345678").pk)
    assert str(person.phone) == "138****5678"
    assert "13812345678" not in repr(person.phone)
    assert person.phone == "13812345678"  # comparison works without exposing


@pytest.mark.django_db
def test_lookup_by_id_number_uses_the_blind_index():
    number = make_id_number()
    person = PersonFactory(id_number=number)
    assert Person.objects.get(id_number_hash=crypto.blind_index(number, "id_number")) == person


@pytest.mark.django_db
def test_an_authorised_unmask_returns_plaintext_and_logs_one_row(world):
    ctx = ActionContext(user=world.bob, role="specialist", zone_id=world.zone.pk, ip="10.0.0.8")
    value = reveal(ctx, world.talent.person, "phone", "电话回访", scope_model=world.talent)
    assert re.fullmatch(r"1[3-9]\d{9}", value)
    log = PIIAccessLog.objects.get()
    assert (log.actor, log.field, log.reason, log.granted, log.ip) == (
        world.bob,
        "phone",
        "电话回访",
        True,
        "10.0.0.8",
    )


@pytest.mark.django_db
def test_an_unauthorised_unmask_is_refused_and_logged(world):
    # carol is a specialist too, but tina is bob's talent, not hers.
    ctx = ActionContext(user=world.carol, role="specialist", zone_id=world.zone.pk)
    with pytest.raises(PermissionDenied):
        reveal(ctx, world.talent.person, "id_number", "好奇", scope_model=world.talent)
    assert PIIAccessLog.objects.get().granted is False


@pytest.mark.django_db
def test_unmasking_without_a_reason_is_refused(world):
    ctx = ActionContext(user=world.alice, role="office", zone_id=world.zone.pk)
    with pytest.raises(PermissionDenied):
        reveal(ctx, world.talent.person, "id_number", "  ", scope_model=world.talent)


def test_log_lines_never_carry_full_ids_or_phones(caplog):
    from talentpark.core.logging import PiiScrubFilter

    logger = logging.getLogger("talentpark.test")
    logger.addFilter(PiiScrubFilter())
    with caplog.at_level(logging.WARNING, logger="talentpark.test"):
        logger.warning("import failed for %s / %s\nnext", "11010519491231002X", "13812345678")
    text = caplog.text
    assert "11010519491231002X" not in text and "13812345678" not in text
    assert "110***********002X" in text and "138****5678" in text
    assert "\\nnext" in text  # CR/LF neutralised against log injection
    assert scrub("tel 13812345678") == "tel 138****5678"
