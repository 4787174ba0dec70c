"""What a signed-in user must do before anything else: enter her code, enrol, change her password.

Signing in with the password (``accounts:login``, the admin's login, ``force_login``) records in
the session whether the account has a confirmed authenticator and whether its password has
expired (``remember``, on ``user_logged_in``), so the check below costs no query per request.
``AccountSecurityMiddleware`` then lets the session reach only the one page of its next step:

1. ``verify`` — she has an authenticator and this session has not verified it: 输入验证码.
2. ``enrol`` — her account requires one (``otp.required``) and she has none: 账号安全 (enrol).
3. ``password`` — a staff password older than the maximum age: 修改密码.

Logging out and switching the language stay open; the API answers 403. Removing or resetting
an authenticator is seen at the next request (django-otp's middleware finds the device gone).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from talentpark.accounts import otp, passwords

SESSION_KEY = "tp_security"
VERIFY, ENROL, PASSWORD = "verify", "enrol", "password"

# The pages each step may reach (url names), besides logging out and the language switch.
STEP_PAGES = {
    VERIFY: ("accounts:otp_verify",),
    ENROL: ("accounts:security", "accounts:otp_start", "accounts:otp_confirm"),
    PASSWORD: ("accounts:password_change",),
}
ALWAYS_OPEN = ("accounts:logout", "set_language")
STEP_MESSAGES = {
    VERIFY: "请输入身份验证器上的验证码",
    ENROL: "您的账号须启用双因素认证：请先绑定身份验证器",
    PASSWORD: "您的密码已过期，请先修改密码",
}


def remember(request: HttpRequest, user: Any) -> dict[str, bool]:
    """Record the account's second factor and password age in the session (at sign-in)."""
    state = {"device": otp.device_of(user) is not None, "pw_expired": passwords.expired(user)}
    request.session[SESSION_KEY] = state
    return state


def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        remember(request, user)


user_logged_in.connect(_on_login, dispatch_uid="talentpark.accounts.security.remember")


def update(request: HttpRequest, **changes: bool) -> None:
    state = dict(request.session.get(SESSION_KEY) or {})
    state.update(changes)
    request.session[SESSION_KEY] = state


def next_step(request: HttpRequest) -> str | None:
    """The step this session must take before any other page, or None."""
    user: Any = request.user
    if not user.is_authenticated:
        return None
    state = request.session.get(SESSION_KEY)
    if state is None:  # a session from before this check existed
        state = remember(request, user)
    is_verified = getattr(user, "is_verified", None)  # installed by django-otp's middleware
    if not (is_verified and is_verified()):
        if state.get("device"):
            return VERIFY
        if otp.required(user):
            return ENROL
    if state.get("pw_expired"):
        return PASSWORD
    return None


def step_url(step: str, next_url: str = "") -> str:
    url = reverse(STEP_PAGES[step][0])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The ``next`` the request carries if it stays on this site, else ``default``."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return default or reverse("accounts:home")


def after_step(request: HttpRequest) -> str:
    """Where to go once a step is done: the next step, or where she was going."""
    target = safe_next(request)
    step = next_step(request)
    return step_url(step, target) if step else target


_open_paths: dict[str, frozenset[str]] = {}


def _paths(step: str) -> frozenset[str]:
    paths = _open_paths.get(step)
    if paths is None:
        paths = _open_paths[step] = frozenset(reverse(n) for n in (*STEP_PAGES[step], *ALWAYS_OPEN))
    return paths


class AccountSecurityMiddleware:
    """Holds a session to its next step (after AuthenticationMiddleware, OTPMiddleware and the
    session limits, which end a session past them whatever step it is at)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = next_step(request)
        if step is None or request.path in _paths(step):
            return self.get_response(request)
        message = gettext(STEP_MESSAGES[step])
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": [{"field": "", "message": message}]}, status=403)
        next_url = request.get_full_path() if request.method == "GET" else ""
        if next_url == reverse("accounts:home"):
            next_url = ""
        return HttpResponseRedirect(step_url(step, next_url))
