"""参数管理: run-time parameters, declared in code, overridden by the office without a restart.

Each parameter is declared once with :func:`register` (a key, a type, a Chinese label and help,
bounds or choices) and takes its default from a setting that reads the environment
(``TALENTPARK_LOGIN_FAILURE_LIMIT`` …), so an operator still configures a deployment the usual
way. The 系统管理员 (superuser) overrides it on 系统管理 → 参数管理 (:func:`set_value`,
validated, one audit row) or restores the default (:func:`reset`). Code reads it with
:func:`value`.

**How a change reaches every process.** Overrides live in ``core.Parameter`` (a handful of
rows). Each process keeps them in memory and reads the table again when its copy is older than
``TALENTPARK_PARAMETER_TTL`` seconds (2 by default; 0 under pytest, so every read is fresh): one
small query per process per two seconds, and no read on the hot path in between. The process
that makes a change forgets its copy when the change commits, so its next read sees it at once;
every other web worker or task worker sees it within the TTL. (It also forgets at once, so the
same thread reads its own change before the commit, as a test transaction does.) That bound is the whole staleness
guarantee: a change never needs a restart, and no request waits on a lock for it.

Defaults are read from the settings on every call (not cached), so ``override_settings`` in tests
and a changed environment after a restart both apply when no override exists.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.core.models import Parameter
from talentpark.core.normalize import to_halfwidth
from talentpark.core.validation import FieldErrors

log = logging.getLogger(__name__)

INT, BOOL, STR, CHOICE, MINUTES = "int", "bool", "str", "choice", "minutes"
TYPES = {INT: "整数", BOOL: "开关", STR: "文本", CHOICE: "选项", MINUTES: "分钟"}

_TRUE = {"1", "true", "yes", "on", "是", "开", "开启", "启用"}
_FALSE = {"0", "false", "no", "off", "否", "关", "关闭", "停用"}
_INT_RE = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True)
class Spec:
    """A declared parameter. ``setting`` names the Django setting holding its default."""

    key: str
    type: str
    label: str
    setting: str
    help: str = ""
    env: str = ""
    group: str = ""
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int = 200
    unit: str = ""
    check: Callable[[Any], str | None] | None = field(default=None, compare=False)

    def default(self) -> Any:
        """The deployment's value (its setting): typed, but not held to the bounds, which guard
        what is typed on 参数管理 — an operator's configuration (or a test's) is taken as given."""
        return self.parse(getattr(settings, self.setting), bounded=False)

    def parse(self, raw: Any, *, bounded: bool = True) -> Any:
        """The typed value of ``raw`` (a stored text, a form field, a setting), or a
        ValidationError whose message is the reason in Chinese."""
        if self.type in (INT, MINUTES):
            number = _int(raw)
            if bounded and self.minimum is not None and number < self.minimum:
                raise ValidationError(f"不能小于{self.minimum}")
            if bounded and self.maximum is not None and number > self.maximum:
                raise ValidationError(f"不能大于{self.maximum}")
            value: Any = number
        elif self.type == BOOL:
            value = _bool(raw)
        elif self.type == CHOICE:
            text = str(raw if raw is not None else "").strip()
            allowed = [c for c, _label in self.choices]
            if text not in allowed:
                offered = "、".join(f"{c}（{label}）" for c, label in self.choices)
                raise ValidationError(f"“{text[:40]}”不是可选值，可选：{offered}")
            value = text
        else:
            value = str(raw if raw is not None else "").strip()
            if not value:
                raise ValidationError("不能为空")
            if len(value) > self.max_length:
                raise ValidationError(f"不能超过{self.max_length}字")
        if bounded and self.check is not None and (reason := self.check(value)):
            raise ValidationError(reason)
        return value

    def text(self, value: Any) -> str:
        """How a typed value is stored and shown in a form."""
        if self.type == BOOL:
            return "1" if value else "0"
        return str(value)

    def display(self, value: Any) -> str:
        if self.type == BOOL:
            return "是" if value else "否"
        if self.type == CHOICE:
            return dict(self.choices).get(value, str(value))
        unit = "分钟" if self.type == MINUTES else self.unit
        return f"{value}{unit}" if unit else str(value)


def _int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValidationError("必须是整数")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = to_halfwidth(str(raw if raw is not None else "")).strip().replace(",", "")
    if not text:
        raise ValidationError("不能为空")
    if not _INT_RE.match(text) or len(text) > 12:
        raise ValidationError(f"“{text[:20]}”不是整数")
    return int(text)


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = to_halfwidth(str(raw if raw is not None else "")).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError("只能是“是”或“否”")


_REGISTRY: dict[str, Spec] = {}


def register(
    key: str,
    type: str,
    *,
    label: str,
    setting: str,
    help: str = "",
    env: str = "",
    group: str = "",
    minimum: int | None = None,
    maximum: int | None = None,
    choices: Iterable[tuple[str, str]] = (),
    max_length: int = 200,
    unit: str = "",
    check: Callable[[Any], str | None] | None = None,
) -> Spec:
    """Declare a parameter (at import time of the module that reads it). Its default is
    ``settings.<setting>``, which settings.py reads from the environment variable ``env``."""
    if type not in TYPES:
        raise ValueError(f"unknown parameter type {type!r}")
    if key in _REGISTRY:
        raise ValueError(f"parameter {key!r} is registered twice")
    spec = Spec(
        key=key,
        type=type,
        label=label,
        setting=setting,
        help=help,
        env=env,
        group=group,
        minimum=minimum,
        maximum=maximum,
        choices=tuple(choices),
        max_length=max_length,
        unit=unit,
        check=check,
    )
    _REGISTRY[key] = spec
    return spec


def unregister(key: str) -> None:
    """Forget a declaration (tests that declare their own)."""
    _REGISTRY.pop(key, None)


def spec(key: str) -> Spec:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise KeyError(f"no parameter {key!r} is registered") from None


def specs() -> list[Spec]:
    """Every declared parameter, by group (in ``GROUPS`` order), in declaration order within one."""
    order = list(GROUPS)
    return sorted(_REGISTRY.values(), key=lambda s: order.index(s.group) if s.group in order else len(order))


# -- the process-local copy of the overrides ---------------------------------------------------


@dataclass(frozen=True)
class _Copy:
    overrides: dict[str, str]
    read_at: float


_copy: _Copy | None = None
_clock: Callable[[], float] = time.monotonic  # tests move it to show the staleness bound


def forget() -> None:
    """Drop this process's copy: the next read goes to the database (a new process starts so)."""
    global _copy
    _copy = None


