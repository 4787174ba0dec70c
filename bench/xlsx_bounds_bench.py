"""Benchmark: the worst an untrusted .xlsx can make the reader spend (CPU seconds, peak RSS).

Usage:
    .venv/bin/python bench/xlsx_bounds_bench.py [--only NAME ...] [--marked]

Each case is a crafted workbook built here in memory (no fixture files), at or just past the
reader's default limits (``registry/excel/reader.py``, ``registry/excel/xlsx.py``). It is read
in a fresh child process the way an upload is: ``reader.open_sheet`` (size, zip directory,
sheet, header, merges) and then every row (``raw_rows``), as the preview validation reads it.
The child reports the CPU time (user + system) of that reading and its peak RSS (the whole
process: Python, Django set-up and the upload's bytes included), and the outcome: the number
of rows read, or the Chinese refusal.

``--marked`` also builds the marked-up error workbook (``template.write_marked``, as the
download does) for the largest accepted cases, in a scratch SQLite database (migrated first,
not timed), with 10,000 problems (the most a job stores).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"


def _headers() -> list[str]:
    from talentpark.registry.excel.columns import TALENTS

    return [c.title for c in TALENTS.columns]


def _col(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> str:
    return '<row r="1">' + "".join(_inline(f"{_col(i)}1", h) for i, h in enumerate(_headers())) + "</row>"


def _package(sheet_body: Callable[[], bytes] | bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal valid package around a sheet (the sheet given as bytes, streamed in pieces)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="人才" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
            "</Relationships>",
        )
        for name, content in (extra or {}).items():
            z.writestr(name, content)
        with z.open(SHEET, "w", force_zip64=True) as fh:
            pieces = sheet_body() if callable(sheet_body) else [sheet_body]
            for piece in pieces:
                fh.write(piece)
    return buf.getvalue()


def _sheet(rows: Callable[[], object]) -> Callable[[], object]:
    def body():  # type: ignore[no-untyped-def]
        yield f'<worksheet xmlns="{NS}"><sheetData>{_header_row()}'.encode()
        yield from rows()
        yield b"</sheetData></worksheet>"

    return body


# -- the cases ------------------------------------------------------------------------------


def legit(n: int) -> Callable[[], bytes]:
    """``n`` rows as openpyxl writes them (inline strings), 17 of the 24 columns filled."""

    def build() -> bytes:
        def rows():  # type: ignore[no-untyped-def]
            batch = []
            for r in range(2, n + 2):
                cells = [
                    ("A", "王晓明"),
                    ("B", f"37081119900517{r % 10000:04d}"),
                    ("C", f"139{r:08d}"),
                    ("D", "男"),
                    ("F", "硕士研究生"),
                    ("G", "山东大学"),
                    ("H", "机械工程"),
                    ("I", "2015-06-30"),
                    ("J", "91370811000000011X 济宁基准装备制造有限公司001"),
                    ("K", "工程师"),
                    ("L", "中级"),
                    ("N", "无"),
                    ("P", "无"),
                    ("R", "租房"),
                    ("S", "2021-03-01"),
                    ("T", "370811"),
                    ("U", "否"),
                ]
                batch.append(f'<row r="{r}">' + "".join(_inline(f"{c}{r}", v) for c, v in cells) + "</row>")
                if len(batch) == 1000:
                    yield "".join(batch).encode()
                    batch = []
            yield "".join(batch).encode()

        return _package(_sheet(rows))

    return build


def dense_cells() -> bytes:
    """Rows of 54 numeric cells (the column limit), until the element limit: most Python work per byte."""

    def rows():  # type: ignore[no-untyped-def]
        row_cells = "".join(f"<c><v>{i}</v></c>" for i in range(54))
        for r in range(2, 60_000):
            yield f'<row r="{r}">{row_cells}</row>'.encode()

    return _package(_sheet(rows))


def _dense(cell: str, extra: dict[str, bytes]) -> bytes:
    """Rows of 54 such cells, a few more elements than the default element limit in all."""
    per_row = 1 + 54 * cell.count("</")

    def rows():  # type: ignore[no-untyped-def]
        row_cells = "".join(cell.format(i=i) for i in range(54))
        for r in range(2, 2_600_000 // per_row + 3):
            yield f'<row r="{r}">{row_cells}</row>'.encode()

    return _package(_sheet(rows), extra)


def dense_dates() -> bytes:
    """Rows of 54 numbers in a date style (each converted to a datetime), until the element limit."""
    styles = f'<styleSheet xmlns="{NS}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>'
    return _dense('<c s="1"><v>4{i:04d}</v></c>', {"xl/styles.xml": styles.encode()})


def dense_shared() -> bytes:
    """Rows of 54 shared-string cells with references, until the element limit."""
    sst = f'<sst xmlns="{NS}"><si><t>王晓明</t></si></sst>'
    return _dense('<c r="A2" t="s"><v>0</v></c>', {"xl/sharedStrings.xml": sst.encode()})


def dense_rich() -> bytes:
    """Rows of 54 rich-text inline strings (the generic text path), until the element limit."""
    return _dense('<c t="inlineStr"><is><r><t>王</t></r><r><t>晓明</t></r></is></c>', {})


def empty_elements() -> bytes:
    """7 million empty elements outside any row (the fewest bytes per element): hits the element limit."""

    def body():  # type: ignore[no-untyped-def]
        yield f'<worksheet xmlns="{NS}"><sheetData>{_header_row()}</sheetData>'.encode()
        for _ in range(70):
            yield b"<x/>" * 100_000
        yield b"</worksheet>"

    return _package(body)


def empty_rows() -> bytes:
    """Every row number Excel allows, each an empty styled row: a million row elements."""

    def rows():  # type: ignore[no-untyped-def]
        for start in range(2, 1_048_577, 10_000):
            yield b"".join(
                f'<row r="{r}" s="1" customFormat="1"/>'.encode()
                for r in range(start, min(start + 10_000, 1_048_577))
            )

    return _package(_sheet(rows))


def one_huge_text() -> bytes:
    """One cell whose text is 150 MB (compresses to ~150 KB): the largest single allocation."""

    def rows():  # type: ignore[no-untyped-def]
        yield b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
        for _ in range(150):
            yield b"a" * 2**20
        yield b"</t></is></c></row>"

    return _package(_sheet(rows))


def many_texts() -> bytes:
    """32,767-character cells (Excel's limit) in every row until the uncompressed limit."""

    def rows():  # type: ignore[no-untyped-def]
        text = "a" * 32_767
        for r in range(2, 4_900):
            yield f'<row r="{r}">{_inline(f"A{r}", text)}</row>'.encode()

    return _package(_sheet(rows))


def shared_strings_at_limit() -> bytes:
    """1,000,000 distinct shared strings holding 32 Mi characters (both limits), one cell using them."""
    per = (32 * 2**20) // 1_000_000  # 33 characters each
    sst = io.BytesIO()
    sst.write(f'<sst xmlns="{NS}">'.encode())
    for i in range(1_000_000):
        sst.write(f"<si><t>{i:08d}{'字' * (per - 8)}</t></si>".encode())
    sst.write(b"</sst>")

    def rows():  # type: ignore[no-untyped-def]
        yield b'<row r="2"><c r="A2" t="s"><v>999999</v></c></row>'

    return _package(_sheet(rows), {"xl/sharedStrings.xml": sst.getvalue()})


def doctype_late() -> bytes:
    """A billion-laughs DTD after a 1 MB comment (past any prefix check)."""
    laughs = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))

    def body():  # type: ignore[no-untyped-def]
        yield b'<?xml version="1.0"?><!--' + b"x" * 2**20 + f"--><!DOCTYPE worksheet [{laughs}]>".encode()
        yield f'<worksheet xmlns="{NS}"><sheetData><row r="1"><c t="inlineStr"><is><t>&l9;</t></is></c></row>'.encode()
        yield b"</sheetData></worksheet>"

    return _package(body)


