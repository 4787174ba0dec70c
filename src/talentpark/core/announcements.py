"""通知公告: the office writes an announcement for an audience of its zone; it shows on the
audience's home pages from its publish date to its expiry (inclusive), until it is withdrawn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.core.models import Announcement
from talentpark.core.validation import FieldErrors, parse_date

A = Announcement.Audience
STAFF_ROLES = ("office", "specialist", "dept", "ambassador", "partner")
FIELDS = ("title", "body", "audience", "department", "publish_on", "expires_on", "status")

# fn(zone_id) -> the zone's departments in the order a form lists them; the app that owns
# departments registers it (accounts), so the kernel names no model of a higher app.
_departments: Callable[[int], models.QuerySet[Any]] | None = None


def register_departments(fn: Callable[[int], models.QuerySet[Any]]) -> None:
    """Where an announcement's 指定部门 audience chooses from (once, at start-up)."""
    global _departments
    _departments = fn


def departments(zone_id: int) -> models.QuerySet[Any]:
    """The departments of ``zone_id`` an announcement may address (none if no app provides them)."""
    if _departments is None:
        return Announcement._meta.get_field("department").related_model._default_manager.none()  # type: ignore[union-attr]
    return _departments(zone_id)


def _text(errors: FieldErrors, data: dict[str, Any], name: str, label: str, limit: int) -> str:
    text = str(data.get(name) or "").strip()
    if not text:
        errors.add(name, label, "不能为空")
    elif len(text) > limit:
        errors.add(name, label, f"不能超过{limit}字")
    return text


def validate(zone_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """The announcement's fields from a form, or a ValidationError naming every bad field."""
    errors = FieldErrors()
    clean: dict[str, Any] = {
        "title": _text(errors, data, "title", "标题", 80),
        "body": _text(errors, data, "body", "正文", 2000),
    }
    audience = str(data.get("audience") or "")
    if audience not in A.values:
        errors.add("audience", "发布对象", "请选择发布对象")
    clean["audience"] = audience
    department = None
    raw_department = str(data.get("department") or "").strip()
    if audience == A.DEPARTMENT:
        if not raw_department.isdigit():
            errors.add("department", "部门", "发布对象为指定部门时必须选择部门")
        else:
            department = departments(zone_id).filter(pk=int(raw_department)).first()
            if department is None:
                errors.add("department", "部门", "不是本园区的部门")
    clean["department"] = department
    clean["publish_on"] = errors.check("publish_on", "发布日期", parse_date, data.get("publish_on"))
    expires = data.get("expires_on")
    clean["expires_on"] = errors.check("expires_on", "截止日期", parse_date, expires) if expires else None
    if clean["publish_on"] and clean["expires_on"] and clean["expires_on"] < clean["publish_on"]:
        errors.add("expires_on", "截止日期", "不能早于发布日期")
    errors.raise_if_any()
    return clean


def save(
    ctx: ActionContext, zone_id: int, data: dict[str, Any], obj: Announcement | None = None
) -> Announcement:
    """Create (``obj`` None) or change an announcement; publishing is a separate step."""
    clean = validate(zone_id, data)
    with transaction.atomic():
        if obj is None:
            obj = Announcement(zone_id=zone_id, created_by=ctx.user)
            before = None
        else:
            obj = Announcement.objects.select_for_update().get(pk=obj.pk, zone_id=zone_id)
            before = audit.snapshot(obj, FIELDS)
        for name, value in clean.items():
            setattr(obj, name, value)
        obj.save()
        audit.record(ctx, "announcement.save", obj, before=before, after=audit.snapshot(obj, FIELDS))
    return obj


def set_status(ctx: ActionContext, obj: Announcement, status: str) -> Announcement:
    """发布 or 撤回."""
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=obj.pk)
        before = audit.snapshot(locked, ("status",))
        locked.status = status
        locked.save(update_fields=["status"])
        action = (
            "announcement.publish" if status == Announcement.Status.PUBLISHED else "announcement.withdraw"
        )
        audit.record(ctx, action, locked, before=before, after={"status": status})
    return locked


def for_user(user: Any, zone_ids: list[int], today: dt.date | None = None) -> list[Announcement]:
    """The published announcements addressed to ``user`` in ``zone_ids`` that are live today."""
    if not zone_ids:
        return []
    today = today or timezone.localdate()
    audiences = [A.EVERYONE]
    if user.role == "talent":
        audiences.append(A.TALENTS)
    elif user.role == "hr":
        audiences.append(A.ENTERPRISES)
    elif user.role in STAFF_ROLES:
        audiences.append(A.STAFF)
    matches = models.Q(audience__in=audiences)
    if user.role in STAFF_ROLES and user.department_id:
        matches |= models.Q(audience=A.DEPARTMENT, department_id=user.department_id)
    live = Announcement.objects.filter(
        matches,
        zone_id__in=zone_ids,
        status=Announcement.Status.PUBLISHED,
        publish_on__lte=today,
    ).filter(models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=today))
    return list(live.only("id", "title", "body", "publish_on")[:5])
