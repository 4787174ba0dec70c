"""Matching that explains itself: seven named parts, each within its weight, summing to at most 100;
the fast total equals the explained one; ranking with the index is exactly the full scan's."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from talentpark.recruitment import matching
from talentpark.recruitment.matching import Index, JobFacts, SeekerFacts

CODES = ["2-02-10-03", "2-02-10-07", "2-02-13-01", "2-05-01-01", "6-18-01-01", "6-18-02-03", ""]
SKILLS = ["Java", "MySQL", "Redis", "PLC编程", "数控编程", "GMP", "CAD"]
MAJORS = ["计算机科学与技术", "计算机应用", "机械设计", "药学", ""]
DISTRICTS = ["370811", "370812", "370830"]

jobs = st.builds(
    JobFacts,
    id=st.integers(1, 10_000),
    occupation=st.sampled_from(CODES),
    skills=st.lists(st.sampled_from(SKILLS), max_size=5, unique=True).map(tuple),
    min_degree_rank=st.integers(0, 5),
    major=st.sampled_from(MAJORS),
    min_experience=st.integers(0, 10),
    salary_min=st.just(5000),
    salary_max=st.integers(5000, 40000),
    district=st.sampled_from([*DISTRICTS, ""]),
)
seekers = st.builds(
    SeekerFacts,
    id=st.integers(1, 10_000),
    occupations=st.lists(st.sampled_from(CODES[:-1]), max_size=3).map(tuple),
    skills=st.lists(st.sampled_from([*SKILLS, "java", " Redis "]), max_size=6).map(tuple),
    degree_rank=st.integers(0, 5),
    majors=st.lists(st.sampled_from(MAJORS[:-1]), max_size=2).map(tuple),
    experience=st.integers(0, 20),
    expected_salary=st.one_of(st.none(), st.integers(1000, 60000)),
    districts=st.frozensets(st.sampled_from(DISTRICTS)),
)


def test_weights_sum_to_one_hundred() -> None:
    assert sum(matching.WEIGHTS.values()) == 100 and set(matching.WEIGHTS) == set(matching.LABELS)


@given(jobs, seekers)
@settings(max_examples=400, deadline=None)
def test_every_part_is_bounded_and_the_fast_total_is_the_explained_one(
    job: JobFacts, seeker: SeekerFacts
) -> None:
    match = matching.explain(job, seeker)
    assert [p.key for p in match.parts] == list(matching.WEIGHTS)
    for part in match.parts:
        assert 0 <= part.points <= part.weight
    assert 0 <= match.total <= 100
    assert matching.points(job, seeker) == match.total


@given(jobs, seekers)
@settings(max_examples=200, deadline=None)
def test_required_skills_are_either_matched_or_missing(job: JobFacts, seeker: SeekerFacts) -> None:
    skills = matching.explain(job, seeker).parts[1]
    assert sorted(skills.matched + skills.missing) == sorted(job.skills)


def test_a_perfect_fit_scores_one_hundred_and_says_why() -> None:
    job = JobFacts(1, "2-02-10-03", ("Java", "MySQL"), 2, "计算机科学与技术", 3, 8000, 15000, "370811")
    her = SeekerFacts(
        7, ("2-02-10-03",), ("java", "MySQL", "Go"), 3, ("计算机科学与技术",), 5, 12000, frozenset({"370811"})
    )
    match = matching.explain(job, her)
    assert match.total == 100 and match.missing == []
    assert "Java" in match.matched and "MySQL" in match.matched


def test_partial_fits_earn_what_the_table_says() -> None:
    job = JobFacts(
        1, "2-02-10-03", ("Java", "MySQL", "Redis", "Kafka"), 3, "计算机科学与技术", 4, 8000, 10000, "370811"
    )
    her = SeekerFacts(7, ("2-02-10-07",), ("Java",), 2, ("计算机应用",), 2, 11500, frozenset({"370812"}))
    by_key = {p.key: p for p in matching.explain(job, her).parts}
    assert by_key["occupation"].points == 18  # same 小类
    assert by_key["skills"].points == 6 and by_key["skills"].missing == (
        "MySQL",
        "Redis",
        "Kafka",
    )  # 25 × 1/4
    assert by_key["degree"].points == 5  # one level below
    assert by_key["major"].points == 6  # related: shared stem 计算机
    assert by_key["experience"].points == 5  # half the years
    assert by_key["salary"].points == 4  # within 20 % above the band
    assert by_key["district"].points == 0 and by_key["district"].missing == ("370811",)


@given(st.lists(jobs, min_size=1, max_size=30, unique_by=lambda j: j.id), seekers, st.integers(1, 12))
@settings(max_examples=150, deadline=None)
def test_the_index_ranks_jobs_exactly_as_the_full_scan(
    all_jobs: list[JobFacts], seeker: SeekerFacts, k: int
) -> None:
    full = sorted(((matching.points(j, seeker), j) for j in all_jobs), key=lambda p: (-p[0], -p[1].id))[:k]
    assert Index(all_jobs, []).best_jobs(seeker, k) == full


@given(jobs, st.lists(seekers, min_size=1, max_size=30, unique_by=lambda s: s.id), st.integers(1, 12))
@settings(max_examples=150, deadline=None)
def test_the_index_ranks_seekers_exactly_as_the_full_scan(
    job: JobFacts, all_seekers: list[SeekerFacts], k: int
) -> None:
    full = sorted(((matching.points(job, s), s) for s in all_seekers), key=lambda p: (-p[0], -p[1].id))[:k]
    assert Index([], all_seekers).best_seekers(job, k) == full


def test_unrelated_pairs_cannot_beat_the_ceiling() -> None:
    # no shared skill, no shared 中类: everything else perfect
    job = JobFacts(1, "2-02-10-03", ("Java",), 0, "", 0, 5000, 9000, "")
    her = SeekerFacts(2, ("2-05-01-01",), ("GMP",), 5, (), 10, None, frozenset())
    assert matching.points(job, her) == matching.UNRELATED_CEILING
