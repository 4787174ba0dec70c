"""Registration pages (public), the privacy notice, and the office's 企业注册审核.

Thin views: parse the form, call a service, render. The "获取验证码" button posts the same form
with ``action=send_code``; with htmx only the status line is swapped in.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from talentpark.accounts.access import has_perm, restrict
from talentpark.core import smscodes
from talentpark.core.context import ActionContext
from talentpark.core.models import Industry, Zone
from talentpark.signup import consent, services
from talentpark.signup.access import PUBLISH_NOTICE, REVIEW
from talentpark.signup.models import EnterpriseRegistration, PrivacyNotice

TALENT_FIELDS = ("zone_id", "phone", "code", "name", "id_number", "zone_entry_date", "username")
ENTERPRISE_FIELDS = ("zone_id", "uscc", "name", "industry", "contact_name", "phone", "code", "username")


def context_of(request: HttpRequest, reason: str = "") -> ActionContext:
    ctx = ActionContext.from_request(request, reason=reason)
    return dataclasses.replace(ctx, extra={"user_agent": request.META.get("HTTP_USER_AGENT", "")[:300]})


def _zones() -> Any:
    return Zone.objects.order_by("id").only("id", "code", "name")


def _chosen_zone(request: HttpRequest) -> str:
    if request.method == "POST":
        return request.POST.get("zone_id", "")
    code = request.GET.get("zone", "")
    zone = Zone.objects.filter(code=code).only("id").first() if code else None
    return str(zone.pk) if zone else ""


def _send_code(request: HttpRequest, purpose: str) -> tuple[str, bool, int]:
    """(message, sent, status) of a "获取验证码" press."""
    try:
        smscodes.issue(context_of(request, "获取短信验证码"), request.POST.get("phone", ""), purpose)
    except smscodes.SmsRateLimited as exc:
        return exc.messages[0], False, 429
    except smscodes.SmsCodeError as exc:
        return exc.messages[0], False, 400
    return gettext("验证码已发送，5分钟内有效"), True, 200


def _code_status(request: HttpRequest, message: str, sent: bool, status: int) -> HttpResponse:
    return render(request, "signup/_code_status.html", {"message": message, "sent": sent}, status=status)


def start(request: HttpRequest) -> HttpResponse:
    """注册: a talent or an enterprise, in which zone."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    return render(request, "signup/start.html", {"zones": _zones(), "zone": request.GET.get("zone", "")})


