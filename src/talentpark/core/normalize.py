"""Input normalisation shared by validators, forms, the API and (later) Excel import.

Talent offices paste from Word and WeChat: full-width digits (３７０…), stray and
ideographic spaces, lower-case x. Normalise first, then validate.
"""

from __future__ import annotations

import unicodedata

_SPACES = {" ", "\u3000", "\u00a0", "\t", "\u200b", "\ufeff"}


def to_halfwidth(value: str) -> str:
    """NFKC folds full-width digits and letters (３７０ → 370, Ｘ → X)."""
    return unicodedata.normalize("NFKC", value)


def compact(value: str) -> str:
    """Half-width, no spaces or hyphens anywhere (for codes and numbers)."""
    folded = to_halfwidth(value or "")
    return "".join(ch for ch in folded if ch not in _SPACES and ch != "-")


def clean_text(value: str | None) -> str:
    """Trim and collapse inner whitespace of free text (names, addresses)."""
    if value is None:
        return ""
    folded = unicodedata.normalize("NFKC", value)
    return " ".join(folded.split())
