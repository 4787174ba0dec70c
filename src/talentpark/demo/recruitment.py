"""招才引智 of a demo zone: the marketplace filled in and six months of its history.

- every position gets its occupation (2022 大典), skills, experience, district, type of work and
  closing date; the open ones are split into the review queue (待审核), a few drafts and rejections
  (with the office's note) and a few open past their closing date (the daily job closes them);
- personnel demands get their occupation and year;
- job seekers (求职意向): most are *planted* — made from one target open position so that it is a
  known good match, with the noise real profiles have (a sibling occupation, a skill or two
  missing, a salary a bit above the band, an experience a year short); the others are random.
  :func:`planted` recomputes those pairs from the database and the seed without writing: the
  matching benchmark's ground truth;
- the demo talent's own 求职意向, applications (one with an interview waiting for her to pick a
  time) and saved search;
- applications over the six months before ``REFERENCE_DATE`` through every stage of the pipeline,
  each with the events, interviews and slots the services would have written (stage changes
  allowed by ``services.TRANSITIONS``, a reason for each rejection, at most one live interview,
  the score ``matching.points`` of the pair, the resume shaped as ``services.resume_of``); the
  demo HR login's enterprise has applicants in every stage on one open position;
- saved searches of talent logins.

Rows are written with one ``executemany`` per table with explicit ids, as the desk's history
(:mod:`talentpark.demo.desk`): no service call per row, hence no audit rows and no notices.
Deterministic for a seed and a given ``now``; the planted pairs do not depend on ``now``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from itertools import batched
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model
from django.utils import timezone

from talentpark.accounts.models import User
from talentpark.core import zone_versions
from talentpark.core.codes import DEGREE_RANK, Degree
from talentpark.core.models import Division, Zone
from talentpark.core.roles import Role
from talentpark.demo import recruitment_texts as texts
from talentpark.demo.people import REFERENCE_DATE
from talentpark.recruitment import matching, occupations
from talentpark.recruitment.matching import JobFacts, SeekerFacts
from talentpark.recruitment.models import (
    Application,
    ApplicationEvent,
    EmploymentType,
    Interview,
    InterviewSlot,
    JobSeeker,
    PersonnelDemand,
    Position,
    SavedSearch,
)
from talentpark.registry.models import Education, EnterpriseAccount, Person, Talent

PS = Position.Status
AS = Application.Stage
EK = ApplicationEvent.Kind
IS = Interview.Status

SEEKERS_PER_TALENT = 2500 / 35000
MIN_SEEKERS = 30
PLANTED_SHARE = 0.8
APPLICATIONS_PER_TALENT = 6000 / 35000
MIN_APPLICATIONS = 60
SAVED_SEARCHES = 200
HISTORY_DAYS = 180
# Shares of the open positions moved elsewhere (at least one of each per zone).
OPEN_SPLIT = ((PS.PENDING, 0.03), (PS.DRAFT, 0.01), (PS.REJECTED, 0.01), ("expired", 0.02))
STAGES = (
    (AS.NEW, 30),
    (AS.SCREENED, 15),
    (AS.INTERVIEW, 15),
    (AS.OFFER, 5),
    (AS.HIRED, 10),
    (AS.REJECTED, 22),
    (AS.WITHDRAWN, 3),
)
SOURCES = (
    (Application.Source.MARKET, 70),
    (Application.Source.MATCH, 15),
    (Application.Source.FAIR, 10),
    (Application.Source.LIVE, 5),
)
BATCH = 2000
CHUNK = 500
DEGREE_BY_RANK = {rank: code for code, rank in DEGREE_RANK.items()}
SALARY_BY_RANK = {1: (4000, 8000), 2: (5500, 12000), 3: (8000, 18000), 4: (15000, 28000), 5: (18000, 30000)}


# -- shared by write() and planted() ---------------------------------------------------------------


def _rng(seed: int, zone: Zone, topic: str) -> random.Random:
    return random.Random(f"{seed}:{zone.code}:recruitment:{topic}")


def _roll(seed: int, zone: Zone, topic: str, pk: int) -> float:
    digest = hashlib.blake2b(f"{seed}:{zone.code}:{topic}:{pk}".encode(), digest_size=8).digest()
    return int.from_bytes(digest) / 2**64


def _stem(major: str) -> str:
    return major[:2]


@cache
def occupation_of(title: str, category: str) -> str:
    """The occupation (细类) of a demo job title: the table, else ``suggest``, else the category's."""
    code = texts.TITLE_OCCUPATIONS.get(title)
    if code is None:
        found = occupations.suggest(title)
        code = found.code if found is not None else texts.CATEGORY_OCCUPATIONS.get(category, "")
    return code


@cache
def siblings(code: str) -> tuple[str, ...]:
    """The other occupations of the same 小类."""
    parent = "-".join(code.split("-")[:3])
    return tuple(o.code for o in occupations.children(parent) if o.level == 4 and o.code != code)


@cache
def skill_pool(code: str, category: str) -> tuple[str, ...]:
    own = texts.OCCUPATION_SKILLS.get(code)
    if own is None:
        for sibling in siblings(code):
            own = texts.OCCUPATION_SKILLS.get(sibling)
            if own:
                break
    pool = list(own or ())
    for skill in texts.CATEGORY_SKILLS.get(category, texts.GENERIC_SKILLS):
        if len(pool) >= 6:
            break
        if skill not in pool:
            pool.append(skill)
    return tuple(pool)


def _hr_user(zone: Zone) -> tuple[int, int] | None:
    """(enterprise id, user id) of the zone's first HR demo login (``<p>_hr0001``), if any."""
    row = (
        EnterpriseAccount.objects.filter(enterprise__zone=zone, user__username__endswith="_hr0001")
        .order_by("pk")
        .values_list("enterprise_id", "user_id")
        .first()
    )
    return (row[0], row[1]) if row else None


def _demo_person(zone: Zone) -> int | None:
    pid: int | None = (
        Talent.objects.filter(zone=zone, person__user__username__endswith="_talent_demo")
        .order_by("pk")
        .values_list("person_id", flat=True)
        .first()
    )
    return pid


