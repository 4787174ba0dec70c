"""Opening an uploaded workbook safely, and finding its sheet and columns.

Every check that can refuse a file does so with a Chinese message (:class:`BadFile`),
before the next, more expensive step runs:

1. size, against ``TALENTPARK_IMPORT_MAX_BYTES`` (the view also refuses larger request
   bodies before reading them: ``DATA_UPLOAD_MAX_MEMORY_SIZE`` does not cover files);
2. content, by its first bytes: a zip container (.xlsx), not an old .xls / encrypted
   workbook (OLE2), not text (a .csv or a renamed .txt);
3. the zip directory, read without decompressing anything: entry count, total
   uncompressed size (``TALENTPARK_IMPORT_MAX_UNCOMPRESSED``) and the parts every .xlsx
   has. A zip bomb is refused here, before any XML is parsed. The declared sizes are
   then enforced while inflating: a part that gives more than it declared is refused,
   and all reads of one workbook together inflate at most three times the limit;
4. the lean reader of :mod:`.xlsx`, within :func:`limits` (DTDs and entities refused by
   defusedxml wherever they are, XML elements, rows, columns, cell and shared-string
   sizes: see that module), which gives a formula cell as its text (``=SUM(…)``),
   never its cached result, so the row rules refuse it instead of trusting a value;
5. the sheet (by name; a renamed first sheet is accepted when its headers fit), the
   header row (within the first rows; title rows above it are allowed), missing,
   unknown and repeated columns, and merged cells anywhere in the sheet (read from the
   sheet's XML, which read-only mode does not expose).

Every limit reached is a :class:`BadFile` naming the part, sheet or cell and the reason. The
marked-up error workbook is built from what this reader returns, under the same limits.
Worst cases measured: ``bench/xlsx_bounds_bench.py`` (figures in docs/benchmarks.md).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any

from django.conf import settings
from django.utils.translation import gettext
from openpyxl.utils import get_column_letter

from talentpark.registry.excel.columns import Column, SheetSpec
from talentpark.registry.excel.xlsx import (
    EXCEL_CELL_CHARS,
    EXCEL_ROWS,
    LimitExceeded,
    Limits,
    SheetRef,
    XlsxBook,
)
from talentpark.registry.rules import clean_free_text

DEFAULT_MAX_BYTES = 20 * 2**20
DEFAULT_MAX_UNCOMPRESSED = 160 * 2**20
DEFAULT_MAX_ENTRIES = 1000
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_XML_ELEMENTS = 2_500_000
DEFAULT_MAX_SHARED_STRINGS = 1_000_000
DEFAULT_MAX_SHARED_CHARS = 32 * 2**20
# Columns allowed right of the template's own (people add 序号, 备注 and the like).
EXTRA_COLUMNS = 30
HEADER_SEARCH_ROWS = 10
# Columns people add to their sheets that carry nothing to import.
IGNORED_HEADERS = frozenset({"序号", "备注", "错误说明"})

_MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+\d+(?::[A-Z]+\d+)?)\"")
_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


class BadFile(Exception):
    """The upload cannot be read as this kind's workbook; the message says why, in Chinese."""


