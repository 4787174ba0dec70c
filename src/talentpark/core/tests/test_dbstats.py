"""Planner statistics are refreshed after bulk writes (the demo generator, large Excel imports)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from talentpark.registry.excel import importer
from talentpark.registry.excel.tests.helpers import commit, talent_row, upload_job, workbook
from talentpark.registry.models import ImportJob

pytestmark = pytest.mark.django_db(transaction=True)


def _analysed(table: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return False
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname = %s AND last_analyze IS NOT NULL",
                [table],
            )
        return bool(cursor.fetchone()[0])


def _forget_statistics() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is not None:
                cursor.execute("DELETE FROM sqlite_stat1")
        else:
            cursor.execute("SELECT pg_stat_reset()")


def test_a_large_import_analyses_the_tables_it_wrote(world, monkeypatch):
    _forget_statistics()
    assert not _analysed("registry_talent")
    monkeypatch.setattr(importer, "STATISTICS_AFTER_ROWS", 1)
    client = Client()
    client.force_login(world.alice)
    job = upload_job(client, "talent", workbook([talent_row(name="王晓明", employer=world.enterprise.uscc)]))
    assert job.status == ImportJob.Status.READY, job.problems
    assert commit(client, job).status == ImportJob.Status.DONE
    assert _analysed("registry_talent") and _analysed("registry_person")


def test_a_small_import_leaves_the_statistics_to_the_database(world, monkeypatch):
    _forget_statistics()
    monkeypatch.setattr(importer, "STATISTICS_AFTER_ROWS", 2)
    client = Client()
    client.force_login(world.alice)
    job = upload_job(client, "talent", workbook([talent_row(name="王晓明", employer=world.enterprise.uscc)]))
    assert commit(client, job).status == ImportJob.Status.DONE
    assert not _analysed("registry_talent")