def _form_page(
    request: HttpRequest,
    template: str,
    fields: tuple[str, ...],
    extra: dict[str, Any],
    errors: Any,
    status: int,
) -> HttpResponse:
    values = {name: request.POST.get(name, "") for name in fields} if request.method == "POST" else {}
    values.setdefault("zone_id", _chosen_zone(request))
    values.setdefault("zone_entry_date", timezone.localdate().isoformat())
    notice = services.current_notice()
    context = {
        "values": values,
        "errors": errors or {},
        "zones": _zones(),
        "notice": notice,
        "consent_checked": request.POST.get("consent") == "1",
        **extra,
    }
    return render(request, template, context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def talent(request: HttpRequest) -> HttpResponse:
    """人才注册: mobile number + SMS code, name, ID number, password, the privacy notice."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    extra: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST" and request.POST.get("action") == "send_code":
        message, sent, status = _send_code(request, smscodes.Purpose.SIGNUP_TALENT)
        if request.headers.get("HX-Request"):
            return _code_status(request, message, sent, status)
        extra = {"code_message": message, "code_sent": sent}
    elif request.method == "POST":
        data = services.TalentSignup(
            **{name: request.POST.get(name, "") for name in TALENT_FIELDS},
            password=request.POST.get("password", ""),
            password2=request.POST.get("password2", ""),
            consent=request.POST.get("consent") == "1",
            notice_version=request.POST.get("notice_version", ""),
        )
        try:
            user = services.register_talent(context_of(request, "人才注册"), data)
        except ValidationError as exc:
            errors, status = exc.message_dict, 400
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, gettext("注册成功！请完善您的人才档案，以便享受政策与服务。"))
            return redirect("registry:profile")
    return _form_page(request, "signup/talent.html", TALENT_FIELDS, extra, errors, status)


def _industries() -> Any:
    return Industry.objects.filter(level=Industry.Level.DIVISION).order_by("code").only("code", "name")


@never_cache
@require_http_methods(["GET", "POST"])
def enterprise(request: HttpRequest) -> HttpResponse:
    """企业注册: credit code, name, industry, the contact (mobile + SMS code), her login; the office verifies."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    extra: dict[str, Any] = {"industries": _industries()}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST" and request.POST.get("action") == "send_code":
        message, sent, status = _send_code(request, smscodes.Purpose.SIGNUP_ENTERPRISE)
        if request.headers.get("HX-Request"):
            return _code_status(request, message, sent, status)
        extra.update(code_message=message, code_sent=sent)
    elif request.method == "POST":
        data = services.EnterpriseSignup(
            **{name: request.POST.get(name, "") for name in ENTERPRISE_FIELDS},
            password=request.POST.get("password", ""),
            password2=request.POST.get("password2", ""),
            consent=request.POST.get("consent") == "1",
            notice_version=request.POST.get("notice_version", ""),
        )
        try:
            services.register_enterprise(context_of(request, "企业注册"), data)
        except ValidationError as exc:
            errors, status = exc.message_dict, 400
        else:
            return redirect("signup:done")
    return _form_page(request, "signup/enterprise.html", ENTERPRISE_FIELDS, extra, errors, status)


def done(request: HttpRequest) -> HttpResponse:
    """The enterprise's registration is in: the office verifies it and tells the contact by SMS."""
    return render(request, "signup/done.html")


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice in force (public: read before registering)."""
    notice = services.current_notice()
    if notice is None:
        raise Http404
    return render(request, "signup/privacy.html", {"notice": notice})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def privacy_accept(request: HttpRequest) -> HttpResponse:
    """A newer privacy notice, to accept before going on (see ``signup.consent``)."""
    notice = services.needs_consent(request.user)
    if notice is None:
        request.session.pop(consent.SESSION_KEY, None)
        return redirect("accounts:home")
    if request.method == "POST" and request.POST.get("notice") == str(notice.pk):
        services.accept_notice(context_of(request, "同意隐私政策"), request.user, notice)
        request.session.pop(consent.SESSION_KEY, None)
        messages.success(request, gettext("已同意新版《隐私政策》"))
        return redirect("accounts:home")
    return render(request, "signup/privacy_accept.html", {"notice": notice})


def _reviewable(request: HttpRequest) -> Any:
    if not has_perm(request.user, REVIEW):
        raise PermissionDenied
    return restrict(
        EnterpriseRegistration.objects.select_related("industry", "reviewed_by", "notice"),
        request.user,
        "review",
    )


@never_cache
@login_required
def registration_list(request: HttpRequest) -> HttpResponse:
    """企业注册审核: pending registrations first (oldest first), then the decided ones."""
    qs = _reviewable(request)
    status = request.GET.get("status", EnterpriseRegistration.Status.PENDING)
    if status not in EnterpriseRegistration.Status.values:
        status = EnterpriseRegistration.Status.PENDING
    qs = qs.filter(status=status).order_by("id" if status == EnterpriseRegistration.Status.PENDING else "-id")
    page = Paginator(qs, settings.TALENTPARK_PAGE_SIZE).get_page(request.GET.get("page"))
    request.pii_shown = True  # type: ignore[attr-defined]  # masked contact phones
    return render(
        request,
        "signup/registrations.html",
        {
            "page": page,
            "status": status,
            "statuses": EnterpriseRegistration.Status.choices,
            "query": f"status={status}",
        },
    )


@login_required
@require_POST
def registration_review(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _reviewable(request).filter(pk=pk).first()
    if registration is None:
        raise Http404
    approve = request.POST.get("decision") == "approve"
    try:
        services.review_enterprise(
            context_of(request, "企业注册审核"), registration, approve, request.POST.get("review_note", "")
        )
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            for m in msgs:
                messages.error(request, m)
    else:
        messages.success(
            request,
            gettext("已通过%(n)s的注册，企业账号已开通并短信告知联系人") % {"n": registration.name}
            if approve
            else gettext("已退回%(n)s的注册，并短信告知联系人") % {"n": registration.name},
        )
    return redirect("signup:registration_list")


NOTICE_FIELDS = ("version", "title", "body", "effective_at")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notice_list(request: HttpRequest) -> HttpResponse:
    """隐私政策版本: every version with how many accepted it, and the form to publish a new one.

    The notice is the platform's (not a zone's): every version applies to all zones' users."""
    if not has_perm(request.user, PUBLISH_NOTICE):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    status = 200
    values = {name: request.POST.get(name, "") for name in NOTICE_FIELDS} if request.method == "POST" else {}
    if request.method == "POST":
        try:
            notice = services.publish_notice(
                context_of(request, "发布隐私政策新版本"),
                values["version"],
                values["title"],
                values["body"],
                values["effective_at"],
            )
        except ValidationError as exc:
            errors, status = exc.message_dict, 400
        else:
            messages.success(
                request,
                gettext("已发布《隐私政策》%(v)s版，生效后用户下次登录时须重新同意") % {"v": notice.version},
            )
            return redirect("signup:notice_list")
    else:
        current = services.current_notice()
        values = {
            "title": current.title if current else "",
            "body": current.body if current else "",
            "effective_at": timezone.localdate().isoformat(),
        }
    qs = PrivacyNotice.objects.annotate(n_consents=Count("consents")).order_by("-effective_at", "-id")
    page = Paginator(qs, settings.TALENTPARK_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "current": services.current_notice(),
        "values": values,
        "errors": errors,
        "now": timezone.now(),
        "query": "",
    }
    return render(request, "signup/notices.html", context, status=status)
