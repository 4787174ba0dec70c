"""Exporting any list page (a :class:`~talentpark.core.listing.Listing`) to .xlsx or .csv.

* **What**: the rows the user may see (``Listing.filtered`` → ``restrict``), with the
  filters of the page the export was asked from. By default the columns of the list
  and of the detail sections; an app may register its own layout for a listing
  (:func:`register_export`) — the registries export in their import format.
* **Personal data** is masked unless the user holds ``pii.unmask``, ticks the box and
  gives a reason; that writes one ``PIIAccessLog`` row for the export (subject = the
  list and its filter, field = the PII columns). Every export writes one ``export``
  audit row (who, which list, filter, row count, format).
* **Formula injection** (OWASP "CSV injection"): a text cell starting with ``= + - @``,
  tab or CR gets a leading apostrophe, in both formats, and .xlsx cells are always
  written as strings, never as formulas.
* **Streaming**: both formats are produced while they are sent (``StreamingHttpResponse``;
  under ASGI through an async iterator), rows read from the database in chunks
  (``.iterator(chunk_size=...)``, prefetches per chunk). An .xlsx is a zip: the zip is
  written into the response as it grows (:func:`stream_xlsx`, data descriptors instead of
  sizes known in advance), the data sheet's XML deflated row by row by openpyxl's
  write-only worksheet writer; the small parts (styles, workbook, other sheets such as
  说明 and 代码表) follow the rows. Nothing is written to disk, and the first bytes leave
  after the first rows, not after the last (35,000 talents: docs/benchmarks.md).
* **Limits** (WEB-7): one export at a time per user, across every web worker (a lease
  row, ``core.leases``; a second one gets 429 until the first has been sent or abandoned,
  or its lease ran out after ``STALE_SECONDS`` unrenewed: the guard is released when the body
  iterator finishes, is closed — a client that goes away closes it — or the response is
  closed), and at most the ``export.xlsx_max_rows`` parameter rows in an .xlsx (参数管理;
  its default is ``TALENTPARK_EXPORT_MAX_ROWS``; CSV is
  unbounded). Responses carry ``Cache-Control: no-store``.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import tempfile
import time
import zipfile
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from talentpark.core import audit, leases, parameters
from talentpark.core.access import can, has_perm, sees_people, shown
from talentpark.core.context import ActionContext
from talentpark.core.fields import EncryptedPIIField
from talentpark.core.pii import Sensitive
from talentpark.core.pii_access import log_bulk_reveal

if TYPE_CHECKING:
    from talentpark.core.listing import Listing

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STALE_SECONDS = 600


@dataclass(frozen=True)
class ExportSpec:
    """How one listing's rows become spreadsheet rows."""

    sheet: str
    headers: Sequence[str]
    row: Callable[[Any], Sequence[Any]]  # object → cell values (Sensitive values are masked or revealed)
    pii_fields: Sequence[str] = ()  # attribute names of the PII columns, for the access log
    prepare: Callable[[models.QuerySet[Any]], models.QuerySet[Any]] | None = None
    # Lays out the .xlsx itself (e.g. with drop-downs and more sheets): user → XlsxBook.
    xlsx_book: Callable[[Any], XlsxBook] | None = None


@dataclass(frozen=True)
class XlsxBook:
    """A write-only openpyxl workbook whose data sheet :func:`stream_xlsx` streams.

    ``header()`` appends the header row(s) and ``row(values)`` one data row to ``sheet``;
    ``finish()`` runs after the last row (e.g. to add more sheets to ``book``).
    """

    book: Workbook
    sheet: Any
    header: Callable[[], None]
    row: Callable[[Sequence[Any]], None]
    finish: Callable[[], None] = lambda: None


_registry: dict[str, Callable[[Listing, Any], ExportSpec]] = {}


def register_export(key: str, factory: Callable[[Listing, Any], ExportSpec]) -> None:
    """Use ``factory(listing, user)`` for the listing ``"namespace:slug"`` instead of its columns.

    Call it from the app's ``exports`` module, which is imported on the first export.
    """
    _registry[key] = factory


def _pii_field(model: type[models.Model], attr: Any) -> str | None:
    if not isinstance(attr, str):
        return None
    current: Any = model
    field: Any = None
    for part in attr.split("."):
        try:
            field = current._meta.get_field(part)
        except (FieldDoesNotExist, AttributeError):
            return None
        current = getattr(field, "related_model", None)
    return field.name if isinstance(field, EncryptedPIIField) else None


