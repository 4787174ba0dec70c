"""Zone versions move on every committed change to a zone's records, so cached homes never lag."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse

from talentpark.accounts.roles import Role
from talentpark.core import zone_versions
from talentpark.core.context import ActionContext
from talentpark.policies import runs
from talentpark.policies.models import Claim
from talentpark.policies.tests.factories import AS_OF, make_policy, make_version
from talentpark.policies.tests.pagekit import make_phd
from talentpark.registry.excel.tests.helpers import commit, talent_row, upload_job, workbook
from talentpark.registry.tests.factories import TalentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # versions move when a transaction commits


def _main(response: Any) -> str:
    """The page's content (the top bar carries a fresh CSRF token on every response)."""
    return str(response.content.decode().split('<main class="main">', 1)[1])


def _version(zone: Any) -> int:
    return zone_versions.versions([zone.pk])[0]


@pytest.mark.django_db(transaction=False)
def test_every_model_of_ours_is_watched_or_named_as_never_cached() -> None:
    ours = [m for m in apps.get_models() if m.__module__.startswith("talentpark.")]
    labels = {m._meta.label for m in ours}
    for model in ours:
        label = model._meta.label
        has_zone = any(f.name == "zone" and f.many_to_one for f in model._meta.fields)
        named = label in zone_versions.IGNORED or label in zone_versions.SHARED
        assert zone_versions.watched(model) or named, f"{label}: neither watched nor named"
        if zone_versions.watched(model) and not has_zone:
            assert label in zone_versions.ZONE_OF or label == "core.Zone", label
    listed = zone_versions.IGNORED | zone_versions.SHARED | set(zone_versions.ZONE_OF)
    assert listed <= labels, listed - labels  # no entry outlives its model


def test_a_change_moves_its_zone_once_when_it_commits(world) -> None:
    mine, theirs = _version(world.zone), _version(world.other_zone)
    with transaction.atomic():
        for name in ("研发一部", "研发二部"):
            world.talent.position_title = name
            world.talent.save()
        assert _version(world.zone) == mine  # not before the commit
    assert _version(world.zone) == mine + 1  # one move for the whole transaction
    assert _version(world.other_zone) == theirs
    world.foreign_talent.delete()
    assert _version(world.other_zone) == theirs + 1


def test_a_rolled_back_change_moves_nothing_and_the_next_one_still_moves(world) -> None:
    before = _version(world.zone)
    with pytest.raises(RuntimeError), transaction.atomic():
        world.talent.position_title = "回滚"
        world.talent.save()
        raise RuntimeError
    assert _version(world.zone) == before
    with transaction.atomic():
        world.talent.position_title = "提交"
        world.talent.save()
    assert _version(world.zone) == before + 1


def test_ignored_models_move_nothing(world) -> None:
    before = _version(world.zone)
    world.alice.display_name = "新名字"
    world.alice.save()  # signing in writes last_login on every login: homes must not all expire
    assert _version(world.zone) == before


def test_a_publishing_run_and_an_import_move_their_zone(world) -> None:
    make_phd(world)
    v = make_version(make_policy(world.zone, title="博士安家补贴"))
    before = _version(world.zone)
    runs.publish(ActionContext(user=world.alice, role="office", zone_id=world.zone.pk), v, AS_OF)
    assert Claim.objects.filter(talent=world.talent).exists()
    after_run = _version(world.zone)
    assert after_run > before
    office = Client()
    office.force_login(world.alice)
    job = commit(office, upload_job(office, "talent", workbook([talent_row(name="新导入")])))
    assert job.status == job.Status.DONE, job.message
    assert _version(world.zone) > after_run


def test_a_cached_home_shows_each_change_and_only_its_own_person(world) -> None:
    tom = UserFactory(username="tom", role=Role.TALENT, zone=None)
    TalentFactory(zone=world.zone, employer=world.enterprise, person__name="陶明", person__user=tom)
    tina, toms = Client(), Client()
    tina.force_login(world.tina)
    toms.force_login(tom)
    home = reverse("accounts:home")
    first = _main(tina.get(home))
    assert "唐娜" in first and "陶明" not in first and "博士安家补贴" not in first
    assert "唐娜" not in toms.get(home).content.decode()  # same zone, same versions: her own page
    assert _main(tina.get(home)) == first  # nothing changed: the same page
    # A run writes her claim in bulk: the next view shows it.
    make_phd(world)
    v = make_version(make_policy(world.zone, title="博士安家补贴"))
    runs.publish(ActionContext(user=world.alice, role="office", zone_id=world.zone.pk), v, AS_OF)
    assert "博士安家补贴" in tina.get(home).content.decode()
    # Her employer renamed by the office: her card follows.
    world.enterprise.name = "济宁更名重工有限公司"
    world.enterprise.save()
    assert "济宁更名重工有限公司" in tina.get(home).content.decode()
