"""The demo generator at tiny scale: determinism, valid identity data, counts, logins, roles, policy data."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from talentpark.accounts.models import User
from talentpark.accounts.roles import Role
from talentpark.core.codes import DEGREE_RANK, Degree
from talentpark.core.models import AuditLog, Division, Zone
from talentpark.core.validators import parse_resident_id, validate_mobile, validate_uscc
from talentpark.demo.generator import generate
from talentpark.demo.identity import luhn_valid
from talentpark.demo.plan import planned_people
from talentpark.demo.policy_rules import policy_rule_spec
from talentpark.demo.policy_texts import TEMPLATES
from talentpark.demo.scales import SEED, TINY, ScaleError, parse_scale
from talentpark.housing.models import ApartmentUnit
from talentpark.innovation.models import Lecturer
from talentpark.policies.models import Policy, PolicyVersion
from talentpark.recruitment.models import PersonnelDemand, Position
from talentpark.registry.models import (
    ChainRole,
    Education,
    Enterprise,
    EnterpriseChainRole,
    FamilyMember,
    IndustryChain,
    Person,
    Platform,
    Project,
    Talent,
)

SEED_VALUE = 20260101
REFERENCE_DATE = dt.date(2026, 11, 1)
MAIN, SECOND = "jining-hitech", "changzhi-hitech"


def run_tiny(seed: int = SEED_VALUE) -> dict:
    return generate("tiny", seed, progress=False, stdout=io.StringIO())


@pytest.fixture
def tiny(db):
    return run_tiny()


def names_and_ids() -> list[tuple[str, str]]:
    return sorted((p.name, p.id_number.plaintext_for_processing()) for p in Person.objects.all())


# determinism -------------------------------------------------------------------------


def test_plan_is_deterministic_and_depends_on_the_seed():
    def plan(seed: int) -> list[tuple[str, str, str, str]]:
        return [(z, p.name, p.id_number, p.phone) for z, p in planned_people(TINY, seed)]

    first = plan(SEED_VALUE)
    assert first == plan(SEED_VALUE)
    assert first != plan(SEED_VALUE + 1)


@pytest.mark.django_db
def test_two_runs_with_the_same_seed_write_the_same_people():
    runs = []
    for _ in range(2):
        with transaction.atomic():  # each run starts from the same empty state
            run_tiny()
            runs.append(names_and_ids())
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
    assert len(set(runs[0])) == 400  # 400 people; a mover appears once per zone that knows her


def test_written_people_are_the_planned_people(tiny):
    planned = sorted((p.name, p.id_number) for _, p in planned_people(TINY, SEED_VALUE))
    assert names_and_ids() == planned


# identity data -----------------------------------------------------------------------


def test_id_numbers_are_valid_unique_and_match_the_person(tiny):
    known = set(Division.objects.values_list("code", flat=True))
    seen = set()
    for person in Person.objects.all():
        number = person.id_number.plaintext_for_processing()
        parsed = parse_resident_id(number, today=REFERENCE_DATE)
        assert parsed.birth_date == person.birth_date
        assert parsed.sex == person.sex
        assert parsed.division_code in known
        seen.add((person.zone_id, number))
    assert len(seen) == Person.objects.count()  # one person per ID number per zone


def test_unified_social_credit_codes_are_valid_and_unique_per_zone(tiny):
    per_zone = Counter()
    for enterprise in Enterprise.objects.select_related("zone"):
        assert validate_uscc(enterprise.uscc) == enterprise.uscc
        assert enterprise.uscc[:2] == "91"
        assert enterprise.uscc[2:4] == enterprise.zone.division_id[:2]
        per_zone[(enterprise.zone_id, enterprise.uscc)] += 1
    assert max(per_zone.values()) == 1


def test_mobile_numbers_are_valid_and_people_have_their_own(tiny):
    # A person two zones know has one phone, in each zone's record of her: count people once.
    phones = list(
        {p.id_number_hash: p.phone.plaintext_for_processing() for p in Person.objects.order_by("pk")}.values()
    )
    phones += [e.contact_phone.plaintext_for_processing() for e in Enterprise.objects.all()]
    phones += [lec.phone.plaintext_for_processing() for lec in Lecturer.objects.all()]
    for phone in phones:
        assert validate_mobile(phone) == phone
    assert len(set(phones)) == len(phones)


def test_names_carry_pinyin_and_initials(tiny):
    pattern = re.compile(r"^([a-z]+) ([a-z]+)$")
    for person in Person.objects.all():
        match = pattern.match(person.name_pinyin)
        assert match, person.name_pinyin
        assert len(match.group(2)) == len(person.name)  # one initial per character


# counts and shape --------------------------------------------------------------------


def test_tiny_counts(tiny):
    for zone, talents in ((MAIN, (200, 200)), (SECOND, (200, 210))):
        assert Enterprise.objects.filter(zone__code=zone).count() == 20
        assert talents[0] <= Talent.objects.filter(zone__code=zone).count() <= talents[1]
        assert 50 <= Position.objects.filter(zone__code=zone).count() <= 70
        assert 90 <= PersonnelDemand.objects.filter(zone__code=zone).count() <= 110
        assert 50 <= ApartmentUnit.objects.filter(zone__code=zone).count() <= 70
        assert 8 <= Lecturer.objects.filter(zone__code=zone).count() <= 12
        assert 4 <= Project.objects.filter(zone__code=zone).count() <= 15
        assert Policy.objects.filter(zone__code=zone).count() == 12
        kinds = set(Platform.objects.filter(zone__code=zone).values_list("kind", flat=True))
        assert kinds == set(Platform.Kind.values)
    # One person row per talent record (zones are sealed); 400 people in all.
    assert Person.objects.count() == Talent.objects.count() == tiny["Person"]
    assert Person.objects.values("id_number_hash").distinct().count() == 400
    assert AuditLog.objects.filter(action="demo.generate").count() == 2


def test_policies_mix_statuses_and_number_their_articles(tiny):
    statuses = set(Policy.objects.filter(zone__code=MAIN).values_list("status", flat=True))
    assert statuses == {Policy.Status.PUBLISHED, Policy.Status.DRAFT, Policy.Status.EXPIRED}
    for policy in Policy.objects.all():
        assert policy.full_text.startswith("第一条")


def test_education_is_consistent_with_the_highest_degree(tiny):
    for person in Person.objects.prefetch_related("educations"):
        degrees = [e.degree for e in person.educations.all()]
        assert 1 <= len(degrees) <= 4
        assert max(DEGREE_RANK[d] for d in degrees) == DEGREE_RANK[person.highest_degree]
        if DEGREE_RANK[person.highest_degree] >= DEGREE_RANK[Degree.SHUOSHI]:
            assert Degree.BENKE in degrees


def test_children_are_younger_than_their_parent(tiny):
    for child in FamilyMember.objects.filter(relation=FamilyMember.Relation.CHILD).select_related("person"):
        assert child.birth_date > child.person.birth_date.replace(year=child.person.birth_date.year + 18)
        assert child.birth_date < REFERENCE_DATE


# roles, logins and assignments -------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "role", "zone"),
    [
        ("jn_office", Role.OFFICE, MAIN),
        ("sysadmin", Role.OFFICE, MAIN),
        ("jn_specialist01", Role.SPECIALIST, MAIN),
        ("jn_dept_housing", Role.DEPT, MAIN),
        ("jn_hr0001", Role.HR, MAIN),
        ("jn_talent_demo", Role.TALENT, MAIN),
        ("jn_ambassador", Role.AMBASSADOR, MAIN),
        ("jn_partner", Role.PARTNER, MAIN),
        ("sd_province", Role.PROVINCE, None),
        ("cz_office", Role.OFFICE, SECOND),
    ],
)
def test_fixed_logins(tiny, username, role, zone):
    user = User.objects.select_related("zone").get(username=username)
    assert user.role == role
    assert (user.zone.code if user.zone else None) == zone
    assert user.check_password("TalentPark@2026")


def test_admin_flags(tiny):
    assert User.objects.get(username="jn_office").is_staff
    assert User.objects.get(username="cz_office").is_staff
    sysadmin = User.objects.get(username="sysadmin")
    assert sysadmin.is_superuser and sysadmin.is_staff


def test_hr0001_works_for_a_chain_master(tiny):
    enterprise = User.objects.get(username="jn_hr0001").enterprise_account.enterprise
    assert enterprise.chain_roles.get().role == ChainRole.CHAIN_MASTER


def test_demo_talent(tiny):
    person = User.objects.get(username="jn_talent_demo").person
    assert person.highest_degree == Degree.BOSHI
    talent = person.talents.get()
    assert talent.specialist.username == "jn_specialist01"
    assert talent.tier
    assert talent.employer.chain_roles.get().role == ChainRole.CHAIN_MASTER
    assert person.family.filter(relation=FamilyMember.Relation.SPOUSE).exists()
    ages = [REFERENCE_DATE.year - c.birth_date.year for c in person.family.filter(relation="child")]
    assert any(6 <= age <= 15 for age in ages)


def test_persons_with_records_in_both_zones(tiny):
    """Zones are sealed: a mover has one person row per zone, sharing only her ID's blind index."""
    by_identity: dict[str, list[Talent]] = {}
    for talent in Talent.objects.select_related("zone", "person"):
        assert talent.person.zone_id == talent.zone_id
        by_identity.setdefault(talent.person.id_number_hash, []).append(talent)
    movers = [records for records in by_identity.values() if len(records) > 1]
    assert len(movers) >= 5
    for records in movers:
        assert {t.zone.code for t in records} == {MAIN, SECOND}
        assert sorted(t.status for t in records) == [Talent.Status.ACTIVE, Talent.Status.LEFT]
        assert len({t.person_id for t in records}) == 2
        assert sum(t.person.user_id is not None for t in records) <= 1  # a login belongs to one zone


