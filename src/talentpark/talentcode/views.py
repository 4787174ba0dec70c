"""人才码 pages: the public key list for offline verifiers (no login, nothing private), the
talent's code page, and the partner window's scan page. Thin: parse, check, call ``services``."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from talentpark.accounts.access import get_for, has_perm, restrict
from talentpark.core.context import ActionContext
from talentpark.registry.models import Talent
from talentpark.registry.services import held_tier
from talentpark.talentcode import qr, services
from talentpark.talentcode.keys import published_keys
from talentpark.talentcode.models import CONSENT_FIELDS, GreenService, Partner, Scan, ServiceRecord

MAX_AGE = 300  # a verifier refetches at least as often as a retiring key's grace period


@require_safe
def keys_json(request: HttpRequest) -> HttpResponse:
    body = published_keys()
    etag = '"' + hashlib.sha256(json.dumps(body["keys"], sort_keys=True).encode()).hexdigest()[:32] + '"'
    if etag in {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False, sort_keys=True), content_type="application/json"
        )
    response["ETag"] = etag
    # Public material on purpose: a verifier running in a browser on another origin (a partner's
    # web app, a gate scanner's page) may fetch it. No credentials are involved or allowed.
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag"
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


# -- the talent's code page ---------------------------------------------------------------------


def _my_talent(request: HttpRequest) -> Any:
    user: Any = request.user
    if not has_perm(user, "talentcode.code.own"):
        raise PermissionDenied
    mine = restrict(Talent.objects.select_related("zone", "person", "employer"), user, "view").order_by("-id")
    chosen = request.GET.get("t") or request.POST.get("t") or ""
    if chosen:
        return get_for(mine, user, "view", pk=chosen if chosen.isdigit() else 0)
    return mine.first()


def _card_context(talent: Any) -> dict[str, Any]:
    try:
        issued = services.current_token(talent)
    except services.Refused as exc:
        return {"talent": talent, "refused": exc.message}
    tier = held_tier(talent, timezone.localdate())
    return {
        "talent": talent,
        "issued": issued,
        "qr": qr.svg(issued.token),
        "short": f"{issued.short_code[:4]} {issued.short_code[4:]}",
        "tier": tier,
        "tier_label": Talent.Tier(tier).label if tier else "",
        "refresh_seconds": 60,
    }


@never_cache
@login_required
def my_code(request: HttpRequest) -> HttpResponse:
    """我的人才码: the self-refreshing QR, its short code, her consents and her latest services."""
    talent = _my_talent(request)
    request.pii_shown = True  # type: ignore[attr-defined]
    if talent is None:
        return render(request, "talentcode/my_code.html", {"talent": None})
    consents = services.live_consents(talent)
    kinds = [
        (value, label, consents[value].fields if value in consents else [])
        for value, label in Partner.Kind.choices
    ]
    ctx = {
        **_card_context(talent),
        "kinds": kinds,
        "fields": list(CONSENT_FIELDS.items()),
        "records": ServiceRecord.objects.filter(talent=talent).select_related("service", "partner")[:5],
    }
    return render(request, "talentcode/my_code.html", ctx)


@never_cache
@login_required
@require_safe
def my_card(request: HttpRequest) -> HttpResponse:
    """The QR card alone, fetched by htmx every minute so the code on screen is always fresh."""
    talent = _my_talent(request)
    if talent is None:
        raise Http404
    request.pii_shown = True  # type: ignore[attr-defined]
    return render(request, "talentcode/_card.html", _card_context(talent))


@login_required
@require_POST
def set_consent(request: HttpRequest) -> HttpResponse:
    talent = _my_talent(request)
    if talent is None:
        raise Http404
    kind = request.POST.get("kind", "")
    try:
        made = services.set_consent(
            ActionContext.from_request(request), talent, kind, request.POST.getlist("fields")
        )
    except services.Refused as exc:
        messages.error(request, exc.message)
    else:
        label = dict(Partner.Kind.choices).get(kind, kind)
        if made is None:
            messages.success(request, gettext("已撤回对%(k)s的授权：其只能看到人才码是否有效") % {"k": label})
        else:
            messages.success(request, gettext("已授权%(k)s查看所选信息") % {"k": label})
    return redirect(reverse("talentcode:mine") + (f"?t={talent.pk}" if request.POST.get("t") else ""))


# -- a partner window ---------------------------------------------------------------------------


def _partner(request: HttpRequest) -> Any:
    if not has_perm(request.user, "talentcode.scan"):
        raise PermissionDenied
    try:
        return services.account_of(request.user)
    except services.Refused as exc:
        raise PermissionDenied(exc.message) from None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def scan(request: HttpRequest) -> HttpResponse:
    """扫码核验: scan with the camera or type the 8-digit code; see validity, what she consented to
    show and this window's services; one tap records a service."""
    account = _partner(request)
    ctx: dict[str, Any] = {"account": account, "windows": services.windows_of(account)}
    window_id = request.POST.get("window") or request.GET.get("window") or account.window_id or ""
    ctx["window_id"] = str(window_id)
    if request.method == "POST":
        try:
            result = services.verify(
                ActionContext.from_request(request, reason="合作窗口核验人才码"),
                request.user,
                request.POST.get("code", ""),
                window_id=window_id,
            )
        except services.Refused as exc:
            ctx["error"] = exc.message
            return render(request, "talentcode/scan.html", ctx, status=exc.status)
        request.pii_shown = True  # type: ignore[attr-defined]
        ctx["result"] = result
    ctx["today"] = ServiceRecord.objects.filter(
        partner=account.partner, at__date=timezone.localdate()
    ).count()
    return render(request, "talentcode/scan.html", ctx)


@login_required
@require_POST
def record(request: HttpRequest, scan_id: int) -> HttpResponse:
    account = _partner(request)
    found = Scan.objects.filter(pk=scan_id, user=account.user, partner=account.partner).first()
    picked = request.POST.get("service", "")
    service = (
        GreenService.objects.filter(pk=int(picked), partner=account.partner).first()
        if picked.isdigit()
        else None
    )
    if found is None:
        raise Http404
    if service is None:
        messages.error(request, gettext("服务项目：请选择本机构的服务"))
        return redirect("talentcode:scan")
    try:
        done = services.record_service(
            ActionContext.from_request(request, reason="合作窗口登记绿色通道服务"),
            request.user,
            found,
            service,
            request.POST.get("note", ""),
        )
    except services.Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, gettext("已登记“%(s)s”，人才的一码归集中已可看到") % {"s": done.service.name}
        )
    return redirect("talentcode:scan")
