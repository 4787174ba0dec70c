"""在线用户: the office's list of its zone's live sessions, and 强制下线."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from talentpark.accounts import sessions
from talentpark.accounts.access import get_for, require_perm, restrict
from talentpark.accounts.models import UserSession
from talentpark.accounts.roles import Role
from talentpark.core import parameters
from talentpark.core.context import ActionContext


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "accounts.session.view")
    qs = sessions.live(restrict(UserSession.objects.select_related("user"), request.user, "view"))
    q = (request.GET.get("q") or "").strip()[:50]
    role = (request.GET.get("role") or "").strip()
    if q:
        qs = qs.filter(Q(user__username__icontains=q) | Q(user__display_name__icontains=q))
    if role in Role.values:
        qs = qs.filter(role=role)
    else:
        role = ""
    page = Paginator(qs, parameters.value("list.page_size")).get_page(request.GET.get("page"))
    staff, public = sessions.limits_for(Role.OFFICE), sessions.limits_for(Role.TALENT)
    ctx: dict[str, Any] = {
        "page": page,
        "q": q,
        "role": role,
        "roles": Role.choices,
        "current_key": request.session.session_key,
        "query": urlencode({k: v for k, v in (("q", q), ("role", role)) if v}),
        "limits": {
            "staff_idle": int(staff.idle.total_seconds() // 60),
            "staff_absolute": int(staff.absolute.total_seconds() // 3600),
            "public_idle": int(public.idle.total_seconds() // 60),
            "public_absolute": int(public.absolute.total_seconds() // 3600),
        },
    }
    return render(request, "accounts/online.html", ctx)


@login_required
@require_POST
def usersession_end(request: HttpRequest, pk: int) -> HttpResponse:
    """强制下线: the session ends at its next request (another zone's session: 404)."""
    row = get_for(UserSession.objects.select_related("user"), request.user, "change", pk=pk)
    try:
        sessions.force_logout(ActionContext.from_request(request), row, request.session.session_key or "")
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, gettext("已将 %(name)s 强制下线") % {"name": row.user})
    return redirect("accounts:session_list")
