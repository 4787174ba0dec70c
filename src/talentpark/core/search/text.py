"""Text normalisation and pinyin for the search index (pure Python, no Django).

Every token that reaches the database is produced by :func:`alnum_runs`: lower case, NFKC
folded (full-width ``３７０`` becomes ``370``), and made only of letters, digits and marks.
Spaces and punctuation are never inside a token, so SQLite's FTS5 tokenizer (told to split on
nothing but separators) and PostgreSQL's ``array_to_tsvector`` see exactly the same tokens,
and a user's quote, star, colon or ``NEAR(`` can never reach either query language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from pypinyin import lazy_pinyin

MAX_TOKEN_CHARS = 40

# Compound surnames (复姓) that the name splitter keeps together.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 夏侯 轩辕 端木 独孤 南宫 西门 万俟 闻人 百里 呼延 澹台".split()
)
# Surnames that read differently from the same character in ordinary words.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan",),
    "曾": ("zeng",),
    "解": ("xie",),
    "翟": ("zhai",),
    "仇": ("qiu",),
    "朴": ("piao",),
    "区": ("ou",),
    "查": ("zha",),
    "盖": ("ge",),
    "乐": ("yue",),
    "覃": ("qin",),
    "缪": ("miao",),
    "种": ("chong",),
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"),
}
_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]")


def normalize(text: str) -> str:
    """NFKC (full-width to half-width), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _is_token_char(ch: str) -> bool:
    if ch.isascii():
        return ch.isalnum()
    category = unicodedata.category(ch)
    return category[0] in "LNM" or category in ("Co", "Cn")


@lru_cache(maxsize=8192)
def alnum_runs(word: str) -> tuple[str, ...]:
    """The runs of token characters in an already-normalised ``word``."""
    runs: list[str] = []
    current: list[str] = []
    for ch in word:
        if _is_token_char(ch):
            current.append(ch)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return tuple(r[:MAX_TOKEN_CHARS] for r in runs)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text or ""))


def compact_key(text: str) -> str:
    """A whole string as one token: normalised, with every separator removed ("鲁擎 重工" → "鲁擎重工")."""
    return "".join(alnum_runs(normalize(text)))[:MAX_TOKEN_CHARS]


def split_name(name: str) -> tuple[str, str]:
    """(surname, given name) of a Chinese personal name; ("", name) when it is not one."""
    name = (name or "").strip()
    if len(name) < 2 or not has_cjk(name):
        return "", name
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[0], name[1:]


@lru_cache(maxsize=32768)
def _char_syllable(ch: str) -> str:
    reading = lazy_pinyin(ch, errors="ignore")
    syllable = reading[0].lower().replace("ü", "v") if reading else ""
    return syllable if syllable.isascii() and syllable.isalpha() else ""


@lru_cache(maxsize=8192)
def _word_syllables(word: str) -> tuple[str, ...]:
    return tuple(
        s.lower().replace("ü", "v") for s in lazy_pinyin(word, errors="ignore") if s.isascii() and s.isalpha()
    )


def syllables(text: str, *, surname: str = "", per_char: bool = False) -> tuple[str, ...]:
    """Tone-less pinyin syllables of the CJK characters of ``text`` (other characters are dropped).

    ``per_char`` reads each character alone (cached; right for given names, which are not
    words); otherwise the text is read as words, which knows that 银行 is "yinhang".
    """
    head: tuple[str, ...] = ()
    rest = text
    if surname and text.startswith(surname) and surname in SURNAME_READINGS:
        head, rest = SURNAME_READINGS[surname], text[len(surname) :]
    if per_char:
        tail = tuple(s for s in (_char_syllable(ch) for ch in rest) if s)
    else:
        tail = _word_syllables(rest)
    return head + tail


def pinyin_names(name: str, stored: str = "", *, person: bool = False) -> tuple[list[str], list[str]]:
    """How ``name`` is typed in pinyin: ``(whole, syllables)``.

    ``whole`` are the full spelling and the initials (``zhangsan``, ``zs``), each a way to type
    the whole name; ``syllables`` (``zhang``, ``san``) are given for people only. ``stored`` is
    a "zhangsan zs" value kept on the record (it knows surname readings the dictionary may
    not); the syllables are computed either way.
    """
    if not has_cjk(name):
        return [], []
    surname = split_name(name)[0] if person else ""
    parts = syllables(name, surname=surname, per_char=person)
    whole: list[str] = []
    for word in normalize(stored).split():
        whole.extend(alnum_runs(word))
    if parts:
        whole.append("".join(parts)[:MAX_TOKEN_CHARS])
        whole.append("".join(p[0] for p in parts))
    return unique(whole), (list(parts) if person else [])


def unique(tokens: list[str] | tuple[str, ...] | Iterator[str]) -> list[str]:
    """Tokens in first-seen order, each once."""
    return list(dict.fromkeys(t for t in tokens if t))