def _pool(zone: Zone, demo: int | None) -> tuple[int, list[tuple[int, int, tuple[str, ...]]]]:
    """(the zone's talent count, [(person id, degree rank, majors)] of its talents but the demo's),
    majors newest first as ``recruitment.facts`` reads them."""
    rows = list(
        Talent.objects.filter(zone=zone)
        .order_by("person_id")
        .values_list("person_id", "person__highest_degree")
    )
    majors: dict[int, list[str]] = defaultdict(list)
    for pid, major in (
        Education.objects.filter(zone=zone)
        .order_by("person_id", "-graduated_on", "id")
        .values_list("person_id", "major")
    ):
        if major and major not in majors[pid]:
            majors[pid].append(major)
    pool = [(pid, DEGREE_RANK.get(d or "", 0), tuple(majors.get(pid, ()))) for pid, d in rows if pid != demo]
    return len(rows), pool


def _targets(zone: Zone) -> list[JobFacts]:
    """The positions a planted seeker may be made from: open and not past their date at any time
    after the reference date (an expired one's date is before it)."""
    from talentpark.recruitment.facts import job_facts

    qs = Position.objects.filter(zone=zone, status=PS.OPEN).exclude(closes_on__lt=REFERENCE_DATE)
    return job_facts(qs.order_by("pk"))


def _choose(
    seed: int, zone: Zone, talents: int, pool: list[tuple[int, int, tuple[str, ...]]], targets: list[JobFacts]
) -> list[tuple[int, JobFacts | None]]:
    """Who seeks a job: (person id, the position she is planted for, or None for a random seeker).

    A planted seeker has at least the job's degree (mostly exactly it) and, when the job asks for
    a major, a related one if anybody left has one."""
    rng = _rng(seed, zone, "choose")
    n = min(len(pool), max(MIN_SEEKERS, round(talents * SEEKERS_PER_TALENT)))
    by_rank: dict[int, list[int]] = defaultdict(list)
    by_stem: dict[tuple[int, str], list[int]] = defaultdict(list)
    majors = {pid: m for pid, _r, m in pool}
    for pid, rank, ms in pool:
        by_rank[rank].append(pid)
        for stem in sorted({_stem(m) for m in ms}):
            by_stem[(rank, stem)].append(pid)
    for bucket in (*by_rank.values(), *by_stem.values()):
        rng.shuffle(bucket)
    used: set[int] = set()

    def take(bucket: list[int] | None, check: Any = None) -> int | None:
        while bucket:
            pid = bucket.pop()
            if pid not in used and (check is None or check(pid)):
                used.add(pid)
                return pid
        return None

    chosen: list[tuple[int, JobFacts | None]] = []
    planted_n = round(n * PLANTED_SHARE) if targets else 0
    top = max(by_rank, default=0)
    for _ in range(planted_n):
        job = rng.choice(targets)
        low = max(job.min_degree_rank, 1)
        ranks = [low, *range(low + 1, top + 1)] if rng.random() < 0.7 else [*range(low + 1, top + 1), low]
        pid = None
        if job.major:
            related = lambda p, major=job.major: any(matching.majors_related(major, m) for m in majors[p])  # noqa: E731
            for rank in ranks:
                pid = take(by_stem.get((rank, _stem(job.major))), related)
                if pid is not None:
                    break
        for rank in ranks if pid is None else ():
            pid = take(by_rank.get(rank))
            if pid is not None:
                break
        if pid is not None:
            chosen.append((pid, job))
    ranks = sorted(by_rank)
    weights = [{1: 35, 2: 40, 3: 18}.get(r, 7) for r in ranks]
    while len(chosen) < n and ranks:
        pid = take(by_rank[rng.choices(ranks, weights)[0]])
        if pid is None:
            if all(not by_rank[r] for r in ranks):
                break
            continue
        chosen.append((pid, None))
    return chosen


def planted(zone: Zone, seed: int) -> dict[int, set[int]]:
    """Person id → the ids of the positions her 求职意向 was made from (recomputed, nothing written)."""
    talents, pool = _pool(zone, _demo_person(zone))
    found: dict[int, set[int]] = {}
    for pid, job in _choose(seed, zone, talents, pool, _targets(zone)):
        if job is not None:
            found.setdefault(pid, set()).add(job.id)
    return found


# -- writing ---------------------------------------------------------------------------------------


def _sql_datetime(value: dt.datetime) -> Any:
    if connection.vendor == "sqlite":
        return str(value.astimezone(dt.UTC).replace(tzinfo=None))  # what Django stores, faster
    return connection.ops.adapt_datetimefield_value(value)


def _json(value: Any) -> Any:
    return connection.ops.adapt_json_value(value, None)


class _Ids:
    """Explicit ids per model, after the largest one stored (the sequences are reset after)."""

    def __init__(self, models: tuple[type[Model], ...]) -> None:
        self.last = {m: m._default_manager.aggregate(m=Max("pk"))["m"] or 0 for m in models}

    def take(self, model: type[Model]) -> int:
        self.last[model] += 1
        return self.last[model]


def _insert(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """INSERT ``rows`` (dicts of attribute names) with ``executemany``, values adapted as the
    fields would (aware datetimes, dates, JSON)."""
    if not rows:
        return
    ops = connection.ops
    fields = model._meta.concrete_fields
    plan = []
    for f in fields:
        kind = f.get_internal_type()
        conv: Any = None
        if kind == "DateTimeField":
            conv = _sql_datetime
        elif kind == "DateField":
            conv = ops.adapt_datefield_value
        elif kind == "JSONField":
            conv = _json
        plan.append((f.attname, conv, f.get_default()))
    qn = ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    names = [(name, default) for name, _conv, default in plan]
    convs = [(i, conv) for i, (_name, conv, _default) in enumerate(plan) if conv is not None]
    data = []
    for row in rows:
        values = [row.get(name, default) for name, default in names]
        for i, conv in convs:
            if values[i] is not None:
                values[i] = conv(values[i])
        data.append(values)
    with connection.cursor() as cursor:
        for chunk in batched(data, BATCH):
            cursor.executemany(sql, list(chunk))


def _update(model: type[Any], columns: list[str], rows: Iterable[list[Any]]) -> None:
    """UPDATE ``columns`` of rows given as [values…, pk], with ``executemany``."""
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(c)} = %s" for c in columns)
    sql = f"UPDATE {qn(model._meta.db_table)} SET {sets} WHERE {qn('id')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for chunk in batched(rows, BATCH):
            cursor.executemany(sql, list(chunk))


