"""Which accounts a mobile number belongs to (the password reset by SMS asks).

Accounts hold no phone of their own: a talent's is on her person record (registry), an
enterprise contact's on its registration (signup). Those apps register a look-up here when they
load, so accounts never imports them. A look-up gets the phone's blind index, never the number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

PhoneOwners = Callable[[str], Iterable[int]]
_LOOKUPS: list[PhoneOwners] = []


def register_phone_owners(fn: PhoneOwners) -> None:
    """``fn(phone_hash)`` gives the ids of the users whose phone it is (apps' ``ready()``)."""
    if fn not in _LOOKUPS:
        _LOOKUPS.append(fn)


def users_with_phone(phone_hash: str) -> list[int]:
    found: set[int] = set()
    for fn in _LOOKUPS:
        found.update(fn(phone_hash))
    return sorted(found)
