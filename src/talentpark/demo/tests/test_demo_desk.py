"""The demo's service desk at tiny scale: the history holds what the desk's pages show (requests in
every state, clocks met, breached, at risk, overdue and paused, ratings, a reopened request, the
办不成事 queue, parts for several departments, 1+N assignments with and without first contact,
service lists, visits and their issues, specialists' profiles), the clocks are stored as the
service would have stored them, the demo logins see work, and a seed gives the same history.

The tiny demo is generated once for the module, in a transaction rolled back at the end."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter, defaultdict
from copy import copy
from itertools import pairwise

import pytest
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from talentpark.accounts.models import User
from talentpark.core import workcalendar
from talentpark.core.context import ActionContext
from talentpark.core.models import Zone
from talentpark.core.roles import Role
from talentpark.demo import desk
from talentpark.demo.generator import MAIN_ZONE, SECOND_ZONE, generate
from talentpark.desk import categories as cats
from talentpark.desk import clocks, services
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
from talentpark.registry.models import Enterprise, Talent

SEED_VALUE = 20260101
S, K = Request.Status, Step.Kind


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """(when generated, what it printed), the tiny demo standing for the whole module."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        started = timezone.now()
        generate("tiny", SEED_VALUE, progress=False, stdout=out, redemption=False)
        yield started, out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def zone(demo, db) -> Zone:  # type: ignore[no-untyped-def]
    return Zone.objects.get(code=MAIN_ZONE)


def request_clocks(zone: Zone) -> dict[int, Clock]:
    return {c.request_id: c for c in Clock.objects.filter(zone=zone, kind=Clock.Kind.REQUEST)}


# what the pages need -------------------------------------------------------------------------------


def test_each_zone_prints_its_desk_summary(demo, db):  # type: ignore[no-untyped-def]
    _, printed = demo
    for zone in Zone.objects.all():
        assert f"{zone.short_name}：服务诉求 " in printed
        assert Request.objects.filter(zone=zone).count() >= desk.MIN_REQUESTS


def test_requests_in_every_status_category_and_channel(zone):
    rows = Request.objects.filter(zone=zone)
    assert set(rows.values_list("status", flat=True)) == set(S.values)
    assert set(rows.values_list("channel", flat=True)) == set(Request.Channel.values)
    assert set(rows.values_list("category", flat=True)) == {c.value for c in cats.categories(zone.pk)} | {""}
    assert rows.filter(status=S.DONE).count() > rows.exclude(status=S.DONE).count()  # most are done
    assert len(set(rows.values_list("number", flat=True))) == rows.count()
    for r in rows.filter(channel=Request.Channel.ONLINE):
        assert r.requester_id and r.filed_by_id == r.requester_id
    for r in rows.exclude(channel=Request.Channel.ONLINE).select_related("filed_by"):
        assert r.requester_id is None and r.filed_by.role == Role.SPECIALIST
        assert r.number == f"FW{timezone.localtime(r.created_at):%Y%m%d}{r.pk:06d}"


def test_clocks_met_breached_and_open_ones_at_risk_overdue_and_paused(zone):
    now = timezone.now()
    states = Counter(clocks.state(c, now) for c in request_clocks(zone).values())
    for state in ("met", "breached", "at_risk", "overdue", "paused"):
        assert states[state] >= 1, states
    assert states["breached"] >= 2 and states["met"] > states["breached"]  # most on time
    parts = Counter(clocks.state(c, now) for c in Clock.objects.filter(zone=zone, kind=Clock.Kind.PART))
    assert parts["overdue"] and parts["at_risk"] and parts["paused"] and parts["breached"]
    escalated = Step.objects.filter(zone=zone, kind=K.ESCALATED)
    assert escalated.exists() and not escalated.filter(public=True).exists()


def test_clocks_are_stored_as_the_service_stores_them(demo, zone):
    started, _ = demo
    cal = workcalendar.calendar()
    now = timezone.now()
    for clock in Clock.objects.filter(zone__code__in=(MAIN_ZONE, SECOND_ZONE)):
        if clock.stopped_at is not None:
            due = clocks._sla(clock, 1.0, cal).due_at()
            assert clock.due_at == due and clock.met == (clock.stopped_at <= due)
            assert clock.next_alert_at is None
            assert clock.level == clocks._reached(clock, clock.stopped_at, cal)
        elif clock.paused_at is not None:
            assert clock.due_at is None and clock.next_alert_at is None
        else:
            planned = copy(clock)
            clocks._plan(planned, cal)
            assert (planned.due_at, planned.next_alert_at) == (clock.due_at, clock.next_alert_at)
            assert clock.level == min(clocks._reached(clock, now, cal), clocks.LEVELS)
    # every threshold passed before the demo was written has been announced: nothing stale to send
    assert not clocks.due(started).exists()


