"""人才码 token properties: no single-bit change gets through, the time and key checks the
offline verifier makes, and every issued QR decodes with an independent decoder (zxing-cpp) at
the size the code page draws it.

Complements ``test_tokens.py``, which already covers expiry and clock skew (``exp``, ``iat`` in
the future), an ``alg`` header that does not match the key, unknown and retired keys, and a
retiring key past ``not_after``. Added here: ``nbf`` in the future, and a token signed by another
Ed25519 key under a known kid.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2
import numpy as np
import pytest
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import talentpark
from talentpark.registry.models import Talent
from talentpark.talentcode import b45, keys, qr, services, tokens

NOW = 1_800_000_000  # a fixed instant (2027-01-15): every verification passes its own clock
CODES = {
    "prefix",
    "encoding",
    "unknown_kid",
    "retired_key",
    "algorithm",
    "signature",
    "claims",
    "expired",
    "not_yet_valid",
}
CJK = re.compile(r"[\u4e00-\u9fff]")
PARTS = ("structure", "protected", "unprotected", "payload", "signature")


@dataclass(frozen=True)
class Signed:
    text: str
    compressed: bytes
    cose: bytes
    regions: dict[str, tuple[int, int]]  # part of the COSE_Sign1 -> [start, end) byte offsets


def _cose_of(text: str) -> bytes:
    return zlib.decompress(b45.decode(text[len(tokens.PREFIX) :]))


def _text_of(compressed: bytes) -> str:
    return tokens.PREFIX + b45.encode(compressed)


def _regions(cose: bytes) -> dict[str, tuple[int, int]]:
    """Where each part of the tagged COSE_Sign1 lies in its bytes (each bstr with its CBOR head)."""
    protected, unprotected, payload, signature = cbor2.loads(cose).value
    pieces = [cbor2.dumps(p) for p in (protected, unprotected, payload, signature)]
    start = len(cose) - sum(len(p) for p in pieces)  # the tag and the array head come first
    assert cose[start:] == b"".join(pieces)
    out = {"structure": (0, start)}
    for name, piece in zip(PARTS[1:], pieces, strict=True):
        out[name] = (start, start + len(piece))
        start += len(piece)
    return out


def _signed(text: str) -> Signed:
    cose = _cose_of(text)
    return Signed(text, b45.decode(text[len(tokens.PREFIX) :]), cose, _regions(cose))


def _flip(data: bytes, bit: int) -> bytes:
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def _flip_text(text: str, bit: int) -> str:
    return _flip(text.encode("ascii"), bit).decode("latin-1")


def _refusal(text: str, published: dict[str, Any], now: int = NOW + 10) -> tokens.TokenInvalid | None:
    """The ``TokenInvalid`` that ``verify`` raises, or None if it accepts. Any other exception
    propagates and fails the test."""
    try:
        tokens.verify(text, keys=published, now=now)
    except tokens.TokenInvalid as exc:
        assert exc.code in CODES, exc.code
        assert CJK.search(exc.reason), exc.reason  # the reason a window shows, in Chinese
        assert str(exc) == exc.reason
        return exc
    return None


@pytest.fixture
def signed(db: Any) -> tuple[list[Signed], dict[str, Any]]:
    """Two tokens (a tier with an end date; none) and the key list as an offline verifier has it."""
    texts = [
        tokens.issue(
            issuer="demo-zone",
            talent_code=tokens.new_talent_code_id(),
            tier="B",
            tier_until=dt.date(2028, 12, 31),
            now=NOW,
        ),
        tokens.issue(issuer="demo-zone", talent_code=tokens.new_talent_code_id(), tier="", now=NOW),
    ]
    published = json.loads(json.dumps(keys.published_keys()))
    for text in texts:
        assert _refusal(text, published) is None  # the unmodified tokens verify
    return [_signed(t) for t in texts], published


# -- any single-bit change is refused -----------------------------------------------------------
#
# Three layers a bit can change in: the COSE_Sign1 bytes (re-compressed and re-encoded, as a
# forger who understands the format would), the zlib bytes, and the base45 text itself.
# At the COSE layer every flip is refused. Below it, deflate ignores a few bits (the padding after
# the final block's end code, and after a stored block's header): a flip there inflates to the very
# same COSE_Sign1, so nothing signed changed (same claims, same cti: a replay is still a replay).
# Those are the only flips the zlib and text layers may let through, and the tests prove that.

PROPERTY = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.django_db
@PROPERTY
@given(data=st.data())
def test_a_flipped_bit_anywhere_in_the_cose_sign1_is_refused(signed, data):
    tokens_, published = signed
    token = data.draw(st.sampled_from(tokens_), label="token")
    part = data.draw(st.sampled_from(PARTS), label="part")
    start, end = token.regions[part]
    bit = data.draw(st.integers(start * 8, end * 8 - 1), label="bit")
    forged = _text_of(zlib.compress(_flip(token.cose, bit), 9))
    assert _refusal(forged, published) is not None, (part, bit)


@pytest.mark.django_db
@PROPERTY
@given(data=st.data())
def test_a_flipped_bit_of_the_compressed_bytes_or_the_text_is_refused(signed, data):
    tokens_, published = signed
    token = data.draw(st.sampled_from(tokens_), label="token")
    if data.draw(st.booleans(), label="text layer"):
        forged = _flip_text(token.text, data.draw(st.integers(0, len(token.text) * 8 - 1), label="bit"))
    else:
        forged = _text_of(_flip(token.compressed, data.draw(st.integers(0, len(token.compressed) * 8 - 1))))
    assert _refusal(forged, published) is not None  # even where the signed bytes are the same


@pytest.mark.django_db
def test_every_single_bit_flip_is_refused_exhaustively(signed):
    """Every bit of both tokens at each layer, not a sample (about 12,000 verifications)."""
    tokens_, published = signed
    for token in tokens_:
        by_part = dict.fromkeys(PARTS, 0)
        for bit in range(len(token.cose) * 8):
            forged = _text_of(zlib.compress(_flip(token.cose, bit), 9))
            assert _refusal(forged, published) is not None, bit
            by_part[next(p for p, (s, e) in token.regions.items() if s <= bit // 8 < e)] += 1
        assert all(by_part.values())  # the protected header, payload and signature all covered
        # deflate's padding bits decompress to the same bytes: refused as not canonical
        for bit in range(len(token.compressed) * 8):
            assert _refusal(_text_of(_flip(token.compressed, bit)), published) is not None, bit
        for bit in range(len(token.text) * 8):
            assert _refusal(_flip_text(token.text, bit), published) is not None, bit


# -- time and key checks not covered in test_tokens.py -------------------------------------------


def _sign(claims: dict[int, Any], private: bytes, kid: str, alg_id: int = -8) -> str:
    """A token made by hand, as ``tokens.issue`` lays it out, with any claims and any key."""
    protected = cbor2.dumps({tokens.HDR_ALG: alg_id, tokens.HDR_KID: kid.encode()}, canonical=True)
    payload = cbor2.dumps(claims, canonical=True)
    to_sign = cbor2.dumps(["Signature1", protected, b"", payload])
    signature = Ed25519PrivateKey.from_private_bytes(private).sign(to_sign)
    cose = cbor2.dumps(cbor2.CBORTag(tokens.COSE_SIGN1_TAG, [protected, {}, payload, signature]))
    return _text_of(zlib.compress(cose, 9))


def _claims(extra: dict[int, Any] | None = None) -> dict[int, Any]:
    claims = {
        tokens.CLAIM_ISS: "demo-zone",
        tokens.CLAIM_IAT: NOW,
        tokens.CLAIM_EXP: NOW + 300,
        tokens.CLAIM_CTI: b"\x01" * 16,
        tokens.CLAIM_TALENT_CODE: "tc_k3Jd9sQwErTyUiOp",
        tokens.CLAIM_TIER: "B",
    }
    claims.update(extra or {})
    return claims


def _code(text: str, published: dict[str, Any], now: int) -> str:
    refused = _refusal(text, published, now=now)
    return refused.code if refused is not None else "valid"


@pytest.mark.django_db
def test_nbf_in_the_future_beyond_the_skew_is_refused():
    key = keys.active_key()
    published = json.loads(json.dumps(keys.published_keys()))
    private = keys.private_key(key)
    assert _code(_sign(_claims(), private, key.kid), published, NOW) == "valid"  # the hand-made layout
    text = _sign(_claims({tokens.CLAIM_NBF: NOW + 120}), private, key.kid)
    assert _code(text, published, NOW) == "not_yet_valid"
    assert _code(text, published, NOW + 59) == "not_yet_valid"
    assert _code(text, published, NOW + 60) == "valid"  # 60 s of skew, as for iat
    # an nbf that is not an integer is a malformed token, not a valid one
    assert _code(_sign(_claims({tokens.CLAIM_NBF: "soon"}), private, key.kid), published, NOW) == "claims"


@pytest.mark.django_db
def test_a_token_signed_by_another_ed25519_key_under_our_kid_is_refused():
    key = keys.active_key()
    published = json.loads(json.dumps(keys.published_keys()))
    impostor = Ed25519PrivateKey.generate().private_bytes_raw()
    assert impostor != keys.private_key(key)
    text = _sign(_claims(), impostor, key.kid)
    assert _code(text, published, NOW) == "signature"
    assert _code(text, published, NOW + 10) == "signature"


@pytest.mark.django_db
def test_an_unprotected_header_that_is_not_a_map_is_refused():
    """COSE (RFC 9052) makes it a map; one flipped bit turns our empty map into [] or -1."""
    key = keys.active_key()
    published = json.loads(json.dumps(keys.published_keys()))
    cose = _cose_of(_sign(_claims(), keys.private_key(key), key.kid))
    protected, _unprotected, payload, signature = cbor2.loads(cose).value
    for bad in ([], -1, b"", None):
        forged = cbor2.dumps(cbor2.CBORTag(18, [protected, bad, payload, signature]))
        assert _code(_text_of(zlib.compress(forged, 9)), published, NOW) == "encoding", bad
    fine = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signature]))
    assert _code(_text_of(zlib.compress(fine, 9)), published, NOW) == "valid"
    # the same bytes compressed at another level are not the canonical text: refused
    assert _code(_text_of(zlib.compress(fine, 1)), published, NOW) == "encoding"


# -- every issued QR decodes with zxing-cpp at the size the page draws it -------------------------

SITE_CSS = Path(talentpark.__file__).parent / "static" / "talentpark" / "site.css"
CODE_PAGE = Path(talentpark.__file__).parent / "templates" / "talentcode" / "my_code.html"


def _css_px(pattern: str) -> int:
    found = re.search(pattern, SITE_CSS.read_text(encoding="utf-8"))
    assert found, pattern
    return int(found.group(1))


def qr_css_width(viewport: int) -> int:
    """CSS pixels the code page's QR is drawn at on a ``viewport``-wide screen: ``.main`` padding,
    then the ``.card`` section's border and padding, then ``svg.tc-qr { width: min(100%, 320px) }``."""
    assert 'class="card tc-show"' in CODE_PAGE.read_text(encoding="utf-8")  # the nesting assumed
    main = _css_px(r"\.main \{[^}]*padding:(\d+)px")
    card_border = _css_px(r"\.card \{[^}]*border:(\d+)px")
    card_padding = _css_px(r"\.card \{[^}]*padding:(\d+)px")
    cap = _css_px(r"svg\.tc-qr \{ width: min\(100%, (\d+)px\)")
    return min(viewport - 2 * main - 2 * (card_border + card_padding), cap)


