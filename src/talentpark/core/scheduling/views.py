"""系统管理 → 定时任务: the jobs with their last result and next run; one job's settings and runs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from talentpark.core import log_labels, scheduling
from talentpark.core.access import require_perm
from talentpark.core.context import ActionContext
from talentpark.core.scheduling import service
from talentpark.core.scheduling.models import JobRun, ScheduledJob

PERM = "core.job.change"


def _jobs(request: HttpRequest):  # type: ignore[no-untyped-def]
    require_perm(request.user, PERM)
    if getattr(request.user, "zone_id", None) is None:
        raise PermissionDenied
    return service.visible_jobs(request.user)


def _job(request: HttpRequest, pk: int) -> ScheduledJob:
    return get_object_or_404(_jobs(request), pk=pk)


def _job_to_change(request: HttpRequest, pk: int) -> ScheduledJob:
    """A job the user may change: her zone's; a platform-wide one (every zone's 补充比对, the
    pruning) only the 系统管理员's (a superuser), never one zone's office for all zones."""
    job = _job(request, pk)
    if job.zone_id is None and not getattr(request.user, "is_superuser", False):
        raise PermissionDenied
    return job


def _runner(run: JobRun) -> str:
    if run.started_by_id is None:
        return gettext("系统调度")
    return log_labels.person_name(run.started_by, "")


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    latest = JobRun.objects.filter(job=OuterRef("pk")).order_by("-id").values("pk")[:1]
    jobs = list(_jobs(request).annotate(last_run_id=Subquery(latest)))
    last = JobRun.objects.in_bulk([j.last_run_id for j in jobs if j.last_run_id])  # type: ignore[attr-defined]
    rows = [
        {
            "job": j,
            "label": scheduling.job_label(j.kind),
            "last": last.get(j.last_run_id),  # type: ignore[attr-defined]
            "known": scheduling.get_kind(j.kind) is not None,
        }
        for j in jobs
    ]
    return render(request, "core/job_list.html", {"rows": rows})


@login_required
def job_detail(request: HttpRequest, pk: int, errors: dict[str, list[str]] | None = None) -> HttpResponse:
    job = _job(request, pk)
    runs = job.runs.select_related("started_by")
    page = Paginator(runs, 20).get_page(request.GET.get("page"))
    kind = scheduling.get_kind(job.kind)
    ctx = {
        "job": job,
        "label": scheduling.job_label(job.kind),
        "description": gettext(kind.description) if kind and kind.description else "",
        "known": kind is not None,
        "page": page,
        "rows": [(r, _runner(r)) for r in page.object_list],
        "upcoming": service.upcoming(job.cron) if job.enabled else [],
        "errors": errors or {},
        "cron_value": request.POST.get("cron", job.cron) if errors else job.cron,
    }
    return render(request, "core/job_detail.html", ctx, status=400 if errors else 200)


@login_required
@require_POST
def job_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_to_change(request, pk)
    try:
        service.set_schedule(ActionContext.from_request(request), job, request.POST.get("cron"))
    except ValidationError as exc:
        return job_detail(request, pk, errors=exc.message_dict)
    messages.success(request, gettext("执行周期已保存"))
    return redirect("core:job_detail", pk=job.pk)


@login_required
@require_POST
def job_enable(request: HttpRequest, pk: int, enabled: bool) -> HttpResponse:
    job = _job_to_change(request, pk)
    service.set_enabled(ActionContext.from_request(request), job, enabled)
    messages.success(request, gettext("定时任务已启用") if enabled else gettext("定时任务已停用"))
    return redirect("core:job_detail", pk=job.pk)


@login_required
@require_POST
def job_run(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_to_change(request, pk)
    try:
        run = service.run_now(ActionContext.from_request(request), job)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if run.status in (JobRun.Status.QUEUED, JobRun.Status.RUNNING):
            messages.success(request, gettext("已提交执行，稍后刷新查看结果"))
        elif run.status == JobRun.Status.SUCCEEDED:
            messages.success(request, gettext("执行完成：%(summary)s") % {"summary": run.summary})
        else:
            messages.error(request, gettext("执行失败：%(error)s") % {"error": run.error[:200]})
    return redirect("core:job_detail", pk=job.pk)
