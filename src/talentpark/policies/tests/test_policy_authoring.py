"""The office authors policies on its own pages and publishes them safely.

Create and edit a policy (metadata, routing, attachments) through forms with Chinese field
errors; publishing refuses a missing 文号 or a rule that fails its own checks, and asks for a
second confirmation naming the figure when the preview exceeds the budget; a published version
that today's checks would refuse is flagged on its page.
"""

from __future__ import annotations

import decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from talentpark.core.models import AuditLog
from talentpark.policies import authoring, versions
from talentpark.policies.models import ApprovalLevel, Policy, PolicyAttachment, PolicyVersion, PublishRun
from talentpark.policies.tests.factories import make_policy, make_version
from talentpark.policies.tests.pagekit import client_for, make_phd
from talentpark.registry.tests.factories import DepartmentFactory

write_db = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _form(world: Any, **values: Any) -> dict[str, Any]:
    data = {
        "title": "高层次人才引进奖励办法",
        "doc_number": "测人才〔2026〕9号",
        "issuing_body": "测试区人才工作领导小组",
        "category": "subsidy",
        "target": "talent",
        "published_on": "",
        "effective_from": "2026-01-01",
        "effective_to": "2028-12-31",
        "summary": "对新引进的高层次人才给予奖励。",
        "full_text": "第一条　目的。\n第二条　条件。",
        "mode": "auto",
        "recurrence": "once",
        "approval_levels": "2",
        "approver_1": str(world.housing_dept.pk),
        "approver_2": "",
        "approver_3": "",
        "budget_total": "2,000,000",
        "materials": "",
    }
    data.update(values)
    return data


@write_db
def test_the_office_creates_a_policy_with_its_routing_and_one_audit_row(world) -> None:
    alice = client_for(world, "alice")
    assert alice.get(reverse("policies:policy_new")).status_code == 200
    response = alice.post(reverse("policies:policy_new"), _form(world))
    policy = Policy.objects.get(title="高层次人才引进奖励办法")
    assert response.status_code == 302 and response["Location"] == reverse(
        "policies:policy_edit", args=[policy.pk]
    )
    assert (policy.zone, policy.status, policy.doc_number) == (
        world.zone,
        Policy.Status.DRAFT,
        "测人才〔2026〕9号",
    )
    assert policy.budget_total == decimal.Decimal("2000000.00")
    assert list(policy.levels.order_by("number").values_list("number", "approver_id")) == [
        (1, world.housing_dept.pk),
        (2, None),
    ]
    row = AuditLog.objects.get(action="policy.create")
    assert row.after["title"] == policy.title and row.after["approvers"] == [world.housing_dept.pk, None]
    rules = alice.get(reverse("policies:policy_rules", args=[policy.pk])).content.decode()
    assert "第1级：住建局" in rules and "第2级：人才办" in rules


@write_db
def test_bad_input_names_each_field_in_chinese_and_saves_nothing(world) -> None:
    foreign = DepartmentFactory(zone=world.other_zone, name="外区住建局")
    response = client_for(world, "alice").post(
        reverse("policies:policy_new"),
        _form(
            world,
            title=" ",
            issuing_body="",
            effective_from="2026-06-01",
            effective_to="2026-01-01",
            budget_total="两百万",
            approval_levels="2",
            approver_2=str(foreign.pk),
            category="lottery",
        ),
    )
    html = response.content.decode()
    assert response.status_code == 400
    for message in (
        "政策名称：不能为空",
        "发文机关：不能为空",
        "截止日期：不能早于生效日期",
        "预算总额：应为金额数字",
        "第二级审核部门：请选择本园区的部门或人才办",
        "类别：请从列表中选择",
    ):
        assert message in html, message
    assert not Policy.objects.exists() and not AuditLog.objects.filter(action="policy.create").exists()


