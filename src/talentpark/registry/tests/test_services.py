"""Registry operations: whole-or-nothing validation with Chinese messages, one audit row each."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog
from talentpark.core.validators import org_code_check_char, uscc_check_char
from talentpark.registry.models import Education, Enterprise, Person, Talent
from talentpark.registry.services import EducationInput, TalentInput, register_talent, update_enterprise
from talentpark.registry.tests.factories import UserFactory, make_id_number


def ctx(user):
    return ActionContext(user=user, role=user.role, zone_id=user.zone_id, ip="127.0.0.1", request_id="t")


def _input(**overrides):
    data = dict(
        name="  王 晓 明 ",
        id_number=make_id_number(sex="M"),
        phone="+86 139 0000 1111",
        zone_entry_date="2021年3月1日",
        educations=[
            EducationInput(
                degree="21", major="机械设计制造及其自动化", university="山东大学", graduated_on="2012-06-30"
            ),
            EducationInput(degree="14", major="机械工程", university="山东大学", graduated_on="2015-06-30"),
        ],
    )
    data.update(overrides)
    return TalentInput(**data)


@pytest.mark.django_db
def test_registering_a_talent_writes_person_talent_education_and_one_audit_row(world):
    talent = register_talent(ctx(world.alice), world.zone, _input(employer_id=world.enterprise.pk))
    assert talent.person.name == "王 晓 明"
    assert talent.person.highest_degree == "14"
    assert talent.person.sex == "M"
    assert Education.objects.filter(person=talent.person).count() == 2
    entry = AuditLog.objects.get(action="talent.register")
    assert (entry.actor, entry.object_id, entry.ip) == (world.alice, str(talent.pk), "127.0.0.1")


@pytest.mark.django_db
def test_every_bad_field_is_reported_and_nothing_is_saved(world):
    before = (Person.objects.count(), Talent.objects.count(), AuditLog.objects.count())
    bad = _input(
        name="",
        id_number="110105194912310021",
        phone="12345",
        zone_entry_date="2021-02-30",
        professional_title="9",
        educations=[EducationInput(degree="21", major="x", university="不存在大学")],
    )
    with pytest.raises(ValidationError) as exc:
        register_talent(ctx(world.alice), world.zone, bad)
    errors = exc.value.message_dict
    assert errors["name"] == ["姓名：不能为空"]
    assert "身份证号：校验位不正确" in errors["id_number"][0]
    assert errors["phone"][0].startswith("手机号码：")
    assert errors["zone_entry_date"][0].startswith("入区时间：")
    assert "专业技术职称" in errors["professional_title"][0]
    assert "不在院校代码表中" in errors["educations.0.university"][0]
    assert (Person.objects.count(), Talent.objects.count(), AuditLog.objects.count()) == before


@pytest.mark.django_db
def test_sex_and_birth_date_must_agree_with_the_id_number(world):
    number = make_id_number(sex="F")
    with pytest.raises(ValidationError) as exc:
        register_talent(
            ctx(world.alice), world.zone, _input(id_number=number, sex="M", birth_date="1991-01-01")
        )
    assert "与身份证号不一致" in exc.value.message_dict["sex"][0]
    assert "应为1990-05-17" in exc.value.message_dict["birth_date"][0]


@pytest.mark.django_db
def test_the_same_person_cannot_be_registered_twice_in_one_zone(world):
    number = make_id_number()
    register_talent(ctx(world.alice), world.zone, _input(id_number=number))
    with pytest.raises(ValidationError) as exc:
        register_talent(ctx(world.alice), world.zone, _input(id_number=" " + number.lower() + " "))
    assert exc.value.message_dict["id_number"] == ["身份证号：该人员已在本园区人才库中登记"]


@pytest.mark.django_db
def test_one_person_in_two_zones_has_two_sealed_records(world):
    number = make_id_number()
    first = register_talent(ctx(world.alice), world.zone, _input(id_number=number))
    with pytest.raises(ValidationError) as exc:  # zone A's office cannot register into zone B
        register_talent(ctx(world.alice), world.other_zone, _input(id_number=number))
    assert exc.value.message_dict["zone"] == ["园区：只能办理本园区的数据"]
    their_office = UserFactory(role="office", zone=world.other_zone)
    second = register_talent(
        ctx(their_office),
        world.other_zone,
        _input(id_number=number, name="王明", phone="13700001111", educations=[]),
    )
    assert first.person_id != second.person_id
    assert first.person.id_number_hash == second.person.id_number_hash  # the shared identity
    first.person.refresh_from_db()
    assert (first.person.name, str(first.person.phone.plaintext_for_processing())) == (
        "王 晓 明",
        "13900001111",
    )
    assert Education.objects.filter(person=second.person).count() == 0  # zone A's education stays in A
    assert set(Education.objects.filter(person=first.person).values_list("zone_id", flat=True)) == {
        world.zone.pk
    }


@pytest.mark.django_db
def test_an_enterprise_edit_records_before_and_after(world):
    update_enterprise(
        ctx(world.erin), world.enterprise, {"address": "济宁市任城区科苑路1号", "employee_count": "320"}
    )
    world.enterprise.refresh_from_db()
    assert world.enterprise.employee_count == 320
    entry = AuditLog.objects.get(action="enterprise.update")
    assert entry.after == {"address": "济宁市任城区科苑路1号", "employee_count": 320}
    assert entry.before == {"address": "", "employee_count": 0}


@pytest.mark.django_db
def test_fields_outside_the_allowed_set_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        update_enterprise(
            ctx(world.erin), world.enterprise, {"is_key": False, "zone_id": world.other_zone.pk}
        )
    assert set(exc.value.message_dict) == {"is_key", "zone_id"}
    world.enterprise.refresh_from_db()
    assert world.enterprise.is_key is True and world.enterprise.zone_id == world.zone.pk


@pytest.mark.django_db
def test_a_credit_code_from_another_province_is_refused(world):
    org = "12345678" + org_code_check_char("12345678")
    body = "91140400" + org  # Shanxi, but the enterprise is registered in Shandong
    with pytest.raises(ValidationError) as exc:
        update_enterprise(ctx(world.erin), world.enterprise, {"uscc": body + uscc_check_char(body)})
    assert "注册地" in exc.value.message_dict["uscc"][0]


@pytest.mark.django_db
def test_if_the_audit_write_fails_the_change_is_rolled_back(world, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(AuditLog.objects, "create", boom)
    with pytest.raises(RuntimeError):
        update_enterprise(ctx(world.erin), world.enterprise, {"address": "新地址"})
    assert Enterprise.objects.get(pk=world.enterprise.pk).address == ""


@pytest.mark.django_db
def test_audit_rows_are_append_only(world):
    update_enterprise(ctx(world.erin), world.enterprise, {"address": "新地址"})
    entry = AuditLog.objects.get()
    entry.reason = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


@pytest.mark.django_db
def test_a_credit_code_already_used_in_the_zone_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        update_enterprise(ctx(world.frank), world.other_enterprise, {"uscc": world.enterprise.uscc})
    assert exc.value.message_dict["uscc"] == ["统一社会信用代码：本园区已有企业使用该代码"]
