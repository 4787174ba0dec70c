"""The shipped code tables, read straight from ``core/data`` for the demo's value choices.

The generator chooses codes and university names from the same JSON files the data
migrations load, so planning needs no database and is identical on every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

from talentpark.core import codetables
from talentpark.core.codes import Degree

# Rows the code system uses as parents but that are not real prefectures (see SOURCES.md).
PSEUDO_PREFECTURES = frozenset({"419000", "429000", "469000", "659000", "500200"})
NO_MAINLAND_ID = frozenset({"71", "81", "82"})  # Taiwan, Hong Kong, Macao


@dataclass(frozen=True)
class UniversityInfo:
    name: str
    province: str | None
    kind: str
    is_985: bool
    is_211: bool
    is_double_first_class: bool


@dataclass(frozen=True)
class Codebook:
    current_divisions: frozenset[str]
    prefectures_by_province: dict[str, tuple[str, ...]]
    universities: tuple[UniversityInfo, ...]
    majors: dict[tuple[str, str], tuple[str, ...]]  # (chain family, 本科|高职) → names
    majors_by_level: dict[str, frozenset[str]]  # 本科|高职 → names

    def current_division(self, code: str) -> str:
        """The current division a (possibly abolished) birthplace code now belongs to."""
        renamed = {
            "370802": "370811",
            "370882": "370812",
            "140402": "140403",
            "140411": "140403",
            "140421": "140404",
            "140424": "140405",
            "140481": "140406",
        }
        code = renamed.get(code, code)
        for candidate in (code, code[:4] + "00", code[:2] + "0000"):
            if candidate in self.current_divisions:
                return candidate
        raise LookupError(code)

    def majors_for(self, family: str, degree: str) -> tuple[str, ...]:
        return self.majors[(family, _level(degree))]

    def major_for_job(self, rng: random.Random, usual: tuple[str, ...], family: str, degree: str) -> str:
        """One of the job's usual majors taught at this degree's level, else a major of the chain."""
        fitting = [m for m in usual if m in self.majors_by_level[_level(degree)]]
        return rng.choice(fitting) if fitting else rng.choice(self.majors_for(family, degree))


def _level(degree: str) -> str:
    return "高职" if degree == Degree.ZHUANKE else "本科"


@cache
def codebook() -> Codebook:
    divisions = codetables.read("divisions_gb2260.json")
    current = frozenset(d["code"] for d in divisions)
    prefectures: dict[str, list[str]] = {}
    for d in divisions:
        if d["level"] == "prefecture" and d["code"] not in PSEUDO_PREFECTURES:
            if d["code"][:2] not in NO_MAINLAND_ID:
                prefectures.setdefault(d["parent"], []).append(d["code"])
    universities = tuple(
        UniversityInfo(
            name=u["name"],
            province=u["province_code"],
            kind=u.get("kind", "本科"),
            is_985=u["is_985"],
            is_211=u["is_211"],
            is_double_first_class=u["is_double_first_class"],
        )
        for u in codetables.read("universities.json")
    )
    majors: dict[tuple[str, str], list[str]] = {}
    by_level: dict[str, set[str]] = {"本科": set(), "高职": set()}
    for m in codetables.read("majors.json"):
        by_level[m["level"]].add(m["name"])
        for family in m["chains"]:
            majors.setdefault((family, m["level"]), []).append(m["name"])
    return Codebook(
        current_divisions=current,
        prefectures_by_province={k: tuple(v) for k, v in prefectures.items()},
        universities=universities,
        majors={k: tuple(v) for k, v in majors.items()},
        majors_by_level={k: frozenset(v) for k, v in by_level.items()},
    )
