"""登录日志: the signal receivers that write a :class:`~talentpark.accounts.models.LoginEvent`.

* ``user_logged_in`` → 登录成功 (and the session's 在线用户 row, ``accounts.sessions.start``);
* ``user_login_failed`` → 登录失败 (a wrong password, an unknown name, a wrong code at the code step
  — ``accounts.lockout`` sends the signal for it — or an attempt refused while the account is
  locked); django-axes' ``user_locked_out`` → 账号锁定, once, on the failure that
  reaches the limit (axes sends it again for every refused attempt during the lock: those are
  failures with their own detail);
* ``user_logged_out`` → 退出登录, unless the session is being ended by a timeout (the middleware
  records that itself).

Forced logouts and timeouts are recorded by ``accounts.sessions``. A receiver never breaks a
sign-in: each write is a savepoint of its own and an error is logged, not raised. Only the
username typed is kept (control characters removed, at most 150 characters): never the password.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from talentpark.accounts import lockout
from talentpark.accounts.models import LoginEvent, User
from talentpark.accounts.roles import Role
from talentpark.core import parameters
from talentpark.core.context import client_ip

log = logging.getLogger(__name__)
Kind = LoginEvent.Kind

# Set on a request whose session the middleware ends (a timeout): the logout receiver stays quiet.
ENDING_ATTR = "_talentpark_session_ending"
LOCKED_ATTR = "_talentpark_locked_after"


def clean(text: Any, limit: int) -> str:
    """Printable characters only (no CR/LF or other control characters: AUD-7), at most ``limit``."""
    return "".join(ch for ch in str(text or "") if ch.isprintable())[:limit]


def user_agent(request: Any) -> str:
    return clean(request.META.get("HTTP_USER_AGENT", ""), 300) if request is not None else ""


def zone_of(user: Any) -> int | None:
    """The zone whose office sees this account's sign-ins: the account's zone, or for a talent
    (whose account has none) the first zone where she has a record."""
    if user is None:
        return None
    if user.zone_id:
        return int(user.zone_id)
    if user.role == Role.TALENT:
        from talentpark.accounts.access import talent_zone_ids

        ids = talent_zone_ids(user)
        return min(ids) if ids else None
    return None


def record(
    kind: str,
    *,
    request: Any = None,
    username: str = "",
    user: Any = None,
    zone_id: int | None = None,
    ip: str | None = None,
    agent: str | None = None,
    detail: str = "",
) -> LoginEvent | None:
    """Write one login event; never raises (a failure is logged and ``None`` returned)."""
    try:
        with transaction.atomic():
            return LoginEvent.objects.create(
                at=timezone.now(),
                kind=kind,
                username=clean(username or (user.get_username() if user is not None else ""), 150),
                user=user,
                zone_id=zone_id if zone_id is not None else zone_of(user),
                ip=clean(ip if ip is not None else client_ip(request) if request is not None else "", 45),
                user_agent=agent if agent is not None else user_agent(request),
                detail=clean(detail, 200),
            )
    except Exception:
        log.exception("login event %s not recorded", kind)
        return None


@receiver(user_logged_in, dispatch_uid="talentpark.login_log.logged_in")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    from talentpark.accounts import sessions

    zone_id = None
    try:
        zone_id = zone_of(user)
    except Exception:
        log.exception("zone of %s not found", user.pk)
    from talentpark.accounts import otp

    if otp.device_of(user) is None:  # with an authenticator, 登录成功 is written once the code passes
        record(Kind.LOGIN, request=request, user=user, zone_id=zone_id)
        lockout.succeeded(request, user)  # with one, the failures are cleared after the code too
    sessions.start(request, user, zone_id)


@receiver(user_login_failed, dispatch_uid="talentpark.login_log.failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = clean(credentials.get("username", ""), 150)  # the cleansed credentials: no password
    user = None
    try:
        user = User.objects.filter(username=username).first() if username else None
    except Exception:
        log.exception("user of a failed login not found")
    # During a lock axes refuses before checking the password; it counts the attempt (and locks
    # again) unless told not to reset the cool-off, when it counts nothing.
    failures = getattr(request, "axes_failures_since_start", None) if request is not None else None
    limit = int(parameters.value("login.failure_limit"))  # 参数管理 (axes reads the same)
    locked_before = request is not None and (
        (failures is not None and failures > limit)
        or (failures is None and getattr(request, "axes_locked_out", False))
    )
    if locked_before:
        detail = "账号锁定期间的登录尝试，已拒绝"
    else:  # a wrong code at the code step says so (accounts.lockout)
        detail = getattr(request, lockout.DETAIL_ATTR, None) or ("密码错误" if user else "用户名不存在")
    record(Kind.FAILED, request=request, username=username, user=user, detail=detail)
    if getattr(request, LOCKED_ATTR, None) is not None and not locked_before:
        record(  # this failure reached the limit (axes said so while it counted it)
            Kind.LOCKED,
            request=request,
            username=username,
            user=user,
            detail=f"连续登录失败{failures}次，已临时锁定",
        )


def _locked_out(sender: Any, request: Any = None, username: Any = None, **kwargs: Any) -> None:
    """django-axes' lock, sent while it counts a failure: the failure receiver (which runs after
    axes' own) records it after the failure, so the log reads in order."""
    failures = getattr(request, "axes_failures_since_start", None) if request is not None else None
    if failures is not None:  # None: a refused attempt during the lock, recorded as a failure
        setattr(request, LOCKED_ATTR, failures)


@receiver(user_logged_out, dispatch_uid="talentpark.login_log.logged_out")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or user is None or getattr(request, ENDING_ATTR, None):
        return
    from talentpark.accounts import sessions

    record(Kind.LOGOUT, request=request, user=user)
    sessions.end_current(request, "logout")


def connect() -> None:
    """Connect the receiver of django-axes' lockout signal (the auth ones connect on import)."""
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="talentpark.login_log.locked_out")
