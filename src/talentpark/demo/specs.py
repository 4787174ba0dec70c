"""Plain records of what the demo will write: the planners make these, the writer saves them.

Rows that other rows point at carry a run-wide number ``no`` (person, talent,
enterprise, user); the writer turns a number into a primary key by adding the
first free id of that table, so the plan itself never touches the database.
Departments, chains and segments are referred to by string keys instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from talentpark.demo.policy_rules import PolicyRuleSpec


class Numbering:
    """Run-wide counters: the next number of each kind of row."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def take(self, kind: str) -> int:
        n = self._next.get(kind, 0)
        self._next[kind] = n + 1
        return n


@dataclass(slots=True)
class DepartmentSpec:
    key: str  # "<zone code>/<local key>"
    name: str
    kind: str
    parent_key: str | None
    order: int


@dataclass(slots=True)
class AccountSpec:
    no: int
    username: str
    role: str
    display_name: str
    zone_code: str | None
    dept_key: str | None = None
    is_staff: bool = False
    is_superuser: bool = False
    province: str | None = None  # the province viewer's GB/T 2260 province code


@dataclass(slots=True)
class EnterpriseSpec:
    no: int
    zone_code: str
    name: str
    short_name: str
    uscc: str
    division: str
    industry: str
    scale: str
    founded_on: dt.date
    registered_capital: Decimal
    employee_count: int
    is_key: bool
    is_high_tech: bool
    address: str
    contact_name: str
    contact_phone: str
    description: str
    chain_code: str
    segment_index: int
    family: str  # chain family (majors/jobs vocabulary)
    role: str  # registry ChainRole value
    specialist_no: int
    dept_key: str
    hr_account: AccountSpec | None = None


@dataclass(slots=True)
class PersonSpec:
    no: int
    name: str
    name_pinyin: str
    id_number: str
    phone: str
    sex: str
    birth_date: dt.date
    hukou_division: str
    hukou_in_zone: bool
    is_returnee: bool
    returnee_country: str
    highest_degree: str
    email: str
    login: AccountSpec | None = None
    bank_name: str = ""
    bank_account: str = ""  # card number (Luhn-valid); empty: none on file


@dataclass(slots=True)
class EducationSpec:
    degree: str
    major: str
    university: str
    graduated_on: dt.date | None


@dataclass(slots=True)
class FamilySpec:
    relation: str
    name: str
    sex: str
    birth_date: dt.date
    employment: str


@dataclass(slots=True)
class TalentSpec:
    no: int
    zone_code: str
    person_no: int
    employer_no: int | None
    specialist_no: int
    dept_key: str
    position_title: str
    zone_entry_date: dt.date
    professional_title: str
    title_discipline: str
    skill_level: str
    skill_occupation: str
    programme_level: str
    programme_name: str
    tier: str
    tier_valid_until: dt.date | None
    housing: str
    status: str


@dataclass(slots=True)
class TalentBundle:
    """One talent record with, for a new person, the person and her education and family."""

    talent: TalentSpec
    person: PersonSpec | None  # None: the person already exists (a talent in another zone)
    educations: list[EducationSpec] = field(default_factory=list)
    family: list[FamilySpec] = field(default_factory=list)
    last_graduation: dt.date | None = None
    chain_family: str = ""  # the employer's chain family (machinery, pharma …)


@dataclass(slots=True)
class PlatformSpec:
    zone_code: str
    name: str
    kind: str
    level: str
    enterprise_no: int | None
    host_organisation: str
    chain_code: str | None
    approved_on: dt.date
    approved_by: str
    description: str


@dataclass(slots=True)
class ProjectSpec:
    zone_code: str
    name: str
    kind: str
    status: str
    enterprise_no: int
    leader_no: int | None
    chain_code: str
    investment: Decimal
    started_on: dt.date | None
    description: str


@dataclass(slots=True)
class PositionSpec:
    zone_code: str
    enterprise_no: int
    title: str
    category: str
    headcount: int
    min_degree: str
    major: str
    salary_min: int
    salary_max: int
    description: str
    status: str
    published_on: dt.date


@dataclass(slots=True)
class DemandSpec:
    zone_code: str
    enterprise_no: int
    title: str
    major: str
    min_degree: str
    count: int
    urgency: str
    reported_on: dt.date
    status: str
    note: str


@dataclass(slots=True)
class ApartmentSpec:
    zone_code: str
    estate: str
    building: str
    unit_no: str
    kind: str
    layout: str
    area: Decimal
    monthly_rent: Decimal
    furnished: bool
    status: str


@dataclass(slots=True)
class LecturerSpec:
    zone_code: str
    name: str
    organisation: str
    professional_title: str
    specialty: str
    courses: str
    phone: str
    talent_no: int | None


@dataclass(slots=True)
class PolicySpec:
    zone_code: str
    title: str
    doc_number: str
    issuing_body: str
    category: str
    target: str
    published_on: dt.date | None
    effective_from: dt.date | None
    effective_to: dt.date | None
    summary: str
    full_text: str
    status: str
    rules: PolicyRuleSpec | None = None  # redemption settings and rule versions
    author_no: int | None = None  # the office login that drafted the versions
