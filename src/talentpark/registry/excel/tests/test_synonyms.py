"""The importer reads coded cells the way offices write them (CodeSynonym), per zone."""

from __future__ import annotations

import pytest
from django.test import Client

from talentpark.core import synonyms
from talentpark.core.codes import Degree
from talentpark.core.context import ActionContext
from talentpark.registry.excel.columns import TALENTS
from talentpark.registry.excel.rows import Lookups, validate_rows
from talentpark.registry.models import ImportJob, Talent

from .helpers import commit, talent_row, upload_job, workbook

pytestmark = pytest.mark.django_db


def _validate(zone, **cells):
    columns = dict(enumerate(TALENTS.columns))
    lookups = Lookups(zone, {c.ref for c in TALENTS.columns if c.ref})
    return validate_rows(TALENTS, columns, [(2, tuple(talent_row(**cells)))], lookups)


def test_office_spellings_of_coded_cells_are_imported_as_their_codes(world):
    client = Client()
    client.force_login(world.alice)
    row = talent_row(
        name="钱多多",
        sex="男性",
        highest_degree="大学本科",
        professional_title="高级工程师",
        skill_level="高级工",
        programme_level="省级人才",
    )
    job = upload_job(client, "talent", workbook([row]))
    assert job.status == ImportJob.Status.READY, job.problems
    job = commit(client, job)
    assert job.status == ImportJob.Status.DONE
    talent = Talent.objects.get(zone=world.zone, person__name="钱多多")
    assert talent.person.sex == "M"
    assert talent.person.highest_degree == Degree.BENKE
    assert (talent.professional_title, talent.skill_level, talent.programme_level) == ("2", "3", "provincial")


@pytest.mark.parametrize("spelling", ["硕士研究生", "研究生", "硕士"])
def test_the_spellings_of_a_masters_degree_all_mean_code_14(world, spelling):
    result = _validate(world.zone, highest_degree=spelling)
    assert not result.problems
    assert result.rows[0].values["highest_degree"] == Degree.SHUOSHI


def test_a_zones_own_spelling_applies_in_that_zone_only(world):
    result = _validate(world.zone, highest_degree="全日制本科")
    assert [p.header for p in result.problems] == ["最高学历"]
    assert "不是有效选项" in result.problems[0].reason

    synonyms.add_synonym(
        ActionContext.system(zone_id=world.zone.pk), world.zone, "degree", "全日制本科", "21"
    )
    assert _validate(world.zone, highest_degree="全日制本科").rows[0].values["highest_degree"] == "21"
    assert _validate(world.other_zone, highest_degree="全日制本科").problems
