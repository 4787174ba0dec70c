"""Factories for tests: zones, departments, users per role, enterprises, people, talents.

Identity numbers are generated valid (checksums computed), never taken from real people.
"""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.contrib.auth.hashers import make_password

from talentpark.accounts.models import Department, User
from talentpark.accounts.roles import Role
from talentpark.core.codes import Degree
from talentpark.core.models import Division, Industry, Zone
from talentpark.core.validators import id_check_char, org_code_check_char, uscc_check_char
from talentpark.registry.models import Enterprise, EnterpriseAccount, Person, Talent

PASSWORD = "Test-Pass-2026!"
_password_hash = None


def password_hash() -> str:
    global _password_hash
    if _password_hash is None:
        _password_hash = make_password(PASSWORD)
    return _password_hash


_id_seq = itertools.count(1)
_phone_seq = itertools.count(1)
_org_seq = itertools.count(1)


def make_id_number(birth: dt.date = dt.date(1990, 5, 17), sex: str = "F", division: str = "370811") -> str:
    n = next(_id_seq) % 500
    seq = 2 * n + (1 if sex == "M" else 0)  # odd = male
    body = f"{division}{birth:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


def make_phone() -> str:
    return f"139{next(_phone_seq):08d}"


def make_uscc(division: str = "370811") -> str:
    org_body = f"{next(_org_seq):08d}"
    org = org_body + org_code_check_char(org_body)
    body = f"91{division}{org}"
    return body + uscc_check_char(body)


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"zone-{n}")
    name = factory.Sequence(lambda n: f"测试高新区{n}")
    short_name = factory.LazyAttribute(lambda z: z.name[:6])
    division = factory.LazyFunction(lambda: Division.objects.get(code="370800"))


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"部门{n}")
    kind = Department.Kind.SERVICE_CENTRE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.OFFICE
    zone = factory.SubFactory(ZoneFactory)
    password = factory.LazyFunction(password_hash)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"山东测试装备有限公司{n}")
    uscc = factory.LazyFunction(make_uscc)
    division = factory.LazyFunction(lambda: Division.objects.get(code="370800"))
    industry = factory.LazyFunction(lambda: Industry.objects.filter(level="class").order_by("code").first())
    is_key = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"张{'三四五六七八九'[n % 7]}{n}")
    sex = "F"
    birth_date = dt.date(1990, 5, 17)
    id_number = factory.LazyAttribute(lambda p: make_id_number(p.birth_date, p.sex))
    phone = factory.LazyFunction(make_phone)
    highest_degree = Degree.BENKE


class TalentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talent

    zone = factory.SubFactory(ZoneFactory)
    person = factory.SubFactory(PersonFactory, zone=factory.SelfAttribute("..zone"))
    employer = factory.SubFactory(EnterpriseFactory, zone=factory.SelfAttribute("..zone"))
    zone_entry_date = dt.date(2020, 3, 1)


def hr_user(enterprise: Enterprise, **kwargs: object) -> User:
    user = UserFactory(role=Role.HR, zone=enterprise.zone, **kwargs)
    EnterpriseAccount.objects.create(user=user, enterprise=enterprise)
    return user
