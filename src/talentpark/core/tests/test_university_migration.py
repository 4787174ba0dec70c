"""院校 moved from registry to core (core 0016, registry 0009) with its rows, ids and educations."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import ProtectedError

from talentpark.core.models import University
from talentpark.registry.models import Education

BEFORE = [("core", "0015_sms_codes"), ("registry", "0008_profilechange")]


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.mark.django_db(transaction=True)
def test_universities_and_educations_survive_the_move_to_core(world):
    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes()  # every app's leaf, as the rest of the worker needs
    executor.migrate(BEFORE)
    assert "registry_university" in _tables() and "core_university" not in _tables()
    old = executor.loader.project_state(BEFORE).apps
    OldUniversity, OldEducation = (
        old.get_model("registry", "University"),
        old.get_model("registry", "Education"),
    )
    OldUniversity.objects.create(pk=9000, name="迁移测试大学", is_985=True)  # ids are kept, not renumbered
    uni = OldUniversity.objects.create(name="迁移测试学院", kind="专科", province_id="370000")
    person = world.talent.person
    edu = OldEducation.objects.create(
        zone_id=person.zone_id, person_id=person.pk, degree="21", major="材料", university_id=uni.pk
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)

    assert "core_university" in _tables() and "registry_university" not in _tables()
    moved = University.objects.get(pk=uni.pk)
    assert (moved.name, moved.kind, moved.province_id) == ("迁移测试学院", "专科", "370000")
    assert University.objects.get(pk=9000).standing == "985"
    assert Education.objects.get(pk=edu.pk).university == moved
    assert University.objects.create(name="迁移之后新建大学").pk  # the id sequence followed the rename
    with pytest.raises(ProtectedError):  # an education still protects its university
        moved.delete()
