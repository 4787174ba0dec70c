"""The one permission layer that pages and the API both use (the kernel's: every app imports it).

* :func:`grant` — each app grants its own permissions to roles when it loads (in its
  ``access.py``, beside its scopes), so adding an app touches no other app's code.
* :func:`has_perm` / :func:`require_perm` — may this role do this at all (403)?
* :func:`restrict` — which rows of a model may this user see or change? Each app
  registers a scope function for its models in its ``access.py``.
* :func:`get_for` — fetch one object through :func:`restrict`: "does not exist" and
  "not yours" give the same 404, so ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from talentpark.core.roles import PEOPLE_VIEW, DataScope, Role

ScopeFn = Callable[[Any, "models.QuerySet[Any]", str], "models.QuerySet[Any]"]

_SCOPES: dict[type[models.Model], tuple[str, ScopeFn]] = {}
_GRANTS: dict[str, set[str]] = {role: set() for role in Role.values}
# 系统管理员 (the system administrator) is the superuser account, not a business role: it holds
# these on top of its role's, and no business role holds them (等保 三员分立: the office runs the
# zone, the system administrator the platform).
_SYSTEM_ADMIN: set[str] = set()


def grant(grants: Mapping[str, Iterable[str]]) -> None:
    """Give roles permissions: ``{Role.OFFICE: {"housing.lease.view", …}, …}``. Called by each app
    at import of its ``access.py``; grants only add (a role holds the union of every app's)."""
    for role, perms in grants.items():
        if role not in _GRANTS:
            raise LookupError(f"unknown role {role!r}")
        _GRANTS[role].update(perms)


def grant_system_admin(*perms: str) -> None:
    """Permissions only the 系统管理员 (a superuser) holds, whatever her role."""
    _SYSTEM_ADMIN.update(perms)


def system_admin_permissions() -> frozenset[str]:
    return frozenset(_SYSTEM_ADMIN)


def role_permissions() -> dict[str, frozenset[str]]:
    """What each role holds, from every app's grants (for the access matrix and the docs)."""
    return {role: frozenset(perms) for role, perms in _GRANTS.items()}


def has_perm(user: Any, perm: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if perm in _SYSTEM_ADMIN:
        return bool(getattr(user, "is_superuser", False))  # 系统管理员 only, whatever the role
    return perm in _GRANTS.get(user.role, ())


def require_perm(user: Any, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied(perm)


def register_scope(model: type[models.Model], perm_prefix: str) -> Callable[[ScopeFn], ScopeFn]:
    """Register ``fn(user, queryset, action) -> queryset`` for ``model``.

    ``perm_prefix`` (e.g. "registry.talent") + "." + action is the role permission checked
    before the scope function runs.
    """

    def deco(fn: ScopeFn) -> ScopeFn:
        _SCOPES[model] = (perm_prefix, fn)
        return fn

    return deco


def perm_for(model: type[models.Model], action: str) -> str:
    return f"{_SCOPES[model][0]}.{action}"


def can(user: Any, model: type[models.Model], action: str = "view") -> bool:
    return has_perm(user, _required_perm(model, user, action))


def restrict[M: models.Model](qs: models.QuerySet[M], user: Any, action: str = "view") -> models.QuerySet[M]:
    """Rows of ``qs`` that ``user`` may ``action``; an empty queryset when none."""
    model = qs.model
    if model not in _SCOPES:
        raise LookupError(f"no access scope registered for {model._meta.label}")
    if not has_perm(user, _required_perm(model, user, action)):
        return qs.none()
    return _SCOPES[model][1](user, qs, action)


def _required_perm(model: type[models.Model], user: Any, action: str) -> str:
    prefix = _SCOPES[model][0]
    if action == "change" and getattr(user, "role", None) == Role.TALENT:
        return f"{prefix}.change_self"  # a talent changes only her own record
    return f"{prefix}.{action}"


def get_for[M: models.Model](
    model_or_qs: type[M] | models.QuerySet[M], user: Any, action: str = "view", **lookup: Any
) -> M:
    qs = model_or_qs if isinstance(model_or_qs, models.QuerySet) else model_or_qs._default_manager.all()
    if not has_perm(user, _required_perm(qs.model, user, action)):
        raise PermissionDenied  # the role may not do this at all: 403, not 404
    try:
        return restrict(qs, user, action).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def zone_q(user: Any, field: str = "zone") -> Q:
    """Staff and HR act inside their own zone; the province viewer in the zones of her province."""
    if user.role == Role.PROVINCE:
        return province_zone_q(user, f"{field}__division__code")
    return Q(**{f"{field}_id": user.zone_id}) if user.zone_id else Q(pk__in=[])


def province_zone_q(user: Any, division_field: str = "division__code") -> Q:
    """Rows whose GB/T 2260 division lies in the province viewer's province (none if unset)."""
    code = getattr(user, "province_id", None)
    if not code:
        return Q(pk__in=[])
    return Q(**{f"{division_field}__startswith": code[:2]})


def sees_people(user: Any) -> bool:
    """May ``user`` see people's names and contacts on non-personal records (not the province)?"""
    return has_perm(user, PEOPLE_VIEW)


def shown(cols: Any, user: Any) -> list[Any]:
    """The columns (anything with a ``personal`` flag) ``user`` may see: personal ones only for
    roles that see people."""
    return list(cols) if sees_people(user) else [c for c in cols if not getattr(c, "personal", False)]


def data_scope_q(user: Any, *, department_field: str = "department", owner_field: str = "specialist") -> Q:
    """Rows within the user's data scope (本部门 / 本部门及以下 / 仅本人 / 全部)."""
    scope = user.effective_scope
    if scope == DataScope.ALL:
        return Q()
    if scope == DataScope.SELF:
        return Q(**{f"{owner_field}_id": user.pk})
    if user.department_id is None:
        return Q(pk__in=[])
    if scope == DataScope.DEPT:
        return Q(**{f"{department_field}_id": user.department_id})
    return Q(**{f"{department_field}__path__startswith": user.department.path})


def talent_zone_ids(user: Any) -> list[int]:
    """Zones where a talent has a record (she may have moved between zones).

    A list, not a subquery: with ``zone_id IN (SELECT ...)`` SQLite cannot walk an index in the
    list's order and sorts every matching row (a zone's 4,600 open positions for a top 5: 1.9 ms
    against 0.1 ms with the zone's id as a literal).
    """
    from talentpark.core.models import Zone

    return list(Zone.objects.filter(talent__person__user=user).values_list("pk", flat=True).distinct())


def user_zone_ids(user: Any) -> list[int]:
    """The zones whose records ``user`` acts in: a talent's (where she has a talent record),
    anyone else's own zone (none for a user without one, such as the province viewer)."""
    if getattr(user, "role", None) == Role.TALENT:
        return talent_zone_ids(user)
    return [user.zone_id] if getattr(user, "zone_id", None) else []


def zone_public_scope(user: Any, qs: models.QuerySet[Any], action: str) -> models.QuerySet[Any]:
    """Non-personal rows (platforms, policies, jobs …): visible within the user's zone(s).

    A talent sees those of the zones where she has a talent record; only the office
    changes them unless an app registers a narrower rule.
    """
    if user.role == Role.TALENT:
        return qs.filter(zone_id__in=talent_zone_ids(user)) if action == "view" else qs.none()
    if action != "view" and user.role != Role.OFFICE:
        return qs.none()
    return qs.filter(zone_q(user))


# The kernel's own permissions.
grant({role: {PEOPLE_VIEW} for role in Role.values if role != Role.PROVINCE})
grant(
    {
        Role.SPECIALIST: {"pii.unmask"},
        Role.OFFICE: {
            "pii.unmask",
            "audit.view",
            "core.announcement.change",  # 通知公告
            "core.job.view",  # 定时任务
            "core.job.change",
            "core.dictionary.change",  # 字典管理: the zone's dictionaries and import synonyms
            "core.calendar.change",  # 节假日与调休: the national holiday/调休 table (core.workcalendar)
        },
    }
)
grant_system_admin("core.parameter.change")  # 参数管理: platform-wide run-time parameters


def _job_scope(user: Any, qs: models.QuerySet[Any], action: str) -> models.QuerySet[Any]:
    """定时任务: the office's zone's jobs, and the platform-wide ones to view (the 系统管理员
    changes those)."""
    if not user.zone_id:
        return qs.none()
    if action == "view" or getattr(user, "is_superuser", False):
        return qs.filter(Q(zone__isnull=True) | Q(zone_id=user.zone_id))
    return qs.filter(zone_id=user.zone_id)


def _register_kernel_scopes() -> None:
    from talentpark.core.scheduling.models import ScheduledJob

    register_scope(ScheduledJob, "core.job")(_job_scope)
