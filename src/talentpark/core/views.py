"""操作日志 and 个人信息查看日志 pages for the office."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from talentpark.accounts.access import require_perm
from talentpark.core import log_labels
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
    page = Paginator(qs.select_related("actor"), 50).get_page(request.GET.get("page"))
    rows = [_labelled(e, kind) for e in page.object_list]
    return render(request, "core/audit_list.html", {"page": page, "rows": rows, "kind": kind, "q": q})


def _labelled(e: Any, kind: str) -> dict[str, Any]:
    """One log row as a person reads it: names and labels, never codes or usernames."""
    who = log_labels.person_name(e.actor, e.actor_name)
    row = {
        "e": e,
        "who": log_labels.role_label("system") if who == "system" else who,
        "role": log_labels.role_label(e.role),
    }
    if kind == "pii":
        row["object"] = log_labels.object_label(e.subject_type, e.subject_repr)
        row["field"] = log_labels.pii_field_label(e.subject_type, e.field)
    else:
        row["action"] = log_labels.action_label(e.action)
        row["object"] = log_labels.object_label(e.object_type, e.object_repr)
    return row