def test_exactly_one_chain_master_per_chain(tiny):
    for chain in IndustryChain.objects.all():
        assert chain.members.filter(role=ChainRole.CHAIN_MASTER).count() == 1
        assert 4 <= chain.segments.count() <= 6
        industries = set(chain.industries.values_list("code", flat=True))
        for member in chain.members.select_related("enterprise"):
            assert member.enterprise.industry_id in industries
    assert EnterpriseChainRole.objects.count() == Enterprise.objects.count()


def test_every_talent_and_enterprise_has_a_specialist_of_its_zone(tiny):
    for row in list(Talent.objects.select_related("specialist")) + list(
        Enterprise.objects.select_related("specialist")
    ):
        assert row.specialist.role == Role.SPECIALIST
        assert row.specialist.zone_id == row.zone_id
        assert row.department_id == row.specialist.department_id


def test_education_rows_use_known_universities(tiny):
    assert not Education.objects.filter(university__isnull=True).exists()


# scale and command -------------------------------------------------------------------


def test_scale_parsing():
    assert parse_scale("tiny") is TINY
    assert parse_scale("seed") is SEED
    assert parse_scale("10x").talents == SEED.talents * 10
    for bad in ("huge", "0x", "x10", "", "1000x"):
        with pytest.raises(ScaleError):
            parse_scale(bad)


