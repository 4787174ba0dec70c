"""Saving a demo plan: specs → model instances → ``bulk_create`` in batches.

Numbered rows (users, enterprises, persons, talents) get their primary key from the
plan (first free id + number), so foreign keys are known before anything is
inserted and no row is read back. Departments are saved one by one because their
materialised ``path`` is computed in ``save()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from talentpark.accounts.models import Department, User
from talentpark.core.models import University, Zone
from talentpark.demo import vocab
from talentpark.demo.rows import RowInserter
from talentpark.demo.specs import (
    AccountSpec,
    ApartmentSpec,
    DemandSpec,
    DepartmentSpec,
    EnterpriseSpec,
    LecturerSpec,
    PlatformSpec,
    PolicySpec,
    PositionSpec,
    ProjectSpec,
    TalentBundle,
)
from talentpark.demo.zones import ZoneProfile
from talentpark.housing.models import ApartmentUnit
from talentpark.innovation.models import Lecturer
from talentpark.policies.models import ApprovalLevel, Policy, PolicyVersion
from talentpark.recruitment.models import PersonnelDemand, Position
from talentpark.registry.models import (
    ChainSegment,
    Education,
    Enterprise,
    EnterpriseAccount,
    EnterpriseChainRole,
    FamilyMember,
    IndustryChain,
    Person,
    Platform,
    Project,
    Talent,
)

DEMO_PASSWORD = "TalentPark@2026"  # noqa: S105 - the published demo password
BATCH_SIZE = 2000
NUMBERED: dict[str, type[models.Model]] = {
    "user": User,
    "enterprise": Enterprise,
    "person": Person,
    "talent": Talent,
}


# The columns :meth:`DemoWriter.talents` supplies, in its tuples' order (the blind indexes and
# timestamps are computed by the inserter).
PERSON_COLUMNS = (
    "id",
    "zone_id",
    "name",
    "name_pinyin",
    "id_number",
    "phone",
    "sex",
    "birth_date",
    "hukou_division_id",
    "hukou_in_zone",
    "is_returnee",
    "returnee_country",
    "highest_degree",
    "email",
    "bank_name",
    "bank_account",
    "user_id",
)
TALENT_COLUMNS = (
    "id",
    "zone_id",
    "person_id",
    "employer_id",
    "department_id",
    "specialist_id",
    "position_title",
    "zone_entry_date",
    "professional_title",
    "title_discipline",
    "skill_level",
    "skill_occupation",
    "programme_level",
    "programme_name",
    "tier",
    "tier_valid_until",
    "housing",
    "status",
)
EDUCATION_COLUMNS = ("zone_id", "person_id", "degree", "major", "university_id", "graduated_on")
FAMILY_COLUMNS = ("zone_id", "person_id", "relation", "name", "sex", "birth_date", "employment")
POSITION_COLUMNS = (
    "zone_id",
    "enterprise_id",
    "title",
    "category",
    "headcount",
    "min_degree",
    "major",
    "salary_min",
    "salary_max",
    "description",
    "status",
    "published_on",
)
DEMAND_COLUMNS = (
    "zone_id",
    "enterprise_id",
    "title",
    "major",
    "min_degree",
    "count",
    "urgency",
    "reported_on",
    "status",
    "note",
)
APARTMENT_COLUMNS = (
    "zone_id",
    "estate",
    "building",
    "unit_no",
    "kind",
    "layout",
    "area",
    "monthly_rent",
    "furnished",
    "status",
)
LECTURER_COLUMNS = (
    "zone_id",
    "name",
    "organisation",
    "professional_title",
    "specialty",
    "courses",
    "phone",
    "talent_id",
)


def _morning(day: dt.date) -> dt.datetime:
    """9:00 local time on ``day`` (when a demo policy was released)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def bulk(model: type[models.Model], rows: list[Any]) -> int:
    if rows:
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)  # type: ignore[attr-defined]
    return len(rows)


