"""Writing the audit trail from service functions.

A service owns its transaction and calls :func:`record` inside it; if the audit insert
fails the whole operation rolls back (it is the same transaction).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog
from talentpark.core.pii import Sensitive


def _jsonable(value: Any) -> Any:
    if isinstance(value, Sensitive):
        return value.masked  # never plaintext in the audit trail
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The listed fields of ``obj`` as JSON-safe values (FKs by id, PII masked)."""
    out: dict[str, Any] = {}
    for name in fields:
        f = obj._meta.get_field(name)
        attr = f.attname if isinstance(f, models.ForeignKey) else name
        out[name] = _jsonable(getattr(obj, attr))
    return out


def snapshot_values(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` made JSON-safe as :func:`snapshot` does (PII masked, dates as ISO strings)."""
    return {name: _jsonable(value) for name, value in values.items()}


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def record(
    ctx: ActionContext,
    action: str,
    obj: models.Model | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    zone_id: int | None = None,
    result: str = AuditLog.Result.SUCCESS,
) -> AuditLog:
    if result == AuditLog.Result.SUCCESS and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the operation's transaction")
    if zone_id is None and obj is not None:
        zone_id = getattr(obj, "zone_id", None)
    return AuditLog.objects.create(
        zone_id=zone_id if zone_id is not None else ctx.zone_id,
        actor=ctx.user,
        actor_name=ctx.user.get_username() if ctx.user else "system",
        role=ctx.role,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        before=before,
        after=after,
        reason=ctx.reason[:300],
        result=result,
        ip=ctx.ip,
        request_id=ctx.request_id,
    )


def history(obj: models.Model, limit: int = 50) -> models.QuerySet[AuditLog]:
    return AuditLog.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related(
        "actor"
    )[:limit]
