"""Untrusted workbooks are parsed within bounds (issue item 4).

Every crafted file here is small (kilobytes): the bounds refuse it from what it declares or
from the first element past a limit, before anything proportional to the claim is built.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from talentpark.registry.excel import importer
from talentpark.registry.excel.columns import TALENTS
from talentpark.registry.models import ImportJob, Person
from talentpark.registry.tests.factories import make_id_number

from .helpers import talent_row, upload, upload_job, workbook

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture
def client(world) -> Client:
    client = Client()
    client.force_login(world.alice)
    return client


def refused(response) -> str:
    """The file is refused: at once (what the first rows show), or its job fails (found further down)."""
    if response.status_code == 400:
        text = response.content.decode()
        assert 'class="error"' in text
        assert ImportJob.objects.count() == 0
        return text
    assert response.status_code == 302, response.status_code
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED, (job.status, job.problems)
    assert not importer.has_upload(job)
    return job.message


def rezip(data: bytes, changes: dict[str, bytes | Callable[[bytes], bytes]]) -> bytes:
    """``data`` with some parts replaced (bytes) or rewritten (a function of the old bytes), or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        for name in names:
            change = changes.get(name)
            old = src.read(name)
            new = change(old) if callable(change) else change if change is not None else old
            dst.writestr(name, new)
        for name, change in changes.items():
            if name not in names:
                assert isinstance(change, bytes)
                dst.writestr(name, change)
    return out.getvalue()


def base(rows: int = 1) -> bytes:
    return workbook([talent_row(id_number=make_id_number(sex="M")) for _ in range(rows)])


def add_rows(xml: str) -> Callable[[bytes], bytes]:
    """Append raw ``<row>`` XML at the end of the sheet's data."""

    def change(sheet: bytes) -> bytes:
        assert b"</sheetData>" in sheet
        return sheet.replace(b"</sheetData>", xml.encode() + b"</sheetData>")

    return change


def _body(sheet: bytes) -> bytes:
    """The sheet without its XML declaration (so a prolog can be put in front)."""
    if sheet.startswith(b"<?xml"):
        sheet = sheet[sheet.index(b"?>") + 2 :]
    return sheet


# -- DTDs and entities: refused by the parser, wherever they are, in any encoding --------------


@pytest.mark.parametrize(
    "part",
    ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", SHEET],
)
def test_a_doctype_after_a_long_comment_is_refused_in_every_part(client, part):
    # The DOCTYPE starts after byte 5000: a check of the first bytes does not see it.
    prolog = (
        b'<?xml version="1.0" encoding="UTF-8"?><!--' + b"x" * 5000 + b'--><!DOCTYPE r [<!ENTITY e "e">]>'
    )
    data = rezip(base(), {part: lambda old: prolog + _body(old)})
    text = refused(upload(client, "talent", data))
    assert part in text and "DTD" in text


def test_an_entity_in_a_utf16_sheet_never_becomes_data(client):
    # UTF-16 hides "<!DOCTYPE" from a byte search; the entity would become the person's name.
    def change(sheet: bytes) -> bytes:
        text = _body(sheet).decode().replace("王晓明", "&who;")
        doc = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE worksheet [<!ENTITY who "张三丰">]>' + text
        return doc.encode("utf-16")

    text = refused(upload(client, "talent", rezip(base(), {SHEET: change})))
    assert SHEET in text and "DTD" in text
    assert not Person.objects.filter(name="张三丰").exists()


def test_shared_strings_with_an_entity_declaration_are_refused(client):
    sst = (
        f'<?xml version="1.0"?><!-- {"x" * 6000} --><!DOCTYPE sst [<!ENTITY who "张三丰">]>'
        f'<sst xmlns="{NS}"><si><t>&who;</t></si></sst>'
    ).encode()
    data = rezip(
        base(),
        {"xl/sharedStrings.xml": sst, SHEET: add_rows('<row r="9"><c r="A9" t="s"><v>0</v></c></row>')},
    )
    text = refused(upload(client, "talent", data))
    assert "xl/sharedStrings.xml" in text and "DTD" in text


# -- cell references far beyond the sheet --------------------------------------------------------


