"""The Django admin behind the same second factor as every page.

``VerifiedAdminSite`` (django-otp's ``OTPAdminSite`` rule) lets in only staff whose session has
verified an authenticator, whatever their role; its login page is the product's own two-step
login, so the admin's password-only form is never a way around it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext


class VerifiedAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        is_verified = getattr(user, "is_verified", None)
        return bool(super().has_permission(request) and is_verified and is_verified())

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        index = reverse("admin:index", current_app=self.name)
        if self.has_permission(request):
            return HttpResponseRedirect(index)
        if request.user.is_authenticated:
            if getattr(request.user, "is_staff", False):
                messages.error(
                    request, gettext("进入管理后台须先启用双因素认证：请在“账号安全”中绑定身份验证器")
                )
            return HttpResponseRedirect(reverse("accounts:home"))
        return redirect_to_login(request.GET.get("next") or index, reverse("accounts:login"))
