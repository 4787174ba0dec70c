"""Reading a talent's code where another app needs to know who stands in front of it (a job fair's
check-in desk): the talent-code app registers the reader, so its callers do not import it.

``read(text, zone_id)`` returns the id of the talent whose live code ``text`` is (the scanned token
or the 8-digit code under it), or raises :class:`Unreadable` with the Chinese reason.
"""

from __future__ import annotations

from collections.abc import Callable


class Unreadable(Exception):
    """The code is not a live code of this zone's talent; the message says why, in Chinese."""


Reader = Callable[[str, int], int]
_READER: list[Reader] = []


def register_reader(fn: Reader) -> None:
    _READER[:] = [fn]


def read(text: str, zone_id: int) -> int:
    if not _READER:
        raise Unreadable("人才码核验未启用")
    return _READER[0](text, zone_id)