def test_a_value_far_to_the_right_of_the_template_is_refused_naming_the_cell(client):
    data = rezip(
        base(), {SHEET: add_rows('<row r="3"><c r="XFD3" t="inlineStr"><is><t>x</t></is></c></row>')}
    )
    text = refused(upload(client, "talent", data))
    assert "XFD3" in text and "列" in text and "“人才”" in text


@pytest.mark.parametrize("ref", ["ZZZZZZZ3", "XFE3", "中3"])
def test_a_cell_reference_beyond_excel_is_refused_naming_it(client, ref):
    data = rezip(base(), {SHEET: add_rows(f'<row r="3"><c r="{ref}"><v>1</v></c></row>')})
    text = refused(upload(client, "talent", data))
    assert ref in text and "“人才”" in text


@pytest.mark.parametrize("row", ["1048577", "2000000", "9" * 5000, "-1", "0"])
def test_a_row_number_beyond_excel_is_refused_naming_it(client, row):
    data = rezip(base(), {SHEET: add_rows(f'<row r="{row}"><c><v>1</v></c></row>')})
    text = refused(upload(client, "talent", data))
    assert row[:12] in text and "行" in text and "“人才”" in text


def test_empty_styled_cells_far_to_the_right_are_ignored(client):
    # Excel writes formatted-but-empty cells; they carry nothing and are not refused.
    data = rezip(base(), {SHEET: lambda s: s.replace(b"</row>", b'<c r="XFD1" s="0"/></row>', 1)})
    job = upload_job(client, "talent", data)
    assert job.status == ImportJob.Status.READY, job.problems


def test_a_row_with_too_many_elements_is_refused_before_it_is_built(client):
    data = rezip(base(), {SHEET: add_rows('<row r="3">' + "<c/>" * 120_000 + "</row>")})
    text = refused(upload(client, "talent", data))
    assert SHEET in text and "100000" in text


@override_settings(TALENTPARK_IMPORT_MAX_XML_ELEMENTS=20_000)
def test_a_part_with_too_many_elements_is_refused(client):
    data = rezip(base(), {SHEET: lambda s: s.replace(b"<sheetData>", b"<x/>" * 30_000 + b"<sheetData>")})
    text = refused(upload(client, "talent", data))
    assert SHEET in text and "20000" in text


def test_many_rows_are_refused_at_the_row_cap(client, settings):
    settings.TALENTPARK_IMPORT_MAX_ROWS = 5
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(3, 40)
    )
    data = rezip(base(), {SHEET: add_rows(rows)})
    assert "行的上限" in refused(upload(client, "talent", data))


# -- huge strings -------------------------------------------------------------------------------


def _sst(items: list[str]) -> bytes:
    return (f'<sst xmlns="{NS}">' + "".join(f"<si><t>{s}</t></si>" for s in items) + "</sst>").encode()


_USES_STRING_0 = add_rows('<row r="3"><c r="A3" t="s"><v>0</v></c></row>')


def test_a_shared_string_longer_than_excel_allows_is_refused(client):
    data = rezip(base(), {"xl/sharedStrings.xml": _sst(["王" * 40_000]), SHEET: _USES_STRING_0})
    text = refused(upload(client, "talent", data))
    assert "xl/sharedStrings.xml" in text and "32767" in text


@override_settings(TALENTPARK_IMPORT_MAX_SHARED_STRINGS=100)
def test_too_many_shared_strings_are_refused(client):
    data = rezip(base(), {"xl/sharedStrings.xml": _sst([f"s{i}" for i in range(150)]), SHEET: _USES_STRING_0})
    text = refused(upload(client, "talent", data))
    assert "xl/sharedStrings.xml" in text and "100" in text


@override_settings(TALENTPARK_IMPORT_MAX_SHARED_CHARS=10_000)
def test_shared_strings_with_too_much_text_are_refused(client):
    data = rezip(base(), {"xl/sharedStrings.xml": _sst(["字" * 3000] * 5), SHEET: _USES_STRING_0})
    text = refused(upload(client, "talent", data))
    assert "xl/sharedStrings.xml" in text and "10000" in text


