"""在线用户 and the session limits (等保 L3 身份鉴别: idle timeout and absolute lifetime per role).

* **Limits** come from :func:`limits_for` alone: staff roles (specialist, dept, office) and the
  public ones (talent, hr, ambassador, partner, province) each have an idle limit and an absolute
  one (the ``session.*`` run-time parameters of 参数管理, defaults from ``TALENTPARK_SESSION_*``).
* **Cheap**: the times live in the session itself (``LOGIN_AT``, ``SEEN``: epoch seconds). A request
  compares them with the limits and writes nothing; at most once a minute (``REFRESH``) it moves
  ``SEEN`` and the :class:`UserSession` row's ``last_seen_at`` (one session save, one UPDATE). The idle
  time is therefore measured from the last recorded activity: a session may end up to a minute
  before the idle limit has passed since its very last request, never after it.
* **The code step**: a session that has passed the password and still waits for its code is held
  to the same limits on every request, and besides must give the code within
  :data:`CODE_STEP_LIMIT` of the password, or it is logged out and starts again at the password.
* **Ending**: logout ends the row; a timeout ends it, logs a 超时下线 event and logs the user out
  with a Chinese message on the login page; 强制下线 (:func:`force_logout`) ends the row and deletes
  the session from the store, so its next request arrives anonymous (and is told why). A row
  ended behind a session's back (e.g. a forced logout racing a request) is noticed at the next
  refresh and the session is logged out then.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from talentpark.accounts import login_log, security
from talentpark.accounts.models import LoginEvent, UserSession
from talentpark.accounts.roles import STAFF_ROLES, Role
from talentpark.core import audit, parameters
from talentpark.core.context import ActionContext, client_ip

log = logging.getLogger(__name__)

ROW, LOGIN_AT, SEEN, KEY = "_tp_session", "_tp_login_at", "_tp_seen", "_tp_key"
REFRESH = 60  # seconds between two writes of a session's last activity
# How long a session may wait for its code after the password (the half-signed-in state, see
# accounts/security.py): enough to open the authenticator app, short enough that a password
# typed on a shared computer does not leave a session waiting for a code for hours.
CODE_STEP_LIMIT = dt.timedelta(minutes=5)
End = UserSession.End


@dataclass(frozen=True)
class Limits:
    idle: dt.timedelta
    absolute: dt.timedelta


def is_staff_role(role: str) -> bool:
    return role in STAFF_ROLES


def limits_for(user: Any) -> Limits:
    """The idle and absolute session limits of ``user`` (a user, or a role code).

    The one place that reads them: the run-time parameters ``session.idle_minutes.staff|public``
    and ``session.absolute_hours.staff|public`` (参数管理), whose defaults are the
    ``TALENTPARK_SESSION_*`` settings. A change applies to the next request of every session.
    """
    role = getattr(user, "role", user)
    kind = "staff" if is_staff_role(role) else "public"
    return Limits(
        idle=dt.timedelta(minutes=int(parameters.value(f"session.idle_minutes.{kind}"))),
        absolute=dt.timedelta(hours=int(parameters.value(f"session.absolute_hours.{kind}"))),
    )


def _store(session_key: str) -> Any:
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key=session_key)


# -- the session's life -----------------------------------------------------------------------


def start(request: Any, user: Any, zone_id: int | None, *, fresh: bool = True) -> None:
    """At sign-in (``fresh``): the 在线用户 row and the session's clock; for a session that has no
    row (``fresh=False``) the row only, keeping the clock it has. Never raises (a sign-in goes on)."""
    now = timezone.now()
    session = request.session
    if fresh:
        if session.get(ROW) is not None:  # signing in again over her own session
            end_current(request, End.LOGOUT)
        session[LOGIN_AT] = session[SEEN] = now.timestamp()
    else:
        session.setdefault(LOGIN_AT, now.timestamp())
        session.setdefault(SEEN, now.timestamp())
    try:
        if session.session_key is None:
            session.save()
        with transaction.atomic():
            row = UserSession.objects.create(
                user=user,
                zone_id=zone_id,
                role=user.role,
                session_key=session.session_key,
                started_at=now,
                last_seen_at=now,
                ip=login_log.clean(client_ip(request), 45),
                user_agent=login_log.user_agent(request),
            )
        session[ROW], session[KEY] = row.pk, session.session_key
    except Exception:
        log.exception("session row of %s not created", user.pk)


def rekey(request: Any) -> None:
    """After the session key was cycled (the second factor passed): the 在线用户 row follows the
    session to its new key, so 强制下线 still finds it. Never raises."""
    row_id = request.session.get(ROW)
    if row_id is None:
        return
    try:
        if request.session.session_key is None:
            request.session.save()
        UserSession.objects.filter(pk=row_id).update(session_key=request.session.session_key)
        request.session[KEY] = request.session.session_key
    except Exception:
        log.exception("session row %s not re-keyed", row_id)


def end_current(request: Any, reason: str) -> None:
    """End the row of the request's own session (logout); never raises."""
    row_id = request.session.get(ROW)
    if row_id is None:
        return
    try:
        UserSession.objects.filter(pk=row_id, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=reason
        )
    except Exception:
        log.exception("session row %s not ended", row_id)


def _adopt(request: Any, user: Any) -> None:
    """A session signed in before these limits existed (or whose row could not be written): its
    clock starts now."""
    try:
        zone_id = login_log.zone_of(user)
    except Exception:
        zone_id = None
    start(request, user, zone_id, fresh=False)


