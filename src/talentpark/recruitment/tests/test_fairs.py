"""Job fairs: the office schedules one; an enterprise takes a booth with its public jobs; a talent
registers, is checked in with her talent code (the 8 digits under it), records an intention in one
tap and delivers a résumé; the report counts each. Bad input names the field; nothing half-saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentpark.core.context import ActionContext
from talentpark.recruitment import fairs
from talentpark.recruitment.models import Application, Fair, FairBooth, FairVisitor
from talentpark.talentcode import services as codes

pytestmark = pytest.mark.django_db


def ctx(user: Any) -> ActionContext:
    return ActionContext(user=user, role=user.role, zone_id=user.zone_id)


def live_fair(world: Any, **kw: Any) -> Fair:
    now = timezone.now()
    return Fair.objects.create(
        zone=world.zone,
        title="2026秋季高校毕业生双选会",
        venue="高新区人才市场",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=3),
        **kw,
    )


def test_scheduling_checks_its_fields(jobs: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        fairs.schedule(
            ctx(jobs.alice),
            jobs.zone.pk,
            {"title": "", "starts_at": "2020-01-01T09:00", "ends_at": "2019-12-31T09:00"},
        )
    errors = exc.value.message_dict
    assert errors["title"] == ["名称：不能为空"]
    assert errors["ends_at"] == ["结束时间：应晚于开始时间"]
    assert errors["starts_at"] == ["开始时间：不能早于现在"]
    assert errors["venue"] == ["地点/链接：不能为空"]  # an on-site fair needs a place
    assert not Fair.objects.exists()
    start = timezone.localtime() + dt.timedelta(days=7)
    fair = fairs.schedule(
        ctx(jobs.alice),
        jobs.zone.pk,
        {
            "title": "空中双选会",
            "kind": "online",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert fair.kind == Fair.Kind.ONLINE and fairs.state(fair) == "upcoming"


def test_a_booth_takes_only_the_enterprises_public_jobs(jobs: Any) -> None:
    fair = live_fair(jobs)
    with pytest.raises(ValidationError) as exc:
        fairs.take_booth(ctx(jobs.erin), fair, jobs.enterprise, [jobs.franks_job.pk])
    assert exc.value.message_dict["positions"] == ["参会岗位：只能选择本企业正在招聘的岗位"]
    with pytest.raises(ValidationError):
        fairs.take_booth(ctx(jobs.erin), fair, jobs.enterprise, [])
    booth = fairs.take_booth(ctx(jobs.erin), fair, jobs.enterprise, [jobs.job.pk])
    assert list(booth.positions.all()) == [jobs.job] and booth.number == "001"
    again = fairs.take_booth(ctx(jobs.erin), fair, jobs.enterprise, [str(jobs.job.pk)])
    assert again.pk == booth.pk and FairBooth.objects.count() == 1


def test_check_in_with_her_code_then_intention_and_resume_are_counted(jobs: Any) -> None:
    fair = live_fair(jobs)
    booth = fairs.take_booth(ctx(jobs.erin), fair, jobs.enterprise, [jobs.job.pk])
    person = jobs.talent.person
    fairs.register(ctx(jobs.tina), fair, person)
    with pytest.raises(fairs.Refused, match="已报名"):
        fairs.register(ctx(jobs.tina), fair, person)
    with pytest.raises(fairs.Refused, match="请先签到"):
        fairs.intend(ctx(jobs.tina), booth, person)

    with pytest.raises(ValidationError) as exc:
        fairs.check_in(ctx(jobs.alice), fair, "12345678")
    assert exc.value.message_dict["code"][0].startswith("人才码：")
    token = codes.current_token(jobs.talent)
    visitor = fairs.check_in(ctx(jobs.alice), fair, token.short_code)
    assert visitor.checked_in_at is not None and visitor.checked_in_by == jobs.alice
    with pytest.raises(fairs.Refused, match="已签到"):
        fairs.check_in(ctx(jobs.alice), fair, token.token)  # the QR's text reads the same person

    fairs.intend(ctx(jobs.tina), booth, person)
    with pytest.raises(fairs.Refused, match="已登记过"):
        fairs.intend(ctx(jobs.tina), booth, person)
    app = fairs.apply_at(ctx(jobs.tina), booth, person, jobs.job)
    assert app.source == Application.Source.FAIR and Application.objects.get().fair == fair
    with pytest.raises(fairs.Refused, match="不在本展位"):
        fairs.apply_at(ctx(jobs.tina), booth, person, jobs.franks_job)

    Application.objects.filter(pk=app.pk).update(stage=Application.Stage.HIRED, reason="")
    assert fairs.report(fair) == {
        "enterprises": 1,
        "jobs": 1,
        "headcount": 2,
        "registered": 1,
        "checked_in": 1,
        "resumes": 1,
        "intentions": 1,
        "hired": 1,
    }


def test_a_code_of_another_zones_talent_does_not_check_in(jobs: Any) -> None:
    fair = live_fair(jobs)
    token = codes.current_token(jobs.foreign_talent)
    with pytest.raises(ValidationError) as exc:
        fairs.check_in(ctx(jobs.alice), fair, token.short_code)
    assert "不属于本园区" in exc.value.message_dict["code"][0]
    assert not FairVisitor.objects.exists()


def test_an_online_fair_checks_her_in_when_she_enters(jobs: Any) -> None:
    fair = live_fair(jobs, kind=Fair.Kind.ONLINE)
    visitor = fairs.join_online(ctx(jobs.tina), fair, jobs.talent.person)
    assert visitor.checked_in_at is not None


def test_a_finished_fair_takes_nothing(jobs: Any) -> None:
    now = timezone.now()
    fair = Fair.objects.create(
        zone=jobs.zone,
        title="往届",
        venue="x",
        starts_at=now - dt.timedelta(days=2),
        ends_at=now - dt.timedelta(days=1),
    )
    with pytest.raises(fairs.Refused):
        fairs.register(ctx(jobs.tina), fair, jobs.talent.person)
    with pytest.raises(fairs.Refused):
        fairs.take_booth(ctx(jobs.erin), fair, jobs.enterprise, [jobs.job.pk])


@pytest.mark.django_db(transaction=True)
def test_the_fair_pages_for_each_side(jobs: Any) -> None:
    fair = live_fair(jobs)

    def login(user: Any) -> Client:
        c = Client()
        c.force_login(user)
        return c

    erin, tina, alice = login(jobs.erin), login(jobs.tina), login(jobs.alice)
    assert (
        erin.post(reverse("recruitment:fair_booth", args=[fair.pk]), {"positions": [jobs.job.pk]}).status_code
        == 302
    )
    assert tina.post(reverse("recruitment:fair_register", args=[fair.pk])).status_code == 302
    bad = alice.post(reverse("recruitment:fair_check_in", args=[fair.pk]), {"code": ""}, follow=True)
    assert bad.status_code == 200 and "人才码：" in bad.content.decode()
    token = codes.current_token(jobs.talent)
    alice.post(reverse("recruitment:fair_check_in", args=[fair.pk]), {"code": token.short_code})
    page = tina.get(reverse("recruitment:fair", args=[fair.pk])).content.decode()
    assert "已签到" in page and "有意向" in page
    booth = FairBooth.objects.get()
    tina.post(reverse("recruitment:fair_intend", args=[booth.pk]))
    tina.post(reverse("recruitment:fair_apply", args=[booth.pk]), {"position": jobs.job.pk})
    report = alice.get(reverse("recruitment:fair", args=[fair.pk])).content.decode()
    assert "招聘会数据" in report
    assert Application.objects.get().fair == fair
    # a talent may not check people in; another zone's office may not see the fair
    assert tina.post(reverse("recruitment:fair_check_in", args=[fair.pk]), {"code": "1"}).status_code == 403
    assert login(jobs.frank).get(reverse("recruitment:fair", args=[fair.pk])).status_code == 200  # same zone
