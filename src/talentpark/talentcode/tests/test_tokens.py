"""人才码 tokens: signing, offline verification from the published key list, rotation, refusal."""

from __future__ import annotations

import base64
import datetime as dt
import json
import zlib

import cbor2
import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog
from talentpark.talentcode import algorithms, b45, keys, tokens
from talentpark.talentcode.models import SigningKey

NOW = 1_800_000_000  # a fixed instant (2027-01-15): tests pass their own clock, never sleep
CTX = ActionContext.system("测试")


def _issue(**kw):
    args = {"issuer": "demo-zone", "talent_code": "tc_k3Jd9sQwErTyUiOp", "tier": "B", "now": NOW}
    args.update(kw)
    return tokens.issue(**args)


def _now() -> int:
    """The real clock, for tests where key rotation (which reads it) meets token times."""
    return int(timezone.now().timestamp())


def _offline(published) -> dict:
    """The key list as an offline verifier has it: JSON text, parsed back."""
    return json.loads(json.dumps(published))


def _reason(text, **kw) -> str:
    with pytest.raises(tokens.TokenInvalid) as caught:
        tokens.verify(text, **kw)
    return caught.value.code


# -- base45 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
        (b"", ""),
    ],
)
def test_base45_matches_rfc_9285(raw, text):
    assert b45.encode(raw) == text
    assert b45.decode(text) == raw


@pytest.mark.parametrize("text", ["GGW", "A", "abc", "ZZZZ"])
def test_base45_refuses_bad_input(text):
    with pytest.raises(ValueError):
        b45.decode(text)


# -- issue and verify ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_round_trip():
    text = _issue(tier_until=dt.date(2028, 12, 31))
    assert text.startswith("TP1:")
    assert set(text[4:]) <= set(b45.ALPHABET)  # fits the QR alphanumeric mode
    got = tokens.verify(text, now=NOW + 10)
    key = SigningKey.objects.get()
    assert (got.kid, got.alg, got.iss) == (key.kid, "EdDSA", "demo-zone")
    assert (got.talent_code, got.tier, got.tier_until) == ("tc_k3Jd9sQwErTyUiOp", "B", dt.date(2028, 12, 31))
    assert (got.iat, got.exp) == (NOW, NOW + 300)
    assert len(got.cti) == 16
    assert _issue() != _issue()  # a fresh token id every time


@pytest.mark.django_db
def test_cose_structure_and_header():
    text = _issue()
    cose = cbor2.loads(zlib.decompress(b45.decode(text[4:])))
    assert cose.tag == 18
    protected, unprotected, payload, signature = cose.value
    header = cbor2.loads(protected)
    assert header == {1: -8, 4: SigningKey.objects.get().kid.encode()}
    assert unprotected == {} and isinstance(payload, bytes)
    assert len(signature) == 64


@pytest.mark.django_db
def test_payload_carries_no_name_id_number_or_phone(world):
    text = _issue(talent_code=tokens.new_talent_code_id())
    claims = tokens.decode_claims(text)
    assert set(claims) == {1, 4, 6, 7, -65537, -65538}  # iss exp iat cti talent_code tier
    person = world.talent.person
    values = [v for v in claims.values() if isinstance(v, str)]
    secrets = [person.name, person.id_number.plaintext_for_processing(), world.tina.get_username()]
    if person.phone is not None:
        secrets.append(person.phone.plaintext_for_processing())
    for secret in secrets:
        assert all(secret not in v for v in values), secret
    for bad in ("13605371234", "11010519491231002X", "110105194912310021"):
        with pytest.raises(ValueError):
            _issue(talent_code=bad)
    with pytest.raises(ValueError):
        _issue(talent_code="张三")
    for bad_args in ({"tier": "S"}, {"tier_until": dt.datetime(2028, 1, 1)}, {"ttl": 0}, {"issuer": ""}):
        with pytest.raises(ValueError):
            _issue(**bad_args)


@pytest.mark.django_db
def test_verified_offline_from_the_key_list_json_alone(django_db_blocker):
    text = _issue()
    published = _offline(keys.published_keys())
    with django_db_blocker.block():  # any query now fails the test
        got = tokens.verify(text, keys=published, now=NOW + 1)
        assert got.talent_code == "tc_k3Jd9sQwErTyUiOp"
        assert _reason(text, keys=published, now=NOW + 400) == "expired"


@pytest.mark.django_db
def test_tampered_payload_is_rejected():
    text = _issue()
    cose = cbor2.loads(zlib.decompress(b45.decode(text[4:])))
    protected, _unprotected, payload, signature = cose.value
    claims = cbor2.loads(payload)
    claims[-65538] = "A"  # promote the tier
    forged = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, cbor2.dumps(claims), signature]))
    forged_text = "TP1:" + b45.encode(zlib.compress(forged, 9))
    published = _offline(keys.published_keys())
    assert _reason(forged_text, keys=published, now=NOW) == "signature"
    # a flipped signature bit, too
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    bad_sig = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, flipped]))
    assert _reason("TP1:" + b45.encode(zlib.compress(bad_sig, 9)), keys=published, now=NOW) == "signature"


