"""Leases: "one at a time" guards that hold across web workers and restarts.

A lease is a row keyed by what it guards (``"export:user:42"``). Taking it inserts the row
(the unique key makes a second taker fail) or takes over a row whose time ran out (a
conditional UPDATE on ``expires_at``, so two takers of an expired lease cannot both win);
the holder's random token is what releases or renews it, so a holder whose lease expired
and was taken over cannot free the new holder's. A process that dies leaves its lease to
expire by itself. No lock is held while the guarded work runs.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from talentpark.core.models import Lease


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def acquire(key: str, ttl: timedelta) -> str | None:
    """The token of a fresh lease on ``key``, or None while someone else holds it."""
    token = secrets.token_hex(16)
    now = timezone.now()
    fields = {"token": token, "holder": _holder(), "acquired_at": now, "expires_at": now + ttl}
    if Lease.objects.filter(key=key, expires_at__lte=now).update(**fields):
        return token  # an expired lease, taken over
    try:
        with transaction.atomic():
            Lease.objects.create(key=key, **fields)
    except IntegrityError:
        return None  # held (or taken over by another process this very moment)
    return token


def renew(key: str, token: str, ttl: timedelta) -> bool:
    """Push the lease's end out again; False when it is no longer this token's."""
    return bool(Lease.objects.filter(key=key, token=token).update(expires_at=timezone.now() + ttl))


def release(key: str, token: str) -> None:
    """Give the lease up (idempotent; never frees a later holder's lease)."""
    Lease.objects.filter(key=key, token=token).delete()


def is_held(key: str) -> bool:
    return Lease.objects.filter(key=key, expires_at__gt=timezone.now()).exists()