def _overrides() -> dict[str, str]:
    global _copy
    ttl = float(getattr(settings, "TALENTPARK_PARAMETER_TTL", 2.0))
    now = _clock()
    copy = _copy
    if copy is not None and now - copy.read_at < ttl:
        return copy.overrides
    rows = Parameter.objects.filter(value__isnull=False).values_list("key", "value")
    copy = _Copy({key: raw for key, raw in rows if raw is not None}, now)
    _copy = copy  # one assignment: threads of the process share it without a lock
    return copy.overrides


def value(key: str) -> Any:
    """The parameter's current value: the office's override, else the default from the settings.

    A stored value that no longer validates (its bounds were tightened in code) falls back to the
    default, with a warning in the log, rather than breaking every page that reads it.
    """
    declared = spec(key)
    raw = _overrides().get(key)
    if raw is None:
        return declared.default()
    try:
        return declared.parse(raw)
    except ValidationError:
        log.warning("parameter %s holds %r, which no longer validates: using its default", key, raw)
        return declared.default()


def minutes(key: str) -> dt.timedelta:
    """A minutes parameter as a duration."""
    return dt.timedelta(minutes=value(key))


def overridden(key: str) -> bool:
    return key in _overrides()


# -- changes ------------------------------------------------------------------------------------


def validate(key: str, raw: Any) -> Any:
    """The typed value for ``raw``, or a ValidationError "<参数名>：<原因>" under the key."""
    declared = spec(key)
    errors = FieldErrors()
    clean = errors.check(key, declared.label, declared.parse, raw)
    errors.raise_if_any()
    return clean


def _state(row: Parameter | None, declared: Spec) -> dict[str, Any]:
    return {"key": declared.key, "value": row.value if row is not None else None}


def set_value(ctx: ActionContext, key: str, raw: Any) -> Parameter:
    """Override ``key`` with ``raw`` (validated first: a bad value saves nothing)."""
    declared = spec(key)
    clean = validate(key, raw)
    text = declared.text(clean)
    with transaction.atomic():
        row, _created = Parameter.objects.select_for_update().get_or_create(key=key)
        before = _state(row, declared) if row.value is not None else {"key": key, "value": None}
        row.value = text
        row.revision += 1
        row.updated_by = ctx.user
        row.save(update_fields=["value", "revision", "updated_by", "updated_at"])
        audit.record(
            ctx,
            "core.parameter.change",
            row,
            before={**before, "default": declared.text(declared.default())},
            after=_state(row, declared),
        )
        forget()  # this thread reads its own change at once (it sees its uncommitted row) …
        transaction.on_commit(forget)  # … and a copy another thread read meanwhile is dropped
    return row


def reset(ctx: ActionContext, key: str) -> Parameter | None:
    """恢复默认: drop the override (the row stays, its value emptied). Nothing to do → None."""
    declared = spec(key)
    with transaction.atomic():
        row = Parameter.objects.select_for_update().filter(key=key).first()
        if row is None or row.value is None:
            return None
        before = _state(row, declared)
        row.value = None
        row.revision += 1
        row.updated_by = ctx.user
        row.save(update_fields=["value", "revision", "updated_by", "updated_at"])
        audit.record(
            ctx,
            "core.parameter.reset",
            row,
            before=before,
            after={"key": key, "value": None, "default": declared.text(declared.default())},
        )
        forget()  # this thread reads its own change at once (it sees its uncommitted row) …
        transaction.on_commit(forget)  # … and a copy another thread read meanwhile is dropped
    return row


