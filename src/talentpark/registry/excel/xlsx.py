"""A lean, streaming reader of .xlsx cell values (what the importer needs, nothing more).

Why not openpyxl's read-only mode: per cell it builds descriptor-backed objects (about
20 µs a cell), and for a sheet without a ``<dimension>`` element — every file openpyxl's
own write-only mode produces — it parses the whole sheet once more on opening. For a
35,000-row upload read twice (preview, commit) that is most of the time budget. This
reader walks each part once with ElementTree's C pull parser and returns plain values:

* shared and inline strings (rich-text runs joined, phonetic runs dropped) as ``str``;
* numbers as ``int`` or ``float``; numbers in a date style (built-in, the CJK built-in
  date styles 27–36 and 50–58, or a custom date format) as ``datetime``; ``t="d"``
  ISO dates as ``datetime``; booleans as ``bool``; error values as their text;
* any cell with a formula (``<f>``) as ``"=" + formula`` — never its cached result —
  so the row rules refuse it.

Transitional and strict OOXML namespaces are both understood (tags are compared by
local name).

The file is untrusted, so every part is read within :class:`Limits`, and a limit reached
raises :class:`LimitExceeded` before anything proportional to the claim is built:

* **DTDs and entities.** Every chunk of every part goes first through defusedxml's parser
  (``forbid_dtd``, ``forbid_entities``, ``forbid_external``: expat itself reports the
  declaration, wherever it is and in whatever encoding), then, only once accepted, to the
  C parser that builds elements. The C parser never sees the chunk holding a DOCTYPE.
* **Inflation.** A part never gives more bytes than the zip directory declares for it,
  and all reads of one workbook together inflate at most ``max_inflated`` bytes.
* **Elements.** At most ``max_elements`` XML elements are parsed per workbook (all parts,
  all passes), at most ``max_subtree`` in one row or one shared string; every element
  outside a row (or shared string) is dropped as soon as it ends, so memory stays flat.
* **Cells.** Row numbers must be 1–1,048,576 and cell references A–XFD (Excel's own
  limits); a cell with a value beyond ``max_columns`` is refused (an empty, styled one is
  skipped without allocating anything); a text longer than 32,767 characters (Excel's cell
  limit) is refused; at most ``max_rows`` rows with values.
* **Shared strings.** At most ``max_strings`` entries and ``max_string_chars`` characters.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal
from xml.etree.ElementTree import XMLPullParser

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

_Event = Literal["start", "end"]
# Date styles Excel writes without a format string in Chinese (and other CJK) locales.
CJK_DATE_FORMAT_IDS = frozenset({*range(27, 37), *range(50, 59)})


EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384  # A … XFD
EXCEL_CELL_CHARS = 32_767
CHUNK = 64 * 1024
_ROW = frozenset({"row"})
_SI = frozenset({"si"})


def _local(tag: str) -> str:
    return tag[tag.rfind("}") + 1 :]


class LimitExceeded(ValueError):
    """A bound was reached; ``kind`` says which and ``params`` what to name (the reader words it)."""

    def __init__(self, kind: str, **params: Any) -> None:
        super().__init__(kind, params)
        self.kind = kind
        self.params = params


@dataclass(frozen=True)
class Limits:
    """What one workbook may cost to read (see the module docstring)."""

    max_elements: int = 2_500_000
    max_inflated: int = 480 * 2**20
    max_subtree: int = 100_000
    max_columns: int = EXCEL_COLUMNS
    max_rows: int = EXCEL_ROWS
    max_strings: int = 1_000_000
    max_string_chars: int = 32 * 2**20


@dataclass(frozen=True)
class SheetRef:
    title: str
    state: str  # "visible", "hidden" or "veryHidden"
    path: str  # the part inside the zip, e.g. "xl/worksheets/sheet1.xml"


class _Nothing:
    """The guard parser's target: it builds nothing (the guard only has to see every byte)."""

    def close(self) -> None:
        return None


