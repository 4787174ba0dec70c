"""Validators for Chinese identity data, each raising a Chinese message.

* Resident ID numbers, GB 11643-1999: 6-digit division code, 8-digit birth date,
  3-digit sequence (odd = male), ISO 7064 MOD 11-2 check character. The division code
  must be a GB/T 2260 code, current or abolished (python-stdnum's history, see
  :func:`talentpark.core.codetables.division_history`), and must not have been abolished
  before the birth year: a number keeps the code in force when it was first assigned,
  which is never before birth. A code first used *after* the birth year is normal — most
  numbers were assigned from 1984 on, at 16 or at a later registration (任城区 370811 dates
  from 1983, yet people born there in 1975 carry it) — so, unlike
  ``stdnum.cn.ric.validate``, it is only flagged (``ResidentId.division_in_use_at_birth``).
* Unified social credit codes, GB 32100-2015: MOD 31 check character; positions
  9-17 are a GB 11714 organisation code with its own MOD 11 check digit, which
  python-stdnum does not verify — hence our own implementation.
* Mainland mobile numbers (11 digits, 1[3-9]…).

Messages say the reason; forms and the API put the field's label in front of it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from talentpark.core.codetables import division_history, division_span
from talentpark.core.normalize import compact

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"

# GB/T 2260 provincial prefixes (incl. 71 Taiwan, 81/82 Hong Kong/Macao).
PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82".split()
)


@dataclass(frozen=True)
class ResidentId:
    number: str
    division_code: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    # False when the division code came into use only after the birth year (stdnum's
    # InvalidComponent case that real numbers show, see the module docstring).
    division_in_use_at_birth: bool = True


def id_check_char(body17: str) -> str:
    total = sum(int(d) * w for d, w in zip(body17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def normalize_id_number(value: str) -> str:
    return compact(value).upper()


def parse_resident_id(value: str, *, today: dt.date | None = None) -> ResidentId:
    """Validate and decompose an 18-character resident ID number."""
    number = normalize_id_number(value)
    if not number:
        raise ValidationError("不能为空", code="required")
    if len(number) != 18:
        raise ValidationError(f"应为18位，实际为{len(number)}位", code="length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError("前17位须为数字，末位为数字或X", code="format")
    if number[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(f"地区码{number[:6]}不是有效的省级行政区划代码", code="division")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(f"出生日期{number[6:14]}不是有效日期", code="birth_date") from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise ValidationError(f"出生日期{birth.isoformat()}不在合理范围内", code="birth_date")
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise ValidationError("校验位不正确，请核对号码", code="checksum")
    code = number[:6]
    periods = division_history().get(code)
    if periods is None:
        raise ValidationError(f"地区码{code}不是GB/T 2260中的行政区划代码（现行或已撤销的）", code="division")
    in_use = any(p.covers(birth.year) for p in periods)
    if not in_use:
        _first, last = division_span(code)
        if last is not None and birth.year > last:
            raise ValidationError(
                f"地区码{code}（{periods[-1].name}）在{last}年以后已不再使用，"
                f"{birth.year}年出生的人不会取得该地区码，请核对号码",
                code="division_period",
            )
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(
        number=number, division_code=code, birth_date=birth, sex=sex, division_in_use_at_birth=in_use
    )


def validate_resident_id(value: str) -> None:
    parse_resident_id(value)


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def uscc_check_char(body17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """GB 11714 organisation code check character (MOD 11; 10 → X, 11 → 0)."""
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def normalize_uscc(value: str) -> str:
    return compact(value).upper()


def validate_uscc(value: str) -> str:
    """Return the normalised code or raise a Chinese ValidationError."""
    code = normalize_uscc(value)
    if not code:
        raise ValidationError("不能为空", code="required")
    if len(code) != 18:
        raise ValidationError(f"应为18位，实际为{len(code)}位", code="length")
    bad = [c for c in code if c not in USCC_ALPHABET]
    if bad:
        raise ValidationError(f"含有不允许的字符“{bad[0]}”（不使用I、O、S、V、Z）", code="format")
    if not code[2:8].isdigit():
        raise ValidationError("第3至8位应为行政区划代码（数字）", code="division")
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError("校验位不正确，请核对代码", code="checksum")
    org_body, org_check = code[8:16], code[16]
    if org_code_check_char(org_body) != org_check:
        raise ValidationError("第9至17位组织机构代码的校验位不正确", code="org_checksum")
    return code


_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_mobile(value: str) -> str:
    number = compact(value)
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            number = number[len(prefix) :]
    return number


def validate_mobile(value: str) -> str:
    number = normalize_mobile(value)
    if not number:
        raise ValidationError("不能为空", code="required")
    if not _MOBILE.match(number):
        raise ValidationError("应为11位手机号码，以1开头，第二位为3至9", code="format")
    return number