# -- the parameters the kernel reads -------------------------------------------------------------
# Other apps register theirs in their own modules (imported by their AppConfig.ready()).

# Groups on the page, in this order (an app may add its own: GROUPS["services"] = "服务台").
GROUPS: dict[str, str] = {"login": "登录安全", "session": "会话", "lists": "列表与导出"}

register(
    "login.failure_limit",
    INT,
    label="登录失败锁定次数",
    help="同一账号在同一IP连续登录失败达到此次数后临时锁定",
    setting="TALENTPARK_LOGIN_FAILURE_LIMIT",
    env="TALENTPARK_LOGIN_FAILURE_LIMIT",
    group="login",
    minimum=1,
    maximum=100,
    unit="次",
)
register(
    "login.lock_minutes",
    MINUTES,
    label="登录锁定时长",
    help="锁定后多久可再次尝试登录",
    setting="TALENTPARK_LOGIN_LOCK_MINUTES",
    env="TALENTPARK_LOGIN_LOCK_MINUTES",
    group="login",
    minimum=1,
    maximum=1440,
)


def _within_cookie_age(hours: Any) -> str | None:
    """An absolute limit must end before the session cookie does (SESSION_COOKIE_AGE, fixed at
    deployment from the TALENTPARK_SESSION_ABSOLUTE_HOURS_* settings), or the cookie, not the
    middleware, would end the session, unlogged."""
    longest = (int(settings.SESSION_COOKIE_AGE) - 3600) // 3600
    return f"不能大于{longest}（部署配置的会话有效期上限）" if int(hours) > longest else None


register(
    "session.idle_minutes.staff",
    MINUTES,
    label="工作人员会话空闲超时",
    help="人才办、专员、部门等工作人员无操作超过此时长需重新登录",
    setting="TALENTPARK_SESSION_IDLE_MINUTES_STAFF",
    env="TALENTPARK_SESSION_IDLE_MINUTES_STAFF",
    group="session",
    minimum=1,
    maximum=1440,
)
register(
    "session.idle_minutes.public",
    MINUTES,
    label="人才与企业会话空闲超时",
    help="人才、企业人事等用户无操作超过此时长需重新登录",
    setting="TALENTPARK_SESSION_IDLE_MINUTES_PUBLIC",
    env="TALENTPARK_SESSION_IDLE_MINUTES_PUBLIC",
    group="session",
    minimum=1,
    maximum=10080,
)
register(
    "session.absolute_hours.staff",
    INT,
    label="工作人员会话最长时长",
    help="工作人员登录后无论是否操作，超过此时长需重新登录",
    setting="TALENTPARK_SESSION_ABSOLUTE_HOURS_STAFF",
    env="TALENTPARK_SESSION_ABSOLUTE_HOURS_STAFF",
    group="session",
    minimum=1,
    maximum=72,
    unit="小时",
    check=_within_cookie_age,
)
register(
    "session.absolute_hours.public",
    INT,
    label="人才与企业会话最长时长",
    help="人才、企业人事等用户登录后超过此时长需重新登录",
    setting="TALENTPARK_SESSION_ABSOLUTE_HOURS_PUBLIC",
    env="TALENTPARK_SESSION_ABSOLUTE_HOURS_PUBLIC",
    group="session",
    minimum=1,
    maximum=720,
    unit="小时",
    check=_within_cookie_age,
)
register(
    "list.page_size",
    INT,
    label="列表每页条数",
    help="人才库、企业库等列表页每页显示的条数",
    setting="TALENTPARK_PAGE_SIZE",
    env="TALENTPARK_PAGE_SIZE",
    group="lists",
    minimum=5,
    maximum=200,
    unit="条",
)
register(
    "api.page_max",
    INT,
    label="接口每页最多条数",
    help="接口列表一页最多返回的条数，请求更多时按此上限返回",
    setting="TALENTPARK_API_PAGE_MAX",
    env="TALENTPARK_API_PAGE_MAX",
    group="lists",
    minimum=10,
    maximum=1000,
    unit="条",
)
register(
    "export.xlsx_max_rows",
    INT,
    label="Excel导出行数上限",
    help="一次导出为 .xlsx 的最多行数，超过时请增加筛选条件或改用 CSV",
    setting="TALENTPARK_EXPORT_MAX_ROWS",
    env="TALENTPARK_EXPORT_MAX_ROWS",
    group="lists",
    minimum=1,
    maximum=1_048_575,  # a worksheet's rows, less the header
    unit="行",
)


# django-axes reads these (AXES_FAILURE_LIMIT / AXES_COOLOFF_TIME in settings.py name them).
def axes_failure_limit(request: Any, credentials: Any) -> int:
    return int(value("login.failure_limit"))


def axes_cooloff(request: Any = None) -> dt.timedelta:
    return minutes("login.lock_minutes")
