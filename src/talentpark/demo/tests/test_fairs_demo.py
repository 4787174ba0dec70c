"""The demo's job fairs at tiny scale: two past fairs whose résumés are the applications made during
their hours (source 招聘会), whose visitors checked in before they applied, with one intention per
booth and person at most; one fair a week ahead, open for registration, with booths of open jobs.

The tiny demo is generated once for the module, in a transaction rolled back at the end."""

from __future__ import annotations

import io

import pytest
from django.db import transaction

from talentpark.demo.generator import DEFAULT_SEED, generate
from talentpark.demo.people import REFERENCE_DATE
from talentpark.recruitment import fairs
from talentpark.recruitment.models import Application, Fair, FairBooth, FairIntention, FairVisitor


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        generate("tiny", DEFAULT_SEED, progress=False, stdout=out, redemption=False)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_each_zone_has_two_past_fairs_and_one_ahead(demo, db):  # type: ignore[no-untyped-def]
    assert "招聘会 3 场" in demo
    for zone_id in Fair.objects.values_list("zone_id", flat=True).distinct():
        rows = list(Fair.objects.filter(zone_id=zone_id).order_by("starts_at"))
        assert [f.kind for f in rows[:2]] == [Fair.Kind.ONSITE, Fair.Kind.ONLINE]
        assert all(f.starts_at.date() < REFERENCE_DATE for f in rows[:2])
        ahead = rows[2]
        assert ahead.starts_at.date() > REFERENCE_DATE and ahead.booths.exists()
        assert all(p.status == "open" for b in ahead.booths.all() for p in b.positions.all())


def test_past_fairs_resumes_are_applications_of_their_hours(demo, db):  # type: ignore[no-untyped-def]
    for app in Application.objects.filter(fair__isnull=False).select_related("fair"):
        assert app.source == Application.Source.FAIR
        assert app.fair.starts_at <= app.created_at < app.fair.ends_at
        booth = FairBooth.objects.get(fair=app.fair, enterprise_id=app.enterprise_id)
        assert booth.positions.filter(pk=app.position_id).exists()
        visit = FairVisitor.objects.get(fair=app.fair, person_id=app.person_id)
        assert visit.checked_in_at is not None and visit.checked_in_at <= app.created_at
    assert Application.objects.filter(fair__isnull=False).exists()


def test_intentions_are_by_checked_in_visitors_during_the_fair(demo, db):  # type: ignore[no-untyped-def]
    for i in FairIntention.objects.select_related("booth__fair"):
        fair = i.booth.fair
        visit = FairVisitor.objects.get(fair=fair, person_id=i.person_id)
        assert visit.checked_in_at is not None and fair.starts_at <= i.at < fair.ends_at


def test_the_report_counts_what_was_written(demo, db):  # type: ignore[no-untyped-def]
    fair = Fair.objects.filter(kind=Fair.Kind.ONSITE).order_by("starts_at").first()
    figures = fairs.report(fair)
    assert figures["enterprises"] == fair.booths.count() > 0
    assert figures["resumes"] == Application.objects.filter(fair=fair).count()
    assert figures["checked_in"] <= figures["registered"]