@pytest.mark.django_db
def test_alg_in_the_header_must_match_the_key():
    text = _issue()
    cose = cbor2.loads(zlib.decompress(b45.decode(text[4:])))
    protected, _u, payload, signature = cose.value
    header = cbor2.loads(protected)
    header[1] = -7  # ES256
    swapped = cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps(header), {}, payload, signature]))
    assert _reason("TP1:" + b45.encode(zlib.compress(swapped, 9)), now=NOW) == "algorithm"


@pytest.mark.django_db
def test_expiry_and_clock_skew():
    text = _issue()
    published = _offline(keys.published_keys())
    tokens.verify(text, keys=published, now=NOW + 300 + 59)  # within the skew after exp
    assert _reason(text, keys=published, now=NOW + 300 + 60) == "expired"
    tokens.verify(text, keys=published, now=NOW - 60)  # verifier's clock a minute behind
    assert _reason(text, keys=published, now=NOW - 61) == "not_yet_valid"


@pytest.mark.django_db
@override_settings(TALENTPARK_TALENTCODE_TTL=30)
def test_lifetime_is_a_setting():
    got = tokens.verify(_issue(), now=NOW)
    assert got.exp - got.iat == 30


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "prefix"),
        ("HC1:6BFOXN*TS0BI$ZD", "prefix"),
        ("TP1:", "encoding"),
        ("TP1:abc", "encoding"),
        ("TP1:" + b45.encode(b"not zlib"), "encoding"),
        ("TP1:" + b45.encode(zlib.compress(b"\xff\xff")), "encoding"),
        ("TP1:" + b45.encode(zlib.compress(cbor2.dumps([1, 2, 3, 4]))), "encoding"),
        ("TP1:" + b45.encode(zlib.compress(b"\0" * 100_000)), "encoding"),  # inflates too far
    ],
)
def test_bad_prefix_or_encoding(text, code):
    assert _reason(text, keys={"keys": []}, now=NOW) == code


@pytest.mark.django_db
def test_unknown_kid():
    text = _issue()
    assert _reason(text, keys={"keys": []}, now=NOW) == "unknown_kid"
    other = {
        "keys": [{"kid": "zzzzzzzz", "alg": "EdDSA", "x": "AAAA", "status": "active", "not_after": None}]
    }
    assert _reason(text, keys=other, now=NOW) == "unknown_kid"


# -- rotation and retirement --------------------------------------------------------------------


@pytest.mark.django_db
def test_rotation_signs_with_the_new_kid_and_the_retiring_key_still_verifies():
    old = keys.active_key()
    now = _now()
    old_token = _issue(now=now)
    new = keys.rotate(CTX)
    old.refresh_from_db()
    assert new.kid != old.kid and new.status == "active"
    assert old.status == "retiring" and old.private_key_sealed == ""
    new_token = _issue(now=now)
    assert tokens.verify(new_token, now=now).kid == new.kid
    published = _offline(keys.published_keys())
    assert {k["kid"]: k["status"] for k in published["keys"]} == {new.kid: "active", old.kid: "retiring"}
    assert tokens.verify(old_token, keys=published, now=now).kid == old.kid
    # the retiring key signs nothing more
    with pytest.raises(ValueError):
        _issue(key=old, now=now)
    audit = AuditLog.objects.get(action="talentcode.key.rotate")
    assert audit.object_id == str(new.pk) and audit.after["previous"]["status"] == "retiring"


@pytest.mark.django_db
def test_a_retiring_key_verifies_only_until_not_after():
    old = keys.active_key()
    now = _now()
    text = _issue(now=now, ttl=3600)  # outlives the grace period: only not_after stops it
    keys.rotate(CTX)
    old.refresh_from_db()
    assert old.retiring_at is not None and old.not_after is not None
    assert old.not_after == old.retiring_at + dt.timedelta(seconds=300 + 60)
    published = _offline(keys.published_keys())
    after = int(old.not_after.timestamp()) + 1
    assert tokens.verify(text, keys=published, now=after - 2).kid == old.kid
    assert _reason(text, keys=published, now=after) == "retired_key"


