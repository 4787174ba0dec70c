"""Identity-number validation: GB 11643 resident IDs, GB 32100 credit codes, mobiles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from talentpark.core.codetables import division_history, division_span
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


def _with_check(body: str) -> str:
    return body + id_check_char(body)


# Every GB/T 2260 code python-stdnum knows (current and abolished), for ID bodies.
_codes = sorted(c for c in division_history() if c[:2] in PROVINCE_PREFIXES)


@st.composite
def id_bodies(draw):
    """A body whose division code was still in use (or not yet abolished) in the birth year."""
    code = draw(st.sampled_from(_codes))
    last = division_span(code)[1] or 2020
    birth = draw(st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(min(last, 2020), 12, 31)))
    seq = draw(st.text("0123456789", min_size=3, max_size=3))
    return f"{code}{birth:%Y%m%d}{seq}"


@st.composite
def any_id_numbers(draw):
    """Any real code with any birth date, valid checksum: some abolished before the birth year."""
    code = draw(st.sampled_from(_codes))
    birth = draw(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2024, 12, 31)))
    return _with_check(f"{code}{birth:%Y%m%d}{draw(st.text('0123456789', min_size=3, max_size=3))}")


def test_an_id_from_any_real_county_validates():
    # Counties far from the old hand-made subset (济宁, 长治, 德阳 …).
    for body in ("33010619850301001", "65400419921120002", "54262119780615003", "23270119900101004"):
        assert parse_resident_id(_with_check(body)).division_code == body[:6]


def test_an_unknown_county_code_is_rejected_with_the_code_named():
    with pytest.raises(ValidationError) as exc:
        parse_resident_id(_with_check("11019919900101002"))  # Beijing has no district 99
    assert exc.value.code == "division"
    assert "地区码110199" in exc.value.messages[0]


def test_a_code_abolished_before_the_birth_year_is_rejected_as_stdnum_does():
    number = _with_check("37080220150101002")  # 济宁市市中区, merged into 任城区 in 2013
    with pytest.raises(StdnumError):
        ric.validate(number)
    with pytest.raises(ValidationError) as exc:
        parse_resident_id(number)
    assert exc.value.code == "division_period"
    assert "2013" in exc.value.messages[0] and "2015" in exc.value.messages[0]
    # Born while it still existed: valid, and the abolished code is kept.
    assert parse_resident_id(_with_check("37080219900101002")).division_in_use_at_birth


def test_a_code_newer_than_the_birth_year_is_flagged_not_rejected():
    # 任城区 (370811) dates from 1983; people born there earlier got their numbers later.
    number = _with_check("37081119750517002")
    with pytest.raises(StdnumError):
        ric.validate(number)  # stdnum flags it ...
    rid = parse_resident_id(number)  # ... we keep the person and flag the number
    assert rid.division_in_use_at_birth is False
    assert parse_resident_id(_with_check("37081119900517002")).division_in_use_at_birth is True


@given(any_id_numbers())
def test_we_agree_with_stdnum_except_for_codes_newer_than_the_birth(number):
    try:
        ric.validate(number)
        stdnum_ok = True
    except (StdnumError, KeyError):  # stdnum raises KeyError for some codes it half-knows
        stdnum_ok = False
    try:
        rid = parse_resident_id(number)
    except ValidationError:
        rid = None
    if stdnum_ok:
        assert rid is not None and rid.division_in_use_at_birth
    elif rid is not None:
        # We only keep what stdnum refuses when the code was not yet (or not then) in use:
        # never when it had been abolished before the birth year.
        assert not rid.division_in_use_at_birth
        last = division_span(number[:6])[1]
        assert last is None or int(number[6:10]) <= last


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
