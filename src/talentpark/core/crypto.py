"""Field encryption and blind indexes for personal information.

Ciphertext format: ``v1:<alg>:<kid>:<base64(nonce || ciphertext+tag)>``. The algorithm
and key id travel with every value, so keys rotate (old kids stay readable until
re-encrypted) and an SM4 cipher can be switched on later without a data migration of
the format. The associated data binds a ciphertext to its kind (an ID-number
ciphertext cannot be pasted into the phone column).

Blind index: HMAC-SHA256 under a separate key over the normalised value, for exact
look-up and uniqueness without decrypting.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ALLOWED_ALGORITHMS = frozenset({"aesgcm"})
VERSION = "v1"


class DecryptionError(Exception):
    """A ciphertext could not be read: unknown key id, wrong kind or tampered."""


@dataclass(frozen=True)
class Keyring:
    active_kid: str
    keys: dict[str, bytes]

    @classmethod
    def parse(cls, spec: str) -> Keyring:
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for item in filter(None, (part.strip() for part in spec.split(","))):
            kid, _, b64 = item.partition(":")
            key = base64.b64decode(b64)
            if len(key) != 32 or not kid or ":" in kid:
                raise ImproperlyConfigured("TALENTPARK_FIELD_KEYS: each entry must be kid:base64(32 bytes)")
            keys[kid] = key
            order.append(kid)
        if not order:
            raise ImproperlyConfigured("TALENTPARK_FIELD_KEYS is empty")
        return cls(active_kid=order[0], keys=keys)


@lru_cache(maxsize=4)
def _keyring(spec: str) -> Keyring:
    return Keyring.parse(spec)


def keyring() -> Keyring:
    return _keyring(settings.TALENTPARK_FIELD_KEYS)


@lru_cache(maxsize=8)
def _aead(key: bytes) -> AESGCM:
    return AESGCM(key)


def encrypt(plaintext: str, kind: str) -> str:
    ring = keyring()
    nonce = os.urandom(12)
    ct = _aead(ring.keys[ring.active_kid]).encrypt(nonce, plaintext.encode(), kind.encode())
    return f"{VERSION}:aesgcm:{ring.active_kid}:{base64.b64encode(nonce + ct).decode()}"


def key_id_of(token: str) -> str:
    return token.split(":", 3)[2]


def decrypt(token: str, kind: str) -> str:
    try:
        version, alg, kid, payload = token.split(":", 3)
    except ValueError:
        raise DecryptionError("malformed ciphertext") from None
    if version != VERSION or alg not in ALLOWED_ALGORITHMS:
        raise DecryptionError(f"algorithm {alg!r} not allowed")
    key = keyring().keys.get(kid)
    if key is None:
        raise DecryptionError(f"unknown key id {kid!r}")
    raw = base64.b64decode(payload)
    try:
        return _aead(key).decrypt(raw[:12], raw[12:], kind.encode()).decode()
    except Exception as exc:  # InvalidTag and friends: never leak details
        raise DecryptionError("ciphertext failed authentication") from exc


@lru_cache(maxsize=4)
def _index_key(b64: str) -> bytes:
    return base64.b64decode(b64)


def blind_index(value: str, kind: str) -> str:
    key = _index_key(settings.TALENTPARK_BLIND_INDEX_KEY)
    return hmac.new(key, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()
