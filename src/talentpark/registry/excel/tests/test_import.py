"""Excel import: preview, commit all-or-nothing, idempotent re-import, duplicates, audit, permissions."""

from __future__ import annotations

import io
import sys
import types

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from talentpark.core.crypto import blind_index
from talentpark.core.models import AuditLog
from talentpark.registry.excel import importer
from talentpark.registry.excel.columns import ENTERPRISES, PLATFORMS, PROJECTS, TALENTS
from talentpark.registry.models import Education, Enterprise, ImportJob, Person, Platform, Project, Talent
from talentpark.registry.tests.factories import make_id_number, make_uscc

from .helpers import commit, talent_row, upload, upload_job, workbook

pytestmark = pytest.mark.django_db


def office(world) -> Client:
    client = Client()
    client.force_login(world.alice)
    return client


def _counts():
    return (
        Person.objects.count(),
        Talent.objects.count(),
        Education.objects.count(),
        AuditLog.objects.count(),
    )


def test_a_valid_file_is_previewed_then_committed_with_one_audit_row(world):
    client = office(world)
    rows = [
        talent_row(name="王晓明", employer=world.enterprise.uscc),
        talent_row(name="李 娜", id_number=make_id_number(sex="F"), sex="女", employer=world.enterprise.name),
    ]
    before = _counts()
    job = upload_job(client, "talent", workbook(rows))
    assert job.status == ImportJob.Status.READY, job.problems
    assert job.counts == {"new": 2, "update": 0, "unchanged": 0, "error": 0}
    assert _counts() == before  # the preview writes nothing
    page = client.get(reverse("registry:import_job", args=[job.pk]))
    assert "确认导入" in page.content.decode()

    job = commit(client, job)
    assert job.status == ImportJob.Status.DONE
    talents = Talent.objects.filter(zone=world.zone, person__name__in=["王晓明", "李 娜"])
    assert talents.count() == 2
    t = talents.get(person__name="王晓明")
    assert t.employer == world.enterprise and t.professional_title == "3"
    assert t.person.highest_degree == "14" and t.person.name_pinyin.startswith("wangxiaoming")
    assert t.person.educations.get().university.name == "山东大学"
    entries = AuditLog.objects.filter(action="registry.import")
    assert entries.count() == 1 and AuditLog.objects.count() == before[3] + 1
    entry = entries.get()
    assert (
        entry.after["new"] == 2 and entry.after["sha256"] == job.sha256 and entry.after["file"] == "导入.xlsx"
    )
    assert sorted(entry.after["created"]) == sorted(talents.values_list("pk", flat=True))
    assert job.audit_id == entry.pk
    assert not importer.has_upload(job)  # the upload is deleted once committed


def test_importing_the_same_file_again_changes_nothing(world):
    client = office(world)
    data = workbook(
        [talent_row(employer=world.enterprise.uscc), talent_row(id_number=make_id_number(sex="M"))]
    )
    commit(client, upload_job(client, "talent", data))
    stamps = list(Talent.objects.order_by("pk").values_list("pk", "updated_at"))
    people = list(Person.objects.order_by("pk").values_list("pk", "updated_at"))
    audit_rows = AuditLog.objects.count()

    again = upload_job(client, "talent", data)
    assert again.counts == {"new": 0, "update": 0, "unchanged": 2, "error": 0}
    again = commit(client, again)
    assert again.status == ImportJob.Status.DONE
    assert list(Talent.objects.order_by("pk").values_list("pk", "updated_at")) == stamps
    assert list(Person.objects.order_by("pk").values_list("pk", "updated_at")) == people
    assert Education.objects.count() == 2
    assert AuditLog.objects.count() == audit_rows + 1  # the import itself is still recorded


def test_changed_rows_are_updates_and_only_present_columns_change(world):
    client = office(world)
    number = make_id_number(sex="M")
    commit(
        client,
        upload_job(client, "talent", workbook([talent_row(id_number=number, position_title="工程师")])),
    )
    person = Person.objects.get(id_number_hash=blind_index(number, "id_number"))
    keep = ["姓名*", "身份证号*", "手机号码*", "职务/岗位", "入区时间*"]
    row = ["王晓明", number, "13800000001", "总工程师", "2021-03-01"]
    job = upload_job(client, "talent", workbook([row], keep))
    assert job.counts["update"] == 1
    commit(client, job)
    talent = Talent.objects.get(person=person, zone=world.zone)
    person.refresh_from_db()
    assert talent.position_title == "总工程师"
    assert person.phone == "13800000001"
    assert person.highest_degree == "14"  # the column was absent: kept
    entry = AuditLog.objects.filter(action="registry.import").latest("pk")
    assert set(entry.after["updated"][str(talent.pk)]) == {"person.phone", "position_title"}


