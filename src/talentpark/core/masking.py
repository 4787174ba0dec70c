"""Masking rules for personal information (PIPL): shown everywhere by default."""

from __future__ import annotations

import re


def mask_id_number(value: str) -> str:
    """370***********123X — first 3, last 4."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    """138****5678."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_bank_account(value: str) -> str:
    return "**** " + value[-4:] if len(value) > 4 else "****"


MASKERS = {"id_number": mask_id_number, "phone": mask_phone, "bank_account": mask_bank_account}


def mask(kind: str, value: str) -> str:
    return MASKERS[kind](value)


# Used by the log filter: anything that looks like an ID number or a mobile number.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def scrub(text: str) -> str:
    """Mask every ID-number-like and phone-like run in free text (logs, errors)."""
    text = _ID_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    return _PHONE_RE.sub(lambda m: mask_phone(m.group(0)), text)