IDLE_MESSAGE = gettext_noop("长时间未操作，已自动退出登录，请重新登录")
ABSOLUTE_MESSAGE = gettext_noop("登录时间已超过%(hours)d小时，为保障账号安全请重新登录")
FORCED_MESSAGE = gettext_noop("您的登录已被管理员强制下线，请重新登录")
CODE_STEP_MESSAGE = gettext_noop("%(minutes)d分钟内未输入验证码，请重新登录")


def enforce(request: Any) -> None:
    """The middleware's check, before the view: end the session past a limit, or refresh it."""
    session = request.session
    if SESSION_KEY not in session:
        _explain_missing_session(request)
        return
    user = request.user
    if not user.is_authenticated:
        return
    login_at, seen = session.get(LOGIN_AT), session.get(SEEN)
    if login_at is None or seen is None:
        _adopt(request, user)
        return
    now = timezone.now()
    stamp = now.timestamp()
    limits = limits_for(user)
    if stamp - login_at > limits.absolute.total_seconds():
        hours = int(limits.absolute.total_seconds() // 3600)
        _timeout(
            request,
            user,
            End.ABSOLUTE,
            f"登录已超过{hours}小时",
            gettext(ABSOLUTE_MESSAGE) % {"hours": hours},
        )
        return
    if stamp - seen > limits.idle.total_seconds():
        minutes = int(limits.idle.total_seconds() // 60)
        _timeout(request, user, End.IDLE, f"闲置超过{minutes}分钟", gettext(IDLE_MESSAGE))
        return
    if stamp - login_at > CODE_STEP_LIMIT.total_seconds() and security.next_step(request) == security.VERIFY:
        minutes = int(CODE_STEP_LIMIT.total_seconds() // 60)
        _timeout(
            request,
            user,
            End.IDLE,  # the half-signed-in session sat waiting for its code
            f"{minutes}分钟内未输入验证码",
            gettext(CODE_STEP_MESSAGE) % {"minutes": minutes},
        )
        return
    if stamp - seen < REFRESH and session.get(KEY) == session.session_key:
        return  # the common case: no write
    row_id = session.get(ROW)
    moved = UserSession.objects.filter(pk=row_id, ended_at__isnull=True).update(
        last_seen_at=now, session_key=session.session_key
    )
    if not moved:
        if UserSession.objects.filter(pk=row_id).exists():  # ended elsewhere (forced) meanwhile
            setattr(request, login_log.ENDING_ATTR, "forced")
            logout(request)
            messages.warning(request, gettext(FORCED_MESSAGE))
            return
        _adopt(request, user)
        return
    session[SEEN], session[KEY] = stamp, session.session_key


def _timeout(request: Any, user: Any, reason: str, detail: str, message: str) -> None:
    setattr(request, login_log.ENDING_ATTR, reason)
    login_log.record(LoginEvent.Kind.TIMEOUT, request=request, user=user, detail=detail)
    end_current(request, reason)
    logout(request)
    messages.warning(request, message)


def _explain_missing_session(request: Any) -> None:
    """A request whose session cookie names no session: say why if it was ended on purpose.

    Only then is there a query (a browser holding a dead cookie); the session middleware then
    deletes the cookie, so it happens once."""
    cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not cookie or not request.session.is_empty():
        return
    reason = (
        UserSession.objects.filter(session_key=cookie[:64], ended_at__isnull=False)
        .values_list("end_reason", flat=True)
        .first()
    )
    if reason == End.FORCED:
        messages.warning(request, gettext(FORCED_MESSAGE))
    elif reason == End.IDLE:
        messages.warning(request, gettext(IDLE_MESSAGE))


# -- 在线用户 -------------------------------------------------------------------------------------


def live(qs: QuerySet[UserSession], now: dt.datetime | None = None) -> QuerySet[UserSession]:
    """The rows of sessions still alive: not ended, and within their role's limits now."""
    now = now or timezone.now()
    alive = Q(pk__in=[])
    for roles in (list(STAFF_ROLES), [r for r in Role.values if r not in STAFF_ROLES]):
        limits = limits_for(roles[0])
        alive |= Q(
            role__in=roles,
            last_seen_at__gte=now - limits.idle,
            started_at__gte=now - limits.absolute,
        )
    return qs.filter(alive, ended_at__isnull=True)


def force_logout(ctx: ActionContext, row: UserSession, current_key: str = "") -> UserSession:
    """强制下线: end the row, delete the session from the store (its next request is anonymous),
    log a 强制下线 event and an audit row with the office user as actor."""
    if current_key and row.session_key == current_key:
        raise ValidationError({"session": ["会话：不能强制下线自己当前的登录，请使用“退出”"]})
    with transaction.atomic():
        locked = UserSession.objects.select_for_update().select_related("user").get(pk=row.pk)
        if locked.ended_at is not None:
            raise ValidationError({"session": ["会话：该会话已结束"]})
        locked.ended_at = timezone.now()
        locked.end_reason = End.FORCED
        locked.ended_by = ctx.user
        locked.save(update_fields=["ended_at", "end_reason", "ended_by"])
        _store(locked.session_key).delete()
        actor = ctx.user.get_username() if ctx.user else "system"
        LoginEvent.objects.create(
            at=locked.ended_at,
            kind=LoginEvent.Kind.FORCED,
            username=locked.user.get_username(),
            user=locked.user,
            zone_id=locked.zone_id,
            ip=locked.ip,
            user_agent=locked.user_agent,
            detail=login_log.clean(f"由 {actor} 强制下线", 200),
        )
        audit.record(
            ctx,
            "session.force_logout",
            locked,
            before={"ended_at": None},
            after={
                "user": locked.user_id,
                "started_at": locked.started_at.isoformat(),
                "ip": locked.ip,
                "end_reason": End.FORCED,
            },
        )
    return locked
