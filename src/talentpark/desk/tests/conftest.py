"""Fixtures of the service desk's tests: the category dictionary (a data migration creates it, but a
transactional test before this one may have flushed it) and a second department for split requests."""

from __future__ import annotations

from typing import Any

import pytest

from talentpark.accounts.models import Department
from talentpark.core.models import Dictionary, DictionaryItem
from talentpark.core.roles import DataScope, Role
from talentpark.desk.models import CATEGORY_DICTIONARY
from talentpark.registry.tests.factories import DepartmentFactory, UserFactory

CATEGORIES = [
    ("housing", "住房安居", ["housing"], 10, 5, ["公寓", "住房", "租房"]),
    ("schooling", "子女就学", ["education"], 15, 10, ["子女", "入学", "上学"]),
    ("settle", "安居落户", ["housing", "hrss"], 10, 5, ["落户", "安家"]),
]


@pytest.fixture
def desk(world: Any) -> Any:
    """The world plus the desk's categories and an HR-and-social-security department with a handler."""
    dictionary, _ = Dictionary.objects.get_or_create(
        zone=None, code=CATEGORY_DICTIONARY, defaults={"name": "诉求类别"}
    )
    dictionary.items.all().delete()
    for sort, (value, label, depts, days, part_days, keywords) in enumerate(CATEGORIES):
        DictionaryItem.objects.create(
            dictionary=dictionary,
            value=value,
            label=label,
            sort=sort,
            extra={"departments": depts, "days": days, "part_days": part_days, "keywords": keywords},
        )
    hrss = DepartmentFactory(
        zone=world.zone, name="人社局", parent=world.office_dept, kind=Department.Kind.HRSS
    )
    world.hrss_dept = hrss
    world.hank = UserFactory(
        username="hank", role=Role.DEPT, zone=world.zone, department=hrss, data_scope=DataScope.DEPT
    )
    return world
