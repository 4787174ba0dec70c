"""The 人才码 token: a CWT (RFC 8392) signed as COSE_Sign1 (RFC 9052), zlib, base45, "TP1:".

Modelled on the EU Digital COVID Certificate. See docs/talentcode.md for the claims and their
CBOR keys. :func:`verify` given a published key list (``keys.published_keys()``, as parsed JSON)
touches no database: that is what an offline verifier does.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import secrets
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import cbor2
from django.utils.translation import gettext

from talentpark.talentcode import algorithms, b45

if TYPE_CHECKING:
    from talentpark.talentcode.models import SigningKey

PREFIX = "TP1:"
COSE_SIGN1_TAG = 18
CWT_TAG = 61
# COSE header labels (RFC 9052)
HDR_ALG, HDR_KID = 1, 4
# CWT claim keys (RFC 8392) and ours, from the private-use range (below -65536)
CLAIM_ISS, CLAIM_EXP, CLAIM_NBF, CLAIM_IAT, CLAIM_CTI = 1, 4, 5, 6, 7
CLAIM_TALENT_CODE, CLAIM_TIER, CLAIM_TIER_UNTIL = -65537, -65538, -65539
CLAIM_NAMES = {
    CLAIM_ISS: "iss",
    CLAIM_EXP: "exp",
    CLAIM_NBF: "nbf",
    CLAIM_IAT: "iat",
    CLAIM_CTI: "cti",
    CLAIM_TALENT_CODE: "talent_code",
    CLAIM_TIER: "tier",
    CLAIM_TIER_UNTIL: "tier_until",
}
TIERS = ("", "A", "B", "C", "D", "E")
CLOCK_SKEW = 60  # seconds a verifier tolerates between its clock and the issuer's
MAX_TEXT = 4096  # characters of a QR payload we read at all
MAX_COSE = 4096  # bytes the compressed token may inflate to
# An opaque id: URL-safe characters, never digits alone (a phone or ID number would be).
_TALENT_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_LOOKS_LIKE_ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")


class TokenInvalid(Exception):
    """A token that must not be accepted; ``reason`` says why in Chinese, ``code`` for machines."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class VerifiedToken:
    kid: str
    alg: str
    iss: str
    iat: int
    exp: int
    cti: bytes
    talent_code: str
    tier: str
    tier_until: dt.date | None

    @property
    def token_id(self) -> str:
        return self.cti.hex()


@dataclass(frozen=True)
class PublishedKey:
    kid: str
    alg: str
    public: bytes
    status: str
    not_after: int | None  # epoch seconds


# -- issuing ------------------------------------------------------------------------------------


def new_talent_code_id() -> str:
    """A fresh opaque talent code id (22 URL-safe characters, 128 random bits)."""
    while True:
        value = secrets.token_urlsafe(16)
        if not value.isdigit():
            return value


def short_code() -> str:
    """An 8-digit code to type instead of scanning: random, not derived from any token."""
    return f"{secrets.randbelow(10**8):08d}"


def _epoch(now: dt.datetime | int | float | None) -> int:
    if now is None:
        return int(dt.datetime.now(dt.UTC).timestamp())
    if isinstance(now, dt.datetime):
        return int(now.timestamp())
    return int(now)


def _check_claims(issuer: str, talent_code: str, tier: str, tier_until: Any, ttl: int | None) -> None:
    if not issuer or len(issuer) > 32:
        raise ValueError("issuer: a zone code of 1 to 32 characters")
    if (
        not _TALENT_CODE_RE.match(talent_code)
        or talent_code.isdigit()
        or _LOOKS_LIKE_ID_NUMBER.match(talent_code)
    ):
        raise ValueError("talent_code: an opaque random id (new_talent_code_id()), never a name, ID or phone")
    if tier not in TIERS:
        raise ValueError(f"tier: one of {TIERS}")
    if tier_until is not None and (
        not isinstance(tier_until, dt.date) or isinstance(tier_until, dt.datetime)
    ):
        raise ValueError("tier_until: a date")
    if ttl is not None and ttl <= 0:
        raise ValueError("ttl: positive seconds")


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    return cbor2.dumps(["Signature1", protected, b"", payload])