def far_cells() -> bytes:
    """A value in column XFD of every row (16,384-wide rows if it were allowed)."""

    def rows():  # type: ignore[no-untyped-def]
        for r in range(2, 100_002):
            yield f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c><c r="XFD{r}"><v>1</v></c></row>'.encode()

    return _package(_sheet(rows))


def millionth_row() -> bytes:
    """Data in row 2 and in row 1,048,576 (the marked copy fills the gap with blank rows)."""

    def rows():  # type: ignore[no-untyped-def]
        yield ('<row r="2">' + _inline("A2", "王晓明") + "</row>").encode()
        yield ('<row r="1048576">' + _inline("A1048576", "王晓明") + "</row>").encode()

    return _package(_sheet(rows))


def forged_directory() -> bytes:
    """A small sheet whose central-directory record declares 4 GB."""
    import struct

    data = bytearray(legit(10)())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == SHEET.encode():
            struct.pack_into("<I", data, at + 24, 0xFFFFFFFE)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


CASES: dict[str, Callable[[], bytes]] = {
    "legit_35k_rows": legit(35_000),
    "legit_100k_rows": legit(100_000),
    "dense_cells": dense_cells,
    "dense_dates": dense_dates,
    "dense_shared": dense_shared,
    "dense_rich": dense_rich,
    "empty_elements": empty_elements,
    "empty_rows": empty_rows,
    "one_huge_text": one_huge_text,
    "many_32k_texts": many_texts,
    "shared_strings_at_limit": shared_strings_at_limit,
    "doctype_after_1mb": doctype_late,
    "far_cells_xfd": far_cells,
    "millionth_row": millionth_row,
    "forged_directory_4gb": forged_directory,
}
MARKED = ("legit_35k_rows", "legit_100k_rows", "millionth_row")