def test_one_bad_row_means_nothing_is_written_and_no_audit_row(world):
    client = office(world)
    rows = [talent_row(), talent_row(id_number=make_id_number(sex="M")), talent_row(phone="12345")]
    before = _counts()
    job = upload_job(client, "talent", workbook(rows))
    assert job.status == ImportJob.Status.INVALID
    assert job.counts["error"] == 1 and job.counts["new"] == 2
    assert job.problems == [[4, 3, "手机号码", "应为11位手机号码，以1开头，第二位为3至9"]]
    response = client.post(reverse("registry:import_commit", args=[job.pk]))
    assert response.status_code == 409
    assert _counts() == before


def test_a_failure_while_writing_rolls_everything_back(world, monkeypatch):
    client = office(world)
    job = upload_job(
        client, "talent", workbook([talent_row(), talent_row(id_number=make_id_number(sex="M"))])
    )
    before = _counts()

    def broken(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(importer.audit, "record", broken)
    job = commit(client, job)
    assert job.status == ImportJob.Status.FAILED and "未导入任何数据" in job.message
    assert _counts() == before


def test_duplicates_inside_one_file_name_both_rows(world):
    client = office(world)
    number = make_id_number(sex="M")
    rows = [talent_row(id_number=number), talent_row(name="别人"), talent_row(id_number=number.lower())]
    job = upload_job(client, "talent", workbook(rows))
    assert job.status == ImportJob.Status.INVALID
    reasons = {(p[0], p[3]) for p in job.problems}
    assert (2, "与第4行重复（身份证号相同），同一文件中每条记录只能出现一次") in reasons
    assert (4, "与第2行重复（身份证号相同），同一文件中每条记录只能出现一次") in reasons
    assert job.counts["error"] == 2


def test_the_marked_workbook_colours_and_comments_each_bad_cell(world):
    client = office(world)
    rows = [talent_row(), talent_row(id_number="370811199005170024", zone_entry_date="2021-13-01")]
    job = upload_job(client, "talent", workbook(rows))
    response = client.get(reverse("registry:import_marked", args=[job.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = book["人才"]
    assert ws["B3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "校验位不正确" in ws["B3"].comment.text
    assert "不是有效日期" in ws["S3"].comment.text
    assert ws["B2"].comment is None and ws["A3"].value == "王晓明"
    summary = [row for row in book["错误汇总"].iter_rows(min_row=2, values_only=True)]
    assert {(r[0], r[1]) for r in summary} == {(3, "B"), (3, "S")}


def test_enterprises_platforms_and_projects_import_and_reimport(world):
    client = office(world)
    uscc = make_uscc()
    ent = [
        "济宁蓼河（集团）智能装备有限公司",
        "蓼河智能",
        uscc,
        "370811 任城区",
        "3421",
        "中型",
        "2012-08-15",
        "5000",
        320,
        "是",
        "是",
        "济宁高新区海川路1号",
        "张经理",
        "13912345678",
        "液压件",
    ]
    job = upload_job(client, "enterprise", workbook([ent], spec=ENTERPRISES))
    assert job.status == ImportJob.Status.READY, job.problems
    commit(client, job)
    enterprise = Enterprise.objects.get(zone=world.zone, uscc=uscc)
    assert enterprise.name == "济宁蓼河（集团）智能装备有限公司"  # full-width brackets kept
    assert enterprise.is_key and enterprise.contact_phone == "13912345678"
    assert str(enterprise.registered_capital) == "5000.00"

    platform = [
        "济宁市液压工程技术研究中心",
        "工程技术研究中心",
        "市级",
        uscc,
        "",
        "",
        "2020-05-01",
        "济宁市科技局",
        "",
    ]
    commit(client, upload_job(client, "platform", workbook([platform], spec=PLATFORMS)))
    assert Platform.objects.get(zone=world.zone, name="济宁市液压工程技术研究中心").enterprise == enterprise

    project = ["高端液压件产线", "产业化项目", "在建", uscc, "", "12000", "2023-01-01", ""]
    commit(client, upload_job(client, "project", workbook([project], spec=PROJECTS)))
    assert Project.objects.get(zone=world.zone, name="高端液压件产线").investment == 12000

    for kind, spec, row in (
        ("enterprise", ENTERPRISES, ent),
        ("platform", PLATFORMS, platform),
        ("project", PROJECTS, project),
    ):
        again = upload_job(client, kind, workbook([row], spec=spec))
        assert again.counts == {"new": 0, "update": 0, "unchanged": 1, "error": 0}, kind


def test_enterprise_credit_code_must_match_the_division_province(world):
    client = office(world)
    ent = ["某公司", "", make_uscc("110105"), "370811", "3421", "", "", "", "", "", "", "", "", "", ""]
    job = upload_job(client, "enterprise", workbook([ent], spec=ENTERPRISES))
    assert job.problems == [
        [2, 3, "统一社会信用代码", "第3至8位的登记管理机关行政区划与企业注册地不在同一省份"]
    ]


def test_a_second_running_import_of_the_same_user_is_refused(world):
    client = office(world)
    ImportJob.objects.create(
        zone=world.zone, user=world.alice, kind="talent", file_name="a.xlsx", sha256="0" * 64
    )
    response = upload(client, "talent", workbook([talent_row()]))
    assert response.status_code == 409
    assert "已有一个导入任务正在进行" in response.content.decode()


def test_search_index_is_refreshed_when_the_search_module_exists(world, monkeypatch):
    calls = []
    search = types.ModuleType("talentpark.core.search")
    index = types.ModuleType("talentpark.core.search.index")
    index.reindex = lambda model, pks: calls.append((model, sorted(pks)))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "talentpark.core.search", search)
    monkeypatch.setitem(sys.modules, "talentpark.core.search.index", index)
    client = office(world)
    commit(client, upload_job(client, "talent", workbook([talent_row()])))
    assert calls and calls[0][0] is Talent and len(calls[0][1]) == 1


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "erin", "tina", "pat", "amy", "paul"])
def test_only_the_office_may_import(world, persona):
    client = Client()
    client.force_login(getattr(world, persona))
    for url in (
        reverse("registry:import_home"),
        reverse("registry:import_talent"),
        reverse("registry:import_enterprise_template"),
    ):
        assert client.get(url).status_code == 403, url
    assert upload(client, "talent", workbook([talent_row()])).status_code == 403


def test_someone_elses_job_is_not_found(world):
    client = office(world)
    job = upload_job(client, "talent", workbook([talent_row()]))
    from talentpark.registry.tests.factories import UserFactory

    other_office = UserFactory(
        username="alice2", role="office", zone=world.zone, department=world.office_dept
    )
    other = Client()
    other.force_login(other_office)
    assert other.get(reverse("registry:import_job", args=[job.pk])).status_code == 404
    assert other.post(reverse("registry:import_commit", args=[job.pk])).status_code == 404


def test_template_has_sheets_dropdowns_and_instructions(world):
    response = office(world).get(reverse("registry:import_talent_template"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["人才", "说明", "代码表"]
    assert book["代码表"].sheet_state == "hidden"
    ws = book["人才"]
    assert [c.value for c in ws[1]] == [c.title for c in TALENTS.columns]
    assert ws.freeze_panes == "A2"
    lists = {
        str(dv.sqref).split(":")[0]: dv.formula1
        for dv in ws.data_validations.dataValidation
        if dv.type == "list"
    }
    # every code-table column has a drop-down: 性别, 最高学历, 毕业院校, 工作单位, 职称, 技能, 计划, 住房, 户籍
    assert set(lists) == {"D2", "F2", "G2", "J2", "L2", "N2", "P2", "R2", "T2"}
    assert all(f.startswith("'代码表'!$") for f in lists.values())
    guide = [r for r in book["说明"].iter_rows(values_only=True) if r and r[0] == "身份证号"]
    assert guide and guide[0][1] == "必填"
    lists_sheet = book["代码表"]
    headers = [c.value for c in lists_sheet[1]]
    degree_col = headers.index("最高学历") + 1
    degrees = [lists_sheet.cell(row=i, column=degree_col).value for i in range(2, 7)]
    assert degrees == ["专科", "本科", "硕士研究生", "博士研究生", "博士后"]


def test_enterprise_template_lists_industry_classes(world):
    response = office(world).get(reverse("registry:import_enterprise_template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in book["代码表"][1]]
    col = headers.index("所属行业（GB/T 4754小类）") + 1
    first = book["代码表"].cell(row=2, column=col).value
    assert first and first[:4].isdigit()