def default_spec(listing: Listing, user: Any) -> ExportSpec:
    """The list's columns, then the detail sections' columns not already there (those ``user`` sees)."""
    cols = shown(listing.columns, user)
    labels = {c.label for c in cols}
    for _title, section in listing.sections:
        for col in shown(section, user):
            if col.label not in labels:
                cols.append(col)
                labels.add(col.label)
    pii = [name for c in cols if (name := _pii_field(listing.model, c.attr))]
    return ExportSpec(
        sheet=gettext(listing.title)[:31],
        headers=[gettext(c.label) for c in cols],
        row=lambda obj: [c.value(obj) for c in cols],
        pii_fields=list(dict.fromkeys(pii)),
    )


_discovered = False


def spec_for(listing: Listing, user: Any) -> ExportSpec:
    global _discovered
    if not _discovered:
        autodiscover_modules("exports")  # each app's ``exports`` module registers its layouts
        _discovered = True
    factory = _registry.get(f"{listing.namespace}:{listing.slug}")
    if factory is None or not sees_people(user):  # the import layouts carry contacts: not for the province
        return default_spec(listing, user)
    return factory(listing, user)


# -- cell values ---------------------------------------------------------------------


def neutralise(text: str) -> str:
    """OWASP: a cell a spreadsheet would evaluate gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_value(value: Any, unmask: bool) -> Any:
    """A value ready for a cell: PII masked or revealed, models as text, text neutralised."""
    if isinstance(value, Sensitive):
        value = value.plaintext_for_processing() if unmask else value.masked
    elif isinstance(value, dt.datetime):
        value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    elif isinstance(value, models.Model):
        value = str(value)
    elif value is None:
        return None
    elif not isinstance(value, bool | int | float | dt.date) and not hasattr(value, "as_tuple"):
        value = str(value)
    if isinstance(value, str):
        return neutralise(value)
    return value


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# -- writers ---------------------------------------------------------------------------


def export_dir() -> Path:
    path = Path(settings.VAR_DIR) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sweep_exports(max_age: float = 3600) -> int:
    """Remove export files left behind by a crashed process (normally none exist)."""
    removed = 0
    for path in export_dir().glob("export-*"):
        if time.time() - path.stat().st_mtime > max_age:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")


def plain_book(sheet: str, headers: Sequence[str]) -> XlsxBook:
    """A write-only workbook: bold frozen header, text cells typed as strings, dates formatted."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet or "Sheet1")
    ws.freeze_panes = "A2"
    for index, title in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(str(title)) * 2 + 4))

    def header() -> None:
        head = []
        for text in headers:
            cell = WriteOnlyCell(ws, value=str(text))
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
            head.append(cell)
        ws.append(head)

    return XlsxBook(book, ws, header, lambda values: ws.append([xlsx_cell(ws, v) for v in values]))