def issue(
    *,
    issuer: str,
    talent_code: str,
    tier: str = "",
    tier_until: dt.date | None = None,
    key: SigningKey | None = None,
    now: dt.datetime | int | None = None,
    ttl: int | None = None,
) -> str:
    """A signed token for the QR code: ``"TP1:" + base45(zlib(COSE_Sign1(CWT)))``.

    ``issuer`` is the zone's code; ``talent_code`` the opaque id of the talent code (never a
    name, ID number or phone: refused with ``ValueError``). Signed by ``key`` or the active key.
    """
    from talentpark.talentcode import keys as signing_keys  # the database side

    _check_claims(issuer, talent_code, tier, tier_until, ttl)
    key = key or signing_keys.active_key()
    algorithm = algorithms.ALGORITHMS.get(key.alg)
    if algorithm is None:
        raise signing_keys.AlgorithmUnavailable(
            gettext("人才码签名算法“%(alg)s”不可用：%(reason)s")
            % {"alg": key.alg, "reason": algorithms.unavailable_reason(key.alg)}
        )
    iat = _epoch(now)
    claims: dict[int, Any] = {
        CLAIM_ISS: issuer,
        CLAIM_IAT: iat,
        CLAIM_EXP: iat + (ttl if ttl is not None else signing_keys.token_ttl()),
        CLAIM_CTI: secrets.token_bytes(16),
        CLAIM_TALENT_CODE: talent_code,
        CLAIM_TIER: tier,
    }
    if tier_until is not None:
        claims[CLAIM_TIER_UNTIL] = tier_until.isoformat()
    protected = cbor2.dumps({HDR_ALG: algorithm.cose_id, HDR_KID: key.kid.encode()}, canonical=True)
    payload = cbor2.dumps(claims, canonical=True)
    signature = algorithm.sign(signing_keys.private_key(key), _sig_structure(protected, payload))
    cose = cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature]))
    return PREFIX + b45.encode(zlib.compress(cose, 9))


