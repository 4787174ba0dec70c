"""Excel import pages for the talent office: template, upload, preview, progress, commit.

Permission: ``registry.import`` (the office role); a job is visible only to the person
who uploaded it (``get_for(ImportJob, user, "import")``: 403 without the permission,
404 for someone else's job).

Upload size is capped before the body is read: the declared ``Content-Length`` is
checked first (413 with a Chinese message), and an upload handler stops a body that
grows past the limit without declaring it. CSRF is still enforced (``csrf_protect``
on the inner view, after the handler is installed — Django's documented pattern).
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST
from openpyxl.utils import get_column_letter

from talentpark.accounts.access import get_for, require_perm, restrict
from talentpark.core.context import ActionContext
from talentpark.core.export import export_dir
from talentpark.registry.excel import importer, reader
from talentpark.registry.excel.columns import SPECS
from talentpark.registry.excel.reader import BadFile
from talentpark.registry.excel.template import write_marked, write_template
from talentpark.registry.models import ImportJob

PERM = "registry.import"
PROBLEMS_SHOWN = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PHASES = {"queued": "排队等待后台处理", "read": "读取工作簿", "validate": "逐行校验", "write": "写入数据库"}


class SizeLimitHandler(FileUploadHandler):
    """Stops reading an upload once it passes the limit (for bodies without a Content-Length)."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_big = False

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None
    ) -> None:
        if content_length > self.limit + 64 * 1024:
            self.too_big = True
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_big = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _too_big_message() -> str:
    return gettext("文件超过上限 %(limit)s MB，请拆分后分批导入") % {
        "limit": f"{reader.max_bytes() / 2**20:.0f}"
    }


def _spec(kind: str) -> Any:
    if kind not in SPECS:
        raise Http404
    return SPECS[kind]


def _jobs(request: HttpRequest, kind: str | None = None) -> Any:
    qs = restrict(ImportJob.objects.all(), request.user, "import")
    return (qs.filter(kind=kind) if kind else qs)[:10]


@login_required
@require_GET
def import_home(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, PERM)
    return render(request, "registry/excel/home.html", {"specs": SPECS.values(), "jobs": _jobs(request)})


def _kind_page(request: HttpRequest, kind: str, error: str = "", status: int = 200) -> HttpResponse:
    spec = _spec(kind)
    context = {
        "spec": spec,
        "kind": kind,
        "error": error,
        "jobs": _jobs(request, kind),
        "limit_mb": f"{reader.max_bytes() / 2**20:.0f}",
        "max_rows": reader.max_rows(),
    }
    return render(request, "registry/excel/kind.html", context, status=status)


@csrf_exempt  # CSRF is checked by the inner view, after the size-limit handler is in place
@login_required
def import_kind(request: HttpRequest, kind: str) -> HttpResponse:
    require_perm(request.user, PERM)
    _spec(kind)
    if request.method == "POST":
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > reader.max_bytes() + 64 * 1024:
            return _kind_page(request, kind, _too_big_message(), 413)  # the body is never read
        handler = SizeLimitHandler(request, reader.max_bytes())
        request.upload_handlers.insert(0, handler)
        return _upload(request, kind, handler)
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    return _kind_page(request, kind)


@csrf_protect
def _upload(request: HttpRequest, kind: str, handler: SizeLimitHandler) -> HttpResponse:
    upload = request.FILES.get("file")
    if handler.too_big:
        return _kind_page(request, kind, _too_big_message(), 413)
    if upload is None:
        return _kind_page(request, kind, gettext("请选择要上传的 .xlsx 文件"), 400)
    try:
        reader.check_name_and_size(upload.name or "", upload.size or 0)
        data = upload.read()
        zone = request.user.zone  # type: ignore[union-attr]
        if zone is None:
            raise BadFile(gettext("您的账号未归属任何园区，不能导入"))
        job = importer.start_import(
            ActionContext.from_request(request, reason="Excel导入"),
            zone,
            kind,
            upload.name or "",
            data,
        )
    except BadFile as exc:
        return _kind_page(request, kind, str(exc), 400)
    except importer.ImportRefused as exc:
        return _kind_page(request, kind, str(exc), 409)
    return redirect("registry:import_job", pk=job.pk)


