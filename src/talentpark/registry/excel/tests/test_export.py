"""List exports: every listing, filters kept, masked by default, unmasking logged, formulas neutralised."""

from __future__ import annotations

import csv
import importlib
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from talentpark.core.export import export_dir
from talentpark.core.models import AuditLog, PIIAccessLog
from talentpark.registry.excel.columns import TALENTS
from talentpark.registry.tests.factories import TalentFactory

pytestmark = pytest.mark.django_db

APPS = ("accounts", "registry", "policies", "recruitment", "housing", "innovation")


def login(world, name: str) -> Client:
    client = Client()
    client.force_login(getattr(world, name))
    return client


def export(client: Client, url_name: str = "registry:talent_export", **data):
    data.setdefault("format", "xlsx")
    return client.post(reverse(url_name), data)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def sheet_rows(response) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(body(response)))
    return list(book.worksheets[0].iter_rows(values_only=True))


def csv_rows(response) -> list[list[str]]:
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_every_list_page_exports_to_xlsx_and_csv(world):
    client = login(world, "alice")
    listings = [x for app in APPS for x in importlib.import_module(f"talentpark.{app}.pages").LISTINGS]
    assert len(listings) >= 10
    for listing in listings:
        url = f"{listing.namespace}:{listing.slug}_export"
        for fmt in ("xlsx", "csv"):
            response = export(client, url, format=fmt)
            assert response.status_code == 200, (url, fmt)
            assert "no-store" in response["Cache-Control"]
            content = body(response)
            assert content, url
        assert (
            "导出当前筛选结果"
            in client.get(reverse(f"{listing.namespace}:{listing.slug}_list")).content.decode()
        )


def test_talent_export_is_masked_by_default_and_audited(world):
    client = login(world, "alice")
    logs = PIIAccessLog.objects.count()
    response = export(client)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    rows = sheet_rows(response)
    assert list(rows[0]) == [c.title for c in TALENTS.columns]
    numbers = [r[1] for r in rows[1:]]
    assert len(numbers) == 2 and all("*" in n for n in numbers)  # alice's zone: tina and carol's talent
    assert all("*" in r[2] for r in rows[1:])
    assert PIIAccessLog.objects.count() == logs
    entry = AuditLog.objects.get(action="export")
    assert entry.after["list"] == "registry.talent" and entry.after["rows"] == 2
    assert entry.after["unmasked"] is False and entry.actor == world.alice


def test_unmasked_export_needs_a_reason_and_is_logged_once(world):
    client = login(world, "alice")
    assert export(client, unmask="1").status_code == 403
    refusal = PIIAccessLog.objects.get()
    assert refusal.granted is False

    response = export(client, unmask="1", reason="人才认定材料核对", format="csv", tier="")
    assert response.status_code == 200
    rows = csv_rows(response)
    numbers = {r[1] for r in rows[1:]}
    assert numbers == {
        world.talent.person.id_number.plaintext_for_processing(),
        world.carols_talent.person.id_number.plaintext_for_processing(),
    }
    log = PIIAccessLog.objects.filter(granted=True).get()
    assert log.actor == world.alice and log.field == "id_number,phone"
    assert log.subject_type == "export:registry.talent" and log.reason == "人才认定材料核对"
    assert AuditLog.objects.get(action="export").after["unmasked"] is True


def test_unmasking_without_the_permission_is_refused_and_logged(world):
    client = login(world, "dave")  # a department handler: sees talents, may not unmask
    response = export(client, unmask="1", reason="想看")
    assert response.status_code == 403
    assert PIIAccessLog.objects.get().granted is False
    assert not AuditLog.objects.filter(action="export").exists()


def test_an_export_holds_only_what_the_user_may_see(world):
    rows = sheet_rows(export(login(world, "bob")))
    assert [r[0] for r in rows[1:]] == ["唐娜"]  # bob owns tina only
    assert export(login(world, "tina")).status_code == 403  # a talent's pages offer no 导出
    rows = sheet_rows(export(login(world, "erin"), "registry:enterprise_export"))
    assert [r[0] for r in rows[1:]] == [world.enterprise.name]
    assert export(login(world, "pat")).status_code == 403


def test_an_export_keeps_the_filters_of_the_list(world):
    client = login(world, "alice")
    assert (
        'name="q" value="唐娜"' in client.get(reverse("registry:talent_list"), {"q": "唐娜"}).content.decode()
    )
    rows = sheet_rows(export(client, q="唐娜"))
    assert [r[0] for r in rows[1:]] == ["唐娜"]
    assert AuditLog.objects.get(action="export").after["filter"] == {"q": "唐娜"}


def test_formula_like_text_is_neutralised_and_reads_back_as_a_string(world):
    TalentFactory(zone=world.zone, employer=world.enterprise, person__name='=HYPERLINK("http://x","y")')
    client = login(world, "alice")
    rows = sheet_rows(export(client, q="HYPERLINK"))
    assert rows[1][0] == '\'=HYPERLINK("http://x","y")'
    book = openpyxl.load_workbook(io.BytesIO(body(export(client, q="HYPERLINK"))))
    assert book["人才"]["A2"].data_type == "s"
    rows = csv_rows(export(client, q="HYPERLINK", format="csv"))
    assert rows[1][0] == '\'=HYPERLINK("http://x","y")'


def test_no_export_file_stays_on_disk(world):
    client = login(world, "alice")
    for url in ("registry:talent_export", "recruitment:position_export"):
        body(export(client, url))
    assert list(export_dir().glob("export-*")) == []


def test_exports_are_post_only(world):
    client = login(world, "alice")
    assert client.get(reverse("registry:talent_export")).status_code == 405
    assert export(client, format="pdf").status_code == 400


def test_a_second_concurrent_export_of_the_same_user_is_refused(world):
    client = login(world, "alice")
    first = export(client, format="csv")
    assert first.status_code == 200
    second = export(client, format="csv")
    assert second.status_code == 429
    assert "已有一个导出正在进行" in second.content.decode()
    body(first)  # the test client closes a streamed response once it is consumed
    third = export(client, format="csv")
    assert third.status_code == 200
    body(third)
