"""招才引智's workflow: posting and review, closing dates, one-click applications through the
pipeline, interviews with slots she picks, her phone revealed only after she accepts, saved
searches told of new matches. Bad input is a Chinese message naming the field; nothing half-saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from talentpark.core import timeline
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog, Notice, PIIAccessLog
from talentpark.recruitment import facts, matching, services
from talentpark.recruitment.models import Application, ApplicationEvent, Interview, Position, SavedSearch
from talentpark.recruitment.tests.conftest import SOFTWARE, position

pytestmark = pytest.mark.django_db

AS = Application.Stage


def ctx(user: Any) -> ActionContext:
    return ActionContext(user=user, role=user.role, zone_id=user.zone_id)


GOOD = {
    "title": "嵌入式软件工程师",
    "occupation": SOFTWARE,
    "category": "rnd",
    "headcount": "3",
    "min_degree": "21",
    "major": "电子信息工程",
    "skills": "C语言、RTOS，单片机",
    "min_experience": "1",
    "salary_min": "8000",
    "salary_max": "14000",
    "district": "370811",
    "employment_type": "full",
    "closes_on": "",
    "description": "负责控制器软件开发",
}


# -- posting and review ----------------------------------------------------------------------------


def test_an_enterprise_posts_the_office_approves_and_it_is_public_from_today(jobs: Any) -> None:
    p = services.save_position(ctx(jobs.erin), jobs.enterprise, GOOD, submit=True)
    assert p.status == Position.Status.PENDING and p.skills == ["C语言", "RTOS", "单片机"]
    assert not services.public_positions([jobs.zone.pk]).filter(pk=p.pk).exists()
    assert Notice.objects.filter(recipient=jobs.alice, kind=services.REVIEW_KIND).exists()

    with pytest.raises(ValidationError) as exc:
        services.review_position(ctx(jobs.alice), p, approve=False, note="")
    assert exc.value.message_dict["review_note"] == ["审核意见：退回时请写明原因"]

    p = services.review_position(ctx(jobs.alice), p, approve=True)
    assert p.status == Position.Status.OPEN and p.published_on == timezone.localdate()
    assert p.reviewed_by == jobs.alice
    assert services.public_positions([jobs.zone.pk]).filter(pk=p.pk).exists()
    with pytest.raises(services.Refused):
        services.review_position(ctx(jobs.alice), p, approve=True)  # already decided
    assert AuditLog.objects.filter(action="recruitment.position.review").count() == 1


def test_editing_an_open_position_sends_it_back_to_review(jobs: Any) -> None:
    p = services.save_position(ctx(jobs.erin), jobs.enterprise, {**GOOD, "headcount": "5"}, jobs.job)
    assert p.status == Position.Status.PENDING and p.headcount == 5


def test_returned_position_carries_the_note_and_can_be_resubmitted(jobs: Any) -> None:
    p = services.save_position(ctx(jobs.erin), jobs.enterprise, GOOD, submit=True)
    p = services.review_position(ctx(jobs.alice), p, approve=False, note="薪资区间请写实")
    assert p.status == Position.Status.REJECTED and p.review_note == "薪资区间请写实"
    p = services.submit_position(ctx(jobs.erin), p)
    assert p.status == Position.Status.PENDING


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "岗位名称：不能为空"),
        (
            {"occupation": "9-99-99-99"},
            "occupation",
            "职业分类：9-99-99-99不是2022版职业分类大典中的职业（细类）",
        ),
        ({"occupation": "2-02"}, "occupation", "职业分类：2-02不是2022版职业分类大典中的职业（细类）"),
        ({"salary_max": "5000"}, "salary_max", "月薪上限：不能低于月薪下限"),
        ({"salary_min": "八千"}, "salary_min", "月薪下限：应为整数"),
        ({"headcount": "0"}, "headcount", "招聘人数：应在1到999之间"),
        ({"district": "110101"}, "district", "工作地点：不在本园区所在城市的区县中"),
        ({"closes_on": "2020-01-01"}, "closes_on", "截止日期：不能早于今天"),
        ({"closes_on": "明天"}, "closes_on", "截止日期：日期格式应为YYYY-MM-DD"),
        ({"title": "=HYPERLINK(1)"}, "title", "岗位名称：不能以 = + - @ 开头"),
        ({"skills": "、".join(f"技能{i}" for i in range(13))}, "skills", "技能要求：最多12项"),
        ({"min_degree": "99"}, "min_degree", "最低学历：不是可选的值"),
    ],
)
def test_bad_position_input_names_the_field_and_saves_nothing(
    jobs: Any, change: dict[str, str], field: str, message: str
) -> None:
    before = Position.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.save_position(ctx(jobs.erin), jobs.enterprise, {**GOOD, **change}, submit=True)
    assert message in exc.value.message_dict[field]
    assert Position.objects.count() == before
    assert not AuditLog.objects.filter(action="recruitment.position.save").exists()


def test_a_closing_date_is_enforced_before_and_by_the_daily_job(jobs: Any) -> None:
    today = timezone.localdate()
    past = position(jobs, jobs.enterprise, title="过期岗位", closes_on=today - dt.timedelta(days=1))
    last_day = position(jobs, jobs.enterprise, title="今天截止", closes_on=today)
    public = set(services.public_positions([jobs.zone.pk]).values_list("pk", flat=True))
    assert past.pk not in public and last_day.pk in public
    with pytest.raises(services.Refused, match="已截止"):
        services.apply(ctx(jobs.tina), jobs.talent.person, past)

    assert services.close_expired(today) == 1
    past.refresh_from_db()
    last_day.refresh_from_db()
    assert past.status == Position.Status.CLOSED and last_day.status == Position.Status.OPEN


# -- applications ----------------------------------------------------------------------------------


def test_one_click_application_carries_her_record_and_its_score(jobs: Any) -> None:
    app = services.apply(ctx(jobs.tina), jobs.talent.person, jobs.job, note="可随时到岗")
    assert app.stage == AS.NEW and app.enterprise_id == jobs.enterprise.pk
    assert app.resume["name"] == "唐娜" and app.resume["degree"] == "本科"
    assert app.resume["educations"][0]["major"] == "计算机科学与技术"
    assert app.resume["skills"] == ["Java", "MySQL", "Redis"]
    expected = matching.points(facts.job_of(jobs.job), facts.person_facts(jobs.talent.person))
    assert app.score == expected and 0 < expected <= 100
    assert Notice.objects.filter(recipient=jobs.erin, kind=services.APPLICANT_KIND).exists()
    assert not Notice.objects.filter(recipient=jobs.frank, kind=services.APPLICANT_KIND).exists()
    assert Notice.objects.filter(recipient=jobs.tina, kind=services.APPLICATION_KIND).exists()

    with pytest.raises(services.Refused, match="已投递过"):
        services.apply(ctx(jobs.tina), jobs.talent.person, jobs.job)
    assert Application.objects.count() == 1 and ApplicationEvent.objects.count() == 1


def test_applying_to_a_position_not_yet_public_is_refused(jobs: Any) -> None:
    pending = position(jobs, jobs.enterprise, status=Position.Status.PENDING)
    with pytest.raises(services.Refused):
        services.apply(ctx(jobs.tina), jobs.talent.person, pending)
    foreign = position(jobs, jobs.foreign_enterprise, zone=jobs.other_zone)
    with pytest.raises(services.Refused, match="所在园区"):
        services.apply(ctx(jobs.tina), jobs.talent.person, foreign)
    assert not Application.objects.exists()


def test_the_pipeline_moves_one_step_at_a_time_and_tells_her(jobs: Any) -> None:
    app = services.apply(ctx(jobs.tina), jobs.talent.person, jobs.job)
    with pytest.raises(services.Refused, match="不能改为"):
        services.move(ctx(jobs.erin), app, AS.OFFER)
    app = services.move(ctx(jobs.erin), app, AS.SCREENED)
    with pytest.raises(services.Refused, match="邀请面试"):
        services.move(ctx(jobs.erin), app, AS.INTERVIEW)
    start = timezone.now() + dt.timedelta(days=2)
    services.invite(ctx(jobs.erin), app, [start.isoformat()], place="研发楼3层")
    app.refresh_from_db()
    assert app.stage == AS.INTERVIEW
    app = services.move(ctx(jobs.erin), app, AS.OFFER)
    app = services.move(ctx(jobs.erin), app, AS.HIRED)
    assert app.hired_on == timezone.localdate()
    kinds = list(app.events.values_list("kind", "stage"))
    assert kinds == [
        ("applied", "new"),
        ("stage", "screened"),
        ("invited", "interview"),
        ("stage", "offer"),
        ("stage", "hired"),
    ]
    assert Notice.objects.filter(recipient=jobs.tina, kind=services.APPLICATION_KIND).count() == 5
    with pytest.raises(services.Refused):
        services.withdraw(ctx(jobs.tina), app)  # hired: nothing to withdraw


def test_a_rejection_needs_a_reason_and_cancels_the_open_invitation(jobs: Any) -> None:
    app = services.apply(ctx(jobs.tina), jobs.talent.person, jobs.job)
    app = services.move(ctx(jobs.erin), app, AS.SCREENED)
    services.invite(ctx(jobs.erin), app, [(timezone.now() + dt.timedelta(days=1)).isoformat()])
    with pytest.raises(ValidationError) as exc:
        services.move(ctx(jobs.erin), app, AS.REJECTED)
    assert exc.value.message_dict["reason"] == ["未录用原因：请选择原因"]
    app.refresh_from_db()
    assert app.stage == AS.INTERVIEW
    app = services.move(ctx(jobs.erin), app, AS.REJECTED, reason="skills", note="需要更多微服务经验")
    assert app.reason == "skills" and app.interviews.get().status == Interview.Status.CANCELLED
    assert "技能不匹配" in Notice.objects.filter(recipient=jobs.tina).order_by("-pk").first().text


def test_interview_slots_are_checked_and_she_picks_one(jobs: Any) -> None:
    app = services.move(
        ctx(jobs.erin), services.apply(ctx(jobs.tina), jobs.talent.person, jobs.job), AS.SCREENED
    )
    past = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    for slots, message in (
        ([], "面试时间：请至少提供一个时间"),
        ([past], "已过"),
        (["下周一"], "不是有效的时间"),
        ([(timezone.now() + dt.timedelta(days=d)).isoformat() for d in range(1, 7)], "最多提供5个时间"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.invite(ctx(jobs.erin), app, slots)
        assert any(message in m for m in exc.value.message_dict["slots"])
    assert not Interview.objects.exists()

    times = [(timezone.now() + dt.timedelta(days=d)).isoformat() for d in (1, 2)]
    interview = services.invite(ctx(jobs.erin), app, times, mode="video", place="腾讯会议 123")
    with pytest.raises(services.Refused, match="待确认"):
        services.invite(ctx(jobs.erin), app, times)
    with pytest.raises(ValidationError):
        services.pick_slot(ctx(jobs.tina), interview, 0)
    second = interview.slots.order_by("starts_at")[1]
    interview = services.pick_slot(ctx(jobs.tina), interview, second.pk)
    assert interview.status == Interview.Status.ACCEPTED and interview.chosen == second
    with pytest.raises(services.Refused):
        services.pick_slot(ctx(jobs.tina), interview, second.pk)


def test_her_phone_is_masked_until_she_accepts_an_interview_then_each_read_is_logged(jobs: Any) -> None:
    app = services.apply(ctx(jobs.tina), jobs.talent.person, jobs.job)
    plain = jobs.talent.person.phone.plaintext_for_processing()
    shown = services.applicant_phone(ctx(jobs.erin), app)
    assert shown != plain and "*" in shown and not PIIAccessLog.objects.exists()
    app = services.move(ctx(jobs.erin), app, AS.SCREENED)
    interview = services.invite(ctx(jobs.erin), app, [(timezone.now() + dt.timedelta(days=1)).isoformat()])
    assert "*" in services.applicant_phone(ctx(jobs.erin), app)  # invited, not yet accepted
    services.pick_slot(ctx(jobs.tina), interview, interview.slots.get().pk)
    assert services.applicant_phone(ctx(jobs.erin), app) == plain
    log = PIIAccessLog.objects.get()
    assert log.actor == jobs.erin and log.field == "phone" and log.granted


def test_she_may_withdraw_and_her_open_invitation_is_cancelled(jobs: Any) -> None:
    app = services.move(
        ctx(jobs.erin), services.apply(ctx(jobs.tina), jobs.talent.person, jobs.job), AS.SCREENED
    )
    services.invite(ctx(jobs.erin), app, [(timezone.now() + dt.timedelta(days=1)).isoformat()])
    app = services.withdraw(ctx(jobs.tina), app)
    assert app.stage == AS.WITHDRAWN and app.interviews.get().status == Interview.Status.CANCELLED
    assert Notice.objects.filter(recipient=jobs.erin, text__contains="撤回").exists()


def test_her_applications_are_on_her_timeline(jobs: Any) -> None:
    app = services.apply(ctx(jobs.tina), jobs.talent.person, jobs.job)
    services.move(ctx(jobs.erin), app, AS.SCREENED)
    events = [e for e in timeline.events_for(jobs.talent, jobs.tina, ["recruitment"]) if "求职" in e.title]
    assert len(events) == 2 and "Java开发工程师" in events[0].detail


# -- her 求职意向 and saved searches ------------------------------------------------------------------


def test_seeker_profile_input_is_checked_whole(jobs: Any) -> None:
    person = jobs.talent.person
    with pytest.raises(ValidationError) as exc:
        services.save_seeker(
            ctx(jobs.tina),
            person,
            {
                "occupations": ["1-2-3"],
                "districts": ["110101"],
                "expected_salary": "-5",
                "experience_years": "99",
            },
        )
    errors = exc.value.message_dict
    assert set(errors) == {"occupations", "districts", "expected_salary", "experience_years"}
    jobs.seeker.refresh_from_db()
    assert jobs.seeker.occupations == [SOFTWARE]  # unchanged
    seeker = services.save_seeker(
        ctx(jobs.tina), person, {"occupations": [SOFTWARE], "skills": "Go，Kubernetes", "open_to_offers": "1"}
    )
    assert seeker.skills == ["Go", "Kubernetes"] and seeker.open_to_offers


def test_a_saved_search_is_told_of_a_newly_approved_match_only(jobs: Any) -> None:
    saved = services.save_search(
        ctx(jobs.tina), jobs.tina, jobs.zone.pk, "软件万元", {"q": "软件", "salary": "10000"}
    )
    assert saved.params == {"q": "软件", "salary": "10000"}
    with pytest.raises(ValidationError):
        services.save_search(ctx(jobs.tina), jobs.tina, jobs.zone.pk, "空", {})
    match = services.save_position(ctx(jobs.erin), jobs.enterprise, GOOD, submit=True)
    other = services.save_position(
        ctx(jobs.erin), jobs.enterprise, {**GOOD, "title": "车间主任", "salary_max": "9000"}, submit=True
    )
    assert services.alert_saved_searches(match) == 1
    assert services.alert_saved_searches(other) == 0
    notice = Notice.objects.get(recipient=jobs.tina, kind=services.MATCH_KIND)
    assert "嵌入式软件工程师" in notice.text and notice.link == services.position_link(match)
    assert SavedSearch.objects.get().last_notified_at is not None


def test_filters_select_what_they_say(jobs: Any) -> None:
    qs = services.public_positions([jobs.zone.pk])

    def ids(**params: str) -> set[int]:
        return set(services.filter_positions(qs, params).values_list("pk", flat=True))

    assert ids(q="数控") == {jobs.franks_job.pk}
    assert ids(salary="15000") == {jobs.job.pk, jobs.franks_job.pk}
    assert ids(salary="15001") == set()
    assert ids(degree="31") == set()  # 专科: both ask for 本科
    assert ids(degree="14") == {jobs.job.pk, jobs.franks_job.pk}
    assert ids(type="intern") == set()
    assert ids(occupation="6-18") == {jobs.franks_job.pk}