class DemoWriter:
    """Writes specs; keeps the id maps that turn plan numbers and keys into primary keys."""

    def __init__(self) -> None:
        self.first_id = {
            kind: (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1  # type: ignore[attr-defined]
            for kind, model in NUMBERED.items()
        }
        self.zone_ids: dict[str, int] = {}
        self.dept_ids: dict[str, int] = {}
        self.chain_ids: dict[tuple[str, str], int] = {}
        self.segment_ids: dict[tuple[str, str, int], int] = {}
        self.university_ids: dict[str, int] = {}
        self.password = make_password(DEMO_PASSWORD)  # hashed once, shared by every demo login
        self._inserters: dict[type[models.Model], RowInserter] = {}

    def pk(self, kind: str, no: int) -> int:
        return self.first_id[kind] + no

    def pk_or_none(self, kind: str, no: int | None) -> int | None:
        return None if no is None else self.first_id[kind] + no

    # reference data --------------------------------------------------------------------

    def universities(self) -> None:
        """Map university names to ids, adding the foreign universities returnees studied at."""
        for names in vocab.FOREIGN_UNIVERSITIES.values():
            for name in names:
                University.objects.get_or_create(name=name, defaults={"is_foreign": True, "kind": "本科"})
        self.university_ids = dict(University.objects.values_list("name", "id"))

    # zone set-up -----------------------------------------------------------------------

    def zone(self, profile: ZoneProfile) -> Zone:
        zone = Zone.objects.create(
            code=profile.code, name=profile.name, short_name=profile.short_name, division_id=profile.division
        )
        self.zone_ids[profile.code] = zone.pk
        return zone

    def departments(self, specs: list[DepartmentSpec], zone_code: str) -> None:
        for spec in specs:
            dept = Department(
                zone_id=self.zone_ids[zone_code],
                parent_id=self.dept_ids[spec.parent_key] if spec.parent_key else None,
                name=spec.name,
                kind=spec.kind,
                order=spec.order,
            )
            dept.save()
            self.dept_ids[spec.key] = dept.pk

    def _user(self, spec: AccountSpec) -> User:
        return User(
            id=self.pk("user", spec.no),
            username=spec.username,
            password=self.password,
            display_name=spec.display_name[:50],
            role=spec.role,
            zone_id=self.zone_ids[spec.zone_code] if spec.zone_code else None,
            department_id=self.dept_ids[spec.dept_key] if spec.dept_key else None,
            is_staff=spec.is_staff,
            is_superuser=spec.is_superuser,
            province_id=spec.province,
            is_active=True,
        )

    def accounts(self, specs: Iterable[AccountSpec]) -> int:
        return bulk(User, [self._user(s) for s in specs])

    def chains(self, profile: ZoneProfile) -> None:
        zone_id = self.zone_ids[profile.code]
        for order, chain in enumerate(profile.chains):
            row = IndustryChain.objects.create(
                zone_id=zone_id, code=chain.code, name=chain.name, description=chain.description, order=order
            )
            row.industries.set(chain.industries)
            self.chain_ids[(profile.code, chain.code)] = row.pk
            for i, seg in enumerate(chain.segments):
                segment = ChainSegment.objects.create(chain=row, name=seg.name, stage=seg.stage, order=i)
                self.segment_ids[(profile.code, chain.code, i)] = segment.pk

    def enterprises(self, specs: list[EnterpriseSpec]) -> None:
        rows, roles, hr_users, links = [], [], [], []
        for e in specs:
            zone_id = self.zone_ids[e.zone_code]
            pk = self.pk("enterprise", e.no)
            rows.append(
                Enterprise(
                    id=pk,
                    zone_id=zone_id,
                    name=e.name,
                    short_name=e.short_name,
                    uscc=e.uscc,
                    division_id=e.division,
                    industry_id=e.industry,
                    scale=e.scale,
                    founded_on=e.founded_on,
                    registered_capital=e.registered_capital,
                    employee_count=e.employee_count,
                    is_key=e.is_key,
                    is_high_tech=e.is_high_tech,
                    address=e.address,
                    contact_name=e.contact_name,
                    contact_phone=e.contact_phone,
                    description=e.description,
                    department_id=self.dept_ids[e.dept_key],
                    specialist_id=self.pk("user", e.specialist_no),
                )
            )
            roles.append(
                EnterpriseChainRole(
                    zone_id=zone_id,
                    enterprise_id=pk,
                    chain_id=self.chain_ids[(e.zone_code, e.chain_code)],
                    segment_id=self.segment_ids[(e.zone_code, e.chain_code, e.segment_index)],
                    role=e.role,
                )
            )
            if e.hr_account:
                hr_users.append(self._user(e.hr_account))
                links.append(EnterpriseAccount(user_id=self.pk("user", e.hr_account.no), enterprise_id=pk))
        bulk(User, hr_users)
        bulk(Enterprise, rows)
        bulk(EnterpriseChainRole, roles)
        bulk(EnterpriseAccount, links)

    def platforms(self, specs: list[PlatformSpec]) -> int:
        return bulk(
            Platform,
            [
                Platform(
                    zone_id=self.zone_ids[p.zone_code],
                    name=p.name,
                    kind=p.kind,
                    level=p.level,
                    enterprise_id=self.pk_or_none("enterprise", p.enterprise_no),
                    host_organisation=p.host_organisation,
                    chain_id=self.chain_ids[(p.zone_code, p.chain_code)] if p.chain_code else None,
                    approved_on=p.approved_on,
                    approved_by=p.approved_by,
                    description=p.description,
                )
                for p in specs
            ],
        )

    def policies(self, specs: list[PolicySpec]) -> int:
        """Policies with their redemption settings, then their rule versions (not evaluated)."""
        rows = []
        for p in specs:
            rules = p.rules
            rows.append(
                Policy(
                    zone_id=self.zone_ids[p.zone_code],
                    title=p.title,
                    doc_number=p.doc_number,
                    issuing_body=p.issuing_body,
                    category=p.category,
                    target=p.target,
                    published_on=p.published_on,
                    effective_from=p.effective_from,
                    effective_to=p.effective_to,
                    summary=p.summary,
                    full_text=p.full_text,
                    status=p.status,
                    **(
                        {
                            "mode": rules.mode,
                            "recurrence": rules.recurrence,
                            "approval_levels": rules.approval_levels,
                            "budget_total": rules.budget_total,
                            "materials": rules.materials_text,
                        }
                        if rules
                        else {}
                    ),
                )
            )
        bulk(Policy, rows)  # primary keys come back (SQLite ≥ 3.35, PostgreSQL)
        versions = []
        for spec, policy in zip(specs, rows, strict=True):
            if spec.rules is None:
                continue
            author = self.pk_or_none("user", spec.author_no)
            for v in spec.rules.versions:
                released = v.status != PolicyVersion.Status.DRAFT and spec.published_on is not None
                versions.append(
                    PolicyVersion(
                        zone_id=policy.zone_id,
                        policy_id=policy.pk,
                        number=v.number,
                        status=v.status,
                        target=v.target,
                        valid_from=v.valid_from,
                        valid_to=v.valid_to,
                        clauses=v.clauses_json(),
                        outcome_kind=v.outcome_kind,
                        outcome_expr=v.outcome_expr,
                        outcome_article=v.outcome_article,
                        tier_valid_years=v.tier_valid_years,
                        tier_validity=dict(v.tier_validity),
                        benefit=v.benefit,
                        note=v.note,
                        created_by_id=author,
                        published_at=_morning(spec.published_on) if released else None,
                        published_by_id=author if released else None,
                    )
                )
        bulk(PolicyVersion, versions)
        levels = [
            ApprovalLevel(
                zone_id=policy.zone_id,
                policy_id=policy.pk,
                number=number,
                approver_id=self.dept_ids[f"{spec.zone_code}/{key}"] if key else None,
            )
            for spec, policy in zip(specs, rows, strict=True)
            if spec.rules is not None
            for number, key in enumerate(spec.rules.approvers, start=1)
        ]
        bulk(ApprovalLevel, levels)
        return len(rows)

    # talents ---------------------------------------------------------------------------

    def talents(self, bundles: Iterable[TalentBundle]) -> int:
        """One chunk: login users, persons, talent records, education and family rows.

        Persons, talents, education and family rows go through :class:`RowInserter` (one
        ``executemany`` each, no model instances): the same values ``bulk_create`` would
        write, ID numbers, phones and bank accounts encrypted and blind-indexed as on save.
        """
        pk, pk_or_none = self.pk, self.pk_or_none
        zone_ids, dept_ids, university_ids = self.zone_ids, self.dept_ids, self.university_ids
        users: list[User] = []
        persons: list[tuple[Any, ...]] = []
        talents: list[tuple[Any, ...]] = []
        educations: list[tuple[Any, ...]] = []
        family: list[tuple[Any, ...]] = []
        for b in bundles:
            p = b.person
            if p is not None:
                person_id = pk("person", p.no)
                zone_id = zone_ids[b.talent.zone_code]
                if p.login:
                    users.append(self._user(p.login))
                persons.append(
                    (
                        person_id,
                        zone_id,
                        p.name,
                        p.name_pinyin,
                        p.id_number,
                        p.phone,
                        p.sex,
                        p.birth_date,
                        p.hukou_division,
                        p.hukou_in_zone,
                        p.is_returnee,
                        p.returnee_country,
                        p.highest_degree,
                        p.email,
                        p.bank_name,
                        p.bank_account or None,
                        pk("user", p.login.no) if p.login else None,
                    )
                )
                educations += [
                    (zone_id, person_id, e.degree, e.major, university_ids[e.university], e.graduated_on)
                    for e in b.educations
                ]
                family += [
                    (zone_id, person_id, f.relation, f.name, f.sex, f.birth_date, f.employment)
                    for f in b.family
                ]
            t = b.talent
            talents.append(
                (
                    pk("talent", t.no),
                    zone_ids[t.zone_code],
                    pk("person", t.person_no),
                    pk_or_none("enterprise", t.employer_no),
                    dept_ids[t.dept_key],
                    pk("user", t.specialist_no),
                    t.position_title,
                    t.zone_entry_date,
                    t.professional_title,
                    t.title_discipline,
                    t.skill_level,
                    t.skill_occupation,
                    t.programme_level,
                    t.programme_name,
                    t.tier,
                    t.tier_valid_until,
                    t.housing,
                    t.status,
                )
            )
        bulk(User, users)
        self._rows(Person, PERSON_COLUMNS).insert(persons)
        self._rows(Talent, TALENT_COLUMNS).insert(talents)
        self._rows(Education, EDUCATION_COLUMNS).insert(educations)
        self._rows(FamilyMember, FAMILY_COLUMNS).insert(family)
        return len(talents)

    # listings --------------------------------------------------------------------------

    def projects(self, specs: Iterable[ProjectSpec]) -> int:
        return bulk(
            Project,
            [
                Project(
                    zone_id=self.zone_ids[p.zone_code],
                    name=p.name,
                    kind=p.kind,
                    status=p.status,
                    enterprise_id=self.pk("enterprise", p.enterprise_no),
                    leader_id=self.pk_or_none("talent", p.leader_no),
                    chain_id=self.chain_ids[(p.zone_code, p.chain_code)],
                    investment=p.investment,
                    started_on=p.started_on,
                    description=p.description,
                )
                for p in specs
            ],
        )

    def positions(self, specs: Iterable[PositionSpec]) -> int:
        zone_ids, pk = self.zone_ids, self.pk
        return self._rows(Position, POSITION_COLUMNS).insert(
            (
                zone_ids[p.zone_code],
                pk("enterprise", p.enterprise_no),
                p.title,
                p.category,
                p.headcount,
                p.min_degree,
                p.major,
                p.salary_min,
                p.salary_max,
                p.description,
                p.status,
                p.published_on,
            )
            for p in specs
        )

    def demands(self, specs: Iterable[DemandSpec]) -> int:
        zone_ids, pk = self.zone_ids, self.pk
        return self._rows(PersonnelDemand, DEMAND_COLUMNS).insert(
            (
                zone_ids[d.zone_code],
                pk("enterprise", d.enterprise_no),
                d.title,
                d.major,
                d.min_degree,
                d.count,
                d.urgency,
                d.reported_on,
                d.status,
                d.note,
            )
            for d in specs
        )

    def apartments(self, specs: Iterable[ApartmentSpec]) -> int:
        zone_ids = self.zone_ids
        return self._rows(ApartmentUnit, APARTMENT_COLUMNS).insert(
            (
                zone_ids[a.zone_code],
                a.estate,
                a.building,
                a.unit_no,
                a.kind,
                a.layout,
                a.area,
                a.monthly_rent,
                a.furnished,
                a.status,
            )
            for a in specs
        )

    def lecturers(self, specs: Iterable[LecturerSpec]) -> int:
        zone_ids, pk_or_none = self.zone_ids, self.pk_or_none
        return self._rows(Lecturer, LECTURER_COLUMNS).insert(
            (
                zone_ids[lec.zone_code],
                lec.name,
                lec.organisation,
                lec.professional_title,
                lec.specialty,
                lec.courses,
                lec.phone,
                pk_or_none("talent", lec.talent_no),
            )
            for lec in specs
        )

    def _rows(self, model: type[models.Model], columns: tuple[str, ...]) -> RowInserter:
        inserter = self._inserters.get(model)
        if inserter is None:
            inserter = self._inserters[model] = RowInserter(model, columns)
        return inserter

    def reset_sequences(self) -> None:
        """PostgreSQL: move id sequences past the explicit ids (SQLite needs nothing)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(NUMBERED.values()))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
