"""Session limits on every request (see ``accounts.sessions``): after the authentication, OTP and
message middleware, before ``AccountSecurityMiddleware`` (so a session still waiting for its code
is held to them too) and the view. Writes nothing on most requests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from talentpark.accounts import sessions


class SessionLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sessions.enforce(request)
        response: HttpResponse = self.get_response(request)
        return response
