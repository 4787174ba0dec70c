"""The service desk through its pages: a talent files from one form, a department handles its part,
the talent replies, rates and reopens; bad input is a Chinese message naming the field (never a 500,
nothing saved); the 办不成事 queue, the specialist's portfolio and the home cards show the work."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentpark.core.context import ActionContext
from talentpark.desk import portfolio, services
from talentpark.desk.models import Assignment, Part, Request, Step, VisitIssue

pytestmark = pytest.mark.django_db(transaction=True)


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ctx(user: Any) -> ActionContext:
    return ActionContext(user=user, role=user.role, zone_id=user.zone_id)


def test_a_talent_files_a_request_and_follows_it_to_her_rating(desk: Any) -> None:
    tina = login(desk.tina)
    page = tina.get(reverse("desk:file"))
    assert page.status_code == 200 and "唐娜" in page.content.decode()  # prefilled from her record
    r = tina.post(
        reverse("desk:file"),
        {
            "title": "落户和住房",
            "description": "全家落户，同时申请住房",
            "category": "settle",
            "contact_name": "唐娜",
        },
    )
    req = Request.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("desk:request_detail", args=[req.pk])
    assert req.parts.count() == 2

    dave = login(desk.dave)
    part = req.parts.get(department=desk.housing_dept)
    body = dave.get(reverse("desk:request_detail", args=[req.pk])).content.decode()
    assert "住建局" in body and "人社局" not in body  # a department sees only its own part
    assert dave.post(reverse("desk:part_action", args=[part.pk, "start"])).status_code == 302
    dave.post(reverse("desk:part_action", args=[part.pk, "ask"]), {"text": "请补充劳动合同"})
    req.refresh_from_db()
    assert req.status == Request.Status.WAITING

    tina.post(reverse("desk:reply", args=[req.pk]), {"text": "合同已上传到材料库"})
    req.refresh_from_db()
    assert req.status == Request.Status.PROCESSING
    dave.post(reverse("desk:part_action", args=[part.pk, "complete"]), {"result": "公寓已分配"})
    login(desk.hank).post(
        reverse("desk:part_action", args=[req.parts.get(department=desk.hrss_dept).pk, "complete"]),
        {"result": "落户已办理"},
    )
    req.refresh_from_db()
    assert req.status == Request.Status.DONE
    mine = tina.get(reverse("desk:request_detail", args=[req.pk])).content.decode()
    for text in (
        "提交诉求",
        "部门办结",
        "请补充材料",
        "诉求人回复",
        "公寓已分配",
        "落户已办理",
        "评价本次服务",
    ):
        assert text in mine, text
    tina.post(reverse("desk:rate", args=[req.pk]), {"rating": "5", "comment": "专员很负责"})
    req.refresh_from_db()
    assert req.rating == 5
    tina.post(reverse("desk:reopen", args=[req.pk]), {"reason": "钥匙还没拿到"})
    req.refresh_from_db()
    assert req.status == Request.Status.PROCESSING and req.reopened == 1
    # her timeline (一码归集) shows the request's steps
    timeline = tina.get(reverse("registry:timeline")).content.decode()
    assert req.number in timeline


def test_bad_input_is_a_chinese_message_naming_the_field_and_nothing_is_saved(desk: Any) -> None:
    tina = login(desk.tina)
    r = tina.post(reverse("desk:file"), {"title": "", "description": "x" * 2001, "category": "nope"})
    body = r.content.decode()
    assert r.status_code == 400
    for text in ("诉求标题：不能为空", "诉求内容：不能超过2000个字", "诉求类别：不是本园区的诉求类别"):
        assert text in body
    assert not Request.objects.exists()
    req = services.file_request(
        ctx(desk.tina),
        desk.zone.pk,
        {"talent": desk.talent, "title": "t", "description": "d", "category": "housing"},
    )
    r = tina.post(reverse("desk:rate", args=[req.pk]), {"rating": "9"}, follow=True)
    assert "满意度：请选择1到5星" in r.content.decode()
    r = tina.post(reverse("desk:rate", args=[req.pk]), {"rating": "5"}, follow=True)
    assert "诉求办结后才能评价" in r.content.decode()
    req.refresh_from_db()
    assert req.rating is None


def test_requesters_and_departments_cannot_act_beyond_their_part(desk: Any) -> None:
    req = services.file_request(
        ctx(desk.tina),
        desk.zone.pk,
        {"talent": desk.talent, "title": "t", "description": "d", "category": "settle"},
    )
    hrss_part = req.parts.get(department=desk.hrss_dept)
    assert (
        login(desk.dave)
        .post(reverse("desk:part_action", args=[hrss_part.pk, "complete"]), {"result": "x"})
        .status_code
        == 404
    )
    assert (
        login(desk.tina)
        .post(reverse("desk:part_action", args=[hrss_part.pk, "complete"]), {"result": "x"})
        .status_code
        == 403
    )
    assert login(desk.erin).post(reverse("desk:rate", args=[req.pk]), {"rating": "1"}).status_code == 404
    assert (
        login(desk.bob).post(reverse("desk:rate", args=[req.pk]), {"rating": "1"}).status_code == 403
    )  # not hers
    hrss_part.refresh_from_db()
    assert hrss_part.status == Part.Status.PENDING


def test_a_specialist_files_a_pasted_wechat_message_on_behalf_of_her_talent(desk: Any) -> None:
    portfolio.assign(ctx(desk.alice), desk.talent, desk.bob)
    bob = login(desk.bob)
    form = bob.get(reverse("desk:file")).content.decode()
    assert f"t:{desk.talent.pk}" in form  # her portfolio to choose from
    r = bob.post(
        reverse("desk:file"),
        {
            "subject": f"t:{desk.talent.pk}",
            "title": "孩子入学",
            "description": "【微信】孩子明年上学，想问入学手续",
            "channel": "wechat",
        },
    )
    req = Request.objects.get()
    assert r.status_code == 302 and req.channel == Request.Channel.WECHAT and req.filed_by == desk.bob
    assert req.category == "schooling" and req.talent == desk.talent
    assert "代为登记" in Step.objects.get(request=req, kind=Step.Kind.FILED).text


def test_the_office_answers_the_queue_and_sees_caseloads(desk: Any) -> None:
    req = services.file_request(
        ctx(desk.tina),
        desk.zone.pk,
        {"talent": desk.talent, "title": "其他", "description": "不知道找谁", "category": "none"},
    )
    alice = login(desk.alice)
    queue = alice.get(reverse("desk:queue_list")).content.decode()
    assert req.number in queue
    home = alice.get(reverse("accounts:home")).content.decode()
    assert "待答复“办不成事”" in home
    alice.post(reverse("desk:complete", args=[req.pk]), {"answer": "已协调解决"})
    req.refresh_from_db()
    assert req.status == Request.Status.DONE
    portfolio.assign(ctx(desk.alice), desk.talent, desk.bob)
    page = alice.get(reverse("desk:portfolio")).content.decode()
    assert "专员工作量" in page and "待首次联系" in page


def test_the_office_assigns_with_a_suggestion_and_the_specialist_keeps_the_service_list(desk: Any) -> None:
    alice = login(desk.alice)
    url = reverse("desk:assign") + f"?enterprise={desk.enterprise.pk}"
    assert "建议" in alice.get(url).content.decode()
    r = alice.post(url, {"specialist": str(desk.dave.pk)})
    assert r.status_code == 400 and "服务专员：请选择本园区在岗的服务专员" in r.content.decode()
    alice.post(url, {"specialist": str(desk.carol.pk), "reason": "产业链对口"})
    a = Assignment.objects.get(enterprise=desk.enterprise)
    carol = login(desk.carol)
    carol.post(reverse("desk:assignment_action", args=[a.pk, "contact"]), {"note": "上门拜访"})
    carol.post(
        reverse("desk:assignment_action", args=[a.pk, "item"]),
        {"text": "协调员工子女入学", "due_on": "2027-01-15"},
    )
    detail = carol.get(reverse("desk:assignment_detail", args=[a.pk])).content.decode()
    assert "协调员工子女入学" in detail and "上门拜访" in detail
    r = carol.post(
        reverse("desk:visit_new") + f"?enterprise={desk.enterprise.pk}",
        {
            "enterprise": desk.enterprise.pk,
            "visited_on": timezone.localdate().isoformat(),
            "met_with": "人事经理",
            "issues": "缺公寓",
        },
    )
    assert r.status_code == 302
    issue = VisitIssue.objects.get()
    carol.post(reverse("desk:issue_to_request", args=[issue.pk]))
    assert Request.objects.filter(enterprise=desk.enterprise, channel=Request.Channel.VISIT).count() == 1


def test_the_talent_and_enterprise_pages_list_their_requests_and_the_desk_actions(desk: Any) -> None:
    req = services.file_request(
        ctx(desk.tina),
        desk.zone.pk,
        {"talent": desk.talent, "title": "子女入学咨询", "description": "d", "category": "schooling"},
    )
    bob = login(desk.bob).get(reverse("registry:talent_detail", args=[desk.talent.pk])).content.decode()
    assert "服务诉求" in bob and req.number in bob and "代为登记诉求" in bob and "指派服务专员" not in bob
    alice = (
        login(desk.alice)
        .get(reverse("registry:enterprise_detail", args=[desk.enterprise.pk]))
        .content.decode()
    )
    assert "指派服务专员" in alice and "登记走访" in alice
    erin = (
        login(desk.erin)
        .get(reverse("registry:enterprise_detail", args=[desk.enterprise.pk]))
        .content.decode()
    )
    assert "代为登记诉求" not in erin and "指派服务专员" not in erin


def test_she_uploads_a_new_document_with_her_reply_and_it_lands_in_her_wallet(desk: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from talentpark.registry.models import Document

    req = services.file_request(
        ctx(desk.tina),
        desk.zone.pk,
        {"talent": desk.talent, "title": "t", "description": "d", "category": "housing"},
    )
    services.ask(ctx(desk.dave), req, "请补充劳动合同", part=req.parts.get())
    pdf = SimpleUploadedFile("劳动合同.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    r = login(desk.tina).post(reverse("desk:reply", args=[req.pk]), {"text": "合同见附件", "file": pdf})
    assert r.status_code == 302
    doc = Document.objects.get(talent=desk.talent)
    assert doc.title == "劳动合同"
    assert Step.objects.filter(request=req, kind=Step.Kind.DOCUMENT, document=doc).exists()
    req.refresh_from_db()
    assert req.status == Request.Status.PROCESSING
    # a file that is no document: refused with the reason, nothing kept
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    page = login(desk.tina).post(
        reverse("desk:reply", args=[req.pk]), {"text": "再补一份", "file": bad}, follow=True
    )
    assert "材料文件" in page.content.decode()
    assert Document.objects.filter(talent=desk.talent).count() == 1
    assert not Step.objects.filter(request=req, kind=Step.Kind.REPLY, text="再补一份").exists()


def test_the_service_centres_share_is_handled_by_the_requests_specialist(desk: Any) -> None:
    from talentpark.accounts.models import Department

    centre = Department.objects.filter(pk=desk.centre.pk)
    centre.update(kind=Department.Kind.SERVICE_CENTRE)
    req = services.file_request(
        ctx(desk.tina),
        desk.zone.pk,
        {"talent": desk.talent, "title": "t", "description": "d", "category": "none"},
    )
    part = services.add_part(ctx(desk.bob), req, desk.centre.pk, "人才认定初审")
    housing = services.add_part(ctx(desk.bob), req, desk.housing_dept.pk, "住房")
    assert login(desk.carol).post(reverse("desk:part_action", args=[part.pk, "start"])).status_code == 404
    assert login(desk.bob).post(reverse("desk:part_action", args=[housing.pk, "start"])).status_code == 403
    assert login(desk.bob).post(reverse("desk:part_action", args=[part.pk, "start"])).status_code == 302
    part.refresh_from_db()
    housing.refresh_from_db()
    assert part.status == Part.Status.PROCESSING and part.handler == desk.bob
    assert housing.status == Part.Status.PENDING
