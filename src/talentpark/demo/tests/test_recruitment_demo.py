"""The demo's recruitment history at tiny scale holds what the services guarantee: one application
per person and job, a reason for each rejection, events in time order that replay the pipeline's
allowed moves to the stored stage, at most one live interview, scores equal to ``matching.points``,
resumes shaped as ``services.resume_of``; the planted seekers recomputed by ``planted`` are those
written; the demo logins see work (the HR enterprise's pipeline in every stage, the demo talent's
interview waiting for her to pick a time); every position status is present.

The tiny demo is generated once for the module, in a transaction rolled back at the end."""

from __future__ import annotations

import io
from collections import defaultdict
from itertools import pairwise

import pytest
from django.db import transaction
from django.utils import timezone

from talentpark.core.models import Division, Zone
from talentpark.demo import recruitment
from talentpark.demo.generator import DEFAULT_SEED, MAIN_ZONE, generate
from talentpark.recruitment import facts, matching, occupations, services
from talentpark.recruitment.models import (
    Application,
    ApplicationEvent,
    Interview,
    InterviewSlot,
    JobSeeker,
    PersonnelDemand,
    Position,
    SavedSearch,
)
from talentpark.registry.models import EnterpriseAccount, Person

AS, EK, PS = Application.Stage, ApplicationEvent.Kind, Position.Status


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        generate("tiny", DEFAULT_SEED, progress=False, stdout=out, redemption=False)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def zone(demo, db) -> Zone:  # type: ignore[no-untyped-def]
    return Zone.objects.get(code=MAIN_ZONE)


def test_each_zone_prints_its_summary_and_has_seekers(demo, db):  # type: ignore[no-untyped-def]
    for zone in Zone.objects.all():
        assert f"{zone.short_name}：求职意向 " in demo
        assert JobSeeker.objects.filter(zone=zone).count() >= recruitment.MIN_SEEKERS
        assert Application.objects.filter(zone=zone).count() >= recruitment.MIN_APPLICATIONS


def test_positions_are_coded_and_in_every_status(zone):
    rows = list(Position.objects.filter(zone=zone))
    assert {p.status for p in rows} == set(PS.values)
    districts = set(
        Division.objects.filter(parent_id=zone.division_id, is_current=True).values_list("pk", flat=True)
    )
    today = timezone.localdate()
    for p in rows:
        found = occupations.get(p.occupation)
        assert found is not None and found.level == 4, p.title
        assert 3 <= len(p.skills) <= 6
        assert p.district_id in districts
        if p.status in (PS.OPEN, PS.REJECTED, PS.CLOSED):
            assert p.reviewed_by_id is not None and p.reviewed_at is not None
        if p.status == PS.REJECTED:
            assert p.review_note
    assert any(p.status == PS.OPEN and p.closes_on and p.closes_on < today for p in rows)  # the job's work
    assert any(services.is_public(p) and p.closes_on for p in rows)
    assert all(
        d.occupation == "" or occupations.get(d.occupation) for d in PersonnelDemand.objects.filter(zone=zone)
    )
    assert not PersonnelDemand.objects.filter(zone=zone, year__isnull=True).exists()


def test_applications_keep_the_services_invariants(demo, db):  # type: ignore[no-untyped-def]
    apps = list(Application.objects.select_related("position"))
    assert len({(a.position_id, a.person_id) for a in apps}) == len(apps)
    events = defaultdict(list)
    for e in ApplicationEvent.objects.order_by("at", "id"):
        events[e.application_id].append(e)
    interviews = defaultdict(list)
    for i in Interview.objects.all():
        interviews[i.application_id].append(i)
    slots = defaultdict(list)
    for s in InterviewSlot.objects.all():
        slots[s.interview_id].append(s)
    for a in apps:
        assert (a.stage == AS.REJECTED) == bool(a.reason), a.pk
        assert (a.stage == AS.HIRED) == (a.hired_on is not None)
        history = events[a.pk]
        assert history[0].kind == EK.APPLIED and history[0].at == a.created_at
        assert history[-1].at == a.updated_at
        stage = AS.NEW
        for before, after in pairwise(history):
            assert before.at < after.at, a.pk
        for e in history[1:]:
            if e.kind == EK.STAGE:
                assert e.stage in services.TRANSITIONS[stage] and e.stage != AS.INTERVIEW, (
                    a.pk,
                    stage,
                    e.stage,
                )
                stage = e.stage
            elif e.kind == EK.INVITED:
                assert stage in (AS.SCREENED, AS.INTERVIEW)
                stage = AS.INTERVIEW
            elif e.kind == EK.WITHDRAWN:
                assert stage in services.LIVE_STAGES
                stage = AS.WITHDRAWN
            assert e.stage == stage
        assert stage == a.stage, a.pk
        live = [
            i for i in interviews[a.pk] if i.status in (Interview.Status.OFFERED, Interview.Status.ACCEPTED)
        ]
        assert len(live) <= 1
        for i in interviews[a.pk]:
            assert slots[i.pk], i.pk
            if i.status == Interview.Status.ACCEPTED:
                chosen = next(s for s in slots[i.pk] if s.pk == i.chosen_id)
                picked = next(e for e in history if e.kind == EK.SLOT)
                assert picked.at < chosen.starts_at
            elif i.status == Interview.Status.OFFERED:
                assert i.chosen_id is None
        if a.stage in (AS.OFFER, AS.HIRED):
            assert any(i.status == Interview.Status.ACCEPTED for i in interviews[a.pk])