def _guard() -> DefusedXMLParser:
    parser = DefusedXMLParser(target=_Nothing(), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    # With no element handlers, the pure-Python parser would pass all markup through its
    # default handler (a Python call per tag, 8x slower); expat needs none to find
    # declarations (defusedxml's handlers) or undefined entities (a well-formedness error).
    parser.parser.DefaultHandlerExpand = None
    return parser


class _Inflating:
    """One part being inflated: never more than its declared size, and within the book's budget."""

    def __init__(self, book: XlsxBook, info: zipfile.ZipInfo) -> None:
        self.book, self.name, self.declared = book, info.filename, info.file_size
        self.seen = 0
        self.fh = book.archive.open(info)

    def read(self, n: int = CHUNK) -> bytes:
        chunk = self.fh.read(n if n is not None and n >= 0 else CHUNK)
        self.seen += len(chunk)
        if self.seen > self.declared:
            raise LimitExceeded("inflate", part=self.name, size=self.declared)
        self.book.inflated += len(chunk)
        if self.book.inflated > self.book.limits.max_inflated:
            raise LimitExceeded("inflated", limit=self.book.limits.max_inflated)
        return chunk

    def close(self) -> None:
        self.fh.close()

    def __enter__(self) -> _Inflating:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _fed(fh: Any, guard: Any, pull: XMLPullParser[Any]) -> Iterator[None]:
    """Feed part ``fh`` to the DTD/entity guard, then to the parser, a chunk at a time; yield after
    each chunk (and once after the end) so that the caller handles the chunk's events."""
    while chunk := fh.read(CHUNK):
        guard.feed(chunk)  # raises on a DTD or entity before the C parser sees it
        pull.feed(chunk)
        yield
    guard.close()
    pull.close()
    yield


class XlsxBook:
    """The sheets, shared strings and date styles of a workbook held in a zip archive."""

    def __init__(self, archive: zipfile.ZipFile, limits: Limits | None = None) -> None:
        self.archive = archive
        self.limits = limits or Limits()
        self.inflated = 0  # bytes inflated so far, all parts and passes
        self.elements = 0  # XML elements parsed so far, all parts and passes
        self.epoch = CALENDAR_WINDOWS_1900
        self._names = set(archive.namelist())
        self.sheets = self._sheets()
        self._strings: list[str] | None = None
        self._date_styles: frozenset[int] | None = None

    # -- workbook structure ---------------------------------------------------------------

    def _open(self, name: str) -> _Inflating:
        """A part of the package, inflated within its declared size and the book's budget."""
        return _Inflating(self, self.archive.getinfo(name))

    def _parse(self, name: str, events: Sequence[_Event] = ("end",)) -> Iterator[tuple[str, Any]]:
        """The parse events of part ``name``, every byte accepted by the DTD/entity guard first.

        The ``events`` asked for, each element dropped from its parent as soon as its end has
        been handled (the small parts: relationships, workbook, styles; a sheet's rows and the
        shared strings are read with :meth:`_collect`).
        """
        limits = self.limits
        guard = _guard()
        pull: XMLPullParser[Any] = XMLPullParser(events=("start", "end"))
        # (event, element) pairs: only "start" and "end" were asked for.
        read_events: Callable[[], Iterator[tuple[str, Any]]] = pull.read_events  # type: ignore[assignment]
        stack: list[Any] = []  # the open elements, root first
        want_start = "start" in events
        want_end = "end" in events
        try:
            with self._open(name) as fh:
                for _chunk in _fed(fh, guard, pull):
                    for ev, el in read_events():
                        if ev == "start":
                            stack.append(el)
                            if want_start:
                                yield ev, el
                            continue
                        self.elements += 1
                        stack.pop()
                        if want_end:
                            yield ev, el
                    if self.elements > limits.max_elements:
                        raise LimitExceeded("elements", part=name, n=limits.max_elements)
                    # Every event of the chunk has been handled: drop the elements that have ended
                    # (each open element is its parent's last child). Memory stays at one chunk's
                    # elements.
                    last = len(stack) - 1
                    for level, parent in enumerate(stack):
                        if level < last:
                            if len(parent) > 1:
                                del parent[:-1]
                        elif len(parent):
                            del parent[:]
        except DefusedXmlException:
            raise LimitExceeded("dtd", part=name) from None

    def _collect(self, name: str, collect: frozenset[str]) -> Iterator[Any]:
        """Each element of part ``name`` whose local name is in ``collect``, whole, as it ends.

        The same bounds as :meth:`_parse`, with as little Python per event as possible (this
        is the path of every cell of a sheet): inside a collected element an event costs a
        comparison and, for a start, a count; the stack of open elements is kept only outside
        one (a sheet's is two deep).
        """
        limits = self.limits
        max_subtree, max_elements = limits.max_subtree, limits.max_elements
        guard = _guard()
        pull: XMLPullParser[Any] = XMLPullParser(events=("start", "end"))
        # (event, element) pairs: only "start" and "end" were asked for.
        read_events: Callable[[], Iterator[tuple[str, Any]]] = pull.read_events  # type: ignore[assignment]
        stack: list[Any] = []  # the open elements outside the collected one, root first
        wanted: dict[str, bool] = {}  # tag → collected? (a few tags; not grown without bound)
        current: Any = None  # the collected element being built
        subtree = 0  # elements started in it, itself included
        elements = self.elements
        try:
            with self._open(name) as fh:
                for _chunk in _fed(fh, guard, pull):
                    for ev, el in read_events():
                        if current is not None:
                            if ev == "start":
                                subtree += 1
                                if subtree > max_subtree:
                                    raise LimitExceeded("subtree", part=name, n=max_subtree)
                            elif el is current:  # its end: every element in it has ended too
                                elements += subtree
                                current = None
                                self.elements = elements
                                yield el
                                elements = self.elements  # parts read meanwhile (shared strings)
                            continue
                        if ev == "start":
                            tag = el.tag
                            hit = wanted.get(tag)
                            if hit is None:
                                hit = _local(tag) in collect
                                if len(wanted) < 64:
                                    wanted[tag] = hit
                            if hit:
                                current, subtree = el, 1
                            else:
                                stack.append(el)
                        else:
                            elements += 1
                            stack.pop()
                    if elements + (subtree if current is not None else 0) > max_elements:
                        raise LimitExceeded("elements", part=name, n=max_elements)
                    # Every event of the chunk has been handled: drop the elements that have ended
                    # (each open element is its parent's last child), except inside the one being
                    # collected. Memory stays at one chunk's elements.
                    last = len(stack) - 1
                    for level, parent in enumerate(stack):
                        if level < last or current is not None:
                            if len(parent) > 1:
                                del parent[:-1]
                        elif len(parent):
                            del parent[:]
        except DefusedXmlException:
            raise LimitExceeded("dtd", part=name) from None
        finally:
            self.elements = elements

    def _sheets(self) -> list[SheetRef]:
        targets: dict[str, str] = {}
        rels = "xl/_rels/workbook.xml.rels"
        if rels in self._names:
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
            part, limits = "xl/sharedStrings.xml", self.limits
            strings: list[str] = []
            chars = 0
            if part in self._names:
                for el in self._collect(part, _SI):
                    text = _text(el)
                    el.clear()
                    if len(text) > EXCEL_CELL_CHARS:
                        raise LimitExceeded("string_chars", part=part, index=len(strings) + 1)
                    strings.append(text)
                    chars += len(text)
                    if len(strings) > limits.max_strings:
                        raise LimitExceeded("strings", part=part, n=limits.max_strings)
                    if chars > limits.max_string_chars:
                        raise LimitExceeded("strings_total", part=part, n=limits.max_string_chars)
            self._strings = strings
        return self._strings

    @property
    def date_styles(self) -> frozenset[int]:
        """Indexes of the cell formats (``s="…"``) that show a number as a date."""
        if self._date_styles is None:
            custom: dict[int, str] = {}
            xfs: list[int] = []
            if "xl/styles.xml" in self._names:
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
        """(row number, values) of each row that has a value, in order; gaps are not filled in."""
        limits = self.limits
        max_columns, max_rows = limits.max_columns, limits.max_rows
        strings, dates, epoch = None, self.date_styles, self.epoch
        columns: dict[str, int] = {}
        expected = 0
        kept = 0
        tags: _Tags | None = None
        tag_c = tag_v = tag_is = tag_t = ""
        for el in self._collect(sheet.path, _ROW):
            if tags is None or el.tag != tags.row:  # the namespace of the row names its cells'
                tags = _Tags(el.tag[: el.tag.find("}") + 1] if el.tag.startswith("{") else "")
                tag_c, tag_v, tag_is, tag_t = tags.c, tags.v, tags.is_, tags.t
            r = el.get("r")
            if r is None:
                number = expected + 1
            elif r.isascii() and r.isdigit() and len(r) <= 7:
                number = int(r)
            else:
                number = 0
            if not 1 <= number <= EXCEL_ROWS:
                raise LimitExceeded("row_ref", sheet=sheet.title, row=(r or "")[:20])
            expected = number
            if max_row is not None and number > max_row:
                return
            values: list[Any] = []
            position = 0  # the column of a cell without a reference: the one after the last
            for cell in el:
                if cell.tag != tag_c:
                    continue
                ref = cell.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    index = columns.get(letters)
                    if index is None:
                        if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha()):
                            raise LimitExceeded("cell_ref", sheet=sheet.title, cell=ref[:20])
                        index = _column_index(letters)
                        if index >= EXCEL_COLUMNS:
                            raise LimitExceeded("cell_ref", sheet=sheet.title, cell=ref[:20])
                        columns[letters] = index
                else:
                    index = position
                position = index + 1
                kind = cell.get("t", "n")
                value: Any
                child = cell[0] if len(cell) == 1 else None
                if child is not None and kind == "n" and child.tag == tag_v:
                    # The commonest cells get _value's steps inline (no call): a plain number …
                    raw = child.text
                    if raw is None:
                        continue
                    try:
                        value = int(raw) if raw.lstrip("-").isdigit() else float(raw)
                    except ValueError:
                        if raw == "":
                            continue
                        value = raw
                    else:
                        if dates and (style := cell.get("s")) is not None and style.isdigit():
                            if int(style) in dates:
                                try:
                                    value = _excel_date(value, epoch)
                                except (ValueError, OverflowError):
                                    pass
                elif child is not None and kind == "s" and child.tag == tag_v:
                    # … a shared string …
                    if strings is None:
                        strings = self.strings
                    raw = child.text
                    if raw is None:
                        continue
                    at = int(raw)
                    value = strings[at] if 0 <= at < len(strings) else None
                    if not value:
                        continue
                elif (
                    child is not None
                    and kind != "s"
                    and child.tag == tag_is
                    and len(child) == 1
                    and child[0].tag == tag_t
                ):
                    # … or an inline string of one text run (what openpyxl writes).
                    value = child[0].text
                    if not value:
                        continue
                else:
                    if kind == "s" and strings is None:
                        strings = self.strings
                    value = _value(cell, kind, cell.get("s"), strings, dates, epoch, tags)
                    if value is None or value == "":
                        continue  # an empty (styled) cell: nothing to keep, wherever it is
                if index >= max_columns:
                    raise LimitExceeded(
                        "column",
                        sheet=sheet.title,
                        cell=ref or _cell_name(index, number),
                        n=max_columns,
                    )
                if isinstance(value, str) and len(value) > EXCEL_CELL_CHARS:
                    raise LimitExceeded(
                        "cell_chars", sheet=sheet.title, cell=ref or _cell_name(index, number)
                    )
                if index < len(values):
                    values[index] = value
                else:
                    if index > len(values):
                        values.extend([None] * (index - len(values)))
                    values.append(value)
            el.clear()
            if values:
                kept += 1
                if kept > max_rows:
                    raise LimitExceeded("rows", sheet=sheet.title, n=max_rows)
                yield number, tuple(values)


class _Tags:
    """Fully qualified tag names in one namespace, compared directly (no per-element parsing)."""

    __slots__ = ("c", "f", "is_", "row", "t", "v")

    def __init__(self, ns: str) -> None:
        self.row, self.c, self.v, self.f, self.is_, self.t = (
            ns + n for n in ("row", "c", "v", "f", "is", "t")
        )


def _excel_date(number: int | float, epoch: dt.datetime) -> Any:
    """``from_excel(number, epoch)``; a whole day number (a date without a time) without its steps."""
    if number.__class__ is int and number >= 1:
        return epoch + dt.timedelta(days=number + (number < 60 and epoch == CALENDAR_WINDOWS_1900))
    return from_excel(number, epoch)


def _cell_name(index: int, row: int) -> str:
    """ "A1"-style name of a 0-based column index and a row number."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


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
            return _excel_date(number, epoch)
        except (ValueError, OverflowError):
            return number
    return number
