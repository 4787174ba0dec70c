"""Collecting field errors so bad input is rejected whole, with every reason at once.

Each message is "<field label>：<reason>", in Chinese; the API returns the field name
alongside it, pages show it next to the input.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError

from talentpark.core.normalize import to_halfwidth

T = TypeVar("T")

_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
# Characters a spreadsheet treats as the start of a formula (OWASP "CSV injection"). The Excel
# import refuses free text starting with one, and so does the API (``core.api_kit.FreeText``).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_LEADING_BLANKS = re.compile(r"^[\s\u200b\u200c\u200d\u2060\ufeff]+")


def starts_like_formula(text: str) -> bool:
    """Whether ``text``, trimmed and folded as the services store it (``＝`` → ``=``), starts a formula."""
    return _LEADING_BLANKS.sub("", unicodedata.normalize("NFKC", text)).startswith(FORMULA_STARTS)


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = to_halfwidth(str(value or "")).strip()
    if not text:
        raise ValidationError("不能为空", code="required")
    m = _DATE_RE.match(text)
    if not m:
        raise ValidationError("日期格式应为YYYY-MM-DD", code="format")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValidationError(f"{text}不是有效日期", code="invalid") from None


class FieldErrors:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, label: str, reason: str) -> None:
        self.errors.setdefault(field, []).append(f"{label}：{reason}")

    def check(self, field: str, label: str, fn: Callable[[Any], T], value: Any) -> T | None:
        try:
            return fn(value)
        except ValidationError as exc:
            for msg in exc.messages:
                self.add(field, label, msg)
            return None

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def field_label(model: Any, name: str) -> str:
    """The Chinese label of a model field, for error messages and forms."""
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def error_list(exc: ValidationError) -> list[dict[str, str]]:
    """[{field, message}] for the API and pages; non-field errors get field "__all__"."""
    if hasattr(exc, "error_dict"):
        return [{"field": f, "message": m} for f, errs in exc.message_dict.items() for m in errs]
    return [{"field": "__all__", "message": m} for m in exc.messages]