def test_waiting_requests_stand_still_until_she_replies(zone):
    waiting = Request.objects.filter(zone=zone, status=S.WAITING)
    assert waiting.exists()
    own = request_clocks(zone)
    for req in waiting:
        assert own[req.pk].paused_at is not None
        assert req.parts.filter(status=Part.Status.WAITING).exists()
        assert list(req.steps.filter(public=True).values_list("kind", flat=True))[-1] == K.ASK
    replied = Step.objects.filter(zone=zone, kind=K.REPLY).select_related("request")
    assert replied.exists()
    for step in replied:
        assert step.actor_id in services.requester_users(step.request)
        assert own[step.request_id].pauses or step.request.reopened


def test_ratings_mostly_good_a_few_poor_with_a_comment(zone):
    rated = Request.objects.filter(zone=zone, rating__isnull=False)
    assert rated.exists() and not rated.exclude(status=S.DONE).exists()
    poor = rated.filter(rating__lte=2)
    assert poor.exists() and not poor.filter(rating_comment="").exists()
    assert rated.filter(rating__gte=4).count() > poor.count()
    for req in rated:
        last = req.steps.filter(kind=K.RATED).last()
        assert last is not None and last.text.startswith(f"{req.rating}星")
        assert last.actor_id in services.requester_users(req)


def test_a_reopened_request_runs_its_clock_again(zone):
    reopened = Request.objects.filter(zone=zone, reopened__gt=0)
    assert reopened.exists()
    own = request_clocks(zone)
    for req in reopened:
        kinds = list(req.steps.values_list("kind", flat=True))
        assert K.DONE in kinds[: kinds.index(K.REOPENED)]
        step = req.steps.get(kind=K.REOPENED)
        assert own[req.pk].started_at == step.at
        assert (req.status == S.DONE) == (own[req.pk].stopped_at is not None)
    assert reopened.exclude(status=S.DONE).exists()


def test_the_office_answers_the_unfit_and_a_few_still_wait(zone):
    unfit = Request.objects.filter(zone=zone, category="")
    answered = unfit.filter(status=S.DONE)
    assert answered.exists() and services.requests_for_office_queue(zone.pk).exists()
    assert not unfit.exclude(status__in=[S.DONE, S.NEW]).exists()
    assert not Part.objects.filter(request__in=unfit).exists()
    for req in answered:
        done = req.steps.get(kind=K.DONE)
        assert done.actor.role == Role.OFFICE and done.text == req.answer


def test_parts_go_to_the_category_departments_several_in_one_request(zone):
    many = Request.objects.filter(zone=zone).annotate(n=Count("parts")).filter(n__gte=2)
    assert many.exists()
    categories = {c.value: c for c in cats.categories(zone.pk)}
    for req in Request.objects.filter(zone=zone).exclude(category="").prefetch_related("parts"):
        wanted = [d.pk for d in cats.departments_for(zone.pk, categories[req.category])]
        assert [p.department_id for p in req.parts.all()] == wanted
    done = Part.objects.filter(zone=zone, status=Part.Status.DONE)
    assert done.exists() and Part.objects.filter(zone=zone, status=Part.Status.PROCESSING).exists()
    assert Part.objects.filter(zone=zone, status=Part.Status.PENDING, handler__isnull=True).exists()
    assert not done.filter(done_at__isnull=True).exists() and not done.filter(result="").exists()
    for req in Request.objects.filter(zone=zone, status=S.DONE).exclude(category=""):
        assert not req.parts.exclude(status=Part.Status.DONE).exists()


def test_steps_tell_every_event_in_order_with_its_actor(zone):
    now = timezone.now()
    requests = Request.objects.filter(zone=zone).prefetch_related("steps", "parts")
    for req in requests:
        steps = list(req.steps.all())
        assert steps[0].kind == K.FILED and steps[0].at == req.created_at
        assert steps[0].actor_id == req.filed_by_id
        assert all(a.at <= b.at for a, b in pairwise(steps))
        assert steps[-1].at <= now
        parts = {p.pk: p for p in req.parts.all()}
        for step in steps:
            if step.kind in (K.PART_STARTED, K.PART_DONE):
                assert step.actor_id == parts[step.part_id].handler_id
            if step.kind in (K.WARNED, K.ESCALATED, K.ACCEPTED, K.ROUTED):  # the desk's own
                assert step.actor_id is None and step.actor_label == "系统"
        if req.status == S.DONE:
            assert [s for s in steps if s.kind == K.DONE][-1].at == req.done_at
    dept_steps = Step.objects.filter(zone=zone, kind=K.PART_DONE).select_related("actor__department", "part")
    assert any(
        s.actor.role == Role.DEPT and s.actor_label.startswith(s.actor.department.name) for s in dept_steps
    )


