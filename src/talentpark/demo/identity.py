"""Identity values for the demo: names with pinyin, resident ID numbers, mobiles, USCCs, bank cards.

Everything is computed, never looked up: ID numbers follow GB 11643 (division code,
birth date, sequence with the sex parity, MOD 11-2 check), mobile numbers use real
carrier prefixes with a suffix that is a keyed permutation of a running number (so
they are unique without remembering them), unified social credit codes follow
GB 32100 with the embedded GB 11714 organisation-code check, and debit-card numbers
are a bank's six-digit prefix, a keyed permutation of the owner's number and a Luhn
check digit (ISO/IEC 7812).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from bisect import bisect
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from pypinyin import lazy_pinyin
from stdnum import luhn

from talentpark.core.codes import Sex
from talentpark.core.validators import USCC_ALPHABET, id_check_char, org_code_check_char, uscc_check_char
from talentpark.demo import vocab

MOBILE_PREFIXES = (
    "134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "178",
    "182", "183", "187", "188", "130", "131", "132", "155", "156", "166", "175", "176", "185",
    "186", "133", "153", "173", "177", "180", "181", "189", "191", "199", "198",
)  # fmt: skip

# Disjoint ranges of the mobile-number permutation, one per kind of owner.
PHONE_RANGE_PEOPLE = 0
PHONE_RANGE_ENTERPRISES = 60_000_000
PHONE_RANGE_LECTURERS = 80_000_000


class WeightedChoice:
    """``random.choices`` with precomputed cumulative weights (for long lists drawn often)."""

    __slots__ = ("_cum", "_items", "_total")

    def __init__(self, items: list, weights: list[float]) -> None:
        self._items = list(items)
        self._cum = list(accumulate(weights))
        self._total = self._cum[-1]

    def __call__(self, rng: random.Random):  # type: ignore[no-untyped-def]
        return self._items[bisect(self._cum, rng.random() * self._total)]


@lru_cache(maxsize=65536)
def _given_pinyin(given: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(given))


@lru_cache(maxsize=256)
def _surname_pinyin(surname: str) -> tuple[str, ...]:
    return tuple(vocab.SURNAME_PINYIN.get(surname) or lazy_pinyin(surname))


def name_pinyin(surname: str, given: str) -> str:
    """ "zhangsan zs": full pinyin without spaces, a space, then the initials."""
    syllables = _surname_pinyin(surname) + _given_pinyin(given)
    return "".join(syllables) + " " + "".join(s[0] for s in syllables if s)


class NameMaker:
    """Chinese names weighted by surname frequency, with era- and sex-typical given names."""

    def __init__(self, boost: dict[str, float] | None = None) -> None:
        boost = boost or {}
        surnames = [s for s, _ in vocab.SURNAMES]
        weights = [w * boost.get(s, 1.0) for s, w in vocab.SURNAMES]
        self._surname = WeightedChoice(surnames, weights)

    def surname(self, rng: random.Random) -> str:
        return self._surname(rng)

    def given(self, rng: random.Random, sex: str, birth_year: int) -> str:
        male = sex == Sex.MALE
        modern = birth_year >= 1990 or (birth_year >= 1982 and rng.random() < 0.5)
        if rng.random() < 0.15:
            return rng.choice(vocab.GIVEN_MALE_WHOLE if male else vocab.GIVEN_FEMALE_WHOLE)
        if male:
            pool = vocab.GIVEN_MALE_MODERN if modern else vocab.GIVEN_MALE_CLASSIC
        else:
            pool = vocab.GIVEN_FEMALE_MODERN if modern else vocab.GIVEN_FEMALE_CLASSIC
        single = 0.2 if modern else 0.45
        if rng.random() < single:
            return rng.choice(pool)
        first, second = rng.choice(pool), rng.choice(pool)
        while second == first:
            second = rng.choice(pool)
        return first + second

    def full(
        self, rng: random.Random, sex: str, birth_year: int, surname: str | None = None
    ) -> tuple[str, str]:
        """(name, name_pinyin)."""
        family = surname or self.surname(rng)
        given = self.given(rng, sex, birth_year)
        return family + given, name_pinyin(family, given)


class Permutation:
    """A keyed bijection on [0, 10**8): a 4-round Feistel network on two 10**4 halves."""

    HALF = 10_000

    def __init__(self, key: str) -> None:
        digest = hashlib.sha256(key.encode()).digest()
        self._keys = [int.from_bytes(digest[i * 8 : i * 8 + 8], "big") for i in range(4)]

    def __call__(self, n: int) -> int:
        left, right = divmod(n, self.HALF)
        for k in self._keys:
            mixed = ((right + 1) * 0x9E3779B97F4A7C15 ^ k) & 0xFFFFFFFFFFFF
            left, right = right, (left + (mixed >> 13)) % self.HALF
        return left * self.HALF + right


def luhn_check_digit(body: str) -> str:
    """The Luhn (mod 10) check digit to append to the digits ``body``."""
    return luhn.calc_check_digit(body)


def luhn_valid(number: str) -> bool:
    return number.isdigit() and len(number) >= 2 and luhn.is_valid(number)


@dataclass(frozen=True)
class Bank:
    """A bank branch where talents hold their salary card (``{city}``: the zone's city)."""

    name: str
    prefix: str  # six-digit issuer prefix of its debit cards
    length: int  # card number length, 16–19
    weight: float


BANKS = (
    Bank("中国工商银行{city}高新区支行", "622202", 19, 22),
    Bank("中国建设银行{city}高新技术开发区支行", "621700", 19, 18),
    Bank("中国农业银行{city}分行营业部", "622848", 19, 14),
    Bank("中国银行{city}分行", "621661", 19, 10),
    Bank("交通银行{city}分行", "622262", 17, 6),
    Bank("中国邮政储蓄银行{city}市分行", "621799", 19, 8),
    Bank("{city}银行高新区支行", "622876", 16, 16),
    Bank("{city}农村商业银行高新区支行", "621521", 19, 6),
)


class IdentityPool:
    """Issues unique resident ID numbers, mobile numbers and bank cards for one demo run."""

    def __init__(self, seed: int) -> None:
        self._used_ids: set[int] = set()
        self._phone_permutation = Permutation(f"talentpark-demo-phones:{seed}")
        self._card_permutation = Permutation(f"talentpark-demo-cards:{seed}")

    def resident_id(self, rng: random.Random, division: str, birth: dt.date, sex: str) -> str:
        """A GB 11643 number for this division, birth date and sex, never issued before in this run."""
        stem = f"{division}{birth:%Y%m%d}"
        parity = 1 if sex == Sex.MALE else 0
        for _ in range(200):
            sequence = rng.randrange(0, 500) * 2 + parity
            body = f"{stem}{sequence:03d}"
            key = int(body)
            if key not in self._used_ids:
                self._used_ids.add(key)
                return body + id_check_char(body)
        raise RuntimeError(f"no free ID sequence left for {stem}")

    def mobile(self, rng: random.Random, number: int) -> str:
        """The mobile number of owner ``number`` (unique per number; see the PHONE_RANGE_* offsets)."""
        return rng.choice(MOBILE_PREFIXES) + f"{self._phone_permutation(number):08d}"

    def bank_card(self, rng: random.Random, bank: Bank, number: int) -> str:
        """A Luhn-valid card number of ``bank`` for owner ``number`` (unique per bank and number < 10**8)."""
        filler = "".join(rng.choice("0123456789") for _ in range(bank.length - len(bank.prefix) - 9))
        body = f"{bank.prefix}{filler}{self._card_permutation(number):08d}"
        return body + luhn_check_digit(body)


_ORG_NEW = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # the USCC alphabet: no I, O, S, V, Z


def uscc(rng: random.Random, division: str, founded_year: int) -> str:
    """A GB 32100 code of an enterprise (登记管理部门 9, 类别 1) registered in ``division``.

    Organisation codes issued since the 2015 reform start with "MA"; older ones are digits.
    """
    if founded_year >= 2016:
        org = "MA" + "".join(rng.choice(_ORG_NEW) for _ in range(6))
    else:
        org = "".join(rng.choice("0123456789") for _ in range(8))
    body = "91" + division + org + org_code_check_char(org)
    assert all(c in USCC_ALPHABET for c in body)
    return body + uscc_check_char(body)