@write_db
def test_editing_records_what_changed_and_the_office_only(world) -> None:
    policy = make_policy(world.zone, budget_total=decimal.Decimal("1000000"))
    alice = client_for(world, "alice")
    page = alice.get(reverse("policies:policy_edit", args=[policy.pk])).content.decode()
    assert "测人才〔2026〕1号" in page and "审核分工" in page
    response = alice.post(
        reverse("policies:policy_edit", args=[policy.pk]),
        _form(
            world, title=policy.title, doc_number="测人才〔2026〕2号", approver_1="", budget_total="1000000"
        ),
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.doc_number == "测人才〔2026〕2号"
    assert list(policy.levels.values_list("approver_id", flat=True)) == [None, None]
    row = AuditLog.objects.get(action="policy.update")
    assert row.before["doc_number"] == "测人才〔2026〕1号" and row.after["doc_number"] == "测人才〔2026〕2号"
    assert row.before["approvers"] == [world.housing_dept.pk, None] and row.after["approvers"] == [None, None]
    # a second policy may not reuse the 文号
    other = make_policy(world.zone, title="另一项", doc_number="测人才〔2026〕3号")
    dup = alice.post(
        reverse("policies:policy_edit", args=[other.pk]),
        _form(world, title="另一项", doc_number="测人才〔2026〕2号"),
    )
    assert dup.status_code == 400 and f"文号：与《{policy.title}》重复" in dup.content.decode()
    for persona in ("dave", "bob", "tina", "erin", "pat"):
        client = client_for(world, persona)
        assert client.get(reverse("policies:policy_new")).status_code == 403, persona
        assert client.post(reverse("policies:policy_edit", args=[policy.pk]), _form(world)).status_code == 403
    policy.refresh_from_db()
    assert policy.doc_number == "测人才〔2026〕2号"


@write_db
def test_attachments_are_checked_for_type_and_size_and_served_to_the_zone(
    world, settings, tmp_path, monkeypatch
) -> None:
    settings.MEDIA_ROOT = tmp_path
    policy = make_policy(world.zone)
    alice = client_for(world, "alice")
    url = reverse("policies:attachment_add", args=[policy.pk])
    bad = [
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00"), "附件文件：只能上传 PDF、Word、Excel、OFD 或图片"),
        (SimpleUploadedFile("fake.pdf", b"<html>not a pdf"), "附件文件：内容与扩展名 .pdf 不符"),
        (SimpleUploadedFile("empty.pdf", b""), "附件文件：文件是空的"),
    ]
    for upload, message in bad:
        response = alice.post(url, {"file": upload, "name": ""})
        assert response.status_code == 400 and message in response.content.decode(), message
    monkeypatch.setattr(authoring, "ATTACHMENT_MAX_BYTES", 16)
    big = alice.post(url, {"file": SimpleUploadedFile("big.pdf", PDF)})
    assert big.status_code == 400 and "附件文件：不能超过" in big.content.decode()
    monkeypatch.undo()
    assert not PolicyAttachment.objects.exists() and not list(tmp_path.rglob("*.pdf"))
    ok = alice.post(url, {"file": SimpleUploadedFile("实施细则.pdf", PDF), "name": "实施细则（全文）"})
    assert ok.status_code == 302
    attachment = PolicyAttachment.objects.get(policy=policy)
    assert (attachment.name, attachment.size) == ("实施细则（全文）", len(PDF))
    assert AuditLog.objects.filter(action="policy.attachment.add").count() == 1
    download = reverse("policies:attachment_download", args=[attachment.pk])
    got = client_for(world, "tina").get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert "attachment" in got["Content-Disposition"] and got["Content-Type"] == "application/pdf"
    assert (
        client_for(world, "dave")
        .post(reverse("policies:attachment_remove", args=[attachment.pk]))
        .status_code
        == 403
    )
    assert alice.post(reverse("policies:attachment_remove", args=[attachment.pk])).status_code == 302
    assert not PolicyAttachment.objects.exists() and not list(tmp_path.rglob("*.pdf"))
    assert client_for(world, "tina").get(download).status_code == 404


@write_db
def test_publishing_refuses_a_missing_doc_number(world) -> None:
    make_phd(world)
    policy = make_policy(world.zone, doc_number="")
    version = make_version(policy)
    response = client_for(world, "alice").post(
        reverse("policies:version_publish", args=[version.pk]), {"as_of": "2026-11-02"}
    )
    assert response.status_code == 400 and "文号：发布前须填写政策文号" in response.content.decode()
    version.refresh_from_db()
    assert version.status == PolicyVersion.Status.DRAFT and not PublishRun.objects.exists()


@write_db
def test_publishing_refuses_a_rule_that_fails_its_own_checks(world) -> None:
    policy = make_policy(world.zone)
    # saved around the editor (as the demo's 安家补贴 v1 was): two articles where one is expected
    version = make_version(policy, outcome_article="第三条、第四条")
    response = client_for(world, "alice").post(
        reverse("policies:version_publish", args=[version.pk]), {"as_of": "2026-11-02"}
    )
    assert (
        response.status_code == 400
        and "金额依据条款：应写作“第三条”这样的条文序号" in response.content.decode()
    )
    version.refresh_from_db()
    assert version.status == PolicyVersion.Status.DRAFT and not PublishRun.objects.exists()


@write_db
def test_over_budget_needs_a_second_confirmation_naming_the_figure(world) -> None:
    make_phd(world)
    make_phd(world, world.carols_talent)
    for talent in (world.talent, world.carols_talent):
        talent.zone_entry_date = talent.zone_entry_date.replace(year=2024)
        talent.save()
    policy = make_policy(world.zone, budget_total=decimal.Decimal("150000"))
    version = make_version(policy)
    alice = client_for(world, "alice")
    url = reverse("policies:version_publish", args=[version.pk])
    first = alice.post(url, {"as_of": "2026-11-02"}, headers={"HX-Request": "true"})
    html = first.content.decode()
    assert "预计兑现 ¥200,000.00，超出预算 ¥150,000.00" in html
    assert 'name="confirm_amount" value="200000.00"' in html and "确认发布（预计兑现 ¥200,000.00" in html
    stale = alice.post(
        url, {"as_of": "2026-11-02", "confirm_amount": "100000.00"}, headers={"HX-Request": "true"}
    )
    assert "超出预算 ¥150,000.00" in stale.content.decode()
    version.refresh_from_db()
    assert version.status == PolicyVersion.Status.DRAFT and not PublishRun.objects.exists()
    second = alice.post(
        url, {"as_of": "2026-11-02", "confirm_amount": "200000.00"}, headers={"HX-Request": "true"}
    )
    run = PublishRun.objects.get(version=version)
    assert second["HX-Redirect"] == reverse("policies:run_detail", args=[run.pk])
    version.refresh_from_db()
    assert version.status == PolicyVersion.Status.PUBLISHED
    row = AuditLog.objects.get(action="policy.publish")
    assert row.after["over_budget_confirmed"] == "预计兑现 ¥200,000.00，超出预算 ¥150,000.00"


@write_db
def test_a_published_version_a_check_would_refuse_is_flagged_on_its_page(world) -> None:
    policy = make_policy(world.zone)
    flawed = make_version(policy, outcome_article="第三条、第四条", status=PolicyVersion.Status.PUBLISHED)
    alice = client_for(world, "alice")
    page = alice.get(reverse("policies:version_edit", args=[flawed.pk])).content.decode()
    assert "此版本已发布，但按当前检查不能发布" in page and "金额依据条款：应写作" in page
    assert "未通过当前检查" in alice.get(reverse("policies:policy_rules", args=[policy.pk])).content.decode()
    sound_policy = make_policy(world.zone, title="另一项补贴", doc_number="测人才〔2026〕5号")
    sound = make_version(sound_policy, status=PolicyVersion.Status.PUBLISHED)
    assert (
        "按当前检查不能发布"
        not in alice.get(reverse("policies:version_edit", args=[sound.pk])).content.decode()
    )
    assert versions.version_problems(sound) == []
    assert ApprovalLevel.objects.filter(policy=sound_policy).count() == sound_policy.approval_levels