def png_pixels(data: bytes) -> np.ndarray:
    """A greyscale array of a 1-bit PNG as segno writes it (no Pillow here)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, palette = 8, b"", None
    width = height = depth = colour = interlace = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _method, _filter, interlace = struct.unpack(">2I5B", body)
        elif kind == b"PLTE":
            palette = np.frombuffer(body, np.uint8).reshape(-1, 3)
        elif kind == b"IDAT":
            idat += body
    assert depth == 1 and colour in (0, 3) and interlace == 0, (depth, colour, interlace)
    stride = (width + 7) // 8
    raw = zlib.decompress(idat)
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        kind_ = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a, b, c = (line[i - 1] if i else 0), prev[i], (prev[i - 1] if i else 0)
            if kind_ == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind_ == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind_ == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind_ == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    bits = np.unpackbits(np.frombuffer(b"".join(rows), np.uint8).reshape(height, stride), axis=1)
    bits = bits[:, :width]
    if colour == 0:
        return (bits * 255).astype(np.uint8)
    assert palette is not None
    return palette.mean(axis=1).astype(np.uint8)[bits]


def _decoded(image: np.ndarray) -> list[str]:
    found = zxingcpp.read_barcodes(np.ascontiguousarray(image))
    return [b.text for b in found if b.valid and b.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.django_db
def test_every_issued_qr_decodes_with_zxing_at_the_pages_sizes(world):
    # certified with an end date, certified without one (another zone), not certified
    Talent.objects.filter(pk=world.talent.pk).update(tier="B", tier_valid_until=dt.date(2030, 12, 31))
    Talent.objects.filter(pk=world.foreign_talent.pk).update(tier="A", tier_valid_until=None)
    Talent.objects.filter(pk=world.carols_talent.pk).update(tier="", tier_valid_until=None)
    css = qr_css_width(375)
    assert css == 320  # 375 - 2*12 - 2*(1 + 14) = 321, capped at 320
    seen = set()
    for talent in Talent.objects.filter(
        pk__in=[world.talent.pk, world.foreign_talent.pk, world.carols_talent.pk]
    ):
        text = services.current_token(talent).token
        tier = tokens.verify(text).tier
        seen.add(tier)
        modules = qr.make(text).symbol_size(scale=1, border=qr.BORDER)[0]
        smallest = css // modules  # whole pixels per module at 375 px wide (DPR 1)
        assert smallest >= 4, (modules, smallest)
        for scale in sorted({qr.SCALE, smallest}):
            image = png_pixels(qr.png(text, scale))
            assert image.shape == (modules * scale, modules * scale)
            assert _decoded(image) == [text], (tier, scale)
        # and exactly as the browser draws it (image-rendering: pixelated): the modules resampled
        # to `css` pixels, nearest neighbour, so modules are 4 or 5 pixels wide, unevenly
        one = png_pixels(qr.png(text, 1))
        pick = np.arange(css) * modules // css
        assert _decoded(one[np.ix_(pick, pick)]) == [text], (tier, "css")
    assert seen == {"A", "B", ""}
