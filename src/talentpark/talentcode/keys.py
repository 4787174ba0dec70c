"""The 人才码 signing keys: the active one, rotation, retirement and the published list.

The private half of the active key is sealed at rest with the field keyring (``core.crypto``:
AES-GCM under the active field key, its key id in the value, bound to this signing key's kid).
A key that stops signing drops its private half, so only the active key has one.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import string
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from talentpark.core import audit, crypto
from talentpark.core.context import ActionContext
from talentpark.talentcode import algorithms
from talentpark.talentcode.models import SigningKey
from talentpark.talentcode.tokens import CLOCK_SKEW

DEFAULT_ALG = "EdDSA"
DEFAULT_TTL = 300  # seconds a token stays valid
_KID_ALPHABET = string.ascii_letters + string.digits
_SEAL_KIND = "talentcode.signing_key"


class AlgorithmUnavailable(ImproperlyConfigured):
    """The configured algorithm cannot make keys here; the message is Chinese."""


def configured_alg() -> str:
    return str(getattr(settings, "TALENTPARK_TALENTCODE_ALG", DEFAULT_ALG) or DEFAULT_ALG)


def token_ttl() -> int:
    return int(getattr(settings, "TALENTPARK_TALENTCODE_TTL", DEFAULT_TTL))


def _new_kid() -> str:
    return "".join(secrets.choice(_KID_ALPHABET) for _ in range(8))


def _seal(kid: str, private: bytes) -> str:
    return crypto.encrypt(base64.b64encode(private).decode(), f"{_SEAL_KIND}:{kid}")


def private_key(key: SigningKey) -> bytes:
    """The raw private key of the active ``key`` (unsealed with the field keyring)."""
    if key.status != SigningKey.Status.ACTIVE or not key.private_key_sealed:
        raise ValueError(f"signing key {key.kid} does not sign")
    return base64.b64decode(crypto.decrypt(key.private_key_sealed, f"{_SEAL_KIND}:{key.kid}"))


def _algorithm(alg: str) -> algorithms.Algorithm:
    found = algorithms.ALGORITHMS.get(alg)
    if found is None:
        raise AlgorithmUnavailable(
            gettext("人才码签名算法“%(alg)s”不可用：%(reason)s")
            % {"alg": alg, "reason": algorithms.unavailable_reason(alg)}
        )
    return found


def _create(alg: str) -> SigningKey:
    """A new active key (caller holds the transaction and has demoted the previous one)."""
    algorithm = _algorithm(alg)
    private, public = algorithm.generate()
    kid = _new_kid()
    return SigningKey.objects.create(
        kid=kid, alg=algorithm.name, public_key=public, private_key_sealed=_seal(kid, private)
    )


def _snapshot(key: SigningKey) -> dict[str, Any]:
    return audit.snapshot(key, ["kid", "alg", "status", "not_after", "retired_at"])


def active_key() -> SigningKey:
    """The key that signs now; the first one (``TALENTPARK_TALENTCODE_ALG``) is made on first use."""
    key = SigningKey.objects.filter(status=SigningKey.Status.ACTIVE).first()
    if key is not None:
        return key
    alg = configured_alg()
    _algorithm(alg)  # refuse before opening anything
    try:
        with transaction.atomic():
            key = _create(alg)
            audit.record(
                ActionContext.system("人才码首个签名密钥"), "talentcode.key.create", key, after=_snapshot(key)
            )
    except IntegrityError:  # another process made it first (one active key: a unique constraint)
        return SigningKey.objects.get(status=SigningKey.Status.ACTIVE)
    return key


def _stop_signing(key: SigningKey, now: dt.datetime) -> None:
    key.status = SigningKey.Status.RETIRING
    key.private_key_sealed = ""
    key.retiring_at = now
    # Tokens it signed until now stay valid for their lifetime (and the verifier's skew), no longer.
    key.not_after = now + dt.timedelta(seconds=token_ttl() + CLOCK_SKEW)
    key.save(update_fields=["status", "private_key_sealed", "retiring_at", "not_after"])


def rotate(ctx: ActionContext, alg: str | None = None) -> SigningKey:
    """A new active key; the old one stops signing and verifies what it signed until ``not_after``."""
    alg = alg or configured_alg()
    _algorithm(alg)
    with transaction.atomic():
        old = SigningKey.objects.select_for_update().filter(status=SigningKey.Status.ACTIVE).first()
        before = _snapshot(old) if old is not None else None
        if old is not None:
            _stop_signing(old, timezone.now())
        new = _create(alg)
        audit.record(
            ctx,
            "talentcode.key.rotate",
            new,
            before={"previous": before} if before else None,
            after={"active": _snapshot(new), "previous": _snapshot(old) if old is not None else None},
        )
    return new


def retire(ctx: ActionContext, kid: str) -> SigningKey:
    """``kid`` verifies nothing from now on (an active key also stops signing: the next token makes a
    new key). Refused for an unknown or already retired key, in Chinese."""
    with transaction.atomic():
        key = SigningKey.objects.select_for_update().filter(kid=kid).first()
        if key is None:
            raise ValidationError(gettext("密钥标识：没有这个签名密钥"))
        if key.status == SigningKey.Status.RETIRED:
            raise ValidationError(gettext("密钥标识：该签名密钥已退役"))
        before = _snapshot(key)
        now = timezone.now()
        key.status = SigningKey.Status.RETIRED
        key.private_key_sealed = ""
        key.retired_at = now
        key.not_after = min(key.not_after, now) if key.not_after else now
        key.save(update_fields=["status", "private_key_sealed", "retired_at", "not_after"])
        audit.record(ctx, "talentcode.key.retire", key, before=before, after=_snapshot(key))
    return key


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def published_keys(now: dt.datetime | None = None) -> dict[str, Any]:
    """The public key list an offline verifier downloads (``/talentcode/keys.json``).

    Every key is listed, the retired ones too (so a verifier says "retired", not "unknown");
    nothing private: kid, algorithm, raw public key (base64url), status and ``not_after``.
    """
    keys = [
        {
            "kid": key.kid,
            "alg": key.alg,
            "x": _b64url(bytes(key.public_key)),
            "status": key.status,
            "not_after": _iso(key.not_after),
        }
        for key in SigningKey.objects.order_by("-created_at", "-id")
    ]
    return {"keys": keys, "issued_at": _iso(now or timezone.now())}
