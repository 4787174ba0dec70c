"""Unmasking personal information: permission check plus an access-log row, every time."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from talentpark.core.access import has_perm, restrict
from talentpark.core.context import ActionContext
from talentpark.core.models import PIIAccessLog
from talentpark.core.pii import Sensitive


def reveal(
    ctx: ActionContext, obj: models.Model, field: str, reason: str, *, scope_model: models.Model | None = None
) -> str:
    """Return the plaintext of ``obj.field`` for ``ctx.user`` and log the read.

    ``scope_model`` is the record through which access is judged (e.g. the Talent row
    when the field lives on its Person). Without the ``pii.unmask`` permission, or for a
    record outside the user's scope, the refusal is logged and PermissionDenied raised.
    """
    reason = (reason or "").strip()
    anchor = scope_model or obj
    allowed = (
        ctx.user is not None
        and has_perm(ctx.user, "pii.unmask")
        and restrict(type(anchor)._default_manager.filter(pk=anchor.pk), ctx.user, "view").exists()
        and bool(reason)
    )
    with transaction.atomic():
        PIIAccessLog.objects.create(
            zone_id=getattr(anchor, "zone_id", None),
            actor=ctx.user,
            actor_name=ctx.user.get_username() if ctx.user else "",
            role=ctx.role,
            subject_type=obj._meta.label_lower,
            subject_id=str(obj.pk),
            subject_repr=str(obj)[:200],
            field=field,
            reason=reason[:300],
            granted=allowed,
            ip=ctx.ip,
            request_id=ctx.request_id,
        )
    if not allowed:
        raise PermissionDenied("无权查看完整个人信息" if reason else "请填写查看理由")
    value = getattr(obj, field)
    return value.plaintext_for_processing() if isinstance(value, Sensitive) else str(value or "")


def log_bulk_reveal(
    ctx: ActionContext,
    *,
    subject_type: str,
    subject_id: str,
    subject_repr: str,
    fields: Sequence[str],
    reason: str,
    zone_id: int | None,
) -> None:
    """Log one unmasked read of many records at once (an export), or refuse it.

    The rows themselves were fetched through ``restrict`` by the caller; this checks the
    ``pii.unmask`` permission and the stated reason, and writes one ``PIIAccessLog`` row:
    subject = the list and its filter, field = the PII columns. A refusal is logged too
    and raises PermissionDenied.
    """
    reason = (reason or "").strip()
    allowed = ctx.user is not None and has_perm(ctx.user, "pii.unmask") and bool(reason)
    with transaction.atomic():
        PIIAccessLog.objects.create(
            zone_id=zone_id,
            actor=ctx.user,
            actor_name=ctx.user.get_username() if ctx.user else "",
            role=ctx.role,
            subject_type=subject_type[:64],
            subject_id=subject_id[:64],
            subject_repr=subject_repr[:200],
            field=",".join(fields)[:32],
            reason=reason[:300],
            granted=allowed,
            ip=ctx.ip,
            request_id=ctx.request_id,
        )
    if not allowed:
        raise PermissionDenied("无权导出完整个人信息" if reason else "请填写导出完整个人信息的理由")