def max_bytes() -> int:
    return int(getattr(settings, "TALENTPARK_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "TALENTPARK_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def max_uncompressed() -> int:
    return int(getattr(settings, "TALENTPARK_IMPORT_MAX_UNCOMPRESSED", DEFAULT_MAX_UNCOMPRESSED))


def limits(spec: SheetSpec) -> Limits:
    """What reading one upload of ``spec``'s kind may cost (settings override the defaults)."""
    return Limits(
        max_elements=int(getattr(settings, "TALENTPARK_IMPORT_MAX_XML_ELEMENTS", DEFAULT_MAX_XML_ELEMENTS)),
        max_inflated=3 * max_uncompressed(),
        max_columns=len(spec.columns) + EXTRA_COLUMNS,
        max_rows=max_rows() + HEADER_SEARCH_ROWS,
        max_strings=int(
            getattr(settings, "TALENTPARK_IMPORT_MAX_SHARED_STRINGS", DEFAULT_MAX_SHARED_STRINGS)
        ),
        max_string_chars=int(
            getattr(settings, "TALENTPARK_IMPORT_MAX_SHARED_CHARS", DEFAULT_MAX_SHARED_CHARS)
        ),
    )


def limit_message(exc: LimitExceeded) -> str:
    """The Chinese reason for a reached limit, naming the part, sheet or cell."""
    p = exc.params
    messages = {
        "dtd": gettext(
            "工作簿的 %(part)s 含有 DTD 或实体声明（DOCTYPE/ENTITY，可用于“XML 实体炸弹”），"
            "正常的 Excel 文件不会有，已拒绝"
        ),
        "inflate": gettext("工作簿的 %(part)s 解压后超过其声明的大小（%(size)d 字节），疑似压缩炸弹，已拒绝"),
        "inflated": gettext("读取工作簿时解压的数据超过上限 %(mib)s MB（疑似压缩炸弹），已拒绝"),
        "elements": gettext(
            "工作簿的 %(part)s 内容过多（超过 %(n)d 个 XML 元素的上限），请删除多余内容或拆分后分批导入"
        ),
        "subtree": gettext(
            "工作簿的 %(part)s 中有一行或一项内容过多（超过 %(n)d 个 XML 元素），疑似恶意构造，已拒绝"
        ),
        "row_ref": gettext(
            "工作表“%(sheet)s”的行号“%(row)s”无效（应为 1 到 %(max)d，Excel 的行数上限），疑似恶意构造，已拒绝"
        ),
        "cell_ref": gettext(
            "工作表“%(sheet)s”的单元格引用“%(cell)s”无效（超出 Excel 的 A–XFD 列范围），疑似恶意构造，已拒绝"
        ),
        "column": gettext(
            "工作表“%(sheet)s”的单元格 %(cell)s 超出了导入模板的列范围（最多 %(n)d 列，到 %(last)s 列），"
            "请删除多余的列后上传"
        ),
        "cell_chars": gettext(
            "工作表“%(sheet)s”的单元格 %(cell)s 内容超过 %(chars)d 个字符（Excel 单元格的上限），已拒绝"
        ),
        "rows": gettext("工作表“%(sheet)s”：数据超过 %(n)d 行的上限，请拆分后分批导入"),
        "string_chars": gettext(
            "工作簿的 %(part)s 第 %(index)d 项文字超过 %(chars)d 个字符（Excel 单元格的上限），已拒绝"
        ),
        "strings": gettext("工作簿的 %(part)s 超过 %(n)d 项的上限，请拆分后分批导入"),
        "strings_total": gettext("工作簿的 %(part)s 文字总数超过 %(n)d 个字符的上限，请拆分后分批导入"),
    }
    values = {
        **p,
        "max": EXCEL_ROWS,
        "chars": EXCEL_CELL_CHARS,
        "mib": _mib(int(p.get("limit", 0))),
        "last": get_column_letter(min(int(p.get("n", 1)), 16384)) if exc.kind == "column" else "",
    }
    if exc.kind == "rows":
        values["n"] = max_rows()
    return messages.get(exc.kind, gettext("工作簿内容已损坏，无法读取，请在 Excel 中重新保存后上传")) % values


def _mib(n: int) -> str:
    return f"{n / 2**20:.0f}"


def check_name_and_size(name: str, size: int) -> None:
    """Cheap checks on what the browser declared, before a byte is read."""
    lower = name.lower()
    if lower.endswith((".xls", ".et")):
        raise BadFile(gettext("不支持旧版 .xls 文件，请在 Excel 中“另存为” .xlsx 格式后上传"))
    if lower.endswith((".csv", ".txt")):
        raise BadFile(gettext("不支持 CSV/文本文件，请下载导入模板，按模板填写后以 .xlsx 格式上传"))
    if not lower.endswith(".xlsx"):
        raise BadFile(gettext("请上传 .xlsx 格式的 Excel 工作簿"))
    if size > max_bytes():
        raise BadFile(
            gettext("文件大小为 %(size)s MB，超过上限 %(limit)s MB，请拆分后分批导入")
            % {"size": _mib(size), "limit": _mib(max_bytes())}
        )
    if size == 0:
        raise BadFile(gettext("文件是空的"))


def check_container(data: bytes) -> None:
    """Content sniffing and zip-bomb limits from the zip directory alone."""
    if len(data) > max_bytes():
        raise BadFile(gettext("文件超过上限 %(limit)s MB，请拆分后分批导入") % {"limit": _mib(max_bytes())})
    head = data[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadFile(
            gettext("这是旧版 .xls 文件或设有打开密码的工作簿，请在 Excel 中另存为不加密的 .xlsx 格式后上传")
        )
    if not head.startswith(b"PK\x03\x04"):
        raise BadFile(
            gettext(
                "文件内容不是 Excel 工作簿（.xlsx）：可能是改了扩展名的文本、CSV 或其他文件，请使用导入模板"
            )
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except Exception:  # BadZipFile, struct.error, NotImplementedError (a "zip version 6.4" entry) …
        raise BadFile(gettext("文件已损坏，无法作为 .xlsx 工作簿打开")) from None
    limit_entries = int(getattr(settings, "TALENTPARK_IMPORT_MAX_ENTRIES", DEFAULT_MAX_ENTRIES))
    limit_size = max_uncompressed()
    if len(entries) > limit_entries:
        raise BadFile(gettext("工作簿内部文件过多（%(n)d 个），疑似恶意构造，已拒绝") % {"n": len(entries)})
    total = sum(max(e.file_size, 0) for e in entries)
    if total > limit_size:
        raise BadFile(
            gettext("工作簿解压后达 %(size)s MB，超过上限 %(limit)s MB（疑似压缩炸弹），已拒绝")
            % {"size": _mib(total), "limit": _mib(limit_size)}
        )
    if any(e.flag_bits & 0x1 for e in entries):
        raise BadFile(gettext("工作簿已加密，请取消密码后上传"))
    names = {e.filename for e in entries}
    if not all(part in names for part in _REQUIRED_PARTS):
        raise BadFile(gettext("文件不是 Excel 工作簿（.xlsx），可能是其他格式的压缩包或文档"))


def _norm_header(value: Any) -> str:
    text = unicodedata.normalize("NFKC", clean_free_text(value))
    for mark in ("(必填)", "*", "＊"):
        text = text.replace(mark, "")
    return text.replace(" ", "")


@dataclass
class OpenedSheet:
    """A validated sheet: which column holds which field, and its data rows."""

    spec: SheetSpec
    sheet: SheetRef
    header_row: int
    columns: dict[int, Column]  # 0-based cell index → column
    headers: list[Any]  # the header cells as written
    _book: XlsxBook | None = field(repr=False, default=None)

    @property
    def sheet_name(self) -> str:
        return self.sheet.title

    @property
    def present(self) -> set[str]:
        return {c.key for c in self.columns.values()}

    def _rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        assert self._book is not None
        try:
            yield from self._book.rows(self.sheet)
        except LimitExceeded as exc:
            raise BadFile(limit_message(exc)) from None
        except Exception:  # ParseError, zlib.error, BadZipFile (CRC) …: an untrusted file is damaged
            raise BadFile(gettext("工作簿内容已损坏，无法读取，请在 Excel 中重新保存后上传")) from None

    def raw_rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(Excel row number, cell values) of every row below the header, blank rows skipped."""
        for number, values in self._rows():
            if number > self.header_row and any(
                v is not None and (not isinstance(v, str) or v.strip()) for v in values
            ):
                yield number, values

    def all_rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """Every row of the sheet from row 1, blank ones included (for the marked-up copy)."""
        expected = 1
        for number, values in self._rows():
            while expected < number:
                yield expected, ()
                expected += 1
            yield number, values
            expected = number + 1

    @property
    def layout(self) -> list[Column | None]:
        """The column of each header cell position (None for unknown or ignored ones)."""
        return [self.columns.get(i) for i in range(len(self.headers))]

    def close(self) -> None:
        if self._book is not None:
            self._book.archive.close()
            self._book = None


def open_sheet(data: bytes, spec: SheetSpec) -> OpenedSheet:
    """Open ``data`` as ``spec``'s workbook, or raise :class:`BadFile` saying what is wrong."""
    check_container(data)
    damaged = gettext("工作簿内容已损坏，无法读取，请在 Excel 中重新保存后上传")
    try:
        book = XlsxBook(zipfile.ZipFile(io.BytesIO(data)), limits(spec))
    except LimitExceeded as exc:
        raise BadFile(limit_message(exc)) from None
    except Exception:  # malformed XML or parts: all mean "cannot read"
        raise BadFile(damaged) from None
    try:
        return _find_sheet(book, spec)
    except BadFile:
        book.archive.close()
        raise
    except LimitExceeded as exc:
        book.archive.close()
        raise BadFile(limit_message(exc)) from None
    except Exception:
        book.archive.close()
        raise BadFile(damaged) from None


def _first_rows(book: XlsxBook, sheet: SheetRef) -> list[tuple[int, tuple[Any, ...]]]:
    return list(book.rows(sheet, max_row=HEADER_SEARCH_ROWS))


def _is_empty(rows: list[tuple[int, tuple[Any, ...]]]) -> bool:
    return not any(v is not None and str(v).strip() for _n, values in rows for v in values)


def _find_sheet(book: XlsxBook, spec: SheetSpec) -> OpenedSheet:
    sheets = [s for s in book.sheets if s.state == "visible"]
    names = [s.title for s in sheets]
    chosen = next((s for s in sheets if s.title == spec.sheet), None)
    if chosen is not None:
        first = _first_rows(book, chosen)
        header = _header(first, spec)
        if header is None and _is_empty(first):
            raise BadFile(gettext("工作表“%(sheet)s”是空的，请按导入模板填写后上传") % {"sheet": spec.sheet})
        if header is None:
            raise BadFile(
                gettext("工作表“%(sheet)s”的前%(n)d行中没有找到表头（应含“%(cols)s”等列），请使用导入模板")
                % {
                    "sheet": spec.sheet,
                    "n": HEADER_SEARCH_ROWS,
                    "cols": "、".join(c.header for c in spec.required),
                }
            )
    else:
        firsts = {s.title: _first_rows(book, s) for s in sheets}
        if all(_is_empty(rows) for rows in firsts.values()):
            raise BadFile(gettext("工作簿是空的，没有任何内容，请按导入模板填写后上传"))
        data_sheets = [s for s in sheets if s.title not in ("说明", "代码表", "错误汇总")]
        header = _header(firsts[data_sheets[0].title], spec) if data_sheets else None
        if not data_sheets or header is None:
            from talentpark.registry.excel.columns import SPECS

            other = next((s for s in SPECS.values() if s.sheet in names and s is not spec), None)
            hint = (
                gettext("这似乎是“%(title)s”的导入文件。") % {"title": other.title}
                if other is not None
                else ""
            )
            raise BadFile(
                gettext(
                    "工作簿中没有名为“%(sheet)s”的工作表（现有：%(names)s）。%(hint)s请下载“%(title)s”导入模板填写"
                )
                % {"sheet": spec.sheet, "names": "、".join(names) or "—", "hint": hint, "title": spec.title}
            )
        chosen = data_sheets[0]
    row_no, cells = header
    columns = _map_columns(cells, spec)
    _check_merges(book, chosen)
    return OpenedSheet(
        spec=spec, sheet=chosen, header_row=row_no, columns=columns, headers=list(cells), _book=book
    )


def _header(rows: list[tuple[int, tuple[Any, ...]]], spec: SheetSpec) -> tuple[int, tuple[Any, ...]] | None:
    """The first row (of the first few) that names at least two of the spec's columns."""
    known = {_norm_header(c.header) for c in spec.columns}
    for number, values in rows:
        if sum(1 for v in values if _norm_header(v) in known) >= min(2, len(known)):
            return number, tuple(values)
    return None


def _map_columns(cells: tuple[Any, ...], spec: SheetSpec) -> dict[int, Column]:
    by_header = {_norm_header(c.header): c for c in spec.columns}
    columns: dict[int, Column] = {}
    unknown: list[str] = []
    seen: dict[str, int] = {}
    repeated: list[str] = []
    for index, value in enumerate(cells):
        name = _norm_header(value)
        if not name or name in IGNORED_HEADERS:
            continue
        column = by_header.get(name)
        if column is None:
            guess = get_close_matches(name, list(by_header), n=1, cutoff=0.5)
            letter = get_column_letter(index + 1)
            if guess:
                unknown.append(
                    gettext("%(letter)s列“%(name)s”（是否应为“%(guess)s”？）")
                    % {
                        "letter": letter,
                        "name": clean_free_text(value)[:30],
                        "guess": by_header[guess[0]].header,
                    }
                )
            else:
                unknown.append(
                    gettext("%(letter)s列“%(name)s”")
                    % {"letter": letter, "name": clean_free_text(value)[:30]}
                )
            continue
        if column.key in seen:
            repeated.append(column.header)
            continue
        seen[column.key] = index
        columns[index] = column
    problems = []
    missing = [c.header for c in spec.required if c.key not in seen]
    if missing:
        problems.append(gettext("缺少必填列：%(cols)s") % {"cols": "、".join(missing)})
    if unknown:
        problems.append(gettext("无法识别的列：%(cols)s") % {"cols": "；".join(unknown)})
    if repeated:
        problems.append(gettext("重复的列：%(cols)s") % {"cols": "、".join(repeated)})
    if problems:
        raise BadFile("。".join(problems) + gettext("。请按导入模板的列名填写（列名可调换顺序）"))
    return columns


def _check_merges(book: XlsxBook, sheet: SheetRef) -> None:
    """Merged ranges, found in the sheet's bytes (inflated within the book's limits)."""
    with book._open(sheet.path) as fh:
        refs: list[str] = []
        tail = b""
        while chunk := fh.read(4 * 2**20):
            block = tail + chunk
            if b"mergeCell" in block:  # a plain search first: the pattern tries every "<"
                refs += [m.decode() for m in _MERGE_RE.findall(block)]
            tail = block[-200:]
            if len(refs) > 5:
                break
    refs = list(dict.fromkeys(refs))
    if refs:
        shown = "、".join(refs[:5]) + ("等" if len(refs) > 5 else "")
        raise BadFile(
            gettext("工作表“%(sheet)s”含有合并单元格（%(refs)s），每行每列须各填一个值，请取消合并后上传")
            % {"sheet": sheet.title, "refs": shown}
        )