def write_plain_xlsx(path: Path, sheet: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """The plain workbook of ``rows`` written to ``path``."""
    with path.open("wb") as fh:
        for chunk in stream_xlsx(plain_book(sheet, headers), rows):
            fh.write(chunk)


class _Sink:
    """The unseekable file the zip is written into; the generator drains it between rows."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self.size = 0

    def write(self, data: Any) -> int:
        self._parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        self.size = 0
        return data


class _StreamedSheetWriter(ExcelWriter):  # type: ignore[misc]
    """openpyxl's workbook writer, told that one sheet is already in the archive."""

    def __init__(self, workbook: Workbook, archive: zipfile.ZipFile, streamed: Any) -> None:
        super().__init__(workbook, archive)
        self._streamed = streamed

    def write_worksheet(self, ws: Any) -> None:
        if ws is not self._streamed:
            super().write_worksheet(ws)
            return
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        ws._rels = ws._writer._rels
        self.manifest.append(ws)


STREAM_FLUSH_BYTES = 64 * 1024
ROW_CHUNK = 500
CSV_CHUNK_ROWS = 500
STREAM_CHECK_ROWS = 100


def stream_xlsx(xbook: XlsxBook, rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The .xlsx of ``rows`` as a stream of byte chunks, produced while the rows are.

    The data sheet's XML goes straight into its zip entry (deflated, sizes in a data
    descriptor after the data, which a zip written to an unseekable stream uses); the
    other parts — which depend on the whole sheet (styles) or are small — follow it.
    Closing the iterator early stops reading ``rows`` (and closes them if they are a
    generator); the half-written zip is dropped.
    """
    sink = _Sink()
    book, ws = xbook.book, xbook.sheet
    archive = zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ws._id = book.worksheets.index(ws) + 1  # the part name openpyxl will give it
    entry = archive.open(ws.path[1:], "w", force_zip64=True)
    finished = False
    try:
        ws._writer = WorksheetWriter(ws, out=entry)
        ws._writer.write_top()
        xbook.header()
        sent = False
        for n, values in enumerate(rows, start=1):
            xbook.row(values)
            # The first bytes as soon as there are any; then in chunks of a useful size.
            if n % STREAM_CHECK_ROWS == 0 and sink.size >= (STREAM_FLUSH_BYTES if sent else 1):
                sent = True
                yield sink.take()
        ws.close()  # the sheet's tail (validations, …) and the end of its XML
        entry.close()
        xbook.finish()
        book.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
        _StreamedSheetWriter(book, archive, ws).write_data()
        archive.close()
        finished = True
        yield sink.take()
    finally:
        if not finished:  # closed early or failed: end the half-written zip quietly and drop it
            for step in (ws.close, entry.close, archive.close):
                with contextlib.suppress(Exception):
                    step()
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def xlsx_cell(ws: Any, value: Any) -> Any:
    """Strings as string cells (never formulas); dates with a date format."""
    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value


def _rows(qs: models.QuerySet[Any], spec: ExportSpec, unmask: bool) -> Iterator[list[Any]]:
    # FETCH_PEERS: a relation a column follows that the listing did not select_related is
    # fetched once for the whole chunk, not once per row.
    # Chunks of 500: the first rows leave after one small fetch (and its prefetches), not 2,000.
    for obj in qs.fetch_mode(models.FETCH_PEERS).iterator(chunk_size=ROW_CHUNK):
        yield [cell_value(v, unmask) for v in spec.row(obj)]


def _csv_chunks(qs: models.QuerySet[Any], spec: ExportSpec, unmask: bool) -> Iterator[bytes]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([neutralise(str(h)) for h in spec.headers])
    yield ("\ufeff" + buf.getvalue()).encode()  # BOM: Excel opens UTF-8 Chinese correctly
    buf.seek(0)
    buf.truncate()
    for n, values in enumerate(_rows(qs, spec, unmask), start=1):
        writer.writerow([_csv_text(v) for v in values])
        if n % CSV_CHUNK_ROWS == 0:
            yield buf.getvalue().encode()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode()


def _xlsx_chunks(qs: models.QuerySet[Any], spec: ExportSpec, unmask: bool, user: Any) -> Iterator[bytes]:
    xbook = spec.xlsx_book(user) if spec.xlsx_book is not None else plain_book(spec.sheet, spec.headers)
    return stream_xlsx(xbook, _rows(qs, spec, unmask))


def build_xlsx(qs: models.QuerySet[Any], spec: ExportSpec, unmask: bool, user: Any) -> Any:
    """The whole workbook in an unlinked temporary file, opened (benchmarks; the view streams)."""
    fd, name = tempfile.mkstemp(prefix="export-", suffix=".xlsx", dir=export_dir())
    path = Path(name)
    try:
        with os.fdopen(fd, "w+b") as fh:
            for chunk in _xlsx_chunks(qs, spec, unmask, user):
                fh.write(chunk)
        result = path.open("rb")
    finally:
        path.unlink(missing_ok=True)  # PI-12: the open handle is all that is left
    return result


# -- one export at a time per user ---------------------------------------------------------
# A lease (core.leases) in the database, so the guard holds across web workers; a download
# renews it while it streams, and a process that died leaves it to expire after STALE_SECONDS.

RENEW_SECONDS = 60


def _key(user_id: int) -> str:
    return f"export:user:{user_id}"


def _acquire(user_id: int) -> str | None:
    """A token for this user's one export, or None while another one is running."""
    return leases.acquire(_key(user_id), dt.timedelta(seconds=STALE_SECONDS))


def _release(user_id: int, token: str) -> None:
    """Free the guard if ``token`` still holds it (idempotent; never frees a later export's)."""
    leases.release(_key(user_id), token)


def is_exporting(user_id: int) -> bool:
    return leases.is_held(_key(user_id))


def _guarded(chunks: Iterator[bytes], user_id: int, token: str) -> Iterator[bytes]:
    """``chunks``, with the guard renewed as they stream and released when they end, fail or are closed."""
    renewed = time.monotonic()
    try:
        for chunk in chunks:
            yield chunk
            if time.monotonic() - renewed > RENEW_SECONDS:
                leases.renew(_key(user_id), token, dt.timedelta(seconds=STALE_SECONDS))
                renewed = time.monotonic()
    finally:
        try:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        finally:
            _release(user_id, token)


async def _async_chunks(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    """Pull a sync iterator from the sync thread (ORM access) without buffering it whole."""
    done = object()
    pull = sync_to_async(lambda: next(chunks, done), thread_sensitive=True)
    try:
        while (chunk := await pull()) is not done:
            yield chunk  # type: ignore[misc]
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            await sync_to_async(close, thread_sensitive=True)()


def streaming(
    request: HttpRequest, chunks: Iterator[bytes], content_type: str, filename: str
) -> StreamingHttpResponse:
    from django.core.handlers.asgi import ASGIRequest

    body: Any = _async_chunks(chunks) if isinstance(request, ASGIRequest) else chunks
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


# -- the view ------------------------------------------------------------------------------


def may_export(user: Any) -> bool:
    """Lists are exported by staff and enterprises; a talent's pages offer no 导出."""
    return getattr(user, "role", None) != "talent"


def export_options(listing: Listing, user: Any) -> dict[str, Any]:
    """What the list page's export form offers this user (nothing for a talent)."""
    if not may_export(user):
        return {}
    spec_pii = bool(listing.shows_pii or spec_for(listing, user).pii_fields)
    return {
        "url_name": f"{listing.namespace}:{listing.slug}_export",
        "can_unmask": spec_pii and has_perm(user, "pii.unmask"),
        "has_pii": spec_pii,
    }


def _message(request: HttpRequest, text: str, status: int) -> HttpResponse:
    return render(request, "core/message.html", {"message": text}, status=status)


def export_listing(listing: Listing, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """POST: the filtered list as a file (CSRF-protected; GET changes nothing)."""
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    user = request.user
    if not can(user, listing.model, "view") or not may_export(user):
        raise PermissionDenied
    fmt = request.POST.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        return _message(request, gettext("导出格式：只能选择 xlsx 或 csv"), 400)
    params = QueryDict(mutable=True)
    for key in ["q", *(f.param for f in listing.filters)]:
        if request.POST.get(key):
            params[key] = request.POST[key]
    qs, active = listing.filtered(request, params)
    spec = spec_for(listing, user)
    if spec.prepare is not None:
        qs = spec.prepare(qs)
    unmask = request.POST.get("unmask") == "1" and bool(spec.pii_fields)
    total = qs.count()
    limit = int(parameters.value("export.xlsx_max_rows"))  # 参数管理; default TALENTPARK_EXPORT_MAX_ROWS
    if fmt == "xlsx" and total > limit:
        return _message(
            request,
            gettext("共 %(n)d 条，超过 Excel 导出上限 %(limit)d 条：请增加筛选条件，或改用 CSV 导出")
            % {"n": total, "limit": limit},
            400,
        )
    assert user.pk is not None
    token = _acquire(user.pk)
    if token is None:
        return _message(request, gettext("您已有一个导出正在进行，请等它下载完成后再试"), 429)
    try:
        ctx = ActionContext.from_request(request, reason=request.POST.get("reason", "").strip()[:300])
        subject = f"{listing.namespace}.{listing.slug}"
        filter_text = "&".join(f"{k}={v}" for k, v in active.items())
        if unmask:
            log_bulk_reveal(
                ctx,
                subject_type=f"export:{subject}",
                subject_id=filter_text or "*",
                subject_repr=f"{gettext(listing.title)} {filter_text}".strip(),
                fields=spec.pii_fields,
                reason=ctx.reason,
                zone_id=ctx.zone_id,
            )
        with transaction.atomic():
            audit.record(
                ctx,
                "export",
                None,
                zone_id=ctx.zone_id,
                after={
                    "list": subject,
                    "title": listing.title,
                    "filter": active,
                    "rows": total,
                    "format": fmt,
                    "unmasked": unmask,
                    "fields": list(spec.pii_fields) if unmask else [],
                },
            )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        filename = f"{gettext(listing.title)}-{stamp}.{fmt}"
        if fmt == "csv":
            chunks = _guarded(_csv_chunks(qs, spec, unmask), user.pk, token)
            response = streaming(request, chunks, "text/csv; charset=utf-8", filename)
        else:
            chunks = _guarded(_xlsx_chunks(qs, spec, unmask, user), user.pk, token)
            response = streaming(request, chunks, XLSX, filename)
    except BaseException:
        _release(user.pk, token)
        raise
    # A response closed without its body being read (or before it started) frees the guard too.
    response._resource_closers.append(lambda: _release(user.pk, token))  # type: ignore[attr-defined,union-attr]
    request.pii_shown = True  # type: ignore[attr-defined]
    return response