def _template_response(request: HttpRequest, kind: str) -> HttpResponse:
    require_perm(request.user, PERM)
    spec = _spec(kind)
    buf = io.BytesIO()  # a template holds no personal data and is small: built in memory
    write_template(buf, spec, request.user.zone)  # type: ignore[union-attr]
    response = HttpResponse(buf.getvalue(), content_type=XLSX)
    name = f"{spec.title}导入模板.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    return _template_response(request, kind)


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_for(ImportJob.objects.select_related("zone"), request.user, "import", pk=pk)


def _progress_context(job: ImportJob) -> dict[str, Any]:
    progress = importer.progress_of(job)
    return {
        "job": job,
        "progress": progress,
        "phase": gettext(PHASES[progress.phase]) if progress.phase in PHASES else "",
    }


@never_cache
@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    problems = [
        {"row": r, "column": c, "letter": _letter(c), "header": h, "reason": reason}
        for r, c, h, reason in job.problems[:PROBLEMS_SHOWN]
    ]
    list_urls = {
        ImportJob.Kind.TALENT: "registry:talent_list",
        ImportJob.Kind.ENTERPRISE: "registry:enterprise_list",
        ImportJob.Kind.PLATFORM: "registry:platform_list",
        ImportJob.Kind.PROJECT: "registry:project_list",
    }
    context = {
        **_progress_context(job),
        "spec": SPECS[job.kind],
        "problems": problems,
        "more_problems": max(0, job.problem_count - len(problems)),
        "list_url": reverse(list_urls[ImportJob.Kind(job.kind)]),
        "has_upload": importer.has_upload(job),
        "stale": importer.is_stale(job),  # shown, not written: GET changes nothing (the next upload sweeps)
    }
    return render(request, "registry/excel/job.html", context)


def _letter(column: int) -> str:
    return get_column_letter(column) if column else ""


@never_cache
@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx fragment polled every second; a finished job reloads the page."""
    job = _job(request, pk)
    if not job.is_running or importer.is_stale(job):
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "registry/excel/_progress.html", _progress_context(job))


@login_required
@require_POST
def job_commit(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        importer.request_commit(ActionContext.from_request(request, reason="Excel导入"), job)
    except importer.ImportRefused as exc:
        return render(request, "core/message.html", {"message": str(exc)}, status=409)
    return redirect("registry:import_job", pk=job.pk)


@login_required
@require_POST
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        importer.cancel(job)
    except importer.ImportRefused as exc:
        return render(request, "core/message.html", {"message": str(exc)}, status=409)
    return redirect(f"registry:import_{job.kind}")


@never_cache
@login_required
@require_GET
def job_marked(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """The uploaded workbook with each problem's cell filled red and commented."""
    job = _job(request, pk)
    spec = SPECS[job.kind]
    try:
        opened = reader.open_sheet(importer.upload_of(job), spec)
    except BadFile as exc:
        return render(request, "core/message.html", {"message": str(exc)}, status=410)
    fd, name = tempfile.mkstemp(prefix="export-marked-", suffix=".xlsx", dir=export_dir())
    path = Path(name)
    try:
        os.close(fd)
        write_marked(
            path,
            spec,
            job.zone,
            opened.sheet_name,
            opened.header_row,
            opened.layout,
            opened.all_rows(),
            job.problems,
        )
        handle = path.open("rb")
    finally:
        opened.close()
        path.unlink(missing_ok=True)  # the open handle streams it; nothing stays on disk
    stem = job.file_name.rsplit(".", 1)[0] or "import"
    response = FileResponse(
        handle, as_attachment=True, filename=f"{stem}-错误标注-{timezone.localtime():%Y%m%d%H%M}.xlsx"
    )
    response["Cache-Control"] = "no-store"
    return response
