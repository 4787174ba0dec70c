"""Personal-information values that mask themselves.

An encrypted column reads back as :class:`Sensitive`. Its ``str()`` — what templates,
API schemas, exports and log lines get — is the masked form. The plaintext is only
reachable through :meth:`Sensitive.reveal_for`, which needs an access decision and
writes the access log, or through :meth:`Sensitive.plaintext_for_processing`, which
services use for validation and hashing and must never render.
"""

from __future__ import annotations

from typing import Any

from talentpark.core import crypto
from talentpark.core.masking import mask

PII_KINDS = ("id_number", "phone", "bank_account")


class Sensitive:
    __slots__ = ("_plain", "_token", "kind")

    def __init__(self, kind: str, *, plain: str | None = None, token: str | None = None) -> None:
        if kind not in PII_KINDS:
            raise ValueError(kind)
        self.kind = kind
        self._plain = plain
        self._token = token

    @property
    def token(self) -> str:
        if self._token is None:
            assert self._plain is not None
            self._token = crypto.encrypt(self._plain, self.kind)
        return self._token

    def plaintext_for_processing(self) -> str:
        if self._plain is None:
            assert self._token is not None
            self._plain = crypto.decrypt(self._token, self.kind)
        return self._plain

    @property
    def masked(self) -> str:
        return mask(self.kind, self.plaintext_for_processing())

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"<Sensitive {self.kind} {self.masked}>"

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, Sensitive):
            return (
                other.kind == self.kind
                and other.plaintext_for_processing() == self.plaintext_for_processing()
            )
        if isinstance(other, str):
            return self.plaintext_for_processing() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.kind, self.plaintext_for_processing()))

    def __len__(self) -> int:
        return len(self.plaintext_for_processing())

    def __bool__(self) -> bool:
        return bool(self._token or self._plain)
