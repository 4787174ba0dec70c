"""招才引智 through its pages: a talent browses, sees her fit and applies in one click; the
enterprise runs its own pipeline (never another's), invites with slots she picks, and sees her
phone only then; the office reviews posts. Bad input is a Chinese message naming the field (never a
500, nothing saved)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentpark.core.context import ActionContext
from talentpark.recruitment import services
from talentpark.recruitment.models import Application, Interview, Position
from talentpark.recruitment.tests.conftest import SOFTWARE, position

pytestmark = pytest.mark.django_db(transaction=True)
AS = Application.Stage


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ctx(user: Any) -> ActionContext:
    return ActionContext(user=user, role=user.role, zone_id=user.zone_id)


def test_a_talent_browses_sees_her_fit_applies_once_and_follows_it(jobs: Any) -> None:
    hidden = position(jobs, jobs.enterprise, title="待审核岗位", status=Position.Status.PENDING)
    tina = login(jobs.tina)
    page = tina.get(reverse("recruitment:jobs"))
    body = page.content.decode()
    assert page.status_code == 200 and "Java开发工程师" in body and "数控车工" in body
    assert "待审核岗位" not in body and "匹配" in body
    assert tina.get(reverse("recruitment:job", args=[hidden.pk])).status_code == 404

    filtered = tina.get(reverse("recruitment:jobs"), {"q": "数控"}).content.decode()
    assert "数控车工" in filtered and "Java开发工程师" not in filtered

    detail = tina.get(reverse("recruitment:job", args=[jobs.job.pk])).content.decode()
    assert "我与岗位的匹配" in detail and "✓ Java" in detail and "✗ Spring Boot" in detail
    r = tina.post(reverse("recruitment:apply", args=[jobs.job.pk]), {"note": "期待面试"})
    assert r.status_code == 302
    app = Application.objects.get()
    assert app.person == jobs.talent.person and app.note == "期待面试"
    again = tina.post(reverse("recruitment:apply", args=[jobs.job.pk]), follow=True)
    assert again.status_code == 200 and "您已投递过该岗位" in again.content.decode()
    assert Application.objects.count() == 1

    mine = tina.get(reverse("recruitment:mine")).content.decode()
    assert "Java开发工程师" in mine and "新投递" in mine and "为您推荐" in mine


def test_an_enterprise_sees_only_its_own_applicants(jobs: Any) -> None:
    app = services.apply(ctx(jobs.tina), jobs.talent.person, jobs.job)
    erin, frank = login(jobs.erin), login(jobs.frank)
    assert "唐娜" in erin.get(reverse("recruitment:pipeline")).content.decode()
    assert "唐娜" not in frank.get(reverse("recruitment:pipeline")).content.decode()
    assert frank.get(reverse("recruitment:application", args=[app.pk])).status_code == 404
    r = frank.post(reverse("recruitment:move", args=[app.pk]), {"to": "screened"})
    assert r.status_code == 404
    app.refresh_from_db()
    assert app.stage == AS.NEW
    # the office watches, read-only
    alice = login(jobs.alice)
    assert alice.get(reverse("recruitment:application", args=[app.pk])).status_code == 200
    assert alice.post(reverse("recruitment:move", args=[app.pk]), {"to": "screened"}).status_code == 403
    # a talent never meets an enterprise's pipeline page
    assert login(jobs.tina).get(reverse("recruitment:pipeline")).status_code == 403


def test_invitation_slot_and_phone_through_the_pages(jobs: Any) -> None:
    app = services.apply(ctx(jobs.tina), jobs.talent.person, jobs.job)
    erin = login(jobs.erin)
    plain = jobs.talent.person.phone.plaintext_for_processing()
    page = erin.get(reverse("recruitment:application", args=[app.pk])).content.decode()
    assert plain not in page and "确认面试时间后显示完整号码" in page
    assert erin.post(reverse("recruitment:move", args=[app.pk]), {"to": "screened"}).status_code == 302
    bad = erin.post(reverse("recruitment:invite", args=[app.pk]), {"slots": ["", ""]}, follow=True)
    assert bad.status_code == 200 and "面试时间：请至少提供一个时间" in bad.content.decode()
    when = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    erin.post(reverse("recruitment:invite", args=[app.pk]), {"slots": [when, ""], "mode": "video"})
    interview = Interview.objects.get()

    tina = login(jobs.tina)
    assert "请选择一个时间" in tina.get(reverse("recruitment:mine")).content.decode()
    r = tina.post(reverse("recruitment:pick_slot", args=[interview.pk]), {"slot": interview.slots.get().pk})
    assert r.status_code == 302
    # frank cannot answer tina's invitation
    assert (
        login(jobs.frank).post(reverse("recruitment:pick_slot", args=[interview.pk]), {"slot": 1}).status_code
        == 403
    )
    page = erin.get(reverse("recruitment:application", args=[app.pk])).content.decode()
    assert plain in page


def test_posting_with_bad_input_is_a_400_naming_the_fields_and_saves_nothing(jobs: Any) -> None:
    erin = login(jobs.erin)
    before = Position.objects.count()
    r = erin.post(
        reverse("recruitment:post_new"),
        {
            "title": "",
            "occupation": "",
            "salary_min": "9000",
            "salary_max": "100",
            "headcount": "1",
            "min_degree": "21",
            "category": "it",
            "submit": "1",
        },
    )
    body = r.content.decode()
    assert r.status_code == 400
    assert (
        "岗位名称：不能为空" in body
        and "职业分类：请选择职业分类" in body
        and "月薪上限：不能低于月薪下限" in body
    )
    assert Position.objects.count() == before

    r = erin.post(
        reverse("recruitment:post_new"),
        {
            "title": "测试工程师",
            "occupation": SOFTWARE,
            "salary_min": "6000",
            "salary_max": "9000",
            "headcount": "1",
            "min_degree": "21",
            "category": "it",
            "employment_type": "full",
            "submit": "1",
        },
    )
    assert r.status_code == 302
    made = Position.objects.get(title="测试工程师")
    assert made.status == Position.Status.PENDING and made.enterprise == jobs.enterprise
    # frank cannot edit erin's position
    assert login(jobs.frank).get(reverse("recruitment:post_edit", args=[made.pk])).status_code == 404

    alice = login(jobs.alice)
    assert "测试工程师" in alice.get(reverse("recruitment:review")).content.decode()
    back = alice.post(
        reverse("recruitment:review_action", args=[made.pk]), {"decision": "return"}, follow=True
    )
    assert "审核意见：退回时请写明原因" in back.content.decode()
    alice.post(reverse("recruitment:review_action", args=[made.pk]), {"decision": "approve"})
    made.refresh_from_db()
    assert made.status == Position.Status.OPEN
    assert erin.get(reverse("recruitment:review")).status_code == 403


def test_a_jobs_best_fitting_talents_are_the_visible_ones(jobs: Any) -> None:
    erin = login(jobs.erin)
    page = erin.get(reverse("recruitment:talents_for", args=[jobs.job.pk])).content.decode()
    assert "唐娜" in page and "匹配明细" in page
    jobs.seeker.open_to_offers = False
    jobs.seeker.save()
    assert "唐娜" not in erin.get(reverse("recruitment:talents_for", args=[jobs.job.pk])).content.decode()
    # frank may not look for talents for erin's job
    assert login(jobs.frank).get(reverse("recruitment:talents_for", args=[jobs.job.pk])).status_code == 404


def test_her_profile_form_names_bad_fields(jobs: Any) -> None:
    tina = login(jobs.tina)
    r = tina.post(reverse("recruitment:seeker"), {"expected_salary": "很多", "experience_years": "3"})
    assert r.status_code == 400 and "期望月薪：应为整数" in r.content.decode()
    r = tina.post(
        reverse("recruitment:seeker"),
        {
            "occupations": [SOFTWARE],
            "skills": "Java、Go",
            "expected_salary": "13000",
            "experience_years": "6",
        },
    )
    assert r.status_code == 302
    jobs.seeker.refresh_from_db()
    assert jobs.seeker.skills == ["Java", "Go"] and jobs.seeker.expected_salary == 13000


def test_the_occupation_picker_finds_leaves(jobs: Any) -> None:
    body = login(jobs.erin).get(reverse("recruitment:occupation_search"), {"q": "车工"}).content.decode()
    assert "6-18-01-01" in body


def test_demands_are_filed_with_checked_input(jobs: Any) -> None:
    erin = login(jobs.erin)
    r = erin.post(reverse("recruitment:demand_new"), {"title": "", "count": "0", "min_degree": "21"})
    body = r.content.decode()
    assert r.status_code == 400 and "需求岗位/方向：不能为空" in body and "需求人数：应在1到9999之间" in body
    r = erin.post(
        reverse("recruitment:demand_new"),
        {"title": "工业机器人调试", "count": "4", "min_degree": "31", "urgency": "urgent", "year": "2026"},
    )
    assert r.status_code == 302
    assert jobs.enterprise.demands.get().count == 4


def test_the_source_of_an_application_is_the_marketplace_or_a_recommendation_only(jobs: Any) -> None:
    tina = login(jobs.tina)
    assert "?from=match" in tina.get(reverse("recruitment:mine")).content.decode()
    tina.post(reverse("recruitment:apply", args=[jobs.job.pk]), {"source": "live"})
    tina.post(reverse("recruitment:apply", args=[jobs.franks_job.pk]), {"source": "match"})
    sources = dict(Application.objects.values_list("position_id", "source"))
    assert sources == {jobs.job.pk: Application.Source.MARKET, jobs.franks_job.pk: Application.Source.MATCH}


def test_another_enterprise_sees_no_applicant_figures_on_a_job(jobs: Any) -> None:
    services.apply(ctx(jobs.tina), jobs.talent.person, jobs.job)
    assert (
        "应聘情况"
        not in login(jobs.frank).get(reverse("recruitment:job", args=[jobs.job.pk])).content.decode()
    )
    assert "应聘情况" in login(jobs.erin).get(reverse("recruitment:job", args=[jobs.job.pk])).content.decode()
