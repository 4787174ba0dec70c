"""What matching reads, loaded in bulk: positions as :class:`JobFacts`, job seekers as
:class:`SeekerFacts` (her 求职意向 plus her record's degree and majors: 一次申报, never asked twice).

A few queries per call whatever the number of rows; the office's and an enterprise's pages and
the benchmark all load through here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from talentpark.core.codes import DEGREE_RANK
from talentpark.recruitment.matching import JobFacts, SeekerFacts
from talentpark.recruitment.models import JobSeeker, Position
from talentpark.registry.models import Education, Person

CHUNK = 500


def job_facts(positions: QuerySet[Position] | Iterable[Position]) -> list[JobFacts]:
    if isinstance(positions, QuerySet):
        positions = positions.only(
            "id",
            "occupation",
            "skills",
            "min_degree",
            "major",
            "min_experience",
            "salary_min",
            "salary_max",
            "district_id",
        )
    return [job_of(p) for p in positions]


def job_of(p: Position) -> JobFacts:
    return JobFacts(
        id=p.pk,
        occupation=p.occupation,
        skills=tuple(p.skills or ()),
        min_degree_rank=DEGREE_RANK.get(p.min_degree, 0),
        major=p.major,
        min_experience=p.min_experience,
        salary_min=p.salary_min,
        salary_max=p.salary_max,
        district=p.district_id or "",
    )


def _majors(person_ids: list[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = defaultdict(list)
    for i in range(0, len(person_ids), CHUNK):
        rows = Education.objects.filter(person_id__in=person_ids[i : i + CHUNK]).values_list(
            "person_id", "major"
        )
        for pid, major in rows.order_by("person_id", "-graduated_on", "id"):
            if major and major not in found[pid]:
                found[pid].append(major)
    return {pid: tuple(m) for pid, m in found.items()}


def seeker_facts(seekers: QuerySet[JobSeeker]) -> list[SeekerFacts]:
    """Facts of the given job seekers (her person's id is the seeker's id in every result)."""
    rows = list(
        seekers.values_list(
            "person_id",
            "occupations",
            "skills",
            "experience_years",
            "expected_salary",
            "districts",
            "person__highest_degree",
        )
    )
    majors = _majors([r[0] for r in rows])
    return [
        SeekerFacts(
            id=pid,
            occupations=tuple(occupations or ()),
            skills=tuple(skills or ()),
            degree_rank=DEGREE_RANK.get(degree or "", 0),
            majors=majors.get(pid, ()),
            experience=years,
            expected_salary=salary,
            districts=frozenset(districts or ()),
        )
        for pid, occupations, skills, years, salary, districts, degree in rows
    ]


def person_facts(person: Person) -> SeekerFacts:
    """One person's facts, with or without a 求职意向 (then only her record speaks)."""
    found = seeker_facts(JobSeeker.objects.filter(person=person))
    if found:
        return found[0]
    majors = _majors([person.pk])
    return SeekerFacts(
        id=person.pk,
        degree_rank=DEGREE_RANK.get(person.highest_degree or "", 0),
        majors=majors.get(person.pk, ()),
    )
