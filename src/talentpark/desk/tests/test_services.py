"""The service desk's workflow: one window, parts per department, asking and replying (the clocks
stand still meanwhile), rating, reopening within seven days, the 办不成事 queue, and bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from talentpark.accounts.access import restrict
from talentpark.core.context import ActionContext
from talentpark.core.models import Notice
from talentpark.desk import categories as cats
from talentpark.desk import portfolio, services
from talentpark.desk.models import Assignment, Clock, Part, Request, Step, VisitIssue

pytestmark = pytest.mark.django_db


def ctx(user: Any) -> ActionContext:
    return ActionContext(user=user, role=user.role, zone_id=user.zone_id, reason="测试")


def file(w: Any, **data: Any) -> Request:
    values = {"talent": w.talent, "title": "申请人才公寓", "description": "刚入职，想申请人才公寓", **data}
    return services.file_request(ctx(w.tina), w.zone.pk, values)


def test_a_categorised_request_splits_into_one_part_per_department_and_is_done_when_every_part_is(
    desk: Any,
) -> None:
    req = file(desk, category="settle", title="落户和住房", description="全家落户，同时申请住房")
    parts = {p.department_id: p for p in req.parts.all()}
    assert set(parts) == {desk.housing_dept.pk, desk.hrss_dept.pk}
    assert req.status == Request.Status.PROCESSING and req.specialist == desk.bob  # her named specialist
    assert Clock.objects.filter(part__in=parts.values(), stopped_at__isnull=True).count() == 2

    services.start_part(ctx(desk.dave), parts[desk.housing_dept.pk])
    services.complete_part(ctx(desk.dave), parts[desk.housing_dept.pk], "已安排公寓看房")
    req.refresh_from_db()
    assert req.status == Request.Status.PROCESSING  # one part still open
    services.complete_part(ctx(desk.hank), parts[desk.hrss_dept.pk], "落户材料已受理")
    req.refresh_from_db()
    assert req.status == Request.Status.DONE and req.done_at is not None
    clock = services.request_clock(req)
    assert clock is not None and clock.stopped_at is not None and clock.met is True
    kinds = list(req.steps.values_list("kind", flat=True))
    assert kinds[0] == Step.Kind.FILED and kinds[-1] == Step.Kind.DONE
    assert kinds.count(Step.Kind.PART_DONE) == 2
    # each change reached her inbox
    assert Notice.objects.filter(recipient=desk.tina, kind=services.NOTICE_KIND).count() >= 4


def test_the_category_is_suggested_from_her_text(desk: Any) -> None:
    assert cats.suggest(desk.zone.pk, "孩子明年入学，想咨询上学的事").value == "schooling"  # type: ignore[union-attr]
    req = file(desk, title="孩子入学", description="子女入学需要办理什么")
    assert req.category == "schooling"


def test_a_request_that_fits_no_category_waits_in_the_office_queue(desk: Any) -> None:
    req = file(desk, category="none", title="其他问题", description="这件事不知道找谁")
    assert req.category == "" and req.status == Request.Status.NEW and not req.parts.exists()
    assert list(services.requests_for_office_queue(desk.zone.pk)) == [req]
    assert Notice.objects.filter(recipient=desk.alice, kind=services.SLA_KIND).exists()
    services.complete_request(ctx(desk.alice), req, "已协调园区物业解决")
    req.refresh_from_db()
    assert req.status == Request.Status.DONE and req.answer == "已协调园区物业解决"
    assert not services.requests_for_office_queue(desk.zone.pk).exists()


def test_the_office_can_route_a_queued_request_by_giving_it_a_category(desk: Any) -> None:
    req = file(desk, category="none", title="其他问题", description="说不清")
    services.categorise(ctx(desk.alice), req, "housing")
    req.refresh_from_db()
    assert req.category == "housing" and req.parts.get().department == desk.housing_dept
    with pytest.raises(services.Refused):
        services.categorise(ctx(desk.alice), req, "schooling")


def test_asking_the_requester_pauses_the_clocks_and_her_reply_resumes_them(desk: Any) -> None:
    req = file(desk, category="housing")
    part = req.parts.get()
    services.ask(ctx(desk.dave), req, "请补充劳动合同", part=part)
    req.refresh_from_db()
    part.refresh_from_db()
    assert req.status == Request.Status.WAITING and part.status == Part.Status.WAITING
    for clock in (services.request_clock(req), Clock.objects.get(part=part)):
        assert clock is not None and clock.paused_at is not None and clock.due_at is None
    services.reply(ctx(desk.tina), req, "已上传劳动合同")
    req.refresh_from_db()
    assert req.status == Request.Status.PROCESSING
    clock = services.request_clock(req)
    assert (
        clock is not None and clock.paused_at is None and clock.due_at is not None and len(clock.pauses) == 1
    )


def test_rating_once_after_done_and_reopening_within_seven_days(desk: Any) -> None:
    req = file(desk, category="housing")
    with pytest.raises(services.Refused):
        services.rate(ctx(desk.tina), req, 5)
    services.complete_part(ctx(desk.dave), req.parts.get(), "已办")
    services.rate(ctx(desk.tina), req, 4, "很快")
    with pytest.raises(services.Refused):
        services.rate(ctx(desk.tina), req, 5)
    req.refresh_from_db()
    assert req.rating == 4
    services.reopen(ctx(desk.tina), req, "公寓还没落实")
    req.refresh_from_db()
    assert req.status == Request.Status.PROCESSING and req.reopened == 1 and req.rating is None
    clock = services.request_clock(req)
    assert clock is not None and clock.stopped_at is None and clock.level == 0


def test_a_request_closed_more_than_seven_days_ago_cannot_be_reopened(desk: Any) -> None:
    req = file(desk, category="housing")
    services.complete_part(ctx(desk.dave), req.parts.get(), "已办")
    Request.objects.filter(pk=req.pk).update(done_at=timezone.now() - dt.timedelta(days=8))
    with pytest.raises(services.Refused, match="7天"):
        services.reopen(ctx(desk.tina), req, "还有问题")


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        ({"title": ""}, "title", "诉求标题：不能为空"),
        ({"description": "x" * 2001}, "description", "诉求内容：不能超过2000个字"),
        ({"category": "nonsense"}, "category", "诉求类别：不是本园区的诉求类别"),
        ({"title": "=HYPERLINK(1)"}, "title", "诉求标题：不能以 = + - @ 开头"),
        ({"documents": ["999999"]}, "documents", "材料：所选材料不在本人材料库中"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    desk: Any, data: dict[str, Any], field: str, reason: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        file(desk, **data)
    assert reason in exc.value.message_dict[field]
    assert not Request.objects.exists() and not Step.objects.exists() and not Clock.objects.exists()


def test_a_talent_of_another_zone_cannot_be_filed_for(desk: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.file_request(
            ctx(desk.bob),
            desk.zone.pk,
            {"talent": str(desk.foreign_talent.pk), "title": "a", "description": "b"},
        )
    assert "诉求人：本园区没有这位人才" in exc.value.message_dict["talent"]


def test_a_department_sees_only_its_own_parts_and_a_talent_only_her_requests(desk: Any) -> None:
    req = file(desk, category="settle")
    other = services.file_request(
        ctx(desk.bob),
        desk.zone.pk,
        {
            "talent": str(desk.carols_talent.pk),
            "title": "住房",
            "description": "住房问题",
            "category": "housing",
        },
        channel=Request.Channel.PHONE,
    )
    assert set(restrict(Part.objects.all(), desk.dave).values_list("department_id", flat=True)) == {
        desk.housing_dept.pk
    }
    assert set(restrict(Part.objects.all(), desk.hank).values_list("request_id", flat=True)) == {req.pk}
    assert list(restrict(Request.objects.all(), desk.tina)) == [req]
    assert other.filed_by == desk.bob and other.channel == Request.Channel.PHONE
    # the housing handler reads the steps of her part and the request's own, not the other department's
    seen = restrict(Step.objects.filter(request=req), desk.dave)
    assert not seen.filter(part__department=desk.hrss_dept).exists()
    assert seen.filter(kind=Step.Kind.FILED).exists()
    # her notes stay on her part
    services.note(ctx(desk.hank), req, "内部：等待公安数据", part=req.parts.get(department=desk.hrss_dept))
    assert not restrict(Step.objects.filter(kind=Step.Kind.NOTE), desk.dave).exists()


def test_the_least_loaded_specialist_with_the_skill_is_suggested(desk: Any) -> None:
    from talentpark.desk.models import SpecialistProfile

    SpecialistProfile.objects.create(user=desk.bob, zone=desk.zone, skills=["housing"])
    SpecialistProfile.objects.create(user=desk.carol, zone=desk.zone, skills=["schooling"])
    assert services.suggest_specialist(desk.zone.pk, "housing") == desk.bob
    assert services.suggest_specialist(desk.zone.pk, "schooling") == desk.carol
    portfolio.assign(ctx(desk.alice), desk.talent, desk.bob)
    portfolio.assign(ctx(desk.alice), desk.carols_talent, desk.bob)
    assert services.suggest_specialist(desk.zone.pk, "") == desk.carol  # bob carries two now


def test_assignment_history_first_contact_and_service_list(desk: Any) -> None:
    first = portfolio.assign(ctx(desk.alice), desk.talent, desk.bob, "入区新人才")
    clock = Clock.objects.get(assignment=first)
    assert clock.kind == Clock.Kind.CONTACT and clock.due_at is not None
    portfolio.record_contact(ctx(desk.bob), first, "电话联系，了解住房需求")
    clock.refresh_from_db()
    assert clock.stopped_at is not None
    with pytest.raises(services.Refused):
        portfolio.record_contact(ctx(desk.bob), first, "再次")
    item = portfolio.add_item(ctx(desk.bob), first, {"text": "协助申请人才公寓", "due_on": "2026-12-31"})
    portfolio.complete_item(ctx(desk.bob), item)
    with pytest.raises(ValidationError) as exc:
        portfolio.add_item(ctx(desk.bob), first, {"text": "", "due_on": "明天"})
    assert set(exc.value.message_dict) == {"text", "due_on"}
    second = portfolio.assign(ctx(desk.alice), desk.talent, desk.carol, "工作调整")
    first.refresh_from_db()
    desk.talent.refresh_from_db()
    assert first.ended_at is not None and second.ended_at is None and desk.talent.specialist == desk.carol
    assert Assignment.objects.filter(talent=desk.talent).count() == 2
    with pytest.raises(ValidationError):
        portfolio.assign(ctx(desk.alice), desk.talent, desk.carol)
    with pytest.raises(ValidationError):
        portfolio.assign(ctx(desk.alice), desk.talent, desk.dave)  # not a specialist


def test_an_issue_raised_at_a_visit_becomes_a_request_once(desk: Any) -> None:
    visit = portfolio.record_visit(
        ctx(desk.bob),
        desk.enterprise,
        {
            "visited_on": timezone.localdate().isoformat(),
            "met_with": "人事部王经理",
            "issues": "员工子女入学难\n\n缺少公寓房源",
        },
    )
    issues = list(visit.issues.all())
    assert [i.text for i in issues] == ["员工子女入学难", "缺少公寓房源"]
    req = portfolio.issue_to_request(ctx(desk.bob), issues[0])
    assert (
        req.enterprise == desk.enterprise
        and req.channel == Request.Channel.VISIT
        and req.category == "schooling"
    )
    assert VisitIssue.objects.get(pk=issues[0].pk).request == req
    with pytest.raises(services.Refused):
        portfolio.issue_to_request(ctx(desk.bob), issues[0])
    with pytest.raises(ValidationError) as exc:
        portfolio.record_visit(ctx(desk.bob), desk.enterprise, {"visited_on": "2099-01-01", "met_with": ""})
    assert set(exc.value.message_dict) == {"visited_on", "met_with"}


def test_category_extra_lines_are_checked_and_stored_structured(desk: Any) -> None:
    from talentpark.core.validation import FieldErrors

    errors = FieldErrors()
    out = cats.check_extra(
        errors, {"部门": "住建,人社", "时限": "10", "部门时限": "5", "关键词": "公寓、租房"}
    )
    assert not errors and out == {
        "departments": ["housing", "hrss"],
        "days": 10,
        "part_days": 5,
        "keywords": ["公寓", "租房"],
    }
    bad = FieldErrors()
    cats.check_extra(bad, {"部门": "不存在局", "时限": "0", "颜色": "红"})
    messages = " ".join(bad.errors["extra"])
    assert "不存在局" in messages and "1到365" in messages and "颜色" in messages


def test_only_the_requester_rates_or_reopens(desk: Any) -> None:
    req = file(desk, category="housing")
    services.complete_part(ctx(desk.dave), req.parts.get(), "已办")
    for user in (desk.alice, desk.bob, desk.erin):
        with pytest.raises(services.Refused, match="只有诉求人"):
            services.rate(ctx(user), req, 1)
        with pytest.raises(services.Refused, match="只有诉求人"):
            services.reopen(ctx(user), req, "不满意")
    req.refresh_from_db()
    assert req.rating is None and req.status == Request.Status.DONE
