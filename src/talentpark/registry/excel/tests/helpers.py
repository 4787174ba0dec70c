"""Building workbooks in tests (openpyxl / zipfile only: no binary fixtures) and uploading them."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from talentpark.registry.excel.columns import SPECS, TALENTS, SheetSpec
from talentpark.registry.models import ImportJob
from talentpark.registry.tests.factories import make_id_number, make_phone


def workbook(
    rows: Sequence[Sequence[Any]],
    headers: Sequence[str] | None = None,
    *,
    spec: SheetSpec = TALENTS,
    sheet: str | None = None,
    extra_sheets: Sequence[str] = (),
    merge: str = "",
) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet or spec.sheet
    ws.append(list(headers) if headers is not None else [c.title for c in spec.columns])
    for row in rows:
        ws.append(list(row))
    if merge:
        ws.merge_cells(merge)
    for name in extra_sheets:
        book.create_sheet(name)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def talent_row(**overrides: Any) -> list[Any]:
    """A valid talent row in template column order; override cells by column key."""
    values: dict[str, Any] = {
        "name": "王晓明",
        "id_number": make_id_number(sex="M"),
        "phone": make_phone(),
        "sex": "男",
        "birth_date": "1990-05-17",
        "highest_degree": "硕士研究生",
        "university": "山东大学",
        "major": "机械工程",
        "graduated_on": "2015-06-30",
        "employer": None,
        "position_title": "研发工程师",
        "professional_title": "中级",
        "title_discipline": "机械工程",
        "skill_level": "无",
        "skill_occupation": None,
        "programme_level": "无",
        "programme_name": None,
        "housing": "租房",
        "zone_entry_date": "2021-03-01",
        "hukou_division": "370811",
        "hukou_in_zone": "否",
        "is_returnee": "否",
        "returnee_country": None,
        "email": "wxm@example.com",
    }
    values.update(overrides)
    return [values[c.key] for c in TALENTS.columns]


def upload(client: Client, kind: str, data: bytes, name: str = "导入.xlsx") -> Any:
    return client.post(reverse(f"registry:import_{kind}"), {"file": SimpleUploadedFile(name, data)})


def upload_job(client: Client, kind: str, data: bytes, name: str = "导入.xlsx") -> ImportJob:
    response = upload(client, kind, data, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.order_by("-pk").first()  # type: ignore[return-value]


def commit(client: Client, job: ImportJob) -> ImportJob:
    response = client.post(reverse("registry:import_commit", args=[job.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    job.refresh_from_db()
    return job


def spec(kind: str) -> SheetSpec:
    return SPECS[kind]
