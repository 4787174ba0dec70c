"""Two-way person–job matching that explains itself.

A score is the sum of seven named parts, each bounded by its weight; the weights sum to 100, so
no score exceeds 100 % (Odoo's skills score can: it divides by the wrong total). Every part says
what matched and what is missing, so a talent sees why a job fits her and an enterprise why a
candidate is on its list:

========== ====== ===========================================================================
part       weight how it is earned
========== ====== ===========================================================================
职业        25     same occupation (2022 大典 细类) 25; same 小类 18; same 中类 10; same 大类 4
技能        25     25 × (required skills she has) / (required skills)
学历        15     at least the minimum 15; one level below 5
专业        10     no requirement, or the same major 10; a related major (shared stem) 6
经验        10     10 × min(her years / required years, 1)
薪资        10     her expectation within the band 10; up to 20 % above its top 4
地点        5      the job's district among hers, or either side without preference 5
========== ====== ===========================================================================

Facts are plain frozen dataclasses (:class:`JobFacts`, :class:`SeekerFacts`), loaded in bulk by
``recruitment.facts``; :func:`points` is the same arithmetic as :func:`explain` without the words,
for ranking thousands of pairs, and a test holds them equal.

Ranking (:class:`Index`) does not score every pair: a pair sharing neither a skill nor the
occupation's 中类 can earn at most :data:`UNRELATED_CEILING` points, so only related pairs are
scored, and the full scan runs only when the k-th best related score does not beat that ceiling —
the top k are always exactly those of the full scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from talentpark.core.codes import DEGREE_RANK

WEIGHTS: dict[str, int] = {
    "occupation": 25,
    "skills": 25,
    "degree": 15,
    "major": 10,
    "experience": 10,
    "salary": 10,
    "district": 5,
}
LABELS: dict[str, str] = {
    "occupation": "职业",
    "skills": "技能",
    "degree": "学历",
    "major": "专业",
    "experience": "经验",
    "salary": "薪资",
    "district": "地点",
}
# Occupation points by the depth of the shared ancestor: 细类 (4), 小类 (3), 中类 (2), 大类 (1).
OCCUPATION_POINTS = {4: 25, 3: 18, 2: 10, 1: 4, 0: 0}
DEGREE_BELOW_POINTS = 5
MAJOR_RELATED_POINTS = 6
SALARY_STRETCH = 1.2
SALARY_STRETCH_POINTS = 4
# The most a pair sharing no skill and no 中类 can earn (occupation at most 大类: 4, skills 0).
UNRELATED_CEILING = OCCUPATION_POINTS[1] + sum(
    w for k, w in WEIGHTS.items() if k not in ("occupation", "skills")
)

DEGREE_NAMES = {"31": "专科", "21": "本科", "14": "硕士研究生", "11": "博士研究生", "PD": "博士后"}
_RANK_NAMES = {DEGREE_RANK[code]: name for code, name in DEGREE_NAMES.items()}


def norm_skill(text: str) -> str:
    return " ".join(str(text).split()).lower()


def occupation_depth(a: str, b: str) -> int:
    """How many levels two 大典 codes share (``2-02-10-03`` vs ``2-02-10-07`` → 3)."""
    if not a or not b:
        return 0
    depth = 0
    for x, y in zip(a.split("-"), b.split("-"), strict=False):
        if x != y:
            break
        depth += 1
    return depth


def group2(code: str) -> str:
    """The 中类 of an occupation code (``2-02``), or "" for an uncoded one."""
    parts = code.split("-")
    return "-".join(parts[:2]) if len(parts) >= 2 else ""


def majors_related(a: str, b: str) -> bool:
    """Same stem: one contains the other, or they share their first two characters (计算机…)."""
    return bool(a and b) and (a in b or b in a or a[:2] == b[:2])


@dataclass(frozen=True, slots=True)
class JobFacts:
    id: int
    occupation: str = ""
    skills: tuple[str, ...] = ()  # as the enterprise wrote them
    min_degree_rank: int = 0
    major: str = ""
    min_experience: int = 0
    salary_min: int = 0
    salary_max: int = 0
    district: str = ""
    skill_keys: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "skill_keys", frozenset(norm_skill(s) for s in self.skills))


@dataclass(frozen=True, slots=True)
class SeekerFacts:
    id: int
    occupations: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    degree_rank: int = 0
    majors: tuple[str, ...] = ()
    experience: int = 0
    expected_salary: int | None = None
    districts: frozenset[str] = frozenset()
    skill_keys: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "skill_keys", frozenset(norm_skill(s) for s in self.skills))


@dataclass(frozen=True, slots=True)
class Part:
    key: str
    points: int
    matched: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    note: str = ""

    @property
    def label(self) -> str:
        return LABELS[self.key]

    @property
    def weight(self) -> int:
        return WEIGHTS[self.key]


@dataclass(frozen=True, slots=True)
class Match:
    job_id: int
    seeker_id: int
    parts: tuple[Part, ...]

    @property
    def total(self) -> int:
        return sum(p.points for p in self.parts)

    @property
    def matched(self) -> list[str]:
        return [m for p in self.parts for m in p.matched]

    @property
    def missing(self) -> list[str]:
        return [m for p in self.parts for m in p.missing]


# -- the arithmetic, once: each part's points ------------------------------------------------------


def _occupation_points(job: JobFacts, seeker: SeekerFacts) -> tuple[int, str]:
    best, best_code = 0, ""
    for code in seeker.occupations:
        depth = occupation_depth(job.occupation, code)
        if depth > best:
            best, best_code = depth, code
    return OCCUPATION_POINTS[min(best, 4)], best_code


def _skill_points(job: JobFacts, seeker: SeekerFacts) -> int:
    if not job.skill_keys:
        return 0
    shared = len(job.skill_keys & seeker.skill_keys)
    return round(WEIGHTS["skills"] * shared / len(job.skill_keys))


def _degree_points(job: JobFacts, seeker: SeekerFacts) -> int:
    if seeker.degree_rank >= job.min_degree_rank:
        return WEIGHTS["degree"]
    return DEGREE_BELOW_POINTS if seeker.degree_rank == job.min_degree_rank - 1 else 0


def _major_points(job: JobFacts, seeker: SeekerFacts) -> tuple[int, str]:
    if not job.major:
        return WEIGHTS["major"], ""
    if job.major in seeker.majors:
        return WEIGHTS["major"], job.major
    for m in seeker.majors:
        if majors_related(job.major, m):
            return MAJOR_RELATED_POINTS, m
    return 0, ""


def _experience_points(job: JobFacts, seeker: SeekerFacts) -> int:
    if job.min_experience <= 0 or seeker.experience >= job.min_experience:
        return WEIGHTS["experience"]
    return round(WEIGHTS["experience"] * seeker.experience / job.min_experience)


def _salary_points(job: JobFacts, seeker: SeekerFacts) -> int:
    want = seeker.expected_salary
    if not want or want <= job.salary_max:
        return WEIGHTS["salary"]
    return SALARY_STRETCH_POINTS if want <= job.salary_max * SALARY_STRETCH else 0


def _district_points(job: JobFacts, seeker: SeekerFacts) -> int:
    if not job.district or not seeker.districts or job.district in seeker.districts:
        return WEIGHTS["district"]
    return 0


def points(job: JobFacts, seeker: SeekerFacts) -> int:
    """The total score of a pair, 0–100 (what :func:`explain` sums, without building its words)."""
    return (
        _occupation_points(job, seeker)[0]
        + _skill_points(job, seeker)
        + _degree_points(job, seeker)
        + _major_points(job, seeker)[0]
        + _experience_points(job, seeker)
        + _salary_points(job, seeker)
        + _district_points(job, seeker)
    )


# -- the words ---------------------------------------------------------------------------------------


def explain(
    job: JobFacts,
    seeker: SeekerFacts,
    occupation_name: Callable[[str], str] | None = None,
    district_name: Callable[[str], str] | None = None,
) -> Match:
    """The score of a pair as its seven parts, each with what matched and what is missing.

    ``occupation_name`` / ``district_name`` turn codes into names for the words (codes if omitted).
    """
    occ = occupation_name or (lambda c: c)
    dist = district_name or (lambda c: c)
    parts: list[Part] = []

    pts, code = _occupation_points(job, seeker)
    if not job.occupation:
        parts.append(Part("occupation", 0, note="岗位未标注职业分类"))
    elif pts == WEIGHTS["occupation"]:
        parts.append(Part("occupation", pts, matched=(occ(job.occupation),), note="意向职业相同"))
    elif pts:
        level = {18: "小类", 10: "中类", 4: "大类"}[pts]
        parts.append(
            Part(
                "occupation", pts, matched=(occ(code),), missing=(occ(job.occupation),), note=f"同属一{level}"
            )
        )
    else:
        parts.append(Part("occupation", 0, missing=(occ(job.occupation),), note="意向职业不同"))

    have = seeker.skill_keys
    parts.append(
        Part(
            "skills",
            _skill_points(job, seeker),
            matched=tuple(s for s in job.skills if norm_skill(s) in have),
            missing=tuple(s for s in job.skills if norm_skill(s) not in have),
            note="" if job.skills else "岗位未列出技能要求",
        )
    )

    need = _RANK_NAMES.get(job.min_degree_rank, "不限")
    own = _RANK_NAMES.get(seeker.degree_rank, "未填写")
    pts = _degree_points(job, seeker)
    parts.append(
        Part(
            "degree",
            pts,
            matched=(f"{own}（要求{need}）",) if pts == WEIGHTS["degree"] else (),
            missing=() if pts == WEIGHTS["degree"] else (f"要求{need}，现为{own}",),
        )
    )

    pts, major = _major_points(job, seeker)
    if not job.major:
        parts.append(Part("major", pts, note="不限专业"))
    elif pts == WEIGHTS["major"]:
        parts.append(Part("major", pts, matched=(job.major,)))
    elif pts:
        parts.append(Part("major", pts, matched=(major,), missing=(job.major,), note="相近专业"))
    else:
        parts.append(Part("major", 0, missing=(job.major,)))

    pts = _experience_points(job, seeker)
    if job.min_experience <= 0:
        parts.append(Part("experience", pts, note="不限经验"))
    elif pts == WEIGHTS["experience"]:
        parts.append(
            Part("experience", pts, matched=(f"{seeker.experience}年（要求{job.min_experience}年）",))
        )
    else:
        parts.append(
            Part("experience", pts, missing=(f"要求{job.min_experience}年，现为{seeker.experience}年",))
        )

    pts = _salary_points(job, seeker)
    band = f"{job.salary_min}–{job.salary_max}元"
    if not seeker.expected_salary:
        parts.append(Part("salary", pts, note=f"期望面议，岗位{band}"))
    elif pts == WEIGHTS["salary"]:
        parts.append(Part("salary", pts, matched=(f"期望{seeker.expected_salary}元，岗位{band}",)))
    else:
        parts.append(Part("salary", pts, missing=(f"期望{seeker.expected_salary}元，高于岗位{band}",)))

    pts = _district_points(job, seeker)
    if not job.district or not seeker.districts:
        parts.append(Part("district", pts, note="不限地点"))
    elif pts:
        parts.append(Part("district", pts, matched=(dist(job.district),)))
    else:
        parts.append(Part("district", 0, missing=(dist(job.district),)))

    return Match(job.id, seeker.id, tuple(parts))


# -- ranking ---------------------------------------------------------------------------------------


class Index:
    """Jobs and seekers of one zone, indexed by skill and 中类 for ranking in either direction."""

    def __init__(self, jobs: Iterable[JobFacts], seekers: Iterable[SeekerFacts]) -> None:
        self.jobs = list(jobs)
        self.seekers = list(seekers)
        self._jobs_by_key = _inverted(self.jobs, lambda j: _keys(j.skill_keys, (j.occupation,)))
        self._seekers_by_key = _inverted(self.seekers, lambda s: _keys(s.skill_keys, s.occupations))

    def best_jobs(self, seeker: SeekerFacts, k: int = 10) -> list[tuple[int, JobFacts]]:
        """Her ``k`` best jobs, best first (ties: the newer id first)."""
        related = _related(self._jobs_by_key, _keys(seeker.skill_keys, seeker.occupations))
        return _top(
            ((points(self.jobs[i], seeker), self.jobs[i]) for i in related),
            lambda: ((points(j, seeker), j) for j in self.jobs),
            k,
        )

    def best_seekers(self, job: JobFacts, k: int = 10) -> list[tuple[int, SeekerFacts]]:
        """The job's ``k`` best-fitting seekers, best first (ties: the newer id first)."""
        related = _related(self._seekers_by_key, _keys(job.skill_keys, (job.occupation,)))
        return _top(
            ((points(job, self.seekers[i]), self.seekers[i]) for i in related),
            lambda: ((points(job, s), s) for s in self.seekers),
            k,
        )


def _keys(skills: frozenset[str], occupations: Sequence[str]) -> set[str]:
    keys = {f"s:{s}" for s in skills}
    keys.update(f"o:{group2(o)}" for o in occupations if group2(o))
    return keys


def _inverted(items: Sequence[JobFacts] | Sequence[SeekerFacts], keys_of: Any) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        for key in keys_of(item):
            index.setdefault(key, []).append(i)
    return index


def _related(index: dict[str, list[int]], keys: set[str]) -> set[int]:
    found: set[int] = set()
    for key in keys:
        found.update(index.get(key, ()))
    return found


def _top(related: Iterable[tuple[int, Any]], everything: Any, k: int) -> list[tuple[int, Any]]:
    ranked = sorted(related, key=lambda pair: (-pair[0], -pair[1].id))[:k]
    if len(ranked) == k and ranked[-1][0] > UNRELATED_CEILING:
        return ranked
    # Unrelated items could tie or beat the k-th related one: rank them all (exact, rarely needed).
    return sorted(everything(), key=lambda pair: (-pair[0], -pair[1].id))[:k]
