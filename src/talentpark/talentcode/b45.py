"""Base45 (RFC 9285): what a QR code's alphanumeric mode carries at 5.5 bits a character."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


def encode(data: bytes) -> str:
    out: list[str] = []
    for i in range(0, len(data), 2):
        if i + 1 < len(data):
            n = data[i] * 256 + data[i + 1]
            rest, c = divmod(n, 45)
            e, d = divmod(rest, 45)
            out += (ALPHABET[c], ALPHABET[d], ALPHABET[e])
        else:
            d, c = divmod(data[i], 45)
            out += (ALPHABET[c], ALPHABET[d])
    return "".join(out)


def decode(text: str) -> bytes:
    """The bytes of ``text``; ``ValueError`` for a character outside the alphabet or a bad length."""
    if len(text) % 3 == 1:
        raise ValueError("base45: bad length")
    try:
        values = [_VALUE[ch] for ch in text]
    except KeyError:
        raise ValueError("base45: character outside the alphabet") from None
    out = bytearray()
    for i in range(0, len(values), 3):
        group = values[i : i + 3]
        if len(group) == 3:
            n = group[0] + group[1] * 45 + group[2] * 45 * 45
            if n > 0xFFFF:
                raise ValueError("base45: group out of range")
            out += n.to_bytes(2, "big")
        else:
            n = group[0] + group[1] * 45
            if n > 0xFF:
                raise ValueError("base45: group out of range")
            out.append(n)
    return bytes(out)
