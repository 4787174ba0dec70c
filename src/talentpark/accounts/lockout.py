"""The login lockout (django-axes) at both steps of signing in: the password and the code.

Axes counts a failed sign-in per username and IP (``AXES_LOCKOUT_PARAMETERS``) when Django's
``user_login_failed`` signal is sent: ``authenticate`` sends it for a wrong password, and
:func:`code_failed` sends it, with the same credentials, for a wrong code at the code step. So
one limit and one lock time (the ``login.*`` run-time parameters) hold for both, and a stolen
password does not buy unlimited guesses at the code. The login log writes its 登录失败 row from
the same signal (``login_log``), with the detail :data:`DETAIL_ATTR` names.

The count is cleared only when the whole sign-in succeeds (:func:`succeeded`): after the
password for an account without an authenticator, after the code for one with. Clearing it at the
password step (axes' ``AXES_RESET_ON_SUCCESS``, off in settings.py) would let the holder of a
stolen password sign in again before each lock and guess codes for ever.

While the lock lasts, the code step refuses even the right code (:func:`refuse_if_locked`), and
the page is axes' lockout page, as at the password step (``AxesMiddleware`` renders it for a
request marked ``axes_locked_out``).
"""

from __future__ import annotations

from typing import Any

from axes.conf import settings  # django's settings, with axes' defaults filled in
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop

# Set on a request whose failure the login log must describe otherwise than a wrong password.
DETAIL_ATTR = "_talentpark_failure_detail"
CODE_WRONG = gettext_noop("验证码错误")  # written in the language of the page, as 验证码通过


def _credentials(user: Any) -> dict[str, str]:
    return {settings.AXES_USERNAME_FORM_FIELD: user.get_username()}


def _failed(request: HttpRequest, user: Any, detail: str) -> None:
    setattr(request, DETAIL_ATTR, gettext(detail))
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)


def is_locked(request: HttpRequest, user: Any) -> bool:
    """Is this username locked out from this request's IP?"""
    if not settings.AXES_ENABLED:
        return False
    return bool(AxesProxyHandler.is_locked(request, _credentials(user)))


def refuse_if_locked(request: HttpRequest, user: Any) -> bool:
    """At the code step: if the account is locked, refuse the attempt as the password step does
    (counted and logged as an attempt during the lock; axes' lockout page) and say True."""
    if not is_locked(request, user):
        return False
    request.axes_locked_out = True  # type: ignore[attr-defined]  # read by axes and AxesMiddleware
    _failed(request, user, CODE_WRONG)
    return True


def code_failed(request: HttpRequest, user: Any) -> None:
    """A wrong code at the code step: one failed sign-in for this username and IP. If it reaches
    the limit, axes marks the request locked out and its middleware answers with the lockout page."""
    _failed(request, user, CODE_WRONG)


def succeeded(request: HttpRequest, user: Any) -> None:
    """The whole sign-in succeeded: forget this username's failures from this IP."""
    if not settings.AXES_ENABLED:
        return
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.reset_attempts(
        username=user.get_username(),
        ip_address=getattr(request, "axes_ip_address", None),
    )