def test_scores_and_resumes_are_what_the_services_compute(demo, db):  # type: ignore[no-untyped-def]
    apps = list(Application.objects.select_related("position", "person"))
    jobs = {j.id: j for j in facts.job_facts(Position.objects.filter(pk__in={a.position_id for a in apps}))}
    seekers = {s.id: s for s in facts.seeker_facts(JobSeeker.objects.all())}
    for a in apps:
        seeker = seekers.get(a.person_id) or facts.person_facts(a.person)
        assert a.score == matching.points(jobs[a.position_id], seeker), a.pk
    for a in apps[:: max(1, len(apps) // 40)]:
        expected = services.resume_of(a.person)
        assert a.resume.keys() == expected.keys()
        assert {k: v for k, v in a.resume.items() if k != "age"} == {
            k: v for k, v in expected.items() if k != "age"
        }


def test_planted_recomputes_what_write_planted(zone, demo):  # type: ignore[no-untyped-def]
    found = recruitment.planted(zone, DEFAULT_SEED)
    assert found == recruitment.planted(zone, DEFAULT_SEED)
    seekers = {s.id: s for s in facts.seeker_facts(JobSeeker.objects.filter(zone=zone))}
    jobs = {j.id: j for j in facts.job_facts(services.public_positions([zone.pk]))}
    assert 0.7 * len(seekers) <= len(found) <= 0.85 * len(seekers)
    scores = []
    for pid, targets in found.items():
        assert pid in seekers
        for target in targets:
            job, seeker = jobs[target], seekers[pid]
            # her intention was made from this job: same occupation or a sibling in its 小类
            assert any(occupations.same_group(job.occupation, o, 3) for o in seeker.occupations)
            assert seeker.degree_rank >= job.min_degree_rank
            scores.append(matching.points(job, seeker))
    assert min(scores) >= 40 and sum(scores) / len(scores) >= 75
    assert any(s < 100 for s in scores)  # noise: not every planted pair is perfect


def test_the_hr_login_sees_every_stage_on_an_open_position(zone):
    ent = EnterpriseAccount.objects.get(user__username="jn_hr0001").enterprise_id
    by_position = defaultdict(set)
    for pos, stage in Application.objects.filter(enterprise_id=ent).values_list("position_id", "stage"):
        by_position[pos].add(stage)
    public = set(services.public_positions([zone.pk]).filter(enterprise_id=ent).values_list("pk", flat=True))
    assert any(stages == set(AS.values) for pos, stages in by_position.items() if pos in public)


def test_the_demo_talent_has_an_interview_to_pick_a_time_for(zone):
    person = Person.objects.get(user__username="jn_talent_demo")
    assert JobSeeker.objects.filter(person=person).exists()
    apps = list(Application.objects.filter(person=person))
    assert 4 <= len(apps) <= 5
    assert {AS.NEW, AS.SCREENED, AS.INTERVIEW, AS.REJECTED} <= {a.stage for a in apps}
    assert AS.HIRED not in {a.stage for a in apps}
    offered = Interview.objects.get(application__person=person, status=Interview.Status.OFFERED)
    times = [s.starts_at for s in offered.slots.all()]
    assert len(times) == 3 and min(times) > timezone.now()
    assert SavedSearch.objects.filter(user__username="jn_talent_demo").count() == 1
    assert all(s.user.role == "talent" for s in SavedSearch.objects.select_related("user"))