class _History:
    """What write() keeps while it builds the rows."""

    def __init__(self, zone: Zone, seed: int, now: dt.datetime) -> None:
        self.zone, self.seed, self.now = zone, seed, now
        self.tz = timezone.get_current_timezone()
        self.today = timezone.localtime(now, self.tz).date()
        self.ids = _Ids(
            (Position, JobSeeker, Application, ApplicationEvent, Interview, InterviewSlot, SavedSearch)
        )
        self.apps: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.interviews: list[dict[str, Any]] = []
        self.slots: list[dict[str, Any]] = []
        self.seen: set[tuple[int, int]] = set()
        self.resumes: list[tuple[dict[str, Any] | None, dt.date]] = []

    def at(self, day: dt.date, hour: float) -> dt.datetime:
        minutes = int(hour * 60)
        return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), self.tz)


def write(zone: Zone, seed: int, now: dt.datetime | None = None) -> dict[str, int]:
    """Write the zone's marketplace details and its recruitment history; return counts."""
    h = _History(zone, seed, now or timezone.now())
    office = (
        User.objects.filter(zone_id=zone.pk, role=Role.OFFICE, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    district_codes = list(
        Division.objects.filter(parent_id=zone.division_id, is_current=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    hr = _hr_user(zone)
    positions = _positions(h, office, district_codes, hr)
    demands = _demands(h)
    demo = _demo_person(zone)
    talents, pool = _pool(zone, demo)
    targets = [p["facts"] for p in positions if p["public"]]
    chosen = _choose(seed, zone, talents, pool, targets)
    seekers = _seekers(h, chosen, pool, district_codes, targets)
    people = _people(zone, {demo} if demo else set())
    hr_of = _hr_accounts(zone)
    index = matching.Index(targets, [s["facts"] for s in seekers])
    if demo is not None and demo in people:
        seekers.append(_demo_seeker(h, demo, people[demo], district_codes))
    users = dict(Person.objects.filter(zone=zone, user__isnull=False).values_list("pk", "user_id"))
    _applications(h, seekers, pool, people, positions, index, hr_of, hr, demo, users)
    people.update(_people(zone, {a["person_id"] for a in h.apps} - set(people)))
    for app, (seeker, on) in zip(h.apps, h.resumes, strict=True):
        app["resume"] = _resume(people[app["person_id"]], seeker, on)
    searches = _saved_searches(h, seekers, users, district_codes, demo)

    _insert(
        JobSeeker,
        [{k: v for k, v in s.items() if k not in ("facts", "target")} for s in seekers],
    )
    _insert(Application, h.apps)
    _insert(ApplicationEvent, h.events)
    _insert(Interview, h.interviews)
    _insert(InterviewSlot, h.slots)
    _insert(SavedSearch, searches)
    for sql in connection.ops.sequence_reset_sql(no_style(), list(h.ids.last)):  # PostgreSQL
        with connection.cursor() as cursor:
            cursor.execute(sql)
    zone_versions.touch([zone.pk])
    stages: dict[str, int] = defaultdict(int)
    for a in h.apps:
        stages[a["stage"]] += 1
    return {
        "positions": len(positions),
        "pending": sum(1 for p in positions if p["status"] == PS.PENDING),
        "demands": demands,
        "seekers": len(seekers),
        "planted": sum(1 for s in seekers if s["target"] is not None),
        "applications": len(h.apps),
        "hired": stages[AS.HIRED],
        "events": len(h.events),
        "interviews": len(h.interviews),
        "slots": len(h.slots),
        "searches": len(searches),
    }


# -- positions and demands -------------------------------------------------------------------------


def _positions(
    h: _History, office: int | None, district_codes: list[str], hr: tuple[int, int] | None
) -> list[dict[str, Any]]:
    zone = h.zone
    rng = _rng(h.seed, zone, "positions")
    rows = list(
        Position.objects.filter(zone=zone)
        .order_by("pk")
        .values_list(
            "pk",
            "title",
            "category",
            "status",
            "min_degree",
            "major",
            "salary_min",
            "salary_max",
            "published_on",
            "enterprise_id",
        )
    )
    if hr is not None and not any(r[9] == hr[0] and r[3] == PS.OPEN for r in rows):
        rows.append(_hr_position(h, hr, rows))
    forced = next((r[0] for r in rows if hr is not None and r[9] == hr[0] and r[3] == PS.OPEN), None)
    opened = sorted(
        (r[0] for r in rows if r[3] == PS.OPEN and r[0] != forced),
        key=lambda pk: _roll(h.seed, zone, "state", pk),
    )
    state: dict[int, str] = {}
    start = 0
    for status, share in OPEN_SPLIT:
        count = max(1, round(len(opened) * share)) if len(opened) > 20 else 0
        for pk in opened[start : start + count]:
            state[pk] = status
        start += count
    main = rng.choice(district_codes) if district_codes else None
    later = max(h.today, REFERENCE_DATE)
    out: list[dict[str, Any]] = []
    update: list[list[Any]] = []
    for pk, title, category, status, degree, major, low, high, published, _ent in rows:
        code = occupation_of(title, category)
        pool = skill_pool(code, category)
        skills = rng.sample(pool, rng.randint(3, min(6, len(pool))))
        senior = any(w in title for w in ("首席", "经理", "专家", "架构", "科学家"))
        if senior:
            years = rng.choice((3, 5, 5, 8))
        elif category == "production":
            years = rng.choice((0, 0, 0, 1, 2))
        else:
            years = rng.choice((0, 0, 1, 2, 3, 3, 5))
        district = (
            main if main and rng.random() < 0.45 else (rng.choice(district_codes) if district_codes else None)
        )
        kind = rng.choices(
            (EmploymentType.FULL_TIME, EmploymentType.INTERN, EmploymentType.PART_TIME), (90, 6, 4)
        )[0]
        if kind == EmploymentType.INTERN:
            years = 0
        final = state.get(pk, status)
        closes: dt.date | None = None
        note = ""
        if final == "expired":
            final, closes = PS.OPEN, REFERENCE_DATE - dt.timedelta(days=rng.randint(1, 20))
        elif final == PS.CLOSED:
            if rng.random() < 0.6:
                closes = min(published + dt.timedelta(days=rng.randint(30, 90)), REFERENCE_DATE)
        elif rng.random() < 0.6 or pk == forced:
            closes = later + dt.timedelta(days=rng.randint(14, 150))
        if final == PS.REJECTED:
            note = rng.choice(texts.REVIEW_NOTES)
        reviewed = office if final in (PS.OPEN, PS.REJECTED, PS.CLOSED) else None
        reviewed_at = h.at(published, rng.uniform(9, 17)) if reviewed else None
        facts = JobFacts(
            id=pk,
            occupation=code,
            skills=tuple(skills),
            min_degree_rank=DEGREE_RANK.get(degree, 0),
            major=major,
            min_experience=years,
            salary_min=low,
            salary_max=high,
            district=district or "",
        )
        public = final == PS.OPEN and (closes is None or closes >= REFERENCE_DATE)
        out.append(
            {
                "id": pk,
                "title": title,
                "category": category,
                "status": final,
                "published_on": published,
                "enterprise_id": _ent,
                "closes_on": closes,
                "facts": facts,
                "public": public,
                "employment_type": kind,
            }
        )
        update.append(
            [
                code,
                _json(skills),
                years,
                district,
                kind,
                connection.ops.adapt_datefield_value(closes),
                final,
                reviewed,
                _sql_datetime(reviewed_at) if reviewed_at else None,
                note,
                pk,
            ]
        )
    _update(
        Position,
        [
            "occupation",
            "skills",
            "min_experience",
            "district_id",
            "employment_type",
            "closes_on",
            "status",
            "reviewed_by_id",
            "reviewed_at",
            "review_note",
        ],
        update,
    )
    return out


def _hr_position(h: _History, hr: tuple[int, int], rows: list[tuple]) -> tuple:
    """An open position for the HR demo login's enterprise when it has none (inserted now)."""
    pk = h.ids.take(Position)
    title, category, degree = "工艺工程师", "engineering", Degree.BENKE
    published = REFERENCE_DATE - dt.timedelta(days=40)
    _insert(
        Position,
        [
            {
                "id": pk,
                "zone_id": h.zone.pk,
                "enterprise_id": hr[0],
                "title": title,
                "category": category,
                "headcount": 2,
                "min_degree": degree,
                "major": "",
                "salary_min": 7000,
                "salary_max": 11000,
                "description": "岗位职责：负责生产工艺和设备的技术支持，解决现场技术问题。",
                "status": PS.OPEN,
                "published_on": published,
                "skills": [],
                "created_by_id": hr[1],
            }
        ],
    )
    return (pk, title, category, PS.OPEN, degree, "", 7000, 11000, published, hr[0])


def _demands(h: _History) -> int:
    rng = _rng(h.seed, h.zone, "demands")
    rows = list(PersonnelDemand.objects.filter(zone=h.zone).order_by("pk").values_list("pk", "title"))
    update = []
    for pk, title in rows:
        code = texts.TITLE_OCCUPATIONS.get(title)
        if code is None:
            found = occupations.suggest(title.removesuffix("人才"))
            code = found.code if found is not None else ""
        year = REFERENCE_DATE.year if rng.random() < 0.85 else REFERENCE_DATE.year + 1
        update.append([code, year, pk])
    _update(PersonnelDemand, ["occupation", "year"], update)
    return len(rows)


# -- seekers ---------------------------------------------------------------------------------------


def _round(value: float, step: int) -> int:
    return int(round(value / step) * step)


def _field(code: str) -> str:
    found = occupations.get(code)
    name = found.name if found else ""
    for suffix in ("工程技术人员", "专业人员", "研究人员", "人员"):
        name = name.removesuffix(suffix)
    return name or "相关"


def _summary(rng: random.Random, h: _History, years: int, code: str, skills: list[str]) -> str:
    pattern = rng.choice(texts.SUMMARIES)
    return pattern.format(
        years=max(years, 1),
        field=_field(code),
        city=h.zone.short_name,
        skill=skills[0] if skills else "办公软件",
    )


def _seekers(
    h: _History,
    chosen: list[tuple[int, JobFacts | None]],
    pool: list[tuple[int, int, tuple[str, ...]]],
    district_codes: list[str],
    targets: list[JobFacts],
) -> list[dict[str, Any]]:
    rng = _rng(h.seed, h.zone, "seekers")
    info = {pid: (rank, majors) for pid, rank, majors in pool}
    codes = sorted({t.occupation for t in targets if t.occupation}) or sorted(texts.OCCUPATION_SKILLS)
    out = []
    for pid, job in chosen:
        rank, majors = info[pid]
        if job is not None:
            code = job.occupation
            if rng.random() < 0.25 and siblings(code):
                code = rng.choice(siblings(code))  # what she calls it is next to what they call it
            wanted = [code]
            if rng.random() < 0.35:
                extra = rng.choice(siblings(job.occupation) or (job.occupation,))
                if extra not in wanted:
                    wanted.append(extra)
            kept = [s for s in job.skills if rng.random() < 0.8]
            others = [s for s in skill_pool(job.occupation, "") if s not in job.skills]
            kept += rng.sample(others, min(len(others), rng.randint(1, 3)))
            if rng.random() < 0.3:
                kept.append(rng.choice(texts.GENERIC_SKILLS))
            skills = list(dict.fromkeys(kept))
            rng.shuffle(skills)
            years = job.min_experience + rng.choice((0, 0, 1, 2, 3, 5))
            if job.min_experience and rng.random() < 0.12:
                years = job.min_experience - 1
            r = rng.random()
            if r < 0.7:
                salary: int | None = min(
                    job.salary_max,
                    max(job.salary_min, _round(rng.uniform(job.salary_min, job.salary_max), 500)),
                )
            elif r < 0.85:
                salary = None
            else:
                salary = _round(job.salary_max * rng.uniform(1.03, 1.15), 100)
            districts: list[str] = []
            if job.district and rng.random() < 0.75:
                near = rng.sample(district_codes, min(len(district_codes), rng.randint(0, 2)))
                districts = list(dict.fromkeys([job.district, *near]))
        else:
            code = rng.choice(codes)
            wanted = [code]
            pool_skills = skill_pool(code, "")
            skills = rng.sample(pool_skills, min(len(pool_skills), rng.randint(2, 5)))
            years = rng.choice((0, 1, 2, 3, 4, 6, 8, 10, 15))
            lo, hi = SALARY_BY_RANK.get(rank, (4000, 9000))
            salary = _round(rng.uniform(lo, hi), 500) if rng.random() < 0.85 else None
            districts = rng.sample(district_codes, min(len(district_codes), rng.choice((0, 1, 1, 2, 3))))
        out.append(
            {
                "id": h.ids.take(JobSeeker),
                "zone_id": h.zone.pk,
                "person_id": pid,
                "occupations": wanted,
                "skills": skills,
                "experience_years": years,
                "expected_salary": salary,
                "districts": districts,
                "employment_type": EmploymentType.FULL_TIME,
                "summary": _summary(rng, h, years, code, skills),
                "open_to_offers": rng.random() < 0.6,
                "updated_at": h.now - dt.timedelta(days=rng.uniform(1, 200)),
                "target": job.id if job is not None else None,
                "facts": SeekerFacts(
                    id=pid,
                    occupations=tuple(wanted),
                    skills=tuple(skills),
                    degree_rank=rank,
                    majors=majors,
                    experience=years,
                    expected_salary=salary,
                    districts=frozenset(districts),
                ),
            }
        )
    return out


def _demo_seeker(h: _History, demo: int, person: dict[str, Any], district_codes: list[str]) -> dict[str, Any]:
    """Her own 求职意向: what her record says she does, a little more pay, near home."""
    rng = _rng(h.seed, h.zone, "demo")
    title = person["position_title"] or "工艺工程师"
    code = occupation_of(title, "engineering")
    pool = skill_pool(code, "engineering")
    skills = rng.sample(pool, min(len(pool), 5))
    facts = SeekerFacts(
        id=demo,
        occupations=(code,),
        skills=tuple(skills),
        degree_rank=person["rank"],
        majors=person["majors"],
        experience=6,
        expected_salary=12000,
        districts=frozenset(district_codes[:2]),
    )
    return {
        "id": h.ids.take(JobSeeker),
        "zone_id": h.zone.pk,
        "person_id": demo,
        "occupations": [code],
        "skills": skills,
        "experience_years": 6,
        "expected_salary": 12000,
        "districts": district_codes[:2],
        "employment_type": EmploymentType.FULL_TIME,
        "summary": f"现任{title}，6年相关经验，希望在{h.zone.short_name}寻找更有挑战的技术岗位",
        "open_to_offers": True,
        "updated_at": h.now - dt.timedelta(days=3),
        "target": None,
        "facts": facts,
        "demo": True,
    }


# -- people: what a resume says and whose login acts ------------------------------------------------


def _people(zone: Zone, wanted: set[int]) -> dict[int, dict[str, Any]]:
    """What ``services.resume_of`` reads, for the given persons (a few queries per 500)."""
    sex = dict(Person._meta.get_field("sex").choices)
    degree = dict(Degree.choices)
    titles = dict(Talent._meta.get_field("professional_title").choices)
    levels = dict(Talent._meta.get_field("skill_level").choices)
    tiers = dict(Talent.Tier.choices)
    people: dict[int, dict[str, Any]] = {}
    nulls_first = connection.vendor == "postgresql"  # how ORDER BY graduated_on DESC places NULLs
    ids = sorted(wanted)
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        for pk, name, s, birth, d, user in Person.objects.filter(pk__in=chunk).values_list(
            "pk", "name", "sex", "birth_date", "highest_degree", "user_id"
        ):
            people[pk] = {
                "name": name,
                "sex": sex.get(s, ""),
                "birth": birth,
                "degree": degree.get(d, "") if d else "",
                "rank": DEGREE_RANK.get(d or "", 0),
                "user": user,
                "educations": [],
                "majors": (),
            }
        found: dict[int, list[tuple]] = defaultdict(list)
        for row in Education.objects.filter(person_id__in=chunk).values_list(
            "person_id", "id", "degree", "major", "university__name", "graduated_on"
        ):
            found[row[0]].append(row)
        for pid, edus in found.items():
            # resume_of: newest first (-graduated_on, -pk); facts: majors by (-graduated_on, id)
            edus.sort(
                key=lambda r: (r[5] is None if nulls_first else r[5] is not None, r[5] or dt.date.min, r[1])
            )
            edus.reverse()
            people[pid]["educations"] = [
                {
                    "degree": degree.get(d, d),
                    "major": m,
                    "university": u,
                    "graduated_on": g.isoformat() if g else "",
                }
                for _p, _i, d, m, u, g in edus
            ]
            majors: list[str] = []
            for r in sorted(edus, key=lambda r: (-(r[5] or dt.date.min).toordinal(), r[1])):
                if r[3] and r[3] not in majors:
                    majors.append(r[3])
            people[pid]["majors"] = tuple(majors)
        talents = (
            Talent.objects.filter(person_id__in=chunk)
            .order_by("person_id", "zone_entry_date", "pk")
            .values_list(
                "person_id",
                "professional_title",
                "skill_level",
                "employer_id",
                "employer__name",
                "position_title",
                "tier",
            )
        )
        for pid, title, level, employer_id, employer, position, tier in talents:  # the newest wins
            people[pid].update(
                title=_named(titles.get(title, "")) if title else "",
                skill_level=_named(levels.get(level, "")) if level else "",
                employer_id=employer_id,
                employer=employer or "",
                position_title=position or "",
                tier=tiers.get(tier, "") if tier else "",
            )
    return people


def _named(label: Any) -> str:
    """A code's label as a résumé shows it ("无" says nothing there, as ``services.resume_of``)."""
    text = str(label or "")
    return "" if text == "无" else text


def _hr_accounts(zone: Zone) -> dict[int, int]:
    hr: dict[int, int] = {}
    for ent, uid in (
        EnterpriseAccount.objects.filter(enterprise__zone=zone)
        .order_by("pk")
        .values_list("enterprise_id", "user_id")
    ):
        hr.setdefault(ent, uid)
    return hr


def _resume(p: dict[str, Any], seeker: dict[str, Any] | None, on: dt.date) -> dict[str, Any]:
    birth = p["birth"]
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day)) if birth else None
    return {
        "name": p["name"],
        "sex": p["sex"],
        "age": age,
        "degree": p["degree"],
        "educations": p["educations"],
        "title": p.get("title", ""),
        "skill_level": p.get("skill_level", ""),
        "employer": p.get("employer", ""),
        "position_title": p.get("position_title", ""),
        "tier": p.get("tier", ""),
        "skills": list(seeker["skills"]) if seeker else [],
        "experience_years": seeker["experience_years"] if seeker else 0,
        "expected_salary": seeker["expected_salary"] if seeker else None,
        "summary": seeker["summary"] if seeker else "",
    }


# -- applications ----------------------------------------------------------------------------------


class _Path:
    """One application's life: its events in time order, its interview, its final stage."""

    def __init__(self) -> None:
        self.events: list[tuple[dt.datetime, str, str, str, str]] = []  # at, kind, stage, text, who
        self.interview: dict[str, Any] | None = None
        self.slots: list[dt.datetime] = []
        self.chosen: int | None = None
        self.reason = ""
        self.reason_note = ""
        self.hired_on: dt.date | None = None


REJECT_FROM = ((AS.NEW, 40), (AS.SCREENED, 25), (AS.INTERVIEW, 25), (AS.OFFER, 10))
REASONS_EARLY = (
    (Application.Reason.SKILLS, 40),
    (Application.Reason.DEGREE, 10),
    (Application.Reason.EXPERIENCE, 30),
    (Application.Reason.FILLED, 20),
)
REASONS_LATE = (
    (Application.Reason.OTHER, 35),
    (Application.Reason.SKILLS, 20),
    (Application.Reason.EXPERIENCE, 15),
    (Application.Reason.SALARY, 20),
    (Application.Reason.DECLINED, 10),
)
REASONS_OFFER = ((Application.Reason.SALARY, 60), (Application.Reason.DECLINED, 40))


def _pick(rng: random.Random, options: tuple) -> Any:
    return rng.choices([o for o, _ in options], [w for _, w in options])[0]


def _label(stage: str) -> str:
    return str(AS(stage).label)


def _path(
    rng: random.Random, h: _History, stage: str, created: dt.datetime, *, live_invite: bool | None = None
) -> _Path:
    """The events leading to ``stage`` from ``created``; everything before ``h.now``.

    An interview waiting for her answer (``live_invite``) was sent in the last days with times
    after now; otherwise the whole path is squeezed into [created, now) when it would run past it."""
    p = _Path()
    p.events.append((created, EK.APPLIED, AS.NEW, "", "her"))
    if stage == AS.NEW:
        return p
    end = {
        AS.REJECTED: _pick(rng, REJECT_FROM),
        AS.WITHDRAWN: rng.choice((AS.NEW, AS.NEW, AS.SCREENED, AS.INTERVIEW)),
    }.get(stage, stage)
    order = (AS.NEW, AS.SCREENED, AS.INTERVIEW, AS.OFFER, AS.HIRED)
    reach = order.index(end)
    t = created
    day = dt.timedelta(days=1)
    if stage == AS.INTERVIEW and live_invite is None:
        live_invite = rng.random() < 0.4
    if reach >= 1:
        t = t + day * rng.uniform(0.3, 8)
        p.events.append((t, EK.STAGE, AS.SCREENED, f"{_label(AS.NEW)} → {_label(AS.SCREENED)}", "hr"))
    declined = False
    if reach >= 2:
        mode = rng.choices(list(Interview.Mode.values), (60, 30, 10))[0]
        n = rng.randint(2, 3)
        if live_invite and stage == AS.INTERVIEW:
            invited = h.now - day * rng.uniform(0.05, 3)
            invited = max(invited, t + dt.timedelta(hours=1))
            first = max(h.today, timezone.localtime(invited, h.tz).date()) + day * rng.randint(1, 3)
        else:
            invited = t + day * rng.uniform(0.5, 6)
            first = timezone.localtime(invited, h.tz).date() + day * rng.randint(1, 4)
        hour = rng.choice((9.0, 10.0, 14.0, 15.5))
        p.slots = [h.at(first + day * i, hour) for i in range(n)]
        p.interview = {"mode": mode, "created_at": invited, "status": IS.OFFERED}
        p.events.append(
            (invited, EK.INVITED, AS.INTERVIEW, f"{Interview.Mode(mode).label}，可选时间 {n} 个", "hr")
        )
        t = invited
        if not (live_invite and stage == AS.INTERVIEW):
            if stage == AS.REJECTED and end == AS.INTERVIEW and rng.random() < 0.15:
                t = t + day * rng.uniform(0.1, 1.5)
                p.interview["status"] = IS.DECLINED
                p.events.append((t, EK.DECLINED, AS.INTERVIEW, "求职人婉拒面试", "her"))
                declined = True
            else:
                p.chosen = rng.randrange(n)
                picked = min(t + day * rng.uniform(0.05, 1.5), p.slots[p.chosen] - dt.timedelta(hours=2))
                t = max(picked, t + dt.timedelta(minutes=5))
                p.interview["status"] = IS.ACCEPTED
                when = timezone.localtime(p.slots[p.chosen], h.tz)
                p.events.append((t, EK.SLOT, AS.INTERVIEW, f"确认面试时间 {when:%m月%d日 %H:%M}", "her"))
                if reach >= 3 or stage == AS.REJECTED:
                    t = max(t, p.slots[p.chosen]) + day * rng.uniform(0.3, 5)
    if reach >= 3:
        p.events.append((t, EK.STAGE, AS.OFFER, f"{_label(AS.INTERVIEW)} → {_label(AS.OFFER)}", "hr"))
    if reach >= 4:
        t = t + day * rng.uniform(5, 25)
        p.events.append((t, EK.STAGE, AS.HIRED, f"{_label(AS.OFFER)} → {_label(AS.HIRED)}", "hr"))
    if stage == AS.REJECTED:
        if declined:
            reason = Application.Reason.DECLINED
        else:
            reason = _pick(
                rng,
                REASONS_EARLY
                if end in (AS.NEW, AS.SCREENED)
                else REASONS_OFFER
                if end == AS.OFFER
                else REASONS_LATE,
            )
        note = rng.choice(texts.REJECT_NOTES[reason])
        t = t + day * rng.uniform(0.5, 6)
        text = f"{_label(end)} → {_label(AS.REJECTED)}（{Application.Reason(reason).label}{'：' + note if note else ''}）"
        p.events.append((t, EK.STAGE, AS.REJECTED, text, "hr"))
        p.reason, p.reason_note = reason, note
    elif stage == AS.WITHDRAWN:
        t = t + day * rng.uniform(0.5, 10)
        p.events.append((t, EK.WITHDRAWN, AS.WITHDRAWN, "求职人撤回申请", "her"))
        if p.interview is not None and p.interview["status"] in (IS.OFFERED, IS.ACCEPTED):
            p.interview["status"] = IS.CANCELLED
    _squeeze(p, h, created)
    if stage == AS.HIRED:
        p.hired_on = timezone.localtime(p.events[-1][0], h.tz).date()
    return p


def _squeeze(p: _Path, h: _History, created: dt.datetime) -> None:
    """Scale a path that runs past now into [created, now) (slot times on the half hour)."""
    last = p.events[-1][0]
    limit = h.now - dt.timedelta(minutes=30)
    live = p.interview is not None and p.interview["status"] == IS.OFFERED and p.slots and p.slots[0] > h.now
    if last <= limit or live or last <= created:
        return
    f = (limit - created) / (last - created)

    def scale(t: dt.datetime) -> dt.datetime:
        return created + (t - created) * f

    p.events = [(scale(t), kind, stage, text, who) for t, kind, stage, text, who in p.events]
    half = dt.timedelta(minutes=30)
    p.slots = [created + ((scale(s) - created) // half) * half for s in p.slots]
    if p.interview is not None:
        p.interview["created_at"] = scale(p.interview["created_at"])
    if p.chosen is not None:  # her pick stays before the slot she picked
        i = next(i for i, e in enumerate(p.events) if e[1] == EK.SLOT)
        at = p.events[i][0]
        if at >= p.slots[p.chosen]:
            p.events[i] = (p.slots[p.chosen] - dt.timedelta(minutes=45), *p.events[i][1:])


def _add(
    h: _History,
    rng: random.Random,
    position: dict[str, Any],
    pid: int,
    seeker: dict[str, Any] | None,
    facts: SeekerFacts,
    user: int | None,
    path: _Path,
    hr_user: int | None,
    source: str,
) -> None:
    app_id = h.ids.take(Application)
    h.seen.add((position["id"], pid))
    created = path.events[0][0]
    h.apps.append(
        {
            "id": app_id,
            "zone_id": h.zone.pk,
            "position_id": position["id"],
            "enterprise_id": position["enterprise_id"],
            "person_id": pid,
            "stage": path.events[-1][2],
            "reason": path.reason,
            "reason_note": path.reason_note,
            "source": source,
            "resume": {},  # filled once every applicant is known
            "score": matching.points(position["facts"], facts),
            "note": rng.choice(texts.APPLY_NOTES),
            "created_at": created,
            "updated_at": path.events[-1][0],
            "hired_on": path.hired_on,
        }
    )
    h.resumes.append((seeker, timezone.localtime(created, h.tz).date()))
    her = user
    for at, kind, stage, text, who in path.events:
        if kind == EK.APPLIED:
            text = f"投递「{position['title']}」"
        h.events.append(
            {
                "id": h.ids.take(ApplicationEvent),
                "application_id": app_id,
                "at": at,
                "kind": kind,
                "stage": stage,
                "actor_id": her if who == "her" else hr_user,
                "text": text,
                "public": True,
            }
        )
    if path.interview is not None:
        iid = h.ids.take(Interview)
        slot_ids = []
        for start in path.slots:
            sid = h.ids.take(InterviewSlot)
            slot_ids.append(sid)
            h.slots.append(
                {"id": sid, "interview_id": iid, "starts_at": start, "minutes": rng.choice((30, 30, 45, 60))}
            )
        mode = path.interview["mode"]
        h.interviews.append(
            {
                "id": iid,
                "application_id": app_id,
                "mode": mode,
                "place": texts.VIDEO_PLACE
                if mode == Interview.Mode.VIDEO
                else ""
                if mode == Interview.Mode.PHONE
                else rng.choice(texts.INTERVIEW_PLACES),
                "status": path.interview["status"],
                "chosen_id": slot_ids[path.chosen] if path.chosen is not None else None,
                "created_at": path.interview["created_at"],
                "created_by_id": hr_user,
            }
        )


def _created(rng: random.Random, h: _History, position: dict[str, Any], stage: str) -> dt.datetime | None:
    """When she applied: in the six months before the reference date, after the job was published
    (and before it closed); live applications lean to the recent weeks."""
    first = max(position["published_on"], REFERENCE_DATE - dt.timedelta(days=HISTORY_DAYS))
    last = REFERENCE_DATE
    if position["closes_on"] is not None:
        last = min(last, position["closes_on"])
    if position["status"] == PS.CLOSED and position["closes_on"] is None:
        last = min(last, position["published_on"] + dt.timedelta(days=60))
    span = (last - first).days
    if span < 0:
        return None
    u = rng.random() ** (1.8 if stage in (AS.NEW, AS.SCREENED, AS.INTERVIEW, AS.OFFER) else 1.0)
    day = last - dt.timedelta(days=int(u * span))
    return h.at(day, rng.uniform(8, 22.5))


def _applications(
    h: _History,
    seekers: list[dict[str, Any]],
    pool: list[tuple[int, int, tuple[str, ...]]],
    people: dict[int, dict[str, Any]],
    positions: list[dict[str, Any]],
    index: matching.Index,
    hr_of: dict[int, int],
    hr: tuple[int, int] | None,
    demo: int | None,
    users: dict[int, int],
) -> None:
    rng = _rng(h.seed, h.zone, "applications")
    public = [p for p in positions if p["public"]]
    closed = [p for p in positions if p["status"] == PS.CLOSED]
    if not public:
        return
    by_id = {p["id"]: p for p in positions}
    regular = [s for s in seekers if not s.get("demo")]
    seeker_of = {s["person_id"]: s for s in seekers}
    info = {pid: (rank, majors) for pid, rank, majors in pool}
    others = [pid for pid, *_ in pool if pid not in seeker_of]
    bare: dict[int, SeekerFacts] = {}

    def facts_of(pid: int) -> SeekerFacts:
        if pid in seeker_of:
            return seeker_of[pid]["facts"]
        if pid not in bare:
            rank, majors = info[pid]
            bare[pid] = SeekerFacts(id=pid, degree_rank=rank, majors=majors)
        return bare[pid]

    # What she finds browsing: jobs of her 小类 and jobs asking for one of her skills (a sample,
    # scored, best first). Ranking her against every job with the Index would cost seconds here.
    by_group: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_skill: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in public:
        by_group[p["facts"].occupation[:7]].append(p)
        for key in p["facts"].skill_keys:
            by_skill[key].append(p)
    best: dict[int, list[dict[str, Any]]] = {}

    def good_jobs(s: dict[str, Any]) -> list[dict[str, Any]]:
        pid = s["person_id"]
        if pid not in best:
            f = s["facts"]
            seen: dict[int, dict[str, Any]] = {}
            for code in f.occupations:
                group = by_group.get(code[:7], [])
                for p in rng.sample(group, min(len(group), 10)):
                    seen[p["id"]] = p
            for key in sorted(f.skill_keys):
                bucket = by_skill.get(key, [])
                for p in rng.sample(bucket, min(len(bucket), 2)):
                    seen[p["id"]] = p
            ranked = sorted(seen.values(), key=lambda p: (-matching.points(p["facts"], f), p["id"]))
            best[pid] = ranked[:8]
        return best[pid]

    # the demo talent: four stages, one interview waiting for her to pick a time
    if demo is not None and demo in seeker_of:
        s = seeker_of[demo]
        employer = people[demo].get("employer_id")
        mine = [by_id[j.id] for _pts, j in index.best_jobs(s["facts"], k=12)]
        mine = [p for p in mine if p["enterprise_id"] != employer][:5]
        if len(mine) < 5:
            mine += [p for p in public if p not in mine and p["enterprise_id"] != employer][: 5 - len(mine)]
        plan = ((AS.INTERVIEW, 20), (AS.SCREENED, 12), (AS.NEW, 3), (AS.REJECTED, 40), (AS.NEW, 1))
        for position, (stage, back) in zip(mine, plan, strict=False):
            created = h.now - dt.timedelta(days=back, hours=rng.uniform(1, 8))
            path = _path(rng, h, stage, created, live_invite=True)
            if stage == AS.INTERVIEW and path.interview is not None:
                path.slots = [path.slots[0] + dt.timedelta(days=i) for i in (0, 1, 2)]
                mode = Interview.Mode(path.interview["mode"]).label
                at, kind, st, _text, who = path.events[-1]
                path.events[-1] = (at, kind, st, f"{mode}，可选时间 3 个", who)
            source = Application.Source.MATCH if stage == AS.SCREENED else Application.Source.MARKET
            _add(
                h,
                rng,
                position,
                demo,
                s,
                s["facts"],
                users.get(demo),
                path,
                hr_of.get(position["enterprise_id"]),
                source,
            )

    # the HR demo login's open position: applicants in every stage
    if hr is not None:
        hr_pos = next((p for p in public if p["enterprise_id"] == hr[0]), None)
        if hr_pos is not None:
            fit = [seeker_of[f.id] for _pts, f in index.best_seekers(hr_pos["facts"], k=40) if f.id != demo]
            for stage in (*[st for st, _w in STAGES], AS.INTERVIEW, AS.NEW):
                s = next((c for c in fit if (hr_pos["id"], c["person_id"]) not in h.seen), None)
                created = _created(rng, h, hr_pos, stage)
                if s is None or created is None:
                    break
                path = _path(rng, h, stage, created)
                pid = s["person_id"]
                _add(h, rng, hr_pos, pid, s, s["facts"], users.get(pid), path, hr[1], _pick(rng, SOURCES))

    talents = len(pool) + (1 if demo else 0)
    total = max(MIN_APPLICATIONS, round(talents * APPLICATIONS_PER_TALENT))
    made = tries = 0
    while made < total and tries < total * 5:
        tries += 1
        stage = _pick(rng, STAGES)
        seeker: dict[str, Any] | None = None
        if regular and (rng.random() < 0.85 or not others):
            seeker = rng.choice(regular)
            pid = seeker["person_id"]
        else:
            pid = rng.choice(others)
        if stage in (AS.HIRED, AS.REJECTED, AS.WITHDRAWN) and closed and rng.random() < 0.3:
            position = rng.choice(closed)
        elif seeker is not None and rng.random() < 0.75:
            jobs = good_jobs(seeker)
            position = (
                jobs[min(int(rng.random() ** 2 * len(jobs)), len(jobs) - 1)] if jobs else rng.choice(public)
            )
        else:
            position = rng.choice(public)
        if (position["id"], pid) in h.seen:
            continue
        created = _created(rng, h, position, stage)
        if created is None:
            continue
        path = _path(rng, h, stage, created)
        hr_user = hr_of.get(position["enterprise_id"])
        _add(h, rng, position, pid, seeker, facts_of(pid), users.get(pid), path, hr_user, _pick(rng, SOURCES))
        made += 1


# -- saved searches --------------------------------------------------------------------------------


def _saved_searches(
    h: _History,
    seekers: list[dict[str, Any]],
    users: dict[int, int],
    district_codes: list[str],
    demo: int | None,
) -> list[dict[str, Any]]:
    rng = _rng(h.seed, h.zone, "searches")
    logins = User.objects.filter(zone_id=h.zone.pk, role=Role.TALENT, is_active=True)
    user_ids = set(logins.values_list("pk", flat=True))
    seeker_by_user = {users[s["person_id"]]: s for s in seekers if s["person_id"] in users}
    ordered = sorted(user_ids, key=lambda u: (u not in seeker_by_user, u))
    names = {d.code: d.name for d in Division.objects.filter(code__in=district_codes)}
    out = []
    demo_user = users.get(demo) if demo is not None else None
    for uid in ordered[:SAVED_SEARCHES]:
        s = seeker_by_user.get(uid)
        code = s["occupations"][0] if s else rng.choice(sorted(texts.OCCUPATION_SKILLS))
        word = _field(code)[:6]
        params: dict[str, str] = {}
        r = rng.random()
        if uid == demo_user or r < 0.4:
            params["occupation"] = "-".join(code.split("-")[:3])
        elif r < 0.7 and s and s["skills"]:
            params["q"] = s["skills"][0]
            word = s["skills"][0]
        else:
            params["q"] = word
        district = (
            rng.choice(district_codes) if district_codes and (uid == demo_user or rng.random() < 0.4) else ""
        )
        if district:
            params["district"] = district
        salary = ""
        if rng.random() < 0.35 or uid == demo_user:
            salary = str(_round(rng.uniform(6000, 12000), 1000))
            params["salary"] = salary
        pattern = "{word}·{district}" if district else rng.choice(texts.SEARCH_NAMES[:4])
        name = pattern.format(word=word, salary=salary or "8000", district=names.get(district, ""))[:40]
        created = h.now - dt.timedelta(days=rng.uniform(2, HISTORY_DAYS))
        out.append(
            {
                "id": h.ids.take(SavedSearch),
                "zone_id": h.zone.pk,
                "user_id": uid,
                "name": name,
                "params": params,
                "notify": rng.random() < 0.85,
                "created_at": created,
                "last_notified_at": created + (h.now - created) * rng.random()
                if rng.random() < 0.6
                else None,
            }
        )
    return out