def test_assignments_first_contact_reassignment_and_service_lists(zone):
    rows = Assignment.objects.filter(zone=zone)
    open_rows = rows.filter(ended_at__isnull=True)
    assert (
        open_rows.filter(talent__isnull=False).exists() and open_rows.filter(project__isnull=False).exists()
    )
    key = set(Enterprise.objects.filter(zone=zone, is_key=True).values_list("pk", flat=True))
    assert key <= set(open_rows.values_list("enterprise_id", flat=True))
    certified = set(
        Talent.objects.filter(zone=zone, status=Talent.Status.ACTIVE)
        .exclude(tier="")
        .values_list("pk", flat=True)
    )
    assert certified <= set(open_rows.values_list("talent_id", flat=True))
    assert len(set(open_rows.values_list("specialist_id", flat=True))) > 1
    contacts = {c.assignment_id: c for c in Clock.objects.filter(zone=zone, kind=Clock.Kind.CONTACT)}
    assert set(contacts) == set(rows.values_list("pk", flat=True))
    waiting = open_rows.filter(contacted_at__isnull=True)
    assert waiting.exists() and all(contacts[a.pk].stopped_at is None for a in waiting)
    assert any(clocks.state(contacts[a.pk]) == "overdue" for a in waiting)
    late = [a for a in rows.filter(contacted_at__isnull=False) if contacts[a.pk].met is False]
    assert late and len(late) < rows.filter(contacted_at__isnull=False).count() / 2  # most within the day
    ended = rows.filter(ended_at__isnull=False)
    assert ended.exists()
    for old in ended:
        field = "talent" if old.talent_id else "enterprise" if old.enterprise_id else "project"
        new = open_rows.get(**{field: getattr(old, f"{field}_id")})
        assert new.assigned_at == old.ended_at and new.specialist_id != old.specialist_id
    for a in open_rows.filter(talent__isnull=False).select_related("talent"):
        assert a.talent.specialist_id == a.specialist_id
    for a in open_rows.filter(enterprise__isnull=False).select_related("enterprise"):
        assert a.enterprise.specialist_id == a.specialist_id
    items = Counter(ServiceItem.objects.filter(zone=zone).values_list("assignment_id", flat=True))
    assert set(items) == set(rows.filter(contacted_at__isnull=False).values_list("pk", flat=True))
    assert 2 <= min(items.values()) and max(items.values()) <= 5
    statuses = set(ServiceItem.objects.filter(zone=zone).values_list("status", flat=True))
    assert statuses == set(ServiceItem.Status.values)


def test_monthly_visits_with_issues_some_turned_into_requests(zone):
    visits = Visit.objects.filter(zone=zone)
    assert visits.exists()
    months = {(v.visited_on.year, v.visited_on.month) for v in visits}
    assert len(months) >= 6
    assert not visits.filter(visited_on__gte=timezone.localdate()).exists()
    per_visit = Counter(VisitIssue.objects.filter(zone=zone).values_list("visit_id", flat=True))
    assert max(per_visit.values()) <= 3 and len(per_visit) < visits.count()  # some raised nothing
    converted = VisitIssue.objects.filter(zone=zone, request__isnull=False).select_related("request", "visit")
    assert converted.exists() and VisitIssue.objects.filter(zone=zone, request__isnull=True).exists()
    for issue in converted:
        req = issue.request
        assert req.channel == Request.Channel.VISIT and req.enterprise_id == issue.visit.enterprise_id
        assert req.title == issue.text[:80] and req.created_at >= issue.visit.created_at
        assert req.filed_by_id == issue.visit.specialist_id
    held = defaultdict(set)
    for a in Assignment.objects.filter(zone=zone, enterprise__isnull=False):
        held[a.enterprise_id].add(a.specialist_id)
    assert all(v.specialist_id in held[v.enterprise_id] for v in visits)


def test_every_specialist_has_skills_a_lead_and_a_capacity(zone):
    values = {c.value for c in cats.categories(zone.pk)}
    specialists = User.objects.filter(zone=zone, role=Role.SPECIALIST)
    profiles = {p.user_id: p for p in SpecialistProfile.objects.filter(zone=zone)}
    assert set(profiles) == set(specialists.values_list("pk", flat=True))
    for p in profiles.values():
        assert 2 <= len(p.skills) <= 4 and set(p.skills) <= values and p.capacity > 0
    assert set().union(*(p.skills for p in profiles.values())) == values
    teams = Counter(specialists.values_list("department_id", flat=True))
    leads = {p.lead_id for p in profiles.values() if p.lead_id}
    assert len(leads) == sum(1 for n in teams.values() if n > 1)  # one per team of several
    for p in profiles.values():
        if p.lead_id:
            assert profiles[p.lead_id].lead_id is None
            assert p.user.department_id == profiles[p.lead_id].user.department_id