@pytest.mark.django_db
def test_a_retired_key_stops_verifying():
    old = keys.active_key()
    now = _now()
    text = _issue(now=now)
    keys.rotate(CTX)
    before = _offline(keys.published_keys())
    assert tokens.verify(text, keys=before, now=now).kid == old.kid
    keys.retire(CTX, old.kid)
    after = _offline(keys.published_keys())
    assert {k["kid"]: k["status"] for k in after["keys"]}[old.kid] == "retired"
    assert _reason(text, keys=after, now=now) == "retired_key"
    assert _reason(text, now=now) == "retired_key"  # the database's list, too
    assert AuditLog.objects.filter(action="talentcode.key.retire", object_id=str(old.pk)).count() == 1


@pytest.mark.django_db
def test_retire_refusals_are_chinese_and_change_nothing():
    key = keys.active_key()
    with pytest.raises(ValidationError, match="没有这个签名密钥"):
        keys.retire(CTX, "nope")
    keys.retire(CTX, key.kid)
    with pytest.raises(ValidationError, match="已退役"):
        keys.retire(CTX, key.kid)
    assert AuditLog.objects.filter(action="talentcode.key.retire").count() == 1
    # retiring the active key: the next token is signed by a new one
    assert keys.active_key().kid != key.kid


@pytest.mark.django_db
def test_the_private_key_is_sealed_with_the_field_keyring():
    key = keys.active_key()
    assert key.private_key_sealed.startswith("v1:aesgcm:")
    raw = keys.private_key(key)
    assert len(raw) == 32 and raw not in key.private_key_sealed.encode()
    # bound to its own kid: pasted onto another key's row it does not open
    other = SigningKey(kid="other123", alg="EdDSA", public_key=b"", private_key_sealed=key.private_key_sealed)
    with pytest.raises(Exception, match="authentication"):
        keys.private_key(other)
    assert AuditLog.objects.filter(action="talentcode.key.create").count() == 1
    assert keys.active_key().pk == key.pk  # made once


@pytest.mark.django_db
def test_published_keys_hold_public_material_only():
    key = keys.active_key()
    published = keys.published_keys()
    assert set(published) == {"keys", "issued_at"}
    (entry,) = published["keys"]
    assert set(entry) == {"kid", "alg", "x", "status", "not_after"}
    assert base64.urlsafe_b64decode(entry["x"] + "=") == bytes(key.public_key)
    assert keys.private_key(key) not in json.dumps(published).encode()


# -- algorithms ---------------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(TALENTPARK_TALENTCODE_ALG="RSA-PSS")
def test_an_unknown_algorithm_is_a_clear_error_and_a_check_warning():
    from talentpark.talentcode.checks import signing_algorithm

    with pytest.raises(keys.AlgorithmUnavailable, match="人才码签名算法“RSA-PSS”不可用：未知的签名算法"):
        keys.active_key()
    assert SigningKey.objects.count() == 0
    (warning,) = signing_algorithm()
    assert warning.id == "talentcode.W001" and "RSA-PSS" in warning.msg


@pytest.mark.django_db
@override_settings(TALENTPARK_TALENTCODE_ALG="SM2")
def test_sm2_signs_when_the_extra_is_installed_else_refuses_clearly():
    from talentpark.talentcode.checks import signing_algorithm

    if "SM2" in algorithms.ALGORITHMS:
        key = keys.active_key()
        assert key.alg == "SM2" and len(bytes(key.public_key)) == 64
        now = _now()
        text = _issue(now=now)
        published = _offline(keys.published_keys())
        got = tokens.verify(text, keys=published, now=now)
        assert (got.alg, got.kid, got.tier) == ("SM2", key.kid, "B")
        protected, _u, payload, signature = cbor2.loads(zlib.decompress(b45.decode(text[4:]))).value
        assert cbor2.loads(protected)[1] == algorithms.SM2_COSE_ID
        claims = cbor2.loads(payload)
        claims[-65538] = "A"
        forged = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, cbor2.dumps(claims), signature]))
        assert _reason("TP1:" + b45.encode(zlib.compress(forged)), keys=published, now=now) == "signature"
        # back to Ed25519 by rotation: the SM2 token still verifies while its key is retiring
        rotated = keys.rotate(CTX, alg="EdDSA")
        assert tokens.verify(_issue(now=now), now=now).kid == rotated.kid
        assert tokens.verify(text, keys=_offline(keys.published_keys()), now=now).alg == "SM2"
        assert signing_algorithm() == []
    else:
        with pytest.raises(keys.AlgorithmUnavailable, match="人才码签名算法“SM2”不可用：未安装国密扩展"):
            keys.active_key()
        assert SigningKey.objects.count() == 0
        (warning,) = signing_algorithm()
        assert warning.id == "talentcode.W001"
        with pytest.raises(keys.AlgorithmUnavailable):
            keys.rotate(CTX)


def test_short_code_is_eight_random_digits():
    codes = {tokens.short_code() for _ in range(200)}
    assert all(len(c) == 8 and c.isdigit() for c in codes)
    assert len(codes) > 190
