"""操作日志 and 个人信息查看日志 pages for the office; every user's 站内信."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from talentpark.core import announcements, log_labels, notify
from talentpark.core.access import require_perm
from talentpark.core.context import ActionContext
from talentpark.core.models import Announcement, AuditLog, PIIAccessLog


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


# ---- 站内信 -----------------------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's own notices: newest first, filter by kind, unread only; read one, read all."""
    qs = notify.live(request.user)
    kind = (request.GET.get("kind") or "")[:40]
    unread = request.GET.get("unread") == "1"
    if kind:
        qs = qs.filter(kind=kind)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    present = set(notify.live(request.user).values_list("kind", flat=True).distinct())
    ctx = {
        "page": page,
        "rows": [(n, notify.kind_label(n.kind)) for n in page.object_list],
        "kinds": [(k.code, k.label) for k in notify.kinds() if k.code in present],
        "kind": kind,
        "unread": unread,
        "query": urlencode({k: v for k, v in (("kind", kind), ("unread", "1" if unread else "")) if v}),
    }
    return render(request, "core/inbox.html", ctx)


@login_required
def inbox_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a notice: it is read, and its link (inside the product) opens."""
    notice = get_object_or_404(notify.live(request.user), pk=pk)
    notify.mark_read(request.user, [notice.pk])
    return redirect(notice.link or "core:inbox")


@login_required
@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    """全部已读 (no ids) or the ticked notices read (``ticked`` with none ticked reads nothing)."""
    raw = request.POST.getlist("id")
    ids = [int(v) for v in raw if v.isdigit()]
    if request.POST.get("ticked") and not ids:
        messages.error(request, gettext("请先勾选要标为已读的消息"))
        return redirect("core:inbox")
    changed = notify.mark_read(request.user, ids if raw or request.POST.get("ticked") else None)
    messages.success(request, gettext("已标记 %(n)d 条为已读") % {"n": changed})
    return redirect("core:inbox")


@login_required
def inbox_settings(request: HttpRequest) -> HttpResponse:
    """Which kinds of notice also reach her by SMS or e-mail (the inbox always gets them)."""
    kinds = notify.kinds()
    if request.method == "POST":
        chosen = {
            (k.code, c) for k in kinds for c in notify.EXTERNAL if request.POST.get(f"{k.code}:{c}") == "on"
        }
        notify.set_preferences(request.user, chosen)
        messages.success(request, gettext("消息接收设置已保存"))
        return redirect("core:inbox_settings")
    rows = [
        (k, [(c, notify.CHANNELS[c], notify.wants(request.user, k, c)) for c in notify.EXTERNAL])
        for k in kinds
    ]
    return render(request, "core/inbox_settings.html", {"rows": rows})


# ---- 通知公告 ---------------------------------------------------------------------------------

ANNOUNCE = "core.announcement.change"


def _office_zone(request: HttpRequest) -> int:
    """The zone whose announcements the office manages (403 without the permission or a zone)."""
    require_perm(request.user, ANNOUNCE)
    zone_id: int | None = getattr(request.user, "zone_id", None)
    if zone_id is None:
        raise PermissionDenied
    return zone_id


def _announcement(request: HttpRequest, pk: int) -> Announcement:
    return get_object_or_404(Announcement, pk=pk, zone_id=_office_zone(request))


@login_required
def announcement_list(request: HttpRequest) -> HttpResponse:
    qs = Announcement.objects.filter(zone_id=_office_zone(request)).select_related("department")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "core/announcement_list.html", {"page": page, "today": timezone.localdate()})


@login_required
def announcement_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    zone_id = _office_zone(request)
    obj = _announcement(request, pk) if pk else None
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            saved = announcements.save(ActionContext.from_request(request), zone_id, request.POST.dict(), obj)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, gettext("公告已保存"))
            return redirect("core:announcement_edit", pk=saved.pk)
        values: dict[str, Any] = request.POST.dict()
    elif obj:
        values = {f: getattr(obj, f) for f in ("title", "body", "audience")}
        values.update(
            department=obj.department_id or "",
            publish_on=obj.publish_on.isoformat(),
            expires_on=obj.expires_on.isoformat() if obj.expires_on else "",
        )
    else:
        values = {"audience": Announcement.Audience.TALENTS, "publish_on": timezone.localdate().isoformat()}
    ctx = {
        "obj": obj,
        "values": values,
        "errors": errors,
        "audiences": Announcement.Audience.choices,
        "departments": announcements.departments(zone_id),
    }
    return render(request, "core/announcement_form.html", ctx, status=400 if errors else 200)


@login_required
@require_POST
def announcement_status(request: HttpRequest, pk: int, status: str) -> HttpResponse:
    obj = _announcement(request, pk)
    announcements.set_status(ActionContext.from_request(request), obj, status)
    done = gettext("公告已发布") if status == Announcement.Status.PUBLISHED else gettext("公告已撤回")
    messages.success(request, done)
    return redirect("core:announcement_list")
