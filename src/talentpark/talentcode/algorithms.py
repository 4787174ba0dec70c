"""Signature algorithms for 人才码, keyed by their COSE name (``SigningKey.alg``).

Ed25519 ("EdDSA", COSE -8) is always there. SM2 with SM3 ("SM2", a private-use COSE id) is
registered only when the optional ``sm2`` extra (gmssl) imports; ``TALENTPARK_TALENTCODE_ALG``
chooses the algorithm of new keys. A new algorithm is one ``register(...)`` call.

This module touches no database: an offline verifier needs only it and the published key list.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from django.utils.translation import gettext, gettext_noop


class Algorithm(Protocol):
    @property
    def name(self) -> str:
        """The COSE name, stored as ``SigningKey.alg`` and published."""
        ...

    @property
    def cose_id(self) -> int:
        """The protected header's alg (label 1)."""
        ...

    def generate(self) -> tuple[bytes, bytes]:
        """A new key pair as (private, public) raw bytes."""
        ...

    def sign(self, private: bytes, data: bytes) -> bytes: ...

    def verify(self, public: bytes, signature: bytes, data: bytes) -> bool: ...


@dataclass(frozen=True)
class Ed25519:
    name: str = "EdDSA"
    cose_id: int = -8

    def generate(self) -> tuple[bytes, bytes]:
        key = Ed25519PrivateKey.generate()
        private = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return private, key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def sign(self, private: bytes, data: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(private).sign(data)

    def verify(self, public: bytes, signature: bytes, data: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
        except (InvalidSignature, ValueError):
            return False
        return True


ALGORITHMS: dict[str, Algorithm] = {}
# Algorithms this build knows but cannot run, with the reason (a msgid: see ``unavailable_reason``).
UNAVAILABLE: dict[str, str] = {}


def register(algorithm: Algorithm) -> None:
    ALGORITHMS[algorithm.name] = algorithm
    UNAVAILABLE.pop(algorithm.name, None)


def unavailable_reason(name: str) -> str:
    """Why ``name`` cannot sign here, in Chinese ("" when it can)."""
    if name in ALGORITHMS:
        return ""
    if name in UNAVAILABLE:
        return gettext(UNAVAILABLE[name])
    return gettext("未知的签名算法，可选：%(known)s") % {"known": "、".join(sorted(ALGORITHMS))}


def by_cose_id(cose_id: object) -> Algorithm | None:
    return next((a for a in ALGORITHMS.values() if a.cose_id == cose_id), None)


register(Ed25519())


# -- SM2 (GB/T 32918) with SM3, through gmssl -------------------------------------------------------

SM2_NAME = "SM2"
# COSE has no registered SM2 identifier: a value from the private-use range (below -65536).
SM2_COSE_ID = -65537

try:
    from gmssl import sm2 as _gm_sm2
except ImportError:  # the optional extra is not installed
    _gm_sm2 = None


@dataclass(frozen=True)
class SM2:
    """SM2 signatures over SM3 (with the default user id ``1234567812345678``).

    Keys are raw: the private key 32 bytes, the public key 64 bytes (x || y). The per-signature
    nonce comes from ``secrets``, never gmssl's own ``random_hex`` (the ``random`` module: a
    predictable nonce gives the private key away).
    """

    name: str = SM2_NAME
    cose_id: int = SM2_COSE_ID

    def _curve(self) -> dict[str, str]:
        assert _gm_sm2 is not None
        return _gm_sm2.default_ecc_table

    def generate(self) -> tuple[bytes, bytes]:
        assert _gm_sm2 is not None
        n = int(self._curve()["n"], 16)
        d = secrets.randbelow(n - 2) + 1
        private_hex = f"{d:064x}"
        crypt = _gm_sm2.CryptSM2(private_key=private_hex, public_key="")
        public_hex = crypt._kg(d, self._curve()["g"])
        return bytes.fromhex(private_hex), bytes.fromhex(public_hex)

    def sign(self, private: bytes, data: bytes) -> bytes:
        assert _gm_sm2 is not None
        d = int.from_bytes(private, "big")
        public_hex = _gm_sm2.CryptSM2(private_key=private.hex(), public_key="")._kg(d, self._curve()["g"])
        crypt = _gm_sm2.CryptSM2(private_key=private.hex(), public_key=public_hex)
        n = int(self._curve()["n"], 16)
        nonce = f"{secrets.randbelow(n - 1) + 1:064x}"
        return bytes.fromhex(crypt.sign_with_sm3(data, nonce))

    def verify(self, public: bytes, signature: bytes, data: bytes) -> bool:
        assert _gm_sm2 is not None
        if len(public) != 64 or len(signature) != 64:
            return False
        try:
            crypt = _gm_sm2.CryptSM2(private_key="", public_key=public.hex())
            return bool(crypt.verify_with_sm3(signature.hex(), data))
        except Exception:  # a malformed point or signature is a failed verification
            return False


if _gm_sm2 is not None:
    register(SM2())
else:
    UNAVAILABLE[SM2_NAME] = gettext_noop("未安装国密扩展 sm2（gmssl），请安装 talentpark[sm2]")
