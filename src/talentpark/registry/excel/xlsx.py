"""A lean, streaming reader of .xlsx cell values (what the importer needs, nothing more).

Why not openpyxl's read-only mode: per cell it builds descriptor-backed objects (about
20 µs a cell), and for a sheet without a ``<dimension>`` element — every file openpyxl's
own write-only mode produces — it parses the whole sheet once more on opening. For a
35,000-row upload read twice (preview, commit) that is most of the time budget. This
reader walks the sheet XML once with ``xml.etree.ElementTree.iterparse`` and returns
plain values. A part that declares a DTD is refused before it is parsed (an .xlsx never
has one), so there are no entities to expand and nothing external to fetch — the rule
defusedxml applies, without the dependency. Values:

* shared and inline strings (rich-text runs joined, phonetic runs dropped) as ``str``;
* numbers as ``int`` or ``float``; numbers in a date style (built-in, the CJK built-in
  date styles 27–36 and 50–58, or a custom date format) as ``datetime``; ``t="d"``
  ISO dates as ``datetime``; booleans as ``bool``; error values as their text;
* any cell with a formula (``<f>``) as ``"=" + formula`` — never its cached result —
  so the row rules refuse it.

Transitional and strict OOXML namespaces are both understood (tags are compared by
local name). The caller has already checked the zip directory (size, entries).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, Literal
from xml.etree.ElementTree import iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

_Event = Literal["start", "end"]
# Date styles Excel writes without a format string in Chinese (and other CJK) locales.
CJK_DATE_FORMAT_IDS = frozenset({*range(27, 37), *range(50, 59)})


def _local(tag: str) -> str:
    return tag[tag.rfind("}") + 1 :]


@dataclass(frozen=True)
class SheetRef:
    title: str
    state: str  # "visible", "hidden" or "veryHidden"
    path: str  # the part inside the zip, e.g. "xl/worksheets/sheet1.xml"


class XlsxBook:
    """The sheets, shared strings and date styles of a workbook held in a zip archive."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.epoch = CALENDAR_WINDOWS_1900
        self.sheets = self._sheets()
        self._strings: list[str] | None = None
        self._date_styles: frozenset[int] | None = None

    # -- workbook structure ---------------------------------------------------------------

    def _open(self, name: str) -> IO[bytes]:
        """A part of the package; one with a DTD is refused (no .xlsx has one: it can only be an attack)."""
        with self.archive.open(name) as fh:
            head = fh.read(4096)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise ValueError(f"{name}: a DTD is not allowed in a workbook")
        return self.archive.open(name)

    def _parse(self, name: str, events: Sequence[_Event] = ("end",)) -> Iterator[tuple[str, Any]]:
        """``iterparse`` over a DTD-free part: no entities to expand, no external resources to fetch."""
        with self._open(name) as fh:
            yield from iterparse(fh, events=events)  # noqa: S314 - DTDs refused by _open (defusedxml's rule)

    def _sheets(self) -> list[SheetRef]:
        targets: dict[str, str] = {}
        rels = "xl/_rels/workbook.xml.rels"
        if rels in self.archive.namelist():
            for _ev, el in self._parse(rels):
                if _local(el.tag) == "Relationship":
                    target = el.get("Target", "")
                    path = (
                        target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                    )
                    targets[el.get("Id", "")] = path
        sheets = []
        for _ev, el in self._parse("xl/workbook.xml"):
            name = _local(el.tag)
            if name == "workbookPr" and el.get("date1904") in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904
            elif name == "sheet":
                rid = next((v for k, v in el.attrib.items() if _local(k) == "id" and k.startswith("{")), "")
                if rid in targets:
                    sheets.append(SheetRef(el.get("name", ""), el.get("state", "visible"), targets[rid]))
        return sheets

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = []
            if "xl/sharedStrings.xml" in self.archive.namelist():
                for _ev, el in self._parse("xl/sharedStrings.xml"):
                    if _local(el.tag) == "si":
                        self._strings.append(_text(el))
                        el.clear()
        return self._strings

    @property
    def date_styles(self) -> frozenset[int]:
        """Indexes of the cell formats (``s="…"``) that show a number as a date."""
        if self._date_styles is None:
            custom: dict[int, str] = {}
            xfs: list[int] = []
            if "xl/styles.xml" in self.archive.namelist():
                in_cell_xfs = False
                for ev, el in self._parse("xl/styles.xml", ("start", "end")):
                    name = _local(el.tag)
                    if name == "cellXfs":
                        in_cell_xfs = ev == "start"
                    elif ev == "end" and name == "numFmt":
                        custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
                    elif ev == "end" and name == "xf" and in_cell_xfs:
                        xfs.append(int(el.get("numFmtId", "0")))
            dates = set()
            for index, fmt_id in enumerate(xfs):
                code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, ""))
                if fmt_id in CJK_DATE_FORMAT_IDS or (code and is_date_format(code)):
                    dates.add(index)
            self._date_styles = frozenset(dates)
        return self._date_styles

    # -- cells ----------------------------------------------------------------------------

    def rows(self, sheet: SheetRef, max_row: int | None = None) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(row number, values) of each row that has cells, in order; gaps are not filled in."""
        strings, dates, epoch = None, self.date_styles, self.epoch
        columns: dict[str, int] = {}
        expected = 0
        tags: _Tags | None = None
        for ev, el in self._parse(sheet.path, ("start", "end")):
            if tags is None:  # the root element names the namespace of every tag below it
                tags = _Tags(el.tag[: el.tag.find("}") + 1] if el.tag.startswith("{") else "")
                continue
            if ev != "end" or el.tag != tags.row:
                continue
            expected += 1
            number = int(el.get("r") or expected)
            expected = number
            if max_row is not None and number > max_row:
                return
            values: list[Any] = []
            for cell in el:
                if cell.tag != tags.c:
                    continue
                ref = cell.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    index = columns.get(letters)
                    if index is None:
                        index = columns[letters] = _column_index(letters)
                    if index > len(values):
                        values.extend([None] * (index - len(values)))
                kind, style = cell.get("t", "n"), cell.get("s")
                if kind == "s" and strings is None:
                    strings = self.strings
                values.append(_value(cell, kind, style, strings, dates, epoch, tags))
            el.clear()
            yield number, tuple(values)


class _Tags:
    """Fully qualified tag names in one namespace, compared directly (no per-element parsing)."""

    __slots__ = ("c", "f", "is_", "row", "v")

    def __init__(self, ns: str) -> None:
        self.row, self.c, self.v, self.f, self.is_ = (ns + n for n in ("row", "c", "v", "f", "is"))


def _column_index(letters: str) -> int:
    """0-based index of a column ("A" → 0, "AB" → 27)."""
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch.upper()) - 64)
    return index - 1


def _text(el: Any) -> str:
    """The text of an ``<si>`` or ``<is>``: its ``<t>``, or its rich-text runs; phonetic runs left out."""
    parts = []
    for child in el:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _value(
    cell: Any,
    kind: str,
    style: str | None,
    strings: list[str] | None,
    dates: frozenset[int],
    epoch: Any,
    tags: _Tags,
) -> Any:
    raw = None
    for child in cell:
        tag = child.tag
        if tag == tags.v:
            raw = child.text
        elif tag == tags.f:
            return "=" + (child.text or "")
        elif tag == tags.is_:
            return _text(child)
    if raw is None:
        return None
    if kind == "s":
        index = int(raw)
        return strings[index] if strings is not None and 0 <= index < len(strings) else None
    if kind in ("str", "e", "inlineStr"):
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "d":
        try:
            return dt.datetime.fromisoformat(raw)
        except ValueError:
            return raw
    try:
        number: int | float = int(raw) if raw.lstrip("-").isdigit() else float(raw)
    except ValueError:
        return raw
    if style is not None and style.isdigit() and int(style) in dates:
        try:
            return from_excel(number, epoch)
        except (ValueError, OverflowError):
            return number
    return number
