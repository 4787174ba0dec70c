"""Field rules of the registry, shared by its services and the Excel importer.

Each rule takes a :class:`~talentpark.core.validation.FieldErrors`, the field key, its
Chinese label and the raw value; it either returns the cleaned value or adds one
"<label>：<reason>" message and returns ``None``. The reasons are the ones
``register_talent`` and ``update_enterprise`` have always given, so a talent registered
on a page, through the API or from a spreadsheet is held to the same rules.

Normalisation (what users paste from Word, WeChat and Excel):

* codes and numbers (ID numbers, credit codes, phones, dates, amounts) are folded to
  half-width (``３７０`` → ``370``) and stripped of every kind of space;
* free text (names, addresses, majors) keeps its characters — NFKC would turn the
  full-width ``（`` of ``济宁某某（集团）有限公司`` into ``(`` — and only has ideographic,
  non-breaking and zero-width spaces turned into plain ones, collapsed and trimmed.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext

from talentpark.core.codes import Sex
from talentpark.core.normalize import compact, to_halfwidth
from talentpark.core.validation import FORMULA_STARTS, FieldErrors, parse_date
from talentpark.core.validators import ResidentId, parse_resident_id, validate_mobile, validate_uscc

_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def clean_free_text(value: Any) -> str:
    """Trim and collapse whitespace of free text; ideographic and odd spaces count as spaces."""
    if value is None:
        return ""
    return " ".join(_ODD_SPACES.sub(" ", str(value)).split())


def free_text(
    errors: FieldErrors,
    field: str,
    label: str,
    value: Any,
    *,
    max_len: int,
    required: bool = False,
    formula_guard: bool = False,
) -> str:
    """Free text; with ``formula_guard`` text that a spreadsheet would run as a formula is refused."""
    text = clean_free_text(value)
    if not text:
        if required:
            errors.add(field, label, gettext("不能为空"))
        return ""
    if formula_guard and text.startswith(FORMULA_STARTS):
        errors.add(field, label, gettext("不能以 = + - @ 等公式符号开头（可能是公式），请改为纯文本"))
        return text
    if max_len and len(text) > max_len:
        errors.add(field, label, gettext("不能超过%(n)d个字") % {"n": max_len})
    return text


def fold(value: Any) -> str:
    """Half-width, with every kind of space removed (hyphens kept, unlike ``compact``)."""
    return "".join(to_halfwidth(_ODD_SPACES.sub(" ", str(value if value is not None else ""))).split())


def parse_flexible_date(value: Any) -> dt.date:
    """A date from a date cell or text: 2021-03-01, 2021/3/1, 2021.3.1, 2021年3月1日, 20210301."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = fold(value)
    m = _COMPACT_DATE.match(text)
    if m:
        text = f"{m[1]}-{m[2]}-{m[3]}"
    try:
        return parse_date(text)
    except ValidationError as exc:
        if exc.code == "format":
            raise ValidationError(
                gettext("日期格式应为2021-03-01、2021/3/1、2021年3月1日或20210301"), code="format"
            ) from None
        raise


def date_value(
    errors: FieldErrors,
    field: str,
    label: str,
    value: Any,
    *,
    required: bool = False,
    not_future: bool = False,
) -> dt.date | None:
    if value in (None, ""):
        if required:
            errors.add(field, label, gettext("不能为空"))
        return None
    day = errors.check(field, label, parse_flexible_date, value)
    if day is None:
        return None
    if not_future and day > dt.date.today():
        errors.add(field, label, gettext("不能晚于今天"))
        return None
    if day.year < 1900:
        errors.add(field, label, gettext("日期不在合理范围内"))
        return None
    return day


def resident_id(
    errors: FieldErrors,
    value: Any,
    *,
    sex: str = "",
    birth_date: Any = None,
    field: str = "id_number",
    label: str = "身份证号",
    sex_field: str = "sex",
    birth_field: str = "birth_date",
) -> ResidentId | None:
    """The resident ID (checksum, birthplace, date), cross-checked with the entered sex and birth date."""
    rid = errors.check(field, label, parse_resident_id, value)
    if rid is None:
        return None
    if sex and sex != rid.sex:
        shown = Sex(rid.sex).label
        errors.add(
            sex_field, gettext("性别"), gettext("与身份证号不一致（身份证号显示为%(sex)s）") % {"sex": shown}
        )
    if birth_date not in (None, ""):
        day = errors.check(birth_field, gettext("出生日期"), parse_flexible_date, birth_date)
        if day and day != rid.birth_date:
            errors.add(
                birth_field,
                gettext("出生日期"),
                gettext("与身份证号不一致（应为%(day)s）") % {"day": rid.birth_date.isoformat()},
            )
    return rid


