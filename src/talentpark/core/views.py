"""操作日志 and 个人信息查看日志 pages for the office."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from talentpark.accounts.access import require_perm
from talentpark.core.models import AuditLog, PIIAccessLog


@login_required
def audit_list(request: HttpRequest, kind: str = "audit") -> HttpResponse:
    require_perm(request.user, "audit.view")
    zone_id = request.user.zone_id  # type: ignore[union-attr]
    q = (request.GET.get("q") or "").strip()[:50]
    qs: QuerySet[AuditLog] | QuerySet[PIIAccessLog]
    if kind == "pii":
        qs = PIIAccessLog.objects.filter(zone_id=zone_id)
        if q:
            qs = qs.filter(subject_repr__icontains=q)
    else:
        qs = AuditLog.objects.filter(zone_id=zone_id)
        if q:
            qs = qs.filter(Q(action__icontains=q) | Q(object_repr__icontains=q) | Q(actor_name__icontains=q))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"page": page, "kind": kind, "q": q})
