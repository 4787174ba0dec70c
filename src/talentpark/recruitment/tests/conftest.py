"""Fixtures of 招才引智's tests: an open position of erin's enterprise and one of frank's, both coded,
and tina's 求职意向 fitting the first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from talentpark.core.codes import Degree
from talentpark.core.models import University
from talentpark.recruitment.models import JobSeeker, Position
from talentpark.registry.models import Education

SOFTWARE = "2-02-10-03"  # 计算机软件工程技术人员


def position(world: Any, enterprise: Any, **kw: Any) -> Position:
    values: dict[str, Any] = {
        "zone": world.zone,
        "enterprise": enterprise,
        "title": "Java开发工程师",
        "category": Position.Category.IT,
        "headcount": 2,
        "min_degree": Degree.BENKE,
        "major": "计算机科学与技术",
        "salary_min": 9000,
        "salary_max": 15000,
        "published_on": timezone.localdate() - dt.timedelta(days=3),
        "occupation": SOFTWARE,
        "skills": ["Java", "Spring Boot", "MySQL"],
        "min_experience": 2,
        "district_id": "370811",
        "status": Position.Status.OPEN,
        **kw,
    }
    return Position.objects.create(**values)


@pytest.fixture
def jobs(world: Any) -> Any:
    world.job = position(world, world.enterprise)
    world.franks_job = position(
        world,
        world.other_enterprise,
        title="数控车工",
        occupation="6-18-01-01",
        skills=["数控编程"],
        category=Position.Category.PRODUCTION,
        major="",
    )
    person = world.talent.person
    Education.objects.create(
        zone=world.zone,
        person=person,
        degree=Degree.BENKE,
        major="计算机科学与技术",
        university=University.objects.order_by("pk").first(),
        graduated_on=dt.date(2016, 7, 1),
    )
    world.seeker = JobSeeker.objects.create(
        zone=world.zone,
        person=person,
        occupations=[SOFTWARE],
        skills=["Java", "MySQL", "Redis"],
        experience_years=5,
        expected_salary=12000,
        districts=["370811"],
        open_to_offers=True,
    )
    return world
