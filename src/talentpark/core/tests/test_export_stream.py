"""Exports stream while their rows are read, and an abandoned download frees the one-export guard."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from asgiref.sync import async_to_sync
from django.test import Client
from django.urls import reverse

from talentpark.core import export as export_mod
from talentpark.registry.excel.columns import TALENTS
from talentpark.registry.tests.factories import TalentFactory

pytestmark = pytest.mark.django_db(transaction=True)  # response.close() closes the connection

EXTRA = 6  # talents added to alice's zone (which already has two)


@pytest.fixture(autouse=True)
def private_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def produced(monkeypatch) -> list[Any]:
    """Every row the export has read from the database so far, in order."""
    seen: list[Any] = []
    real = export_mod._rows

    def counting(qs, spec, unmask):
        for row in real(qs, spec, unmask):
            seen.append(row)
            yield row

    monkeypatch.setattr(export_mod, "_rows", counting)
    return seen


@pytest.fixture
def zone_of_eight(world):
    for i in range(EXTRA):
        TalentFactory(zone=world.zone, employer=world.enterprise, person__name=f"流{i}")
    return world


def post(client: Client, url_name: str = "registry:talent_export", **data):
    data.setdefault("format", "xlsx")
    return client.post(reverse(url_name), data)


def office(world) -> Client:
    client = Client()
    client.force_login(world.alice)
    return client


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_first_bytes_leave_before_the_last_row_is_read(zone_of_eight, produced, monkeypatch, fmt):
    monkeypatch.setattr(export_mod, "STREAM_CHECK_ROWS", 1)  # tiny lists: look at the buffer every row
    response = post(office(zone_of_eight), format=fmt)
    assert response.status_code == 200
    chunks = iter(response.streaming_content)
    first = b""
    while not first:
        first = next(chunks)
    assert len(produced) < 2 + EXTRA  # the response started before the rows were all read
    data = first + b"".join(chunks)
    response.close()
    assert len(produced) == 2 + EXTRA
    if fmt == "csv":
        assert data.decode("utf-8-sig").count("\n") == 1 + 2 + EXTRA
        return
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [TALENTS.sheet, "说明", "代码表"]
    ws = book[TALENTS.sheet]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == [c.title for c in TALENTS.columns]
    assert sorted(r[0] for r in rows[1:]) == sorted(["唐娜", "柯然", *(f"流{i}" for i in range(EXTRA))])
    assert all("*" in r[1] for r in rows[1:])  # masked by default
    assert ws.freeze_panes == "A2" and ws.data_validations.dataValidation  # the import template's shape
    assert ws["A1"].font.bold


def test_a_plain_listing_streams_a_valid_workbook(world, monkeypatch):
    monkeypatch.setattr(export_mod, "STREAM_CHECK_ROWS", 1)
    response = post(office(world), "registry:chain_export")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = book.worksheets[0]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_abandoned_download_frees_the_guard_and_stops_reading(zone_of_eight, produced, monkeypatch, fmt):
    monkeypatch.setattr(export_mod, "STREAM_CHECK_ROWS", 1)
    monkeypatch.setattr(export_mod, "STREAM_FLUSH_BYTES", 1)
    monkeypatch.setattr(export_mod, "CSV_CHUNK_ROWS", 1)
    client = office(zone_of_eight)
    response = post(client, format=fmt)
    assert response.status_code == 200
    assert export_mod.is_exporting(zone_of_eight.alice.pk)
    assert post(client, format=fmt).status_code == 429  # one export at a time
    chunks = iter(response.streaming_content)
    next(chunks)
    response.close()  # what the server does when the client goes away
    assert not export_mod.is_exporting(zone_of_eight.alice.pk)
    assert len(produced) < 2 + EXTRA  # nothing more was read for nobody
    again = post(client, format=fmt)
    assert again.status_code == 200
    b"".join(again.streaming_content)
    again.close()


def test_closing_the_async_body_after_one_chunk_frees_the_guard(zone_of_eight, produced, monkeypatch):
    """Under ASGI Django reads the body through ``aclosing``: a disconnect closes it."""
    monkeypatch.setattr(export_mod, "STREAM_CHECK_ROWS", 1)
    monkeypatch.setattr(export_mod, "STREAM_FLUSH_BYTES", 1)
    user_id = zone_of_eight.alice.pk
    token = export_mod._acquire(user_id)
    assert token is not None
    spec = export_mod.spec_for(_talent_listing(), zone_of_eight.alice)
    qs = spec.prepare(_talent_listing().queryset(zone_of_eight.alice))  # type: ignore[misc]
    body = export_mod._async_chunks(
        export_mod._guarded(export_mod._xlsx_chunks(qs, spec, False, zone_of_eight.alice), user_id, token)
    )

    async def first_then_disconnect() -> bytes:
        chunk = await body.__anext__()
        await body.aclose()
        return chunk

    assert async_to_sync(first_then_disconnect)()
    assert not export_mod.is_exporting(user_id)
    assert len(produced) < 2 + EXTRA


def test_a_failing_export_frees_the_guard(zone_of_eight, monkeypatch):
    def broken(qs, spec, unmask):
        yield from ()
        raise RuntimeError("disk gone")

    monkeypatch.setattr(export_mod, "_rows", broken)
    client = office(zone_of_eight)
    response = post(client)
    with pytest.raises(RuntimeError):
        b"".join(response.streaming_content)
    assert not export_mod.is_exporting(zone_of_eight.alice.pk)


def _talent_listing():
    from talentpark.registry.pages import TALENTS as LISTING

    return LISTING
