"""A run whose worker failed or died can be run again; it continues without duplicating claims."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog
from talentpark.policies import runs
from talentpark.policies.models import Claim, PublishRun
from talentpark.policies.tests.factories import make_policy, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def doctor(world):  # type: ignore[no-untyped-def]
    person = world.talent.person
    person.highest_degree = "11"
    person.save()
    return world


def office_ctx(world) -> ActionContext:  # type: ignore[no-untyped-def]
    return ActionContext(user=world.alice, role=world.alice.role, zone_id=world.zone.pk)


def failed_run(world, monkeypatch) -> PublishRun:  # type: ignore[no-untyped-def]
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr(runs, "_write_batch", broken)
    version = make_version(make_policy(world.zone))
    try:
        runs.publish(office_ctx(world), version, dt.date(2026, 11, 2))
    except RuntimeError:
        pass  # the inline task backend may re-raise; the run records the failure either way
    monkeypatch.undo()
    return PublishRun.objects.get(version=version)


def test_a_failed_run_runs_again_and_writes_each_claim_once(doctor, monkeypatch) -> None:
    run = failed_run(doctor, monkeypatch)
    assert run.status == PublishRun.Status.FAILED and "数据库连接中断" in run.error and run.can_retry
    assert not Claim.objects.filter(policy=run.version.policy).exists()

    again = runs.retry_run(office_ctx(doctor), run)
    assert again.status == PublishRun.Status.DONE and again.eligible == 1 and again.error == ""
    assert Claim.objects.filter(policy=run.version.policy, talent=doctor.talent).count() == 1
    assert AuditLog.objects.filter(action="policy.run.retry").count() == 1

    with pytest.raises(ValidationError, match="已完成，无需重新运行"):
        runs.retry_run(office_ctx(doctor), again)
    assert Claim.objects.filter(policy=run.version.policy).count() == 1


def test_a_running_run_is_retried_only_once_it_has_stalled(doctor) -> None:
    version = make_version(make_policy(doctor.zone))
    run = PublishRun.objects.create(
        zone=doctor.zone,
        version=version,
        as_of=dt.date(2026, 11, 2),
        status=PublishRun.Status.RUNNING,
        progressed_at=timezone.now() - dt.timedelta(minutes=5),
    )
    with pytest.raises(ValidationError, match="超过30分钟没有进展"):
        runs.retry_run(office_ctx(doctor), run)
    PublishRun.objects.filter(pk=run.pk).update(progressed_at=timezone.now() - dt.timedelta(hours=2))
    run.refresh_from_db()
    assert run.is_stalled and run.can_retry
    assert runs.retry_run(office_ctx(doctor), run).status == PublishRun.Status.DONE
    assert Claim.objects.filter(policy=version.policy, talent=doctor.talent).exists()


def test_the_run_page_offers_a_retry_to_the_office_only(doctor, monkeypatch) -> None:
    run = failed_run(doctor, monkeypatch)
    office = Client()
    office.force_login(doctor.alice)
    page = office.get(reverse("policies:run_detail", args=[run.pk])).content.decode()
    assert "计算失败" in page and "重新运行" in page
    tina = Client()
    tina.force_login(doctor.tina)
    assert tina.post(reverse("policies:run_retry", args=[run.pk])).status_code == 403
    response = office.post(reverse("policies:run_retry", args=[run.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("policies:run_detail", args=[run.pk])
    html = response.content.decode()
    assert "计算完成" in html and "重新运行" not in html