def mobile(errors: FieldErrors, field: str, label: str, value: Any, *, required: bool = True) -> str | None:
    if value in (None, "") and not required:
        return None
    return errors.check(field, label, validate_mobile, "" if value is None else str(value))


def choice(
    errors: FieldErrors,
    field: str,
    label: str,
    value: Any,
    choices: type[models.TextChoices],
    *,
    aliases: Mapping[str, str] | None = None,
) -> str | None:
    """A code of ``choices``, given as the code itself, its Chinese label or a known alias."""
    text = compact(str(value or ""))
    code = _choice_codes(choices).get(text)
    if code is not None:
        return code
    if aliases and text in aliases:
        return str(aliases[text])
    errors.add(field, label, gettext("“%(value)s”不是有效选项") % {"value": clean_free_text(value)[:40]})
    return None


@lru_cache(maxsize=64)
def _choice_codes(choices: type[models.TextChoices]) -> dict[str, str]:
    """Code and compacted label → code (``Choices.choices`` builds a new list on every access)."""
    codes: dict[str, str] = {}
    for code, name in choices.choices:
        codes.setdefault(compact(str(name)), str(code))
        codes[str(code)] = str(code)
    return codes


def boolean(errors: FieldErrors, field: str, label: str, value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = compact(str(value if value is not None else "")).lower()
    if text in ("是", "y", "yes", "true", "1", "√", "✓"):
        return True
    if text in ("否", "n", "no", "false", "0", "", "×", "x"):
        return False
    errors.add(field, label, gettext("应填“是”或“否”"))
    return None


def non_negative_int(errors: FieldErrors, field: str, label: str, value: Any) -> int | None:
    try:
        if isinstance(value, float) and not value.is_integer():
            raise ValueError
        number = int(value) if isinstance(value, int | float) else int(fold(value).replace(",", ""))
        if number < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors.add(field, label, gettext("应为不小于0的整数"))
        return None
    return number


def non_negative_amount(errors: FieldErrors, field: str, label: str, value: Any) -> decimal.Decimal | None:
    """An amount in 万元 with at most two decimals."""
    if value in (None, ""):
        return None
    try:
        text = repr(value) if isinstance(value, float) else fold(value).replace(",", "")
        amount = decimal.Decimal(text)
        if not amount.is_finite() or amount < 0 or amount >= decimal.Decimal(10) ** 12:
            raise ValueError
    except (decimal.InvalidOperation, ValueError):
        errors.add(field, label, gettext("应为不小于0的数字（万元）"))
        return None
    return amount.quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)


def email(errors: FieldErrors, field: str, label: str, value: Any) -> str:
    text = fold(value).lower()
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        errors.add(field, label, gettext("不是有效的电子邮箱地址"))
    return text


def uscc_in_division(
    errors: FieldErrors,
    value: Any,
    division_code: str | None,
    *,
    field: str = "uscc",
    label: str = "统一社会信用代码",
) -> str | None:
    """A valid credit code whose registration-authority region lies in the enterprise's province."""
    code = errors.check(field, label, validate_uscc, "" if value is None else str(value))
    if code and division_code and code[2:4] != division_code[:2]:
        errors.add(field, label, gettext("第3至8位的登记管理机关行政区划与企业注册地不在同一省份"))
    return code


def leading_code(value: Any, length: int) -> str:
    """``"3411 锅炉及辅助设备制造"`` → ``"3411"``: the code of a "code name" drop-down entry."""
    text = to_halfwidth(clean_free_text(value))
    head = text.split(" ", 1)[0]
    return head.upper() if len(head) == length else compact(text).upper()


__all__ = [
    "FORMULA_STARTS",
    "boolean",
    "choice",
    "clean_free_text",
    "date_value",
    "email",
    "fold",
    "free_text",
    "leading_code",
    "mobile",
    "non_negative_amount",
    "non_negative_int",
    "parse_flexible_date",
    "resident_id",
    "uscc_in_division",
]


def programme(errors: Any, find: Any, level: str, name: str) -> tuple[str, str]:
    """A talent programme named as the zone's 本地人才计划 dictionary has it (its label, an old
    value, one of its other spellings): the dictionary's name, and its level when none was given.
    A name the dictionary does not hold (a national programme) is kept as written; a level that
    contradicts the dictionary's is refused under 入选人才计划. ``find`` is
    ``core.dictionaries.matcher(PROGRAMMES, zone_id)``, built once per form or import."""
    from talentpark.core.codes import ProgrammeLevel

    item = find(name)
    if item is None:
        return level, name
    known = str(item.extra.get("level") or "")
    if known and not level:
        level = known
    elif known and level != known and known in ProgrammeLevel.values:
        errors.add(
            "programme_level",
            "入选人才计划",
            gettext("“%(name)s”是%(level)s，与所填级别不符")
            % {"name": item.label, "level": ProgrammeLevel(known).label},
        )
    return level, item.label
