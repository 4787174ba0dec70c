"""Data scope per role, as Chinese back offices have it: 全部 / 本部门及以下 / 本部门 / 仅本人."""

from __future__ import annotations

import pytest

from talentpark.accounts.access import restrict
from talentpark.accounts.roles import DataScope, Role
from talentpark.registry.models import Enterprise, Talent
from talentpark.registry.tests.factories import UserFactory


def _names(user) -> set[str]:
    return {t.person.name for t in restrict(Talent.objects.select_related("person"), user)}


@pytest.mark.django_db
def test_all_means_the_whole_zone_and_never_another_zone(world):
    assert _names(world.alice) == {"唐娜", "柯然"}


@pytest.mark.django_db
def test_dept_and_below_follows_the_department_tree(world):
    # tina's record sits in 专员一组 (a child of 人才服务中心); 柯然's in 住建局.
    head = UserFactory(
        role=Role.OFFICE, zone=world.zone, department=world.centre, data_scope=DataScope.DEPT_AND_BELOW
    )
    assert _names(head) == {"唐娜"}
    root = UserFactory(
        role=Role.OFFICE, zone=world.zone, department=world.office_dept, data_scope=DataScope.DEPT_AND_BELOW
    )
    assert _names(root) == {"唐娜", "柯然"}


@pytest.mark.django_db
def test_dept_means_exactly_the_users_department(world):
    centre_only = UserFactory(
        role=Role.OFFICE, zone=world.zone, department=world.centre, data_scope=DataScope.DEPT
    )
    assert _names(centre_only) == set()
    assert _names(world.dave) == {"柯然"}


@pytest.mark.django_db
def test_self_means_the_records_assigned_to_the_user(world):
    assert _names(world.bob) == {"唐娜"}
    assert _names(world.carol) == {"柯然"}


@pytest.mark.django_db
def test_a_talent_sees_her_own_record_and_not_another_zones_record_of_her(world):
    """Zones are sealed: zone B's record of the same ID number has its own person, not her login."""
    from talentpark.registry.tests.factories import PersonFactory, TalentFactory

    person = world.talent.person
    theirs = PersonFactory(zone=world.other_zone, id_number=person.id_number.plaintext_for_processing())
    TalentFactory(zone=world.other_zone, person=theirs, status=Talent.Status.LEFT)
    assert theirs.id_number_hash == person.id_number_hash
    assert {t.zone_id for t in restrict(Talent.objects.all(), world.tina)} == {world.zone.pk}


@pytest.mark.django_db
def test_the_province_sees_its_provinces_enterprises_but_no_talents(world):
    assert restrict(Talent.objects.all(), world.paul).count() == 0
    assert set(restrict(Enterprise.objects.all(), world.paul).values_list("zone_id", flat=True)) == {
        world.zone.pk,
    }


@pytest.mark.django_db
def test_a_disabled_account_sees_nothing(world):
    world.alice.is_active = False
    assert restrict(Talent.objects.all(), world.alice).count() == 0
