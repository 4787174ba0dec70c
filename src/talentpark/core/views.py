"""操作日志 and 个人信息查看日志 pages for the office."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from talentpark.accounts.access import require_perm
from talentpark.core.models import AuditLog, PIIAccessLog


@login_required
def audit_list(request: HttpRequest, kind: str = "audit") -> HttpResponse:
    require_perm(request.user, "audit.view")
    model = PIIAccessLog if kind == "pii" else AuditLog
    qs = model.objects.filter(zone_id=request.user.zone_id)  # type: ignore[union-attr]
    action = (request.GET.get("q") or "").strip()[:50]
    if action:
        qs = (
            qs.filter(action__icontains=action)
            if model is AuditLog
            else qs.filter(subject_repr__icontains=action)
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"page": page, "kind": kind, "q": action})
