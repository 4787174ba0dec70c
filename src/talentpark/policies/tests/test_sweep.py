"""补充比对 beyond the service: the office's button, the nightly scheduled job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog
from talentpark.policies import runs, schedule
from talentpark.policies.models import Claim, PublishRun
from talentpark.policies.tests.factories import make_policy, make_version
from talentpark.registry.tests.factories import PersonFactory, TalentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world):  # type: ignore[no-untyped-def]
    """A doctors' policy published today, then a doctor who registers afterwards."""
    policy = make_policy(world.zone)
    version = make_version(policy, valid_from=dt.date(2020, 1, 1))
    ctx = ActionContext(user=world.alice, role=world.alice.role, zone_id=world.zone.pk)
    runs.publish(ctx, version)
    newcomer = TalentFactory(
        zone=world.zone,
        employer=world.enterprise,
        person=PersonFactory(zone=world.zone, highest_degree="11"),
        zone_entry_date=dt.date(2023, 3, 1),
    )
    return policy, newcomer


def test_the_nightly_job_sweeps_every_zone(world, published) -> None:
    policy, newcomer = published
    assert not Claim.objects.filter(talent=newcomer).exists()
    assert schedule.sweep_zones().startswith("2 个园区")  # the platform-wide job: both zones
    claim = Claim.objects.get(policy=policy, talent=newcomer)
    assert claim.status == Claim.Status.NOTIFIED and claim.decision.run.purpose == PublishRun.Purpose.SWEEP


def test_a_zone_job_sweeps_its_zone_only(world, published) -> None:
    policy, newcomer = published
    assert schedule.sweep_zones(world.other_zone.pk).startswith("1 个园区")
    assert not Claim.objects.filter(talent=newcomer).exists()
    assert schedule.sweep_zones(world.zone.pk) == "1 个园区，新符合条件 1 个"
    assert Claim.objects.filter(policy=policy, talent=newcomer).exists()


@pytest.mark.django_db(transaction=True)  # no test transaction around the view: it must open its own
def test_the_office_can_sweep_a_policy_now(world, published) -> None:
    policy, newcomer = published
    url = reverse("policies:policy_sweep", args=[policy.pk])
    tina = Client()
    tina.force_login(world.tina)
    assert tina.post(url).status_code == 403
    assert not Claim.objects.filter(talent=newcomer).exists()

    office = Client()
    office.force_login(world.alice)
    assert office.get(url).status_code == 405  # a POST only
    response = office.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("policies:policy_rules", args=[policy.pk])
    assert "已开始补充比对" in response.content.decode()
    assert Claim.objects.filter(policy=policy, talent=newcomer).exists()
    assert AuditLog.objects.filter(action="policy.sweep.request").count() == 1

    draft = make_policy(world.zone, title="未发布的政策")
    make_version(draft)
    page = office.post(reverse("policies:policy_sweep", args=[draft.pk]), follow=True).content.decode()
    assert "政策尚未发布" in page