# -- verifying ----------------------------------------------------------------------------------


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _parse_time(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return int(value)
    return int(dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp())


def parse_key_list(published: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> dict[str, PublishedKey]:
    """The key list (``published_keys()`` or its JSON parsed back) by kid; ``ValueError`` if malformed."""
    items = published.get("keys", []) if isinstance(published, Mapping) else published
    out: dict[str, PublishedKey] = {}
    for item in items:
        try:
            out[str(item["kid"])] = PublishedKey(
                kid=str(item["kid"]),
                alg=str(item["alg"]),
                public=_b64url_decode(str(item["x"])),
                status=str(item["status"]),
                not_after=_parse_time(item.get("not_after")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"malformed key list entry: {exc}") from None
    return out


def _decode(text: str) -> tuple[bytes, dict[Any, Any], bytes, bytes]:
    """(protected bytes, protected header, payload bytes, signature) of a token's text."""
    if not isinstance(text, str) or not text.startswith(PREFIX):
        raise TokenInvalid("prefix", gettext("不是人才码：前缀不正确"))
    bad = TokenInvalid("encoding", gettext("人才码已损坏，无法识别"))
    if len(text) > MAX_TEXT:
        raise bad
    try:
        compressed = b45.decode(text[len(PREFIX) :])
        inflater = zlib.decompressobj()
        raw = inflater.decompress(compressed, MAX_COSE)
        if inflater.unconsumed_tail or not inflater.eof:
            raise ValueError("too large or truncated")
        # Canonical form only: deflate ignores its padding bits and base45 has more than one
        # spelling of some bytes, so a changed text could carry the same signed bytes. The issuer
        # (this server) compresses with ``zlib.compress(cose, 9)``; anything else is refused, so
        # any change to a token's text is refused, not only changes to what is signed.
        if zlib.compress(raw, 9) != compressed or b45.encode(compressed) != text[len(PREFIX) :]:
            raise ValueError("not the canonical encoding")
        obj = cbor2.loads(raw)
        if isinstance(obj, cbor2.CBORTag) and obj.tag == CWT_TAG:
            obj = obj.value
        if isinstance(obj, cbor2.CBORTag):
            if obj.tag != COSE_SIGN1_TAG:
                raise ValueError("not COSE_Sign1")
            obj = obj.value
        if not isinstance(obj, list | tuple) or len(obj) != 4:
            raise ValueError("not a COSE_Sign1 array")
        protected, unprotected, payload, signature = obj
        if not all(isinstance(part, bytes) for part in (protected, payload, signature)):
            raise ValueError("COSE_Sign1 parts are not byte strings")
        if not isinstance(unprotected, Mapping):  # RFC 9052: a map (ours is empty, and unsigned)
            raise ValueError("unprotected header is not a map")
        header = cbor2.loads(protected)
        if not isinstance(header, Mapping):
            raise ValueError("protected header is not a map")
    except TokenInvalid:
        raise
    except Exception as exc:  # zlib, base45 and cbor2 errors alike: the text is not a token
        raise bad from exc
    return protected, dict(header), payload, signature


def verify(
    text: str,
    keys: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
    now: dt.datetime | int | None = None,
) -> VerifiedToken:
    """The claims of a valid token, or ``TokenInvalid`` with the reason in Chinese.

    ``keys``: the published key list (what ``/talentcode/keys.json`` serves, parsed); with it no
    database is read. Without it the list is read from the database.
    """
    if keys is None:
        from talentpark.talentcode import keys as signing_keys  # the database side

        keys = signing_keys.published_keys()
    known = parse_key_list(keys)
    at = _epoch(now)
    protected, header, payload, signature = _decode(text)
    raw_kid = header.get(HDR_KID)
    kid = raw_kid.decode("ascii", "replace") if isinstance(raw_kid, bytes) else None
    key = known.get(kid) if kid else None
    if key is None:
        raise TokenInvalid("unknown_kid", gettext("人才码的签名密钥未知（请更新公钥列表）"))
    if key.status == "retired" or (key.not_after is not None and at > key.not_after):
        raise TokenInvalid("retired_key", gettext("人才码的签名密钥已停用"))
    algorithm = algorithms.ALGORITHMS.get(key.alg)
    if algorithm is None or header.get(HDR_ALG) != algorithm.cose_id:
        raise TokenInvalid("algorithm", gettext("人才码的签名算法不受支持"))
    if not algorithm.verify(key.public, signature, _sig_structure(protected, payload)):
        raise TokenInvalid("signature", gettext("人才码签名无效，可能被篡改"))
    claims = _claims(payload)
    if at >= claims["exp"] + CLOCK_SKEW:
        raise TokenInvalid("expired", gettext("人才码已过期，请刷新"))
    if at + CLOCK_SKEW < max(claims["iat"], claims["nbf"] or 0):
        raise TokenInvalid("not_yet_valid", gettext("人才码尚未生效（请检查设备时间）"))
    return VerifiedToken(kid=key.kid, alg=key.alg, **{k: v for k, v in claims.items() if k != "nbf"})


def _claims(payload: bytes) -> dict[str, Any]:
    """The signed claims, type-checked (a signed but malformed payload is still refused)."""
    try:
        raw = cbor2.loads(payload)
        if not isinstance(raw, Mapping):
            raise ValueError("claims are not a map")
        iss, iat, exp, cti = raw[CLAIM_ISS], raw[CLAIM_IAT], raw[CLAIM_EXP], raw[CLAIM_CTI]
        talent_code, tier = raw[CLAIM_TALENT_CODE], raw.get(CLAIM_TIER, "")
        nbf, until = raw.get(CLAIM_NBF), raw.get(CLAIM_TIER_UNTIL)
        if not (
            isinstance(iss, str)
            and type(iat) is int
            and type(exp) is int
            and (nbf is None or type(nbf) is int)
            and isinstance(cti, bytes)
            and isinstance(talent_code, str)
            and tier in TIERS
        ):
            raise ValueError("claim types")
        tier_until = dt.date.fromisoformat(until) if until is not None else None
    except Exception as exc:
        raise TokenInvalid("claims", gettext("人才码内容不完整")) from exc
    return {
        "iss": iss,
        "iat": iat,
        "exp": exp,
        "nbf": nbf,
        "cti": cti,
        "talent_code": talent_code,
        "tier": tier,
        "tier_until": tier_until,
    }


def decode_claims(text: str) -> dict[Any, Any]:
    """The raw claims map of a token, NOT verified (for inspection and tests only)."""
    _protected, _header, payload, _signature = _decode(text)
    claims = cbor2.loads(payload)
    return dict(claims)