def test_an_inline_string_longer_than_excel_allows_is_refused_naming_the_cell(client):
    long = "王" * 33_000
    data = rezip(
        base(), {SHEET: add_rows(f'<row r="3"><c r="A3" t="inlineStr"><is><t>{long}</t></is></c></row>')}
    )
    text = refused(upload(client, "talent", data))
    assert "A3" in text and "32767" in text


# -- zip bombs, built cheaply ---------------------------------------------------------------------


def forge_declared_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite ``name``'s uncompressed size in the zip's central directory (what a bomb declares)."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    found = False
    while at != -1:
        name_len = struct.unpack_from("<H", out, at + 28)[0]
        if out[at + 46 : at + 46 + name_len] == name.encode():
            struct.pack_into("<I", out, at + 24, size)
            found = True
        at = out.find(b"PK\x01\x02", at + 4)
    assert found
    return bytes(out)


def test_a_zip_bomb_is_refused_from_the_zip_directory(client):
    data = forge_declared_size(base(), SHEET, 400 * 2**20)  # declares 400 MB; nothing that big is built
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.getinfo(SHEET).file_size == 400 * 2**20
    assert "压缩炸弹" in refused(upload(client, "talent", data))


def test_an_entry_inflating_beyond_its_declared_size_is_cut_off(client, monkeypatch):
    """The directory says 1,000 bytes; the stream inflates to 8 MB. Reading stops at the declared size."""
    from talentpark.registry.excel import xlsx

    inflated: dict[str, list[int]] = {SHEET: []}
    real = xlsx.XlsxBook._open

    def counting(self, name):
        fh = real(self, name)
        counts = inflated.setdefault(name, [])
        counts.append(0)
        read = fh.read

        def counted(n=-1):
            chunk = read(n)
            counts[-1] += len(chunk)
            return chunk

        fh.read = counted
        return fh

    monkeypatch.setattr(xlsx.XlsxBook, "_open", counting)
    payload = b"<worksheet>" + b" " * (8 * 2**20)  # 8 MB of blanks deflate to ~8 KB in milliseconds
    data = rezip(base(), {SHEET: payload})
    # Claim 1,000 bytes, and a CRC that matches those 1,000 bytes, so only the size can stop it.
    data = forge_declared_size(data, SHEET, 1000)
    data = _forge_crc(data, SHEET, zlib.crc32(payload[:1000]))
    text = refused(upload(client, "talent", data))
    assert "已损坏" in text or "大小" in text
    assert inflated[SHEET] and max(inflated[SHEET]) <= 1000


def _forge_crc(data: bytes, name: str, crc: int) -> bytes:
    out = bytearray(data)
    for sig, name_at, crc_at in ((b"PK\x01\x02", 46, 16), (b"PK\x03\x04", 30, 14)):
        at = out.find(sig)
        while at != -1:
            length = struct.unpack_from("<H", out, at + (28 if sig == b"PK\x01\x02" else 26))[0]
            if out[at + name_at : at + name_at + length] == name.encode():
                struct.pack_into("<I", out, at + crc_at, crc)
            at = out.find(sig, at + 4)
    return bytes(out)


# -- the marked error workbook is built from bounded data ------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_marked_workbook_of_a_crafted_upload_is_refused_not_built(client):
    job = upload_job(client, "talent", workbook([talent_row(id_number="370811199005170024")]))
    assert job.status == ImportJob.Status.INVALID
    # The stored upload is swapped for one whose last row is a million rows down: the download
    # reads it under the same bounds as an upload and answers with a message.
    crafted = rezip(base(), {SHEET: add_rows('<row r="2000000"><c><v>1</v></c></row>')})
    importer._seal(job, crafted)
    response = client.get(reverse("registry:import_marked", args=[job.pk]))
    assert response.status_code == 410
    assert "2000000" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_marked_workbook_copies_the_bounded_cells(client):
    import openpyxl

    data = rezip(
        workbook([talent_row(id_number="370811199005170024")]),
        {SHEET: lambda s: s.replace(b"</row>", b'<c r="XFD1" s="0"/></row>', 1)},
    )
    job = upload_job(client, "talent", data)
    response = client.get(reverse("registry:import_marked", args=[job.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = book[TALENTS.sheet]
    assert ws.max_column == len(TALENTS.columns)  # the empty far cell is not copied
    assert ws.max_row == 2
