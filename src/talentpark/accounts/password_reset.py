"""找回密码 by SMS: mobile number → code → a new password. Public pages; the answer is the same
whether or not the number has an account; sends are limited by ``core.smscodes`` (429)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from talentpark.accounts.services import reset_password_by_sms, send_reset_code
from talentpark.core import smscodes
from talentpark.core.context import ActionContext

SENT = "如该手机号已绑定账号，验证码已发送，5分钟内有效"


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    values = {k: request.POST.get(k, "") for k in ("phone", "code", "username")}
    errors: dict[str, list[str]] = {}
    status, code_message, code_sent = 200, "", False
    if request.method == "POST" and request.POST.get("action") == "send_code":
        try:
            send_reset_code(ActionContext.from_request(request, reason="找回密码"), values["phone"])
        except smscodes.SmsRateLimited as exc:
            code_message, status = exc.messages[0], 429
        except smscodes.SmsCodeError as exc:
            code_message, status = exc.messages[0], 400
        else:
            code_message, code_sent = gettext(SENT), True
        if request.headers.get("HX-Request"):
            return render(
                request,
                "signup/_code_status.html",
                {"message": code_message, "sent": code_sent},
                status=status,
            )
    elif request.method == "POST":
        try:
            reset_password_by_sms(
                ActionContext.from_request(request, reason="短信找回密码"),
                values["phone"],
                values["code"],
                request.POST.get("password1", ""),
                request.POST.get("password2", ""),
                values["username"],
            )
        except ValidationError as exc:
            errors, status = exc.message_dict, 400
        else:
            messages.success(request, gettext("密码已重置，请用新密码登录"))
            return redirect("accounts:login")
    context = {"values": values, "errors": errors, "code_message": code_message, "code_sent": code_sent}
    return render(request, "accounts/password_reset.html", context, status=status)
