"""A newer privacy notice is accepted at the next login.

At login (``user_logged_in``) one query decides whether the user must accept the notice in force;
if so her session remembers it, and :class:`PrivacyConsentMiddleware` sends every page she opens
to the acceptance page until she accepts (or signs out). Requests of everyone else cost nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

SESSION_KEY = "privacy_pending"
OPEN_PREFIXES = ("/static/", "/i18n/", "/logout/", "/signup/privacy/")


def _on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    from talentpark.signup.services import needs_consent

    if request is None or not hasattr(request, "session"):
        return
    notice = needs_consent(user)
    if notice is not None:
        request.session[SESSION_KEY] = notice.pk
    else:
        request.session.pop(SESSION_KEY, None)


user_logged_in.connect(_on_login, dispatch_uid="signup.privacy_consent")


class PrivacyConsentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(SESSION_KEY)
            and request.user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            return HttpResponseRedirect(reverse("signup:privacy_accept"))
        return self.get_response(request)
