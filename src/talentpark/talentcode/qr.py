"""The QR image of a 人才码 token, drawn on the server (segno), never by an image host.

The token text uses only the QR alphanumeric alphabet, so segno encodes it in alphanumeric mode;
error correction M (a phone screen behind glass, a little glare) keeps it within version 10.
"""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe

ERROR = "m"
SCALE = 4  # pixels per module in the page's SVG; the CSS scales it to the screen's width
BORDER = 4  # the quiet zone the standard asks for, in modules
MAX_VERSION = 10


def make(text: str) -> segno.QRCode:
    """The QR code of ``text`` (a ``"TP1:"`` token); ``ValueError`` past version 10."""
    code = segno.make_qr(text, error=ERROR, boost_error=False)
    if code.version > MAX_VERSION:  # type: ignore[operator]
        raise ValueError(f"token too long for a QR code of version {MAX_VERSION}: {code.version}")
    return code


def svg(text: str) -> SafeString:
    """An inline ``<svg>`` of the token, for the talent's code page."""
    markup = make(text).svg_inline(
        scale=SCALE, border=BORDER, dark="#111827", light="#ffffff", svgclass="tc-qr", omitsize=True
    )
    return mark_safe(markup)  # noqa: S308  # segno's own SVG of our token


def png(text: str, scale: int = SCALE) -> bytes:
    """A PNG of the token at ``scale`` pixels per module (tests decode it with zxing-cpp)."""
    import io

    out = io.BytesIO()
    make(text).save(out, kind="png", scale=scale, border=BORDER)
    return out.getvalue()