# -- measuring ---------------------------------------------------------------------------------


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpark.settings")
    import django

    django.setup()


def child(name: str, path: Path, marked: bool) -> None:
    _django()
    from talentpark.registry.excel import reader
    from talentpark.registry.excel.columns import TALENTS

    data = path.read_bytes()
    result: dict[str, object] = {"name": name, "upload_kib": len(data) // 1024}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        result["declared_mib"] = round(sum(i.file_size for i in z.infolist()) / 2**20, 1)
    cpu, wall = _cpu(), time.perf_counter()
    try:
        opened = reader.open_sheet(data, TALENTS)
        try:
            result["rows"] = sum(1 for _ in opened.raw_rows())
        finally:
            opened.close()
        result["outcome"] = "read"
    except reader.BadFile as exc:
        result["outcome"] = f"refused: {exc}"
    result["cpu_s"] = round(_cpu() - cpu, 2)
    result["wall_s"] = round(time.perf_counter() - wall, 2)
    if marked and result["outcome"] == "read":
        from django.core.management import call_command

        from talentpark.registry.excel.template import write_marked

        call_command("migrate", verbosity=0)
        opened = reader.open_sheet(data, TALENTS)
        problems = [[row, 2, "身份证号", "校验位不正确，请核对号码"] for row in range(2, 10_002)]
        cpu = _cpu()
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "marked.xlsx"
            try:
                write_marked(
                    out,
                    TALENTS,
                    None,
                    opened.sheet_name,
                    opened.header_row,
                    opened.layout,
                    opened.all_rows(),
                    problems,
                )
                result["marked"] = f"{out.stat().st_size / 2**20:.1f} MiB"
            except reader.BadFile as exc:
                result["marked"] = f"refused: {exc}"
            finally:
                opened.close()
        result["marked_cpu_s"] = round(_cpu() - cpu, 2)
    result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*")
    parser.add_argument(
        "--marked", action="store_true", help="also build the marked workbook (scratch SQLite)"
    )
    parser.add_argument("--child")
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.file), args.marked)
        return
    os.environ.setdefault("TALENTPARK_VAR", tempfile.mkdtemp(prefix="tp-xlsx-bounds-var-"))
    _django()  # the column headers come from the import spec
    print(
        "| case | upload (KiB) | declared (MiB) | outcome | CPU (s) | peak RSS (MiB) |"
        + (" marked CPU (s) |" if args.marked else "")
    )
    print("|---|---|---|---|---|---|" + ("---|" if args.marked else ""))
    for name, build in CASES.items():
        if args.only and name not in args.only:
            continue
        with tempfile.TemporaryDirectory(prefix="tp-xlsx-bounds-") as tmp:
            path = Path(tmp) / f"{name}.xlsx"
            path.write_bytes(build())
            env = {**os.environ, "TALENTPARK_VAR": tmp, "TALENTPARK_LOG_LEVEL": "ERROR"}
            env.pop("DATABASE_URL", None)
            cmd = [sys.executable, __file__, "--child", name, "--file", str(path)]
            if args.marked and name in MARKED:
                cmd.append("--marked")
            out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)  # noqa: S603
        r = json.loads(out.stdout.strip().splitlines()[-1])
        outcome = f"{r['rows']} rows read" if r["outcome"] == "read" else r["outcome"]
        line = f"| {name} | {r['upload_kib']:,} | {r['declared_mib']:,} | {outcome} | {r['cpu_s']} | {r['peak_rss_mib']} |"
        if args.marked:
            line += f" {r.get('marked_cpu_s', '')} {r.get('marked', '')} |"
        print(line, flush=True)


if __name__ == "__main__":
    main()
