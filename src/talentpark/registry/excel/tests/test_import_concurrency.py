"""A large import writes in short chunks: other people log in and read pages meanwhile; a failure undoes it all.

The property is shown with a smaller import cut into several chunks
(``TALENTPARK_IMPORT_CHUNK_ROWS``) instead of 30,000 rows: the import is held after its
first chunk until every client has logged in and read its pages, then runs on while the
clients keep going, and everything they asked for succeeds.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections
from django.test import Client, override_settings
from django.urls import reverse

from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog
from talentpark.core.search.models import SearchDocument
from talentpark.registry.excel import importer
from talentpark.registry.models import Education, ImportJob, Person, Talent
from talentpark.registry.tests.factories import PASSWORD, UserFactory, make_id_number

from .helpers import talent_row, workbook

ROWS = 240
CHUNK = 20
CLIENTS = 3
WAIT = 120  # seconds: only reached if something is stuck

pytestmark = pytest.mark.django_db(transaction=True)


def _rows(n: int, **overrides: Any) -> list[list[Any]]:
    return [
        talent_row(
            name=f"并发{i}",
            id_number=make_id_number(dt.date(1970 + i // 200, 1 + i % 12, 1 + (i // 12) % 28), sex="M"),
            birth_date=None,
            phone=f"139{i:08d}",
            **overrides,
        )
        for i in range(n)
    ]


def _start(world, data: bytes) -> ImportJob:
    ctx = ActionContext(user=world.alice, role="office", zone_id=world.zone.pk, reason="导入")  # type: ignore[arg-type,attr-defined]
    job = importer.start_import(ctx, world.zone, "talent", "并发导入.xlsx", data)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY, (job.status, job.message, job.problems[:3])
    return importer.request_commit(ctx, job)


@override_settings(TALENTPARK_IMPORT_SYNC_BYTES=0, TALENTPARK_IMPORT_CHUNK_ROWS=CHUNK)
def test_logins_and_pages_work_while_a_large_import_is_written(world, monkeypatch):
    staff = [UserFactory(username=f"reader{i}", role="office", zone=world.zone) for i in range(CLIENTS)]
    before = Talent.objects.filter(zone=world.zone).count()
    mid_import = threading.Event()  # the first chunk is committed, the rest is to come
    first_round = threading.Barrier(CLIENTS + 1)  # every client has logged in and read once
    import_done = threading.Event()
    seen_mid_import: list[int] = []
    seen_progress: list[tuple[str, int, int]] = []
    chunks_after: list[int] = []
    original_pause = importer._between_chunks

    def held(job_id: int, done: int, total: int) -> None:
        if not mid_import.is_set():
            mid_import.set()
            first_round.wait(WAIT)  # the clients work while the import is half written
        else:
            chunks_after.append(done)
        original_pause(job_id, done, total)

    monkeypatch.setattr(importer, "_between_chunks", held)
    results: list[tuple[str, Any]] = []
    rounds = [0] * CLIENTS

    def client_work(i: int) -> None:
        try:
            assert mid_import.wait(WAIT)
            if i == 0:  # what another connection sees of the half-written import
                seen_mid_import.append(Talent.objects.filter(zone=world.zone).count() - before)
                job_row = ImportJob.objects.latest("pk")
                seen_progress.append((job_row.phase, job_row.processed_rows, job_row.total_rows))
            while True:
                client = Client()
                login = client.post(
                    reverse("accounts:login"), {"username": staff[i].username, "password": PASSWORD}
                )
                results.append(("login", login.status_code))
                page = client.get(reverse("registry:talent_list"))
                results.append(("list", page.status_code))
                home = client.get(reverse("accounts:home"))
                results.append(("home", home.status_code))
                rounds[i] += 1
                if rounds[i] == 1:
                    first_round.wait(WAIT)
                if import_done.is_set() and rounds[i] >= 2:
                    return
        except BaseException as exc:  # reported by the assertion below
            results.append(("error", repr(exc)))
            first_round.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client_work, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    job = _start(world, workbook(_rows(ROWS)))
    import_done.set()
    for t in threads:
        t.join(WAIT)
    job.refresh_from_db()

    assert [r for r in results if r[0] == "error"] == []
    assert {(kind, status) for kind, status in results} == {("login", 302), ("list", 200), ("home", 200)}
    assert all(n >= 2 for n in rounds)
    assert job.status == ImportJob.Status.DONE, job.message
    assert Talent.objects.filter(zone=world.zone).count() == before + ROWS
    assert AuditLog.objects.filter(action="registry.import").count() == 1
    assert SearchDocument.objects.filter(kind="talent", title__startswith="并发").count() == ROWS
    # SQLite commits chunk by chunk (the first chunk was visible to others while the rest was
    # written); PostgreSQL writes everything in one transaction with row locks.
    assert seen_mid_import == [CHUNK if connection.vendor == "sqlite" else 0]
    # Either way the job row, read on another connection, shows how far the writing is (on
    # PostgreSQL it came through the side connection while the rows stayed invisible).
    assert seen_progress == [("write", CHUNK, ROWS)]
    assert chunks_after == [CHUNK * n for n in range(2, ROWS // CHUNK)]


@override_settings(TALENTPARK_IMPORT_SYNC_BYTES=0, TALENTPARK_IMPORT_CHUNK_ROWS=CHUNK)
def test_a_failing_chunk_takes_back_the_chunks_already_written(world, monkeypatch):
    tina = world.talent
    tina_id = tina.person.id_number.plaintext_for_processing()
    old_title, old_email = tina.position_title, tina.person.email
    update = talent_row(
        name=tina.person.name,
        id_number=tina_id,
        birth_date=None,
        sex=None,
        phone=tina.person.phone.plaintext_for_processing(),
        position_title="首席科学家",
        email="changed@example.com",
    )
    counts = (Talent.objects.count(), Person.objects.count(), Education.objects.count())
    written = []
    original = importer._write_chunk

    def failing_third(part, undo):
        if len(written) == 2:
            raise IntegrityError("UNIQUE constraint failed: registry_person.id_number_hash")
        created = original(part, undo)
        written.append(len(created))
        return created

    monkeypatch.setattr(importer, "_write_chunk", failing_third)
    job = _start(world, workbook([update, *_rows(ROWS)]))
    job.refresh_from_db()

    assert job.status == ImportJob.Status.FAILED
    assert "已全部撤销" in job.message
    assert len(written) == 2  # two chunks had been committed (on SQLite) before the failure
    assert (Talent.objects.count(), Person.objects.count(), Education.objects.count()) == counts
    tina.refresh_from_db()
    tina.person.refresh_from_db()
    assert (tina.position_title, tina.person.email) == (old_title, old_email)
    assert tina.person.id_number.plaintext_for_processing() == tina_id
    # The index follows: no document of the taken-back talents, none with the undone title.
    assert not SearchDocument.objects.filter(kind="talent", title__startswith="并发").exists()
    assert not SearchDocument.objects.filter(summary__contains="首席科学家").exists()
    assert not AuditLog.objects.filter(action="registry.import").exists()


def test_chunks_keep_a_person_with_her_talent_and_education(world):
    from talentpark.registry.excel import reader
    from talentpark.registry.excel.rows import Lookups, validate_rows
    from talentpark.registry.excel.upsert import plan

    from .helpers import spec

    opened = reader.open_sheet(workbook(_rows(7)), spec("talent"))
    lookups = Lookups(world.zone, {c.ref for c in opened.columns.values() if c.ref})
    validated = validate_rows(spec("talent"), opened.columns, list(opened.raw_rows()), lookups)
    opened.close()
    assert validated.problem_total == 0, validated.problems[:3]
    outcome = plan(world.zone, "talent", validated.rows, opened.present, final=True)
    chunks = importer.split(outcome, 3)
    assert [len(c.roots) for c in chunks] == [3, 3, 1]
    for chunk in chunks:
        persons = {id(p) for p in chunk.part.creates[Person]}
        assert len(persons) == len(chunk.roots)
        assert {id(t.person) for t in chunk.part.creates[Talent]} == persons
        assert {id(e.person) for e in chunk.part.creates[Education]} == persons


@override_settings(
    TALENTPARK_IMPORT_SYNC_BYTES=0, TALENTPARK_IMPORT_CHUNK_ROWS=100, TALENTPARK_IMPORT_CHUNK_SECONDS=1e-9
)
def test_on_sqlite_a_slow_write_makes_the_next_transactions_smaller(world, monkeypatch):
    # Any transaction "takes longer" than a nanosecond: after the first (100 records), each
    # takes the smallest part (50). PostgreSQL writes everything in one transaction anyway.
    before = Talent.objects.filter(zone=world.zone).count()
    ends: list[int] = []
    original_pause = importer._between_chunks

    def recorded(job_id: int, done: int, total: int) -> None:
        ends.append(done)
        original_pause(job_id, done, total)

    monkeypatch.setattr(importer, "_between_chunks", recorded)
    job = _start(world, workbook(_rows(ROWS)))
    job.refresh_from_db()

    assert job.status == ImportJob.Status.DONE, job.message
    assert Talent.objects.filter(zone=world.zone).count() == before + ROWS
    assert AuditLog.objects.filter(action="registry.import").count() == 1
    if connection.vendor == "sqlite":
        assert ends == [100, 150, 200]
    else:
        assert ends == [100, 200]
