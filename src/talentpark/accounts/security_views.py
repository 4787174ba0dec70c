"""账号安全 (her authenticator and password), the code step of signing in, the office's TOTP reset."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from talentpark.accounts import lockout, login_log, otp, passwords, security, sessions
from talentpark.accounts.access import get_for, require_perm
from talentpark.accounts.models import LoginEvent, User
from talentpark.core.context import ActionContext

RESET_PERM = "accounts.user.otp_reset"


def _signed_in_with(request: HttpRequest, device: Any, *, code_step: bool) -> None:
    """The session has passed its second factor: bind the device, renew the session key (the
    在线用户 row follows it) and, at the code step of signing in, write the 登录成功 line that the
    password step held back."""
    django_otp.login(request, device)
    request.session.cycle_key()
    sessions.rekey(request)
    security.update(request, device=True)
    if code_step:
        login_log.record(
            LoginEvent.Kind.LOGIN, request=request, user=request.user, detail=gettext("验证码通过")
        )
        lockout.succeeded(request, request.user)


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """登录第二步: the 6-digit code of her authenticator."""
    user: Any = request.user
    if security.next_step(request) == security.VERIFY and otp.device_of(user) is None:
        security.remember(request, user)  # her authenticator was removed or reset meanwhile
    if security.next_step(request) != security.VERIFY:
        return HttpResponseRedirect(security.after_step(request))
    error = None
    if request.method == "POST":
        if lockout.refuse_if_locked(request, user):  # even the right code, as the password step
            return render(request, "accounts/locked.html", status=429)  # AxesMiddleware's page
        device, error, counted = otp.verify_login(
            ActionContext.from_request(request), user, request.POST.get("otp_token", "")
        )
        if device is not None:
            _signed_in_with(request, device, code_step=True)
            return HttpResponseRedirect(security.after_step(request))
        if counted:  # a code checked and wrong: a failed sign-in, logged by the signal's receiver
            lockout.code_failed(request, user)
        else:  # not checked (malformed, or waiting out the authenticator's back-off): logged only
            detail = gettext(lockout.CODE_WRONG)
            login_log.record(LoginEvent.Kind.FAILED, request=request, user=user, detail=detail)
    return render(
        request,
        "accounts/otp_verify.html",
        {"error": error, "next": security.safe_next(request, "")},
        status=200,
    )


def _security_context(request: HttpRequest, error: str | None = None) -> dict[str, Any]:
    user: Any = request.user
    device = otp.device_of(user)
    pending = None if device else otp.pending_of(user)
    changed = passwords.changed_at(user)
    days = settings.TALENTPARK_PASSWORD_MAX_AGE_DAYS
    return {
        "device": device,
        "pending": pending,
        "qr": otp.qr_svg(pending) if pending else "",
        "secret": otp.secret_of(pending) if pending else "",
        "required": otp.required(user),
        "must_enrol": security.next_step(request) == security.ENROL,
        "error": error,
        "next": security.safe_next(request, ""),
        "password_changed_at": changed,
        "password_expires_at": changed + dt.timedelta(days=days)
        if days > 0 and passwords.expires(user)
        else None,
    }


@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    """账号安全: her authenticator (enrol, see, remove) and her password's age."""
    return render(request, "accounts/security.html", _security_context(request))


def _back(request: HttpRequest) -> HttpResponseRedirect:
    url = reverse("accounts:security")
    nxt = security.safe_next(request, "")
    return HttpResponseRedirect(f"{url}?{urlencode({'next': nxt})}" if nxt else url)


@login_required
@require_POST
def otp_start(request: HttpRequest) -> HttpResponse:
    if otp.device_of(request.user) is not None:
        messages.info(request, gettext("您已绑定身份验证器；如需更换，请先解除绑定"))
        return _back(request)
    otp.start_totp(ActionContext.from_request(request), request.user)  # type: ignore[arg-type]
    return _back(request)


@login_required
@require_POST
def otp_confirm(request: HttpRequest) -> HttpResponse:
    pending = otp.pending_of(request.user)
    if pending is None:
        messages.error(request, gettext("请先点击“绑定身份验证器”"))
        return _back(request)
    error = otp.confirm_totp(ActionContext.from_request(request), pending, request.POST.get("otp_token", ""))
    if error:
        return render(request, "accounts/security.html", _security_context(request, error))
    pending.refresh_from_db()
    _signed_in_with(request, pending, code_step=False)
    messages.success(request, gettext("身份验证器已绑定，今后登录时需输入其验证码"))
    nxt = security.safe_next(request, "")
    return HttpResponseRedirect(security.after_step(request) if nxt else reverse("accounts:security"))


@login_required
@require_POST
def otp_remove(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    error = otp.remove_totp(ActionContext.from_request(request), user, request.POST.get("password", ""))
    if error:
        return render(request, "accounts/security.html", _security_context(request, error))
    security.update(request, device=False)
    messages.success(request, gettext("已解除身份验证器绑定"))
    return HttpResponseRedirect(reverse("accounts:security"))


@login_required
def user_otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """The office resets a user's authenticator (lost phone), with a reason for the log."""
    require_perm(request.user, RESET_PERM)
    target = get_for(User.objects.select_related("department"), request.user, "view", pk=pk)
    error = None
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        error = otp.reset_totp(
            ActionContext.from_request(request, reason=reason.strip()[:300]), target, reason
        )
        if error is None:
            messages.success(request, gettext("已重置该用户的双因素认证，其下次登录时须重新绑定"))
            return HttpResponseRedirect(reverse("accounts:user_detail", args=[target.pk]))
    return render(
        request,
        "accounts/otp_reset.html",
        {
            "target": target,
            "device": otp.device_of(target),
            "error": error,
            "reason": request.POST.get("reason", ""),
        },
    )