@pytest.mark.django_db
def test_command_generates_then_skips_and_lists_logins():
    out = io.StringIO()
    call_command("demo", scale="tiny", no_serve=True, stdout=out, verbosity=0)
    assert "jn_talent_demo" in out.getvalue()
    assert Talent.objects.exists()
    again = io.StringIO()
    call_command("demo", scale="tiny", no_serve=True, stdout=again, verbosity=0)
    assert "--reset" in again.getvalue()
    with pytest.raises(CommandError, match="unknown scale"):
        call_command("demo", scale="huge", no_serve=True, stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_reset_generates_again_with_the_rows_data_migrations_wrote():
    """``--reset`` flushes everything, data migrations' rows included, and writes those back before
    generating: the platform dictionaries, the scheduled jobs and the privacy notice."""
    from talentpark.core.models import Dictionary, ScheduledJob
    from talentpark.signup.models import PrivacyNotice

    # Reset from whatever an earlier test left (a transactional test's flush empties the data
    # migrations' rows too, which is just what --reset must cope with), then reset that demo.
    call_command("demo", scale="tiny", no_serve=True, reset=True, stdout=io.StringIO(), verbosity=0)
    Talent.objects.update(position_title="重置前的记录")
    call_command("demo", scale="tiny", no_serve=True, reset=True, stdout=io.StringIO(), verbosity=0)
    assert Talent.objects.exists() and not Talent.objects.filter(position_title="重置前的记录").exists()
    assert Dictionary.objects.filter(zone=None, code="talent_programme").exists()
    assert set(ScheduledJob.objects.values_list("kind", flat=True)) >= {
        "policies.sweep",
        "core.prune_task_results",
    }
    assert PrivacyNotice.objects.exists()


# bank accounts ------------------------------------------------------------------------


def test_bank_accounts_are_luhn_valid_unique_and_on_file_for_most_people(tiny):
    people = list(Person.objects.all())
    cards = [p.bank_account.plaintext_for_processing() for p in people if p.bank_account]
    assert 0.75 <= len(cards) / len(people) <= 0.95
    for card in cards:
        assert 16 <= len(card) <= 19 and luhn_valid(card), card
    assert len(set(cards)) == len(cards)
    for p in people:
        assert bool(p.bank_name) == bool(p.bank_account)
        assert not p.bank_name or p.bank_name.startswith(("中国", "交通银行", "济宁", "长治"))
    demo = User.objects.get(username="jn_talent_demo").person
    assert demo.bank_account and demo.bank_name == "中国工商银行济宁高新区支行"
    assert "*" in str(demo.bank_account)  # masked on screen


def test_bank_accounts_are_stored_encrypted(tiny):
    plain = {
        p.pk: p.bank_account.plaintext_for_processing()
        for p in Person.objects.filter(bank_account__isnull=False)
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, bank_account FROM registry_person WHERE bank_account IS NOT NULL")
        stored = dict(cursor.fetchall())
    assert stored.keys() == plain.keys()
    for pk, token in stored.items():
        assert token.startswith("v1:") and plain[pk] not in token


def test_bank_accounts_are_planned_deterministically():
    def cards(seed: int) -> list[tuple[str, str]]:
        return [(p.bank_name, p.bank_account) for _, p in planned_people(TINY, seed)]

    assert cards(SEED_VALUE) == cards(SEED_VALUE)
    assert cards(SEED_VALUE) != cards(SEED_VALUE + 1)


# what the policy rules find ------------------------------------------------------------


def test_some_enterprises_got_a_station_within_the_last_year(tiny):
    year_ago = REFERENCE_DATE - dt.timedelta(days=365)
    for kinds in ((Platform.Kind.ACADEMICIAN,), (Platform.Kind.POSTDOC_STATION, Platform.Kind.POSTDOC_BASE)):
        recent = Platform.objects.filter(
            zone__code=MAIN,
            kind__in=kinds,
            level__in=(Platform.Level.NATIONAL, Platform.Level.PROVINCIAL),
            approved_on__gt=year_ago,
            approved_on__lt=REFERENCE_DATE,
            enterprise__isnull=False,
        )
        assert recent.exists(), kinds


def test_key_enterprises_post_challenges_in_progress(tiny):
    challenges = Project.objects.filter(zone__code=MAIN, kind=Project.Kind.CHALLENGE).select_related(
        "enterprise"
    )
    assert challenges.count() >= 2
    for project in challenges:
        assert project.status in (Project.Status.APPROVED, Project.Status.BUILDING)
        assert project.enterprise.is_key
        assert project.investment and project.investment > 0
        assert dt.date(2025, 7, 1) <= project.started_on < REFERENCE_DATE


def test_policies_carry_their_rule_versions(tiny):
    office = User.objects.get(username="jn_office")
    for policy in Policy.objects.filter(zone__code=MAIN):
        template = next(t for t in TEMPLATES if t.title.format(zone="济宁高新区") == policy.title)
        spec = policy_rule_spec(template.title)
        assert (policy.mode, policy.recurrence, policy.approval_levels) == (
            spec.mode,
            spec.recurrence,
            spec.approval_levels,
        )
        assert policy.budget_total == spec.budget_total
        assert policy.materials == spec.materials_text
        rows = list(policy.versions.order_by("number"))
        assert [(v.number, v.status) for v in rows] == [(v.number, v.status) for v in spec.versions]
        for row, v in zip(rows, spec.versions, strict=True):
            assert row.zone_id == policy.zone_id
            assert row.clauses == v.clauses_json()
            assert (row.outcome_kind, row.outcome_expr, row.valid_from) == (
                v.outcome_kind,
                v.outcome_expr,
                v.valid_from,
            )
            assert row.created_by == office
            assert (row.published_at is not None) == (row.status != PolicyVersion.Status.DRAFT)
        if policy.status == Policy.Status.PUBLISHED:
            assert policy.current_version() is not None
        else:
            assert policy.current_version() is None
    assert (
        PolicyVersion.objects.filter(zone__code=SECOND).count()
        == PolicyVersion.objects.filter(zone__code=MAIN).count()
    )


def test_each_zone_keeps_its_own_programme_list_and_every_talent_programme_is_in_it(tiny):
    from talentpark.core import dictionaries

    for zone in Zone.objects.all():
        own = dictionaries.dictionary_for(dictionaries.PROGRAMMES, zone.pk)
        assert own is not None and own.zone_id == zone.pk  # the office's copy, not the platform's
        offered = {item.label for item in dictionaries.items(dictionaries.PROGRAMMES, zone.pk)}
        carried = set(
            Talent.objects.filter(zone=zone)
            .exclude(programme_name="")
            .exclude(programme_level="national")
            .values_list("programme_name", flat=True)
        )
        # A talent who came from the other zone may keep the programme she was chosen for there.
        elsewhere = set(
            Talent.objects.exclude(zone=zone)
            .filter(programme_level="zone")
            .values_list("programme_name", flat=True)
        )
        assert carried and carried - elsewhere <= offered
        retired = own.items.filter(enabled=False)
        assert retired.count() == 1 and retired.get().label not in offered  # kept, offered no more
        history = AuditLog.objects.filter(object_type="core.dictionary", object_id=str(own.pk))
        assert history.filter(action="core.dictionary.localize").count() == 1
        assert history.filter(action="core.dictionary.item_add").count() == own.items.count()
        assert {e.actor.role for e in history} == {"office"}


def test_the_demo_talent_has_a_wallet_of_real_files(tiny):
    """Her 材料库 holds three documents, each a file the wallet's own check accepts (by content)."""
    from talentpark.core.context import ActionContext
    from talentpark.registry import wallet
    from talentpark.registry.models import Document

    docs = list(Document.objects.filter(talent__person__user__username="jn_talent_demo").order_by("pk"))
    assert [d.content_type for d in docs] == ["application/pdf", "application/pdf", "image/png"]
    user = docs[0].talent.person.user
    ctx = ActionContext(user=user, role=user.role, zone_id=docs[0].zone_id)
    for doc in docs:
        data = wallet.read_document(ctx, doc)
        assert len(data) == doc.size and wallet.sniff(data[:16]) == doc.content_type