def test_the_demo_logins_see_work(zone):
    talent = Talent.objects.get(person__user__username="jn_talent_demo")
    mine = Request.objects.filter(talent=talent)
    assert 3 <= mine.count() <= 4
    assert len(set(mine.values_list("status", flat=True))) >= 3
    unrated = mine.filter(status=S.DONE, rating__isnull=True)
    assert unrated.exists() and services.can_reopen(unrated.first())
    waiting = mine.get(status=S.WAITING)
    assert waiting.steps.last().kind == K.ASK
    assert mine.filter(steps__kind=K.DOCUMENT, steps__document__talent=talent).exists()
    first = User.objects.get(username="jn_specialist01")
    assert Request.objects.filter(specialist=first).exclude(status=S.DONE).exists()
    assert Assignment.objects.filter(
        specialist=first, ended_at__isnull=True, contacted_at__isnull=True
    ).exists()
    housing = User.objects.get(username="jn_dept_housing")
    assert Part.objects.filter(department=housing.department).exclude(status=Part.Status.DONE).exists()


def test_the_services_carry_on_from_the_history(zone):
    """Rows written with explicit ids leave the sequences past them: the service's own writes follow."""
    talent = Talent.objects.select_related("person__user").get(person__user__username="jn_talent_demo")
    user = talent.person.user
    ctx = ActionContext(user=user, role=user.role, zone_id=zone.pk, reason="测试")
    data = {
        "talent": talent,
        "title": "人才公寓续租",
        "description": "租期下月届满，申请续租。",
        "category": "housing",
    }
    req = services.file_request(ctx, zone.pk, data)
    assert req.number == f"FW{timezone.localtime(req.created_at):%Y%m%d}{req.pk:06d}"
    assert req.pk > Request.objects.exclude(pk=req.pk).order_by("-pk").first().pk
    assert req.parts.count() == 1 and services.request_clock(req) is not None
    services.note(ctx, req, "补充说明")


# determinism and the working-time line ------------------------------------------------------------


def _history(zone: Zone, seed: int, now: dt.datetime) -> list[list[tuple]]:
    """The desk rows ``desk.write`` makes from the same starting state (rolled back after)."""
    with transaction.atomic():
        VisitIssue.objects.filter(zone=zone).delete()
        Visit.objects.filter(zone=zone).delete()
        Request.objects.filter(zone=zone).delete()
        Assignment.objects.filter(zone=zone).delete()
        SpecialistProfile.objects.filter(zone=zone).delete()
        desk.write(zone, seed, now)
        rows = [
            list(model.objects.filter(zone=zone).order_by("pk").values_list())
            for model in (
                Request,
                Part,
                Step,
                Clock,
                Assignment,
                ServiceItem,
                Visit,
                VisitIssue,
                SpecialistProfile,
            )
        ]
        transaction.set_rollback(True)
    return rows


def test_the_same_seed_and_moment_give_the_same_history(demo, db):  # type: ignore[no-untyped-def]
    zone = Zone.objects.get(code=SECOND_ZONE)
    now = timezone.now().replace(microsecond=0)
    first = _history(zone, SEED_VALUE, now)
    assert all(first)
    assert _history(zone, SEED_VALUE, now) == first
    assert _history(zone, SEED_VALUE + 1, now) != first


def test_the_working_time_line_agrees_with_the_calendar(db):
    cal = workcalendar.calendar()
    today = timezone.localdate()
    line = desk.WorkingTime(cal, today - dt.timedelta(days=120), today + dt.timedelta(days=120))
    rng = random.Random(7)
    base = timezone.now().replace(microsecond=0)
    for _ in range(300):
        t = base - dt.timedelta(days=rng.uniform(0, 90), seconds=rng.randrange(86400))
        delta = dt.timedelta(
            minutes=rng.choice((1, 210, 420, 630, 2100, 4200, 8400)) * rng.choice((0.5, 1, 1.5, 2))
        )
        assert line.add(t, delta) == cal.add_working_time(t, hours=delta / dt.timedelta(hours=1))
        u = t + dt.timedelta(hours=rng.uniform(0, 400))
        assert line.between(t, u) == cal.working_time_between(t, u)
        a = t + dt.timedelta(hours=rng.uniform(0, 100))
        b = a + dt.timedelta(hours=rng.uniform(0, 100))
        sla = workcalendar.SlaClock(t, delta, ((a, b),), cal)
        assert line.due(t, delta, (a, b)) == sla.due_at()
