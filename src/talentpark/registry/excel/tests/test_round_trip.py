"""Export → import reproduces the data: in the same zone nothing changes, a fresh zone gets the same records."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from talentpark.accounts.models import Department
from talentpark.core.models import University
from talentpark.registry.excel.upsert import (
    ENTERPRISE_FIELDS,
    PERSON_FIELDS,
    PLATFORM_FIELDS,
    PROJECT_FIELDS,
    TALENT_FIELDS,
)
from talentpark.registry.models import Education, Enterprise, ImportJob, Platform, Project, Talent
from talentpark.registry.tests.factories import DepartmentFactory, UserFactory, ZoneFactory

from .helpers import commit

pytestmark = pytest.mark.django_db


def _export(client: Client, slug: str) -> bytes:
    response = client.post(
        reverse(f"registry:{slug}_export"), {"format": "xlsx", "unmask": "1", "reason": "数据迁移核对"}
    )
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _import(client: Client, kind: str, data: bytes) -> ImportJob:
    response = client.post(
        reverse(f"registry:import_{kind}"), {"file": SimpleUploadedFile(f"{kind}.xlsx", data)}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.READY, (job.message, job.problems)
    return job


def _enrich(world) -> None:
    """Give the zone's records the optional fields a real zone has."""
    e = world.enterprise
    e.short_name, e.founded_on, e.registered_capital = (
        "测试重工",
        dt.date(2009, 4, 1),
        decimal.Decimal("12345.60"),
    )
    e.employee_count, e.is_high_tech, e.address = 860, True, "济宁高新区（北区）海川路9号"
    e.contact_name, e.contact_phone, e.description = "赵敏", "13912340000", "液压件与智能装备"
    e.save()
    t = world.talent
    t.position_title, t.professional_title, t.skill_level = "总工程师", "2", "3"
    t.programme_level, t.programme_name, t.housing = "provincial", "泰山产业领军人才", "apartment"
    t.title_discipline, t.skill_occupation = "机械工程", "钳工"
    t.save()
    p = t.person
    p.highest_degree, p.hukou_division_id, p.hukou_in_zone = "14", "370811", True
    p.is_returnee, p.returnee_country, p.email = True, "德国", "tangna@example.com"
    p.save()
    Education.objects.create(
        person=p,
        degree="14",
        major="机械工程",
        university=University.objects.get(name="山东大学"),
        graduated_on=dt.date(2015, 6, 30),
    )
    Platform.objects.create(
        zone=world.zone, name="济宁液压工程中心", kind="eng_centre", level="municipal", enterprise=e
    )
    Project.objects.create(
        zone=world.zone,
        name="液压件产线",
        kind="industrial",
        status="building",
        enterprise=e,
        investment=decimal.Decimal("8800.00"),
        started_on=dt.date(2023, 2, 1),
    )


def _fields(obj, mapping) -> dict:
    out = {}
    for _key, attr in mapping:
        value = getattr(obj, attr)
        if attr in ("employer_id", "enterprise_id"):
            value = Enterprise.objects.get(pk=value).uscc if value else None
        out[attr] = value
    return out


def test_export_then_import_reproduces_the_registries(world):
    _enrich(world)
    office = Client()
    office.force_login(world.alice)
    files = {kind: _export(office, kind) for kind in ("enterprise", "talent", "platform", "project")}

    # Same zone: importing what was exported changes nothing.
    for kind in ("enterprise", "talent", "platform", "project"):
        job = _import(office, kind, files[kind])
        assert job.counts["new"] == 0 and job.counts["update"] == 0, (kind, job.counts)
        assert job.counts["unchanged"] > 0

    # A fresh zone imports the same files and gets the same records.
    fresh = ZoneFactory(code="fresh-zone", name="新区", short_name="新区")
    dept = DepartmentFactory(zone=fresh, name="人才办", kind=Department.Kind.OFFICE)
    fresh_office = Client()
    fresh_office.force_login(UserFactory(username="fresh_office", role="office", zone=fresh, department=dept))
    for kind in ("enterprise", "talent", "platform", "project"):
        job = commit(fresh_office, _import(fresh_office, kind, files[kind]))
        assert job.status == ImportJob.Status.DONE, job.message

    for original in Enterprise.objects.filter(zone=world.zone):
        copy = Enterprise.objects.get(zone=fresh, uscc=original.uscc)
        assert _fields(copy, ENTERPRISE_FIELDS) == _fields(original, ENTERPRISE_FIELDS)
    originals = Talent.objects.filter(zone=world.zone)
    assert Talent.objects.filter(zone=fresh).count() == originals.count() == 2
    for original in originals:
        # Zones are sealed: the fresh zone gets its own record of the same ID number.
        copy = Talent.objects.get(zone=fresh, person__id_number_hash=original.person.id_number_hash)
        assert copy.person_id != original.person_id and copy.person.zone_id == fresh.pk
        assert _fields(copy, TALENT_FIELDS) == _fields(original, TALENT_FIELDS)
        assert _fields(copy.person, PERSON_FIELDS) == _fields(original.person, PERSON_FIELDS)
    assert Education.objects.filter(person=world.talent.person).count() == 1  # matched, not duplicated
    copied = Talent.objects.get(zone=fresh, person__id_number_hash=world.talent.person.id_number_hash)
    assert list(copied.person.educations.values_list("zone_id", "degree", "major")) == [
        (fresh.pk, "14", "机械工程")
    ]
    for model, mapping in ((Platform, PLATFORM_FIELDS), (Project, PROJECT_FIELDS)):
        for original in model.objects.filter(zone=world.zone):
            copy = model.objects.get(zone=fresh, name=original.name)
            assert _fields(copy, mapping) == _fields(original, mapping)
