"""Identity-number validation: GB 11643 resident IDs, GB 32100 credit codes, mobiles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from talentpark.core.validators import (
    PROVINCE_PREFIXES,
    id_check_char,
    org_code_check_char,
    parse_resident_id,
    uscc_check_char,
    validate_mobile,
    validate_uscc,
)

# A well-known published specimen: 11010519491231002X (Beijing, 1949-12-31, female).
SPECIMEN = "11010519491231002X"


def test_it_decomposes_a_valid_id():
    rid = parse_resident_id(SPECIMEN)
    assert rid.birth_date == dt.date(1949, 12, 31)
    assert rid.sex == "F"
    assert rid.division_code == "110105"


def test_it_normalises_fullwidth_digits_spaces_and_lowercase_x():
    assert parse_resident_id(" １１０１０５ １９４９１２３１００２ｘ ").number == SPECIMEN


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "不能为空"),
        ("11010519491231002", "应为18位"),
        ("11010519491231002A", "末位为数字或X"),
        ("99010519491231002X", "地区码"),
        ("110105194902300021", "出生日期"),
        ("110105194912310021", "校验位不正确"),
        ("110105" + "2999" + "0101" + "001" + "0", "出生日期"),
    ],
)
def test_it_rejects_bad_ids_with_a_chinese_reason(value, reason):
    with pytest.raises(ValidationError) as exc:
        parse_resident_id(value)
    assert reason in exc.value.messages[0]


_prefixes = sorted(PROVINCE_PREFIXES)


@st.composite
def id_bodies(draw):
    prefix = draw(st.sampled_from(_prefixes))
    rest = draw(st.text("0123456789", min_size=4, max_size=4))
    birth = draw(st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2020, 12, 31)))
    seq = draw(st.text("0123456789", min_size=3, max_size=3))
    return f"{prefix}{rest}{birth:%Y%m%d}{seq}"


@given(id_bodies())
def test_any_body_with_its_computed_check_char_passes(body):
    rid = parse_resident_id(body + id_check_char(body))
    assert rid.sex == ("M" if int(body[16]) % 2 else "F")


@given(id_bodies(), st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_fails(body, pos, delta):
    valid = body + id_check_char(body)
    changed_digit = str((int(valid[pos]) + delta) % 10)
    mutated = valid[:pos] + changed_digit + valid[pos + 1 :]
    with pytest.raises(ValidationError):
        # A mutated body either breaks the date/division or, always, the checksum.
        parse_resident_id(mutated)


def _uscc(prefix: str, division: str, org_body: str) -> str:
    body = prefix + division + org_body + org_code_check_char(org_body)
    return body + uscc_check_char(body)


def test_a_valid_company_code_passes():
    code = _uscc("91", "370811", "MA3C4D5E")
    assert validate_uscc(code.lower()) == code


def test_letters_are_allowed_in_the_first_two_positions():
    code = _uscc("Y1", "370811", "12345678")  # Y = other registration authorities
    assert validate_uscc(code) == code


def test_an_embedded_org_code_with_a_wrong_check_digit_is_rejected():
    good = _uscc("91", "370811", "12345678")
    bad_org = good[:16] + ("0" if good[16] != "0" else "1")
    bad = bad_org[:17] + uscc_check_char(bad_org[:17])  # outer checksum recomputed, inner wrong
    with pytest.raises(ValidationError) as exc:
        validate_uscc(bad)
    assert "组织机构代码" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("91370811MA3C4D5E", "应为18位"),
        ("91370811MA3C4D5EI0", "不允许的字符"),
        ("9137O811MA3C4D5E00", "不允许的字符"),
    ],
)
def test_bad_company_codes_get_a_reason(value, reason):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(value)
    assert reason in exc.value.messages[0]


def test_an_outer_checksum_error_is_named():
    good = _uscc("91", "370811", "12345678")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError, match="校验位"):
        validate_uscc(wrong)


@pytest.mark.parametrize("value", ["13812345678", "+86 138-1234-5678", "１３８１２３４５６７８"])
def test_mobiles_are_normalised(value):
    assert validate_mobile(value) == "13812345678"


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "138123456789", "abc"])
def test_bad_mobiles_are_rejected(value):
    with pytest.raises(ValidationError, match="11位手机号码"):
        validate_mobile(value)
