"""一窗受理、集中办理、专员服务、全程跟踪 of a demo zone: six months of service-desk history up to now.

- every specialist's profile (skills among the ``desk_category`` values, one lead per team,
  capacity);
- 1+N 包保: certified talents first, then talents with a login and a share of the others, every key
  enterprise and some projects, each with its named specialist (the subject's own ``specialist``
  column follows, as :func:`talentpark.desk.portfolio.assign` keeps it); most contacted within one
  working day, some late, a few recent ones not yet; some reassignments; personal service lists;
- monthly visits to the assigned enterprises with the issues raised, some turned into requests;
- requests of every category and channel, each lived through in working time (parts per
  department, the department's handler starting and finishing, questions to the requester and her
  replies, 办结, ratings, a few reopened), so what happened before now is done and what would
  happen after now is still open: live clocks, some at risk, some overdue, some paused;
- the 办不成事 queue: answered by the office, a few still waiting;
- the demo talent's own requests in different states, open work for the first specialist and
  the housing department.

Rows are built in memory as plain values and written with one ``executemany`` per table, with
explicit ids (the PostgreSQL sequences are moved past them after): no service call per row, so no
audit rows and no notices; the zone's version moves once at commit. The clocks' stored columns (``due_at``, ``next_alert_at``, ``level``, ``met``) are computed on one
snapshot of the working calendar exactly as :mod:`talentpark.desk.clocks` would, and every
threshold a scan would have announced before now is already announced (its step written), so the
first scan after the demo sends nothing stale. Deterministic for a seed and a given ``now``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from itertools import batched
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model
from django.utils import timezone

from talentpark.accounts.models import Department, User
from talentpark.core import workcalendar, zone_versions
from talentpark.core.models import Zone
from talentpark.core.roles import Role
from talentpark.demo.desk_texts import (
    ASKS,
    ASSIGN_REASONS,
    CONTACT_NOTES,
    DEGREES,
    ENTERPRISE_WEIGHTS,
    GRADES,
    HIGH_COMMENTS,
    ITEMS,
    LOW_COMMENTS,
    MET_WITH_ROLES,
    MID_COMMENTS,
    NOTES,
    POSTS,
    REASSIGN_REASONS,
    REOPEN_ANSWERS,
    REOPEN_NOTES,
    REOPEN_REASONS,
    REPLIES,
    REQUESTS,
    TALENT_WEIGHTS,
    UNFIT,
    UNFIT_SHARE,
    UNFIT_VISIT_ANSWERS,
    VISIT_ISSUES,
    VISIT_SUMMARIES,
    _phrase,
)
from talentpark.demo.desk_time import US, WorkingTime
from talentpark.desk import categories as cats
from talentpark.desk import clocks
from talentpark.desk.models import (
    Assignment,
    Clock,
    Part,
    Request,
    ServiceItem,
    SpecialistProfile,
    Step,
    Visit,
    VisitIssue,
)
from talentpark.registry.models import Document, Enterprise, EnterpriseAccount, Project, Talent

HISTORY_DAYS = 183
ROLLOUT_DAYS = 28  # the first assignments, made in the scheme's first weeks
REQUESTS_PER_TALENT = 0.05  # random requests per active talent over the history (seed: ~1,750)
ASSIGNED_TALENT_SHARE = 0.06  # talents with a named specialist (at least the certified and logins)
MIN_REQUESTS = 50

S, P, K, CH = Request.Status, Part.Status, Step.Kind, Request.Channel

# -- the generator -----------------------------------------------------------------------------------


@dataclass
class _Subject:
    talent: int | None
    enterprise: int | None
    specialist: int | None
    login: int | None  # the user who files online and rates: her login, or the enterprise's HR
    employer: str
    tier: str = ""
    contact: str = ""


@dataclass
class _Plan:
    """How one request lives: ``t0`` filing; per part the working days from routing to its start
    and of work; an optional question (part index, or None for the specialist's; working days
    from filing; working days until her reply, None: not yet); rating and reopening (True: by
    chance, False: never)."""

    subject: _Subject
    category: str  # "" for 办不成事
    entry: tuple[str, str, str, tuple[str, ...]] | None
    t0: dt.datetime
    channel: str
    starts: list[float] = field(default_factory=list)
    works: list[float] = field(default_factory=list)
    ask: tuple[int | None, float, float | None] | None = None
    rate: tuple[int, str, float] | bool = True
    reopen: tuple[float, float | None, int | None] | bool = True  # (after wd, redo wd, rerate)
    answer_after: float | None = None  # 办不成事: working days until the office answers
    unfit_answer: str = ""
    documents: list[Document] = field(default_factory=list)
    issue: dict[str, Any] | None = None
    note: bool = False


@dataclass
class _Built:
    request: dict[str, Any]
    clock: dict[str, Any]
    parts: list[tuple[dict[str, Any], dict[str, Any]]]
    steps: list[tuple[dt.datetime, int, dict[str, Any]]]


class _Ids:
    """Explicit ids per model, after the largest one stored (the sequences are reset after)."""

    def __init__(self, models: tuple[type[Model], ...]) -> None:
        self.last = {m: m._default_manager.aggregate(m=Max("pk"))["m"] or 0 for m in models}

    def take(self, model: type[Model]) -> int:
        self.last[model] += 1
        return self.last[model]


def _sqlite_datetime(value: dt.datetime) -> str:
    """What Django's SQLite backend stores for an aware datetime (naive UTC text), faster."""
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _insert(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """INSERT ``rows`` (dicts of attribute names) with ``executemany``: the bulk write without
    model instances. Values are adapted as the fields would (aware datetimes, dates, JSON)."""
    if not rows:
        return
    ops = connection.ops
    fields = model._meta.concrete_fields
    plan = []
    for f in fields:
        kind = f.get_internal_type()
        if kind == "DateTimeField":
            conv = _sqlite_datetime if connection.vendor == "sqlite" else ops.adapt_datetimefield_value
        elif kind == "DateField":
            conv = ops.adapt_datefield_value
        elif kind == "JSONField":
            conv = partial(f.get_db_prep_save, connection=connection)
        else:
            conv = None
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
        for chunk in batched(data, 5000):
            cursor.executemany(sql, list(chunk))


class _Desk:
    def __init__(self, zone: Zone, seed: int, now: dt.datetime) -> None:
        self.zone = zone
        self.z = zone.pk
        self.rng = random.Random(f"{seed}:{zone.code}:desk")
        self.now = now.replace(microsecond=0)
        self.cal = workcalendar.calendar()
        self.day = self.cal.day_length
        self.shares = clocks.thresholds()
        self.start = self.now - dt.timedelta(days=HISTORY_DAYS)
        local = timezone.localtime(self.now, self.cal.tz).date()
        self.wt = WorkingTime(
            self.cal, local - dt.timedelta(days=HISTORY_DAYS + 40), local + dt.timedelta(days=120)
        )
        self.cats = {c.value: c for c in cats.categories(zone.pk)}
        self.depts = {v: cats.departments_for(zone.pk, c) for v, c in self.cats.items()}
        users = list(
            User.objects.filter(zone=zone, role__in=(Role.SPECIALIST, Role.DEPT, Role.OFFICE), is_active=True)
            .select_related("department")
            .order_by("pk")
        )
        self.specialists = [u for u in users if u.role == Role.SPECIALIST]
        self.by_id = {u.pk: u for u in users}
        self.office = next((u for u in users if u.role == Role.OFFICE and not u.is_superuser), None)
        self.handlers: dict[int, User] = {}
        for u in users:
            if u.role == Role.DEPT and u.department_id is not None:
                self.handlers.setdefault(u.department_id, u)
        self.first = next((u for u in self.specialists if u.username.endswith("_specialist01")), None)
        z = zone.short_name or zone.name
        self.places = {
            "school": (f"{z}实验小学", f"{z}第二实验小学", f"{z}第一中学"),
            "kindergarten": (f"{z}实验幼儿园", f"{z}机关幼儿园"),
            "hospital": ("市第一人民医院", "医学院附属医院", "市中医院", f"{z}社区卫生服务中心"),
        }
        self.labels: dict[int, str] = {}
        self.logins: dict[int, User] = {}
        self.demo: tuple | None = None
        self.ids = _Ids(
            (Request, Part, Step, Clock, Assignment, ServiceItem, Visit, VisitIssue, SpecialistProfile)
        )

    # -- time ----------------------------------------------------------------------------------------

    def add(self, t: dt.datetime, wd: float) -> dt.datetime:
        """``wd`` working days after ``t`` (to the second)."""
        return self.wt.add(t, self.day * max(wd, 0)).replace(microsecond=0)

    def between(self, a: dt.datetime, b: dt.datetime) -> float:
        return self.wt.between(a, b) / self.day

    def back(self, wd: float) -> dt.datetime:
        """The moment ``wd`` working days before now."""
        target = self.wt.offset(self.now) - (self.day * wd) // US
        return self.wt.moment(max(target, 1)).replace(microsecond=0)

    def moment(self, day: dt.date, office: bool) -> dt.datetime:
        """A moment of ``day``: office hours, or any waking hour for online filing."""
        rng = self.rng
        if office:
            a, b = rng.choice(self.cal.periods)
            span = (dt.datetime.combine(day, b) - dt.datetime.combine(day, a)).seconds
            at = dt.datetime.combine(day, a) + dt.timedelta(seconds=rng.randrange(span))
        else:
            hour = rng.choice((7, 8, 9, 10, 11, 13, 14, 15, 18, 19, 20, 21))
            at = dt.datetime.combine(day, dt.time(hour)) + dt.timedelta(seconds=rng.randrange(3600))
        return at.replace(tzinfo=self.cal.tz)

    def some_day(self, lo: dt.datetime, hi: dt.datetime) -> dt.datetime:
        """A moment of office hours between ``lo`` and ``hi``."""
        span = max((hi - lo).total_seconds(), 60)
        for _ in range(20):
            day = (lo + dt.timedelta(seconds=self.rng.random() * span)).astimezone(self.cal.tz).date()
            if not self.cal.is_workday(day):
                continue
            at = self.moment(day, True)
            if lo <= at <= hi:
                return at
        return min(max(lo, self.cal.next_working_moment(lo)), hi)

    # -- labels and clocks ---------------------------------------------------------------------------

    def label(self, user: User | None) -> str:
        """How a step names its actor (as :func:`talentpark.desk.services._actor_label`)."""
        if user is None:
            return "系统"
        found = self.labels.get(user.pk)
        if found is None:
            name = user.display_name or user.username
            if user.role == Role.DEPT and user.department is not None:
                found = f"{user.department.name} {name}"
            elif user.role in (Role.SPECIALIST, Role.OFFICE):
                found = f"{Role(user.role).label} {name}"
            else:
                found = name
            self.labels[user.pk] = found
        return found

    def clock(
        self,
        kind: str,
        started: dt.datetime,
        days: float,
        *,
        pause: tuple[dt.datetime, dt.datetime] | None = None,
        paused_at: dt.datetime | None = None,
        stopped_at: dt.datetime | None = None,
        **subject: Any,
    ) -> tuple[dict[str, Any], list[tuple[int, dt.datetime]]]:
        """A clock as the service would have left it by now (``clocks._plan`` after each start,
        pause, resume, scan and stop), and the thresholds a scan every five minutes announced
        (level, moment) before it stopped, paused, or now."""
        limit = max(round(days * self.day.total_seconds() / 60), 1)
        end = stopped_at or paused_at or self.now
        crossings: list[tuple[int, dt.datetime]] = []
        due = self.wt.due(started, dt.timedelta(minutes=limit), pause)
        nxt = None
        for level, share in enumerate(self.shares, start=1):
            at = due if share == 1.0 else self.wt.due(started, dt.timedelta(minutes=limit * share), pause)
            if at > end:
                nxt = at
                break
            seen = at + dt.timedelta(seconds=(-at.timestamp()) % 300)  # the next scan
            crossings.append((level, min(seen, end)))
        row = {
            "id": self.ids.take(Clock),
            "zone_id": self.z,
            "kind": kind,
            "started_at": started,
            "limit_minutes": limit,
            "pauses": [[a.isoformat(), b.isoformat()] for a, b in ([pause] if pause else [])],
            "paused_at": paused_at,
            "due_at": None if paused_at is not None and stopped_at is None else due,
            "next_alert_at": nxt if stopped_at is None and paused_at is None else None,
            "level": len(crossings),
            "stopped_at": stopped_at,
            "met": None if stopped_at is None else stopped_at <= due,
            **subject,
        }
        return row, crossings

    # -- 1+N -----------------------------------------------------------------------------------------

    def portfolio(
        self, talents: list[tuple], enterprises: list[tuple], projects: list[tuple]
    ) -> dict[str, Any]:
        rng = self.rng
        specialist_ids = [u.pk for u in self.specialists]
        teams = {u.pk: u.department_id for u in self.specialists}
        certified = sorted((t for t in talents if t[1]), key=lambda t: (t[1], t[0]))
        logins = [t for t in talents if not t[1] and t[3]]
        others = [t for t in talents if not t[1] and not t[3]]
        wanted = max(len(certified) + len(logins), round(len(talents) * ASSIGNED_TALENT_SHARE))
        chosen = certified + logins
        chosen += rng.sample(others, min(len(others), max(0, wanted - len(chosen))))
        subjects: list[tuple[str, int, int | None]] = [("talent", t[0], t[2]) for t in chosen]
        subjects += [("enterprise", e[0], e[2]) for e in enterprises if e[1] or rng.random() < 0.5]
        by_enterprise = {e[0]: e[2] for e in enterprises}
        for p in projects:
            if p[1] == Project.Kind.TALENT_PROJECT or rng.random() < 0.55:
                owner = by_enterprise.get(p[2]) or specialist_ids[p[0] % len(specialist_ids)]
                subjects.append(("project", p[0], owner))
        demo_talent = self.demo[0] if self.demo else None
        recent_pool = [i for i, s in enumerate(subjects) if s[0] == "talent" and s[1] != demo_talent]
        recent = set(rng.sample(recent_pool, min(len(recent_pool), max(3, round(len(subjects) * 0.006)))))
        if self.first is not None:  # the first specialist has a new one to call
            mine = [i for i in recent_pool if subjects[i][2] == self.first.pk and i not in recent]
            if mine:
                recent.add(mine[0])
        late = set(sorted(recent)[::3])  # not called although the working day has passed
        shared = {
            u.department_id
            for u in self.specialists
            if sum(teams[v.pk] == u.department_id for v in self.specialists) > 1
        }
        forced = next(  # at least one reassignment, whatever the scale
            (
                i
                for i, s in enumerate(subjects)
                if i not in recent and s[1] != demo_talent and teams.get(s[2]) in shared
            ),
            None,
        )
        rows: list[dict[str, Any]] = []
        clock_rows: list[dict[str, Any]] = []
        items: list[dict[str, Any]] = []
        moves: dict[tuple[str, int], int] = {}
        active: dict[tuple[str, int], list[tuple[dt.datetime, dt.datetime | None, int]]] = defaultdict(list)
        rollout_end = self.start + dt.timedelta(days=ROLLOUT_DAYS)
        assigner = self.office.pk if self.office else None
        for index, (kind, pk, owner) in enumerate(subjects):
            specialist = owner or specialist_ids[index % len(specialist_ids)]
            if index in recent:
                at = self.back(rng.uniform(1.4, 3.5) if index in late else rng.uniform(0.1, 0.8))
                history: list[tuple[dt.datetime, int, float | None]] = [(at, specialist, None)]
            else:
                if rng.random() < 0.7 or pk == demo_talent or index == forced:
                    at = self.some_day(self.start, rollout_end)
                else:
                    at = self.some_day(rollout_end, self.now - dt.timedelta(days=3))
                history = [(at, specialist, self.contact_delay())]
                chance = rng.random() < 0.05 or index == forced
                if pk != demo_talent and chance and self.now - at > dt.timedelta(days=30):
                    moved = at + dt.timedelta(days=rng.uniform(20, (self.now - at).days - 5))
                    moved = self.some_day(moved, moved + dt.timedelta(days=3))
                    team = [
                        s for s in specialist_ids if s != specialist and teams[s] == teams.get(specialist)
                    ]
                    if team:  # another specialist of the same team (the subject's department stays)
                        new = rng.choice(team)
                        history.append((moved, new, self.contact_delay()))
                        moves[(kind, pk)] = new
            for step, (at, who, delay) in enumerate(history):
                ended = history[step + 1][0] if step + 1 < len(history) else None
                contacted = self.add(at, delay) if delay is not None else None
                if contacted is not None and (contacted > self.now or (ended and contacted > ended)):
                    contacted = None
                a = {
                    "id": self.ids.take(Assignment),
                    "zone_id": self.z,
                    "specialist_id": who,
                    "assigned_at": at,
                    "assigned_by_id": assigner,
                    "reason": rng.choice(ASSIGN_REASONS[kind]) if step == 0 else rng.choice(REASSIGN_REASONS),
                    "ended_at": ended,
                    "contacted_at": contacted,
                    "contact_note": rng.choice(CONTACT_NOTES) if contacted else "",
                    f"{kind}_id": pk,
                }
                rows.append(a)
                active[(kind, pk)].append((at, ended, who))
                stop = contacted or ended
                made, _ = self.clock(
                    Clock.Kind.CONTACT,
                    at,
                    cats.CONTACT_DAYS,
                    stopped_at=stop if stop and stop <= self.now else None,
                    assignment_id=a["id"],
                )
                clock_rows.append(made)
                if contacted is not None:
                    items += self.items(a["id"], kind, contacted, ended)
        return {"assignments": rows, "items": items, "clocks": clock_rows, "moves": moves, "active": active}

    def contact_delay(self) -> float:
        roll = self.rng.random()
        if roll < 0.82:
            return self.rng.uniform(0.05, 0.9)
        if roll < 0.87:
            return self.rng.uniform(0.9, 1.0)
        return self.rng.uniform(1.05, 3.0)

    def items(
        self, assignment: int, kind: str, contacted: dt.datetime, ended: dt.datetime | None
    ) -> list[dict[str, Any]]:
        """Her personal service list, written after the first contact: 2–5 lines, mostly done once due."""
        rng = self.rng
        out = []
        limit = min(self.now, ended or self.now)
        today = timezone.localtime(self.now, self.cal.tz).date()
        for text in rng.sample(ITEMS[kind], rng.randint(2, min(5, len(ITEMS[kind])))):
            created = self.add(contacted, rng.uniform(0, 1.5))
            if created > limit:
                created = contacted
            due_on = created.astimezone(self.cal.tz).date() + dt.timedelta(days=rng.randint(10, 90))
            done_at = None
            if rng.random() < (0.85 if due_on < today else 0.3):
                done_at = created + dt.timedelta(days=rng.uniform(1, max(2, (due_on - created.date()).days)))
                if done_at > limit:
                    done_at = (
                        None if rng.random() < 0.5 or created >= limit else created + (limit - created) / 2
                    )
            out.append(
                {
                    "id": self.ids.take(ServiceItem),
                    "zone_id": self.z,
                    "assignment_id": assignment,
                    "text": text,
                    "due_on": due_on,
                    "status": ServiceItem.Status.DONE if done_at else ServiceItem.Status.PLANNED,
                    "done_at": done_at.replace(microsecond=0) if done_at else None,
                    "created_at": created,
                }
            )
        return out

    # -- visits --------------------------------------------------------------------------------------

    def visits(
        self,
        active: dict[tuple[str, int], list[tuple[dt.datetime, dt.datetime | None, int]]],
        contacts: dict[int, str],
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Each month (this one too, up to yesterday) most assigned enterprises are visited by
        their specialist of the day; 0–3 issues each."""
        rng, tz = self.rng, self.cal.tz
        today = timezone.localtime(self.now, tz).date()
        months: list[list[dt.date]] = []
        first = timezone.localtime(self.start, tz).date().replace(day=1)
        while first <= today:
            nxt = (first + dt.timedelta(days=32)).replace(day=1)
            months.append([first + dt.timedelta(days=i) for i in range((nxt - first).days)])
            first = nxt
        workdays = [[d for d in month if self.cal.is_workday(d)] for month in months]
        visits, issues = [], []
        for (kind, pk), periods in sorted(active.items()):
            if kind != "enterprise":
                continue
            for days in workdays:
                if not days:
                    continue
                for at, ended, who in periods:
                    begin = max(days[0], at.astimezone(tz).date())
                    end = min(days[-1], today - dt.timedelta(days=1))
                    if ended is not None:
                        end = min(end, ended.astimezone(tz).date())
                    lo, hi = bisect.bisect_left(days, begin), bisect.bisect_right(days, end)
                    if hi <= lo or rng.random() >= 0.88 * (hi - lo) / len(days):
                        continue
                    day = days[rng.randrange(lo, hi)]
                    created = dt.datetime.combine(day, dt.time(16), tzinfo=tz) + dt.timedelta(
                        seconds=rng.randrange(9000)
                    )
                    contact = contacts.get(pk, "")
                    role = rng.choice(MET_WITH_ROLES)
                    visit = {
                        "id": self.ids.take(Visit),
                        "zone_id": self.z,
                        "enterprise_id": pk,
                        "specialist_id": who,
                        "visited_on": day,
                        "met_with": f"{contact}（{role}）" if contact else role,
                        "summary": rng.choice(VISIT_SUMMARIES),
                        "created_at": created,
                    }
                    visits.append(visit)
                    n = rng.choices((0, 1, 2, 3), (40, 35, 18, 7))[0]
                    for text in rng.sample(VISIT_ISSUES, n):
                        issues.append(
                            {
                                "id": self.ids.take(VisitIssue),
                                "zone_id": self.z,
                                "visit_id": visit["id"],
                                "text": text,
                                "request_id": None,
                                "_visit": visit,
                            }
                        )
        return visits, issues

    def suggest(self, text: str) -> str:
        """:func:`talentpark.desk.categories.suggest` on the categories read once."""
        best, best_score = "", 0
        for cat in self.cats.values():
            score = sum(text.count(k) for k in cat.keywords) + 2 * text.count(cat.label)
            if score > best_score:
                best, best_score = cat.value, score
        return best

    # -- requests ------------------------------------------------------------------------------------

    def entry_for(self, category: str, kind: str) -> tuple[str, str, str, tuple[str, ...]]:
        pool = [e for e in REQUESTS[category] if e[0] == kind] or list(REQUESTS[category])
        return self.rng.choice(pool)

    def slots(self, subject: _Subject) -> dict[str, Any]:
        rng = self.rng
        return {
            "employer": subject.employer or "现单位",
            "zone": self.zone.short_name or self.zone.name,
            "n": rng.randint(2, 12),
            "grade": rng.choice(GRADES),
            "school": rng.choice(self.places["school"]),
            "kindergarten": rng.choice(self.places["kindergarten"]),
            "hospital": rng.choice(self.places["hospital"]),
            "building": rng.randint(1, 12),
            "room": f"{rng.randint(2, 18)}0{rng.randint(1, 4)}",
            "degree": rng.choice(DEGREES),
            "post": rng.choice(POSTS),
            "tier": subject.tier or rng.choice("CDE"),
        }

    def random_plan(
        self, subject: _Subject, t0: dt.datetime, channel: str, category: str | None = None
    ) -> _Plan:
        rng = self.rng
        if category is None:
            weights = TALENT_WEIGHTS if subject.talent else ENTERPRISE_WEIGHTS
            category = (
                "" if rng.random() < UNFIT_SHARE else rng.choices(list(weights), list(weights.values()))[0]
            )
        if not category:
            return _Plan(subject, "", None, t0, channel, answer_after=rng.uniform(0.3, 7.0), reopen=False)
        cat = self.cats[category]
        n = len(self.depts[category])
        slow = rng.random() < 0.08
        starts = [rng.uniform(0.05, 0.6) if rng.random() < 0.88 else rng.uniform(0.6, 2.0) for _ in range(n)]
        works = [cat.part_days * self.factor(slow) for _ in range(n)]
        plan = _Plan(subject, category, None, t0, channel, starts, works, note=rng.random() < 0.15)
        if subject.login and n and rng.random() < 0.18:
            k = rng.randrange(n)
            at = starts[k] + works[k] * rng.uniform(0.2, 0.7)
            wait: float | None = rng.uniform(0.3, 3.5)
            if self.now - t0 < dt.timedelta(days=25) and rng.random() < 0.15:
                wait = None  # she has not answered yet
            plan.ask = (k if rng.random() < 0.7 else None, at, wait)
        return plan

    def factor(self, slow: bool) -> float:
        """A part's working time as a share of its limit: mostly well inside, some late."""
        rng = self.rng
        if slow:
            return rng.uniform(1.3, 2.6)
        roll = rng.random()
        if roll < 0.78:
            return rng.uniform(0.1, 0.75)
        if roll < 0.88:
            return rng.uniform(0.75, 0.9)
        return rng.uniform(1.05, 2.0)

    def live(self, plan: _Plan) -> _Built:
        """Everything that happened to one request by now, in the services' order and words."""
        rng, now, subject = self.rng, self.now, plan.subject
        requester_user = self.login_user(subject.login)
        specialist = self.by_id.get(subject.specialist or 0)
        filer = requester_user if plan.channel == CH.ONLINE else specialist
        slots = self.slots(subject)
        entry = None
        if plan.category:
            entry = plan.entry or self.entry_for(plan.category, "t" if subject.talent else "e")
            title, description = _phrase(entry[1], slots), _phrase(entry[2], slots)
        elif plan.entry is not None:
            title, description = plan.entry[1], plan.entry[2]
        else:
            unfit = rng.choice(UNFIT)
            title, description = unfit[0], unfit[1]
            plan.unfit_answer = plan.unfit_answer or unfit[2]
        if plan.issue is not None:  # raised during a visit: its words
            title, description = plan.issue["text"][:80], plan.issue["text"]
        rid = self.ids.take(Request)
        t0 = plan.t0
        req = {
            "id": rid,
            "zone_id": self.z,
            "number": f"FW{t0.astimezone(self.cal.tz):%Y%m%d}{rid:06d}",
            "talent_id": subject.talent,
            "enterprise_id": subject.enterprise,
            "requester_id": filer.pk if filer is not None and plan.channel == CH.ONLINE else None,
            "category": plan.category,
            "title": title[:80],
            "description": description or title,
            "contact_name": subject.contact if subject.enterprise else "",
            "channel": plan.channel,
            "filed_by_id": filer.pk if filer else None,
            "specialist_id": specialist.pk if specialist else None,
            "status": S.NEW,
            "created_at": t0,
            "done_at": None,
            "answer": "",
            "rating": None,
            "rating_comment": "",
            "reopened": 0,
        }
        steps: list[tuple[dt.datetime, int, dict[str, Any]]] = []

        def step(at: dt.datetime, kind: str, actor: User | None, text: str = "", **kw: Any) -> None:
            if at <= now:
                row = {
                    "zone_id": self.z,
                    "request_id": rid,
                    "at": at,
                    "actor_id": actor.pk if actor else None,
                    "actor_label": self.label(actor),
                    "kind": kind,
                    "text": text[:2000],
                    "public": True,
                    **kw,
                }
                steps.append((at, len(steps), row))

        how = "" if plan.channel == CH.ONLINE else f"（{CH(plan.channel).label}，代为登记）"
        step(t0, K.FILED, filer, f"{title}{how}")
        for doc in plan.documents:
            step(t0, K.DOCUMENT, filer, doc.title, document_id=doc.pk)
        if plan.note and specialist is not None:
            step(self.add(t0, rng.uniform(0.05, 0.4)), K.NOTE, specialist, rng.choice(NOTES), public=False)
        if not plan.category:
            return self._unfit(plan, req, steps, step)
        cat = self.cats[plan.category]
        req["status"] = S.PROCESSING
        step(t0, K.ACCEPTED, None, f"诉求类别：{cat.label}")  # the desk's own steps: the system's
        depts = self.depts[plan.category]
        results = entry[3] if entry else ()
        starts = [self.add(t0, s) for s in plan.starts]
        dones = [self.add(s, w) for s, w in zip(starts, plan.works, strict=True)]
        pa = pr = None
        affected: set[int] = set()
        asker: User | None = specialist
        ask_part: int | None = None
        if plan.ask is not None and depts:
            k, at_wd, wait = plan.ask
            pa = self.add(t0, at_wd)
            if pa > now or pa >= max(dones):
                pa = None
            else:
                pr = self.add(pa, wait) if wait is not None else None
                if pr is not None and pr > now:
                    pr = None
                if k is None:  # the specialist asks: every open part waits
                    affected = {i for i in range(len(depts)) if dones[i] > pa}
                else:
                    ask_part = min(k, len(depts) - 1)
                    affected = {ask_part}
                    asker = self.handler(depts[ask_part], specialist)
        far = now + dt.timedelta(days=3650)

        def shift(x: dt.datetime, i: int) -> dt.datetime:
            """Work of a part that waited on her goes on after her reply."""
            if pa is None or i not in affected or x <= pa:
                return x
            if pr is None:
                return far
            return self.wt.add(pr, self.wt.between(pa, x))

        starts = [shift(s, i) for i, s in enumerate(starts)]
        dones = [shift(d, i) for i, d in enumerate(dones)]
        part_rows: list[dict[str, Any]] = []
        parts = []
        for i, dept in enumerate(depts):
            handler = self.handler(dept, specialist)
            started, done = starts[i] <= now, dones[i] <= now
            waiting = pa is not None and pr is None and i in affected
            status = P.DONE if done else P.WAITING if waiting else P.PROCESSING if started else P.PENDING
            result = _phrase(results[i] if i < len(results) else "已办结", slots)
            part = {
                "id": self.ids.take(Part),
                "zone_id": self.z,
                "request_id": rid,
                "department_id": dept.pk,
                "handler_id": handler.pk if started and handler else None,
                "task": f"{cat.label}：{title}"[:120],
                "status": status,
                "result": result if done else "",
                "created_at": t0,
                "done_at": dones[i] if done else None,
            }
            part_rows.append(part)
            clock, crossings = self.clock(
                Clock.Kind.PART,
                t0,
                cat.part_days,
                pause=(pa, pr) if pa is not None and pr is not None and i in affected else None,
                paused_at=pa if waiting else None,
                stopped_at=dones[i] if done else None,
                part_id=part["id"],
            )
            parts.append((part, clock))
            pid = part["id"]
            step(t0, K.ROUTED, None, dept.name, part_id=pid)
            step(starts[i], K.PART_STARTED, handler, dept.name, part_id=pid)
            step(dones[i], K.PART_DONE, handler, f"{dept.name}：{result}", part_id=pid)
            for level, at in crossings:
                text = f"{clocks.LEVEL_LABELS[level]}：【{req['number']}】{dept.name}办件"
                step(at, K.WARNED if level <= 2 else K.ESCALATED, None, text, part_id=pid, public=False)
        if pa is not None:
            text = rng.choice(ASKS.get(plan.category) or ASKS["certification"])
            step(pa, K.ASK, asker, text, part_id=part_rows[ask_part]["id"] if ask_part is not None else None)
            if pr is not None:
                step(pr, K.REPLY, requester_user, rng.choice(REPLIES))
        done_at = max(dones) if dones and all(d <= now for d in dones) else None
        waiting = pa is not None and pr is None
        if done_at is not None:
            req.update(status=S.DONE, done_at=done_at, answer="各部门均已办结")
            step(done_at, K.DONE, None, "各部门均已办结")
        elif waiting:
            req["status"] = S.WAITING
        clock, crossings = self.clock(
            Clock.Kind.REQUEST,
            t0,
            cat.days,
            pause=(pa, pr) if pa is not None and pr is not None else None,
            paused_at=pa if waiting else None,
            stopped_at=done_at,
            request_id=rid,
        )
        self.announced(step, req, crossings)
        built = _Built(req, clock, parts, steps)
        if done_at is not None:
            self._after(plan, built, step, requester_user, specialist, cat.days)
        return built

    def announced(self, step: Any, req: dict[str, Any], crossings: list[tuple[int, dt.datetime]]) -> None:
        for level, at in crossings:
            text = f"{clocks.LEVEL_LABELS[level]}：诉求【{req['number']}】"
            step(at, K.WARNED if level <= 2 else K.ESCALATED, None, text, public=False)

    def _unfit(self, plan: _Plan, req: dict[str, Any], steps: list, step: Any) -> _Built:
        """办不成事: the office answers (or it still waits in the queue)."""
        done_at = self.add(plan.t0, plan.answer_after) if plan.answer_after is not None else None
        if done_at is not None and done_at > self.now:
            done_at = None
        if done_at is not None:
            answer = plan.unfit_answer or self.rng.choice(UNFIT_VISIT_ANSWERS)
            req.update(status=S.DONE, done_at=done_at, answer=answer)
            step(done_at, K.DONE, self.office, answer)
        clock, crossings = self.clock(
            Clock.Kind.REQUEST, plan.t0, cats.DEFAULT_DAYS, stopped_at=done_at, request_id=req["id"]
        )
        self.announced(step, req, crossings)
        built = _Built(req, clock, [], steps)
        if done_at is not None:
            self._after(
                plan, built, step, self.login_user(plan.subject.login), self.office, cats.DEFAULT_DAYS
            )
        return built

    def _after(
        self, plan: _Plan, built: _Built, step: Any, user: User | None, specialist: User | None, days: int
    ) -> None:
        """After 办结: her rating, and perhaps her reopening, the clock run again and a second answer."""
        rng, req = self.rng, built.request
        done_at = req["done_at"]
        rate = plan.rate
        if rate is True:
            rate = False
            if user is not None and rng.random() < 0.72:
                value = self.stars(late=built.clock["met"] is False)
                rate = (value, self.comment(value), rng.uniform(0.5, 72))
        if rate and user is not None:
            value, comment, hours = rate  # type: ignore[misc]
            at = self.awake(done_at + dt.timedelta(hours=hours))
            if at <= self.now:
                req.update(rating=value, rating_comment=comment)
                step(at, K.RATED, user, f"{value}星{('：' + comment) if comment else ''}")
        reopen = plan.reopen
        if reopen is True:
            reopen = False
            if user is not None and specialist is not None and rng.random() < 0.02:
                reopen = (rng.uniform(0.2, 3.0), rng.uniform(0.5, 3.0), rng.choice((3, 4, 5, None)))
        if not reopen or user is None:
            return
        after, redo, rerate = reopen  # type: ignore[misc]
        at = max(self.add(done_at, after), done_at + dt.timedelta(hours=1))
        if at > self.now or at - done_at > dt.timedelta(days=7):
            return
        step(at, K.REOPENED, user, rng.choice(REOPEN_REASONS))
        req.update(
            status=S.PROCESSING, done_at=None, reopened=req["reopened"] + 1, rating=None, rating_comment=""
        )
        if specialist is not None:
            step(self.add(at, 0.1), K.NOTE, specialist, rng.choice(REOPEN_NOTES))
        again = self.add(at, redo) if redo is not None else None
        if again is not None and again > self.now:
            again = None
        clock, crossings = self.clock(Clock.Kind.REQUEST, at, days, stopped_at=again, request_id=req["id"])
        clock["id"] = built.clock["id"]  # restarted: the same clock
        built.clock = clock
        self.announced(step, req, crossings)
        if again is None:
            return
        answer = rng.choice(REOPEN_ANSWERS)
        req.update(status=S.DONE, done_at=again, answer=answer)
        step(again, K.DONE, specialist, answer)
        moment = self.awake(again + dt.timedelta(hours=rng.uniform(1, 30)))
        if rerate and moment <= self.now:
            req.update(rating=rerate, rating_comment=self.comment(rerate))
            comment = req["rating_comment"]
            step(moment, K.RATED, user, f"{rerate}星{('：' + comment) if comment else ''}")

    def awake(self, at: dt.datetime) -> dt.datetime:
        """``at``, or the same minute of the morning when it falls in the night (she rates by day)."""
        hour = at.astimezone(self.cal.tz).hour
        return at + dt.timedelta(hours=8) if hour < 7 else at

    def stars(self, late: bool) -> int:
        weights = (10, 15, 25, 30, 20) if late else (1, 2, 8, 30, 59)
        return self.rng.choices((1, 2, 3, 4, 5), weights)[0]

    def comment(self, value: int) -> str:
        rng = self.rng
        if value <= 2:
            return rng.choice(LOW_COMMENTS)
        if value == 3:
            return rng.choice(MID_COMMENTS) if rng.random() < 0.6 else ""
        return rng.choice(HIGH_COMMENTS) if rng.random() < 0.35 else ""

    def handler(self, dept: Department, specialist: User | None) -> User | None:
        """The department's handler; the 人才服务中心 has no handler login of its own in the demo:
        the request's specialist (who works there) handles its parts."""
        return self.handlers.get(dept.pk) or specialist

    def login_user(self, uid: int | None) -> User | None:
        if uid is None:
            return None
        return self.by_id.get(uid) or self.logins.get(uid)


def write(zone: Zone, seed: int, now: dt.datetime | None = None) -> dict[str, int]:
    """Write the zone's service-desk history up to ``now`` (default: the current time); return counts."""
    g = _Desk(zone, seed, now or timezone.now())
    rng = g.rng
    if not g.specialists or not g.cats:
        return dict.fromkeys(("requests", "done", "open", "assignments", "visits", "issues", "items"), 0)
    talents = list(
        Talent.objects.filter(zone=zone, status=Talent.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", "tier", "specialist_id", "person__user_id", "employer_id")
    )
    enterprises = list(
        Enterprise.objects.filter(zone=zone)
        .order_by("pk")
        .values_list("pk", "is_key", "specialist_id", "contact_name", "short_name", "name")
    )
    projects = list(
        Project.objects.filter(zone=zone).order_by("pk").values_list("pk", "kind", "enterprise_id")
    )
    hr: dict[int, int] = {}
    for ent, uid in (
        EnterpriseAccount.objects.filter(enterprise__zone=zone)
        .order_by("pk")
        .values_list("enterprise_id", "user_id")
    ):
        hr.setdefault(ent, uid)
    login_ids = {t[3] for t in talents if t[3]} | set(hr.values())
    g.logins = {u.pk: u for u in User.objects.filter(pk__in=login_ids)}
    demo_user = next((u for u in g.logins.values() if u.username.endswith("_talent_demo")), None)
    g.demo = next((t for t in talents if demo_user and t[3] == demo_user.pk), None)
    names = {e[0]: e[4] or e[5] for e in enterprises}
    contacts = {e[0]: e[3] for e in enterprises}

    held = g.portfolio(talents, enterprises, projects)
    assignments: list[dict[str, Any]] = held["assignments"]
    moves: dict[tuple[str, int], int] = held["moves"]
    active = held["active"]

    def specialist_at(kind: str, pk: int, at: dt.datetime, column: int | None) -> int | None:
        for start, end, who in active.get((kind, pk), ()):
            if start <= at and (end is None or at < end):
                return who
        return moves.get((kind, pk), column)

    def talent_subject(t: tuple, at: dt.datetime) -> _Subject:
        return _Subject(t[0], None, specialist_at("talent", t[0], at, t[2]), t[3], names.get(t[4], ""), t[1])

    def enterprise_subject(e: tuple, at: dt.datetime) -> _Subject:
        who = specialist_at("enterprise", e[0], at, e[2])
        return _Subject(None, e[0], who, hr.get(e[0]), e[4] or e[5], "", e[3])

    # visits, and the issues some of which the specialist turned into requests
    visits, issues = g.visits(active, contacts)
    ent_by_id = {e[0]: e for e in enterprises}
    plans: list[_Plan] = []
    for issue in issues:
        visit = issue.pop("_visit")
        if rng.random() >= 0.15:
            continue
        t0 = g.add(visit["created_at"], rng.uniform(0, 1.0))
        if t0 > g.now:
            continue
        subject = enterprise_subject(ent_by_id[visit["enterprise_id"]], t0)
        subject.specialist = visit["specialist_id"]
        category = g.suggest(issue["text"])
        plan = g.random_plan(subject, t0, CH.VISIT, category)
        plan.issue = issue
        if not category:
            plan.unfit_answer = rng.choice(UNFIT_VISIT_ANSWERS)
        plans.append(plan)

    # requests over the months, more of them lately
    assigned_talents = {a["talent_id"] for a in assignments if a.get("talent_id")}
    others = [t for t in talents if t is not g.demo]  # the demo talent's requests are her own four
    pool_assigned = [t for t in others if t[0] in assigned_talents]
    with_login = [t for t in talents if t[3] and (g.demo is None or t[0] != g.demo[0])]
    ents_login = [e for e in enterprises if e[0] in hr]
    for _ in range(max(MIN_REQUESTS, round(len(talents) * REQUESTS_PER_TALENT))):
        back = dt.timedelta(days=HISTORY_DAYS * rng.random() ** 1.15)
        online = rng.random() < 0.6
        if rng.random() < 0.75 or not enterprises:
            pool = with_login if online else (pool_assigned if rng.random() < 0.6 else others)
            source = rng.choice(pool or others)
        else:
            source = rng.choice(ents_login if online and ents_login else enterprises)
        is_talent = len(source) == 5
        login = source[3] if is_talent else hr.get(source[0])
        channel = (
            CH.ONLINE if online and login else rng.choices((CH.WALK_IN, CH.PHONE, CH.WECHAT), (45, 30, 25))[0]
        )
        office = channel in (CH.WALK_IN, CH.PHONE)
        day = (g.now - back).astimezone(g.cal.tz).date()
        if office and not g.cal.is_workday(day):
            day = g.cal.next_workday(day)
        t0 = g.moment(day, office)
        if t0 > g.now:
            t0 = g.now - dt.timedelta(minutes=rng.randint(5, 240))
        subject = talent_subject(source, t0) if is_talent else enterprise_subject(source, t0)
        plans.append(g.random_plan(subject, t0, channel))

    plans += _scenarios(g, talents, enterprises, talent_subject, enterprise_subject)
    plans.sort(key=lambda p: p.t0)
    built = [g.live(p) for p in plans]  # ids, hence numbers, in filing order
    for p, b in zip(plans, built, strict=True):
        if p.issue is not None:
            p.issue["request_id"] = b.request["id"]
    steps = []
    for b in built:
        for _at, _order, s in sorted(b.steps, key=lambda x: (x[0], x[1])):
            s["id"] = g.ids.take(Step)
            steps.append(s)

    _insert(SpecialistProfile, _profiles(g, assignments, built))
    _insert(Assignment, assignments)
    _insert(ServiceItem, held["items"])
    _insert(Visit, visits)
    _insert(Request, [b.request for b in built])
    _insert(Part, [p for b in built for p, _ in b.parts])
    _insert(Clock, held["clocks"] + [b.clock for b in built] + [c for b in built for _, c in b.parts])
    _insert(Step, steps)
    _insert(VisitIssue, issues)
    for sql in connection.ops.sequence_reset_sql(no_style(), list(g.ids.last)):  # PostgreSQL
        with connection.cursor() as cursor:
            cursor.execute(sql)
    for (kind, pk), who in sorted(moves.items()):  # the subject's column follows its assignment
        if kind == "talent":
            Talent.objects.filter(pk=pk).update(specialist_id=who)
        elif kind == "enterprise":
            Enterprise.objects.filter(pk=pk).update(specialist_id=who)
    zone_versions.touch([zone.pk])
    done = sum(1 for b in built if b.request["status"] == S.DONE)
    return {
        "requests": len(built),
        "done": done,
        "open": len(built) - done,
        "parts": sum(len(b.parts) for b in built),
        "steps": len(steps),
        "assignments": len(assignments),
        "items": len(held["items"]),
        "visits": len(visits),
        "issues": len(issues),
        "profiles": len(g.specialists),
    }


def _profiles(g: _Desk, assignments: list[dict[str, Any]], built: list[_Built]) -> list[dict[str, Any]]:
    """Skills (2–4, every category covered), the first specialist of each team as its lead, capacity a
    little above the present load (the last one over it)."""
    rng = g.rng
    values = list(g.cats)
    load: dict[int, int] = defaultdict(int)
    for a in assignments:
        if a["ended_at"] is None:
            load[a["specialist_id"]] += 1
    for b in built:
        if b.request["status"] != S.DONE and b.request["specialist_id"]:
            load[b.request["specialist_id"]] += 1
    leads: dict[int | None, User] = {}
    for u in g.specialists:
        leads.setdefault(u.department_id, u)
    rows = []
    for i, u in enumerate(g.specialists):
        skills = values[i :: len(g.specialists)][:4]  # between them they cover every category
        extra = [v for v in values if v not in skills]
        wanted = rng.randint(max(2, len(skills)), 4) - len(skills)
        skills += rng.sample(extra, min(len(extra), max(wanted, 0)))
        lead = leads[u.department_id]
        capacity = max(40, math.ceil(load[u.pk] * rng.uniform(1.1, 1.4) / 10) * 10)
        if i == len(g.specialists) - 1 and load[u.pk] > 10:
            capacity = max(10, math.floor(load[u.pk] * 0.95 / 10) * 10)
        rows.append(
            {
                "id": g.ids.take(SpecialistProfile),
                "user_id": u.pk,
                "zone_id": g.z,
                "skills": skills,
                "lead_id": None if lead.pk == u.pk else lead.pk,
                "capacity": capacity,
            }
        )
    return rows


def _scenarios(
    g: _Desk, talents: list[tuple], enterprises: list[tuple], talent_subject: Any, enterprise_subject: Any
) -> list[_Plan]:
    """Requests whose state at ``now`` the pages must show at any scale: the demo talent's own, the
    first specialist's and the housing department's open work, every state of a clock."""
    rng = g.rng
    first = g.first.pk if g.first else None
    others = [t for t in talents if t is not g.demo] or talents
    logins = [t for t in others if t[3]] or others
    firsts = [t for t in logins if t[2] == first] or logins

    def entry(category: str, title: str) -> tuple[str, str, str, tuple[str, ...]]:
        return next(e for e in REQUESTS[category] if e[1] == title)

    def plan(
        source: tuple, category: str, back: float, starts: list[float], works: list[float], **kw: Any
    ) -> _Plan:
        t0 = g.back(back + rng.uniform(0, 0.05))
        subject = talent_subject(source, t0)
        channel = kw.pop("channel", CH.ONLINE if subject.login else CH.WALK_IN)
        kw.setdefault("rate", False)
        kw.setdefault("reopen", False)
        return _Plan(subject, category, kw.pop("entry", None), t0, channel, starts, works, **kw)

    def unfit(source: tuple, back: float, text: tuple[str, str, str], **kw: Any) -> _Plan:
        return plan(source, "", back, [], [], entry=("t", text[0], text[1], ()), **kw)

    plans: list[_Plan] = []
    if g.demo is not None:
        docs = list(Document.objects.filter(talent_id=g.demo[0]).order_by("pk"))
        plans += [
            plan(g.demo, "housing", 1.5, [0.3], [6.0], entry=entry("housing", "申请人才公寓")),
            plan(g.demo, "schooling", 3.0, [0.2], [8.0], entry=entry("schooling", "子女转学插班"), ask=(0, 1.2, None)),
            plan(g.demo, "medical", 4.0, [0.1], [1.5], entry=entry("medical", "预约年度健康体检")),
            plan(g.demo, "certification", 45.0, [0.2, 0.4], [2.0, 3.5], entry=entry("certification", "人才认定材料预审"),
                 rate=(5, "专员全程帮办，材料一次就过了", 20.0), documents=docs),
        ]  # fmt: skip
    plans += [
        # the 办不成事 queue: a fresh one and one waiting too long; one the office answered
        unfit(rng.choice(logins), 0.3, UNFIT[0]),
        unfit(rng.choice(others), 11.0, UNFIT[3], channel=CH.PHONE),
        unfit(rng.choice(logins), 20.0, UNFIT[1], answer_after=2.5, unfit_answer=UNFIT[1][2], rate=(4, "", 5.0)),
        # the first specialist's and the housing department's open work: at risk, then overdue
        plan(rng.choice(firsts), "housing", 3.5, [0.3], [9.0]),
        plan(rng.choice(firsts), "housing", 7.0, [0.5], [20.0]),
        # the centre's part done, the hrss part overdue, the request at risk
        plan(rng.choice(firsts), "certification", 6.0, [0.2, 0.5], [2.5, 20.0]),
        # parts at 160 %: escalated to the team lead
        plan(rng.choice(logins), "funding", 16.0, [0.3, 0.6], [6.0, 30.0]),
        # waiting on her for 1.5 working days
        plan(rng.choice(firsts), "schooling", 4.0, [0.3], [8.0], ask=(0, 2.5, None)),
        # two departments, one not started yet (she told her specialist on WeChat)
        plan(rng.choice(logins), "funding", 0.4, [0.05, 5.0], [5.0, 5.0], channel=CH.WECHAT),
        # reopened after a poor rating and being handled again
        plan(rng.choice(logins), "medical", 8.0, [0.2], [2.0], rate=(2, LOW_COMMENTS[0], 3.0), reopen=(1.0, None, None)),
        # reopened, answered again and rated again
        plan(rng.choice(logins), "housing", 25.0, [0.2], [3.0], rate=(2, LOW_COMMENTS[1], 4.0), reopen=(1.0, 2.0, 4)),
        # done late, one star
        plan(rng.choice(logins), "spouse", 40.0, [0.5], [26.0], rate=(1, LOW_COMMENTS[3], 6.0)),
        # two departments, on time, five stars
        plan(rng.choice(logins), "certification", 30.0, [0.2, 0.3], [3.0, 4.0], rate=(5, HIGH_COMMENTS[1], 8.0)),
    ]  # fmt: skip
    for value in g.cats:  # one of each category some months ago, whatever came of it
        source = rng.choice(others)
        t0 = g.back(rng.uniform(20, 110))
        plans.append(g.random_plan(talent_subject(source, t0), t0, CH.WALK_IN, value))
    if enterprises:  # an enterprise's request, on time
        t0 = g.back(12.0)
        subject = enterprise_subject(enterprises[0], t0)
        channel = CH.ONLINE if subject.login else CH.WECHAT
        plans.append(
            _Plan(subject, "enterprise", None, t0, channel, [0.3, 0.5], [3.0, 4.0], rate=False, reopen=False)
        )
    return plans
