"""Admin base classes. Nothing changes through the Django admin without an audit row.

* ``ReadOnlyAdmin``: logs and national code tables; viewable, never added, changed or deleted.
* ``ZoneScopedAdmin``: zone-scoped for non-superusers, PII read-only (and so shown masked) and,
  unless a subclass sets ``saves_through_services = True`` and routes ``save_model``/
  ``delete_model``/``delete_queryset`` through the app's services, **view-only**: domain records
  (people, enterprises, policies …) change only through their services, which validate and audit.
* ``AuditedAdmin``: code tables and accounts, edited in the admin directly; every addition, change
  and deletion (including inline rows, bulk deletions and the password form) writes an
  ``admin.create`` / ``admin.change`` / ``admin.delete`` audit row in the same transaction.

``core/tests/test_admin_audit.py`` walks ``admin.site._registry``: each registered admin is one of
the three (or declares its saves go through services), so a new admin cannot bypass the audit.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.core.fields import BlindIndexField, EncryptedPIIField

_BEFORE = "_tp_admin_before"


def admin_snapshot(obj: models.Model) -> dict[str, Any]:
    """Every concrete and many-to-many field of ``obj`` as JSON-safe values: PII masked, blind
    indexes left out, a password hash replaced by a short fingerprint (the diff shows a change,
    the audit trail never holds the hash)."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if isinstance(f, BlindIndexField):
            continue
        value = getattr(obj, f.attname)
        if f.name == "password" and value:
            value = "#" + hashlib.sha256(str(value).encode()).hexdigest()[:8]
        out[f.name] = value
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            out[m2m.name] = sorted(o.pk for o in getattr(obj, m2m.name).all())
    return audit.snapshot_values(out)


def _ctx(request: HttpRequest) -> ActionContext:
    return ActionContext.from_request(request, reason="管理后台")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs are append-only: viewable, never added, changed or deleted from the admin."""

    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Edits in the admin, each one audited (see the module docstring)."""

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            setattr(request, _BEFORE, admin_snapshot(obj))
        return obj

    def _record(
        self, request: HttpRequest, action: str, obj: models.Model, before: dict[str, Any] | None
    ) -> None:
        after = admin_snapshot(obj) if action != "admin.delete" else None
        if before is not None and after is not None:
            before, after = audit.diff(before, after)
        audit.record(_ctx(request), action, obj, before=before, after=after)

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._record(request, "admin.create", obj, None)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._record(request, "admin.change", obj, getattr(request, _BEFORE, {}))
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self._record(request, "admin.delete", obj, admin_snapshot(obj))
        return super().log_deletions(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        doomed = [
            (f.instance, f.instance.pk, admin_snapshot(f.instance))
            for f in formset.deleted_forms
            if f.instance.pk
        ]
        super().save_formset(request, form, formset, change)
        for obj, pk, before in doomed:
            obj.pk = pk  # Model.delete() cleared it; the audit row names the row that was deleted
            audit.record(_ctx(request), "admin.delete", obj, before=before)
        for obj in formset.new_objects:
            audit.record(_ctx(request), "admin.create", obj, after=admin_snapshot(obj))
        for obj, changed in formset.changed_objects:
            after = admin_snapshot(obj)
            audit.record(_ctx(request), "admin.change", obj, after={k: after.get(k) for k in changed})

    def response_action(
        self,
        request: HttpRequest,
        queryset: QuerySet[Any],
        action_location: ActionLocation = ActionLocation.CHANGE_LIST,
    ) -> HttpResponse | None:
        # Bulk actions (delete_selected) log and delete outside the change form's transaction.
        with transaction.atomic():
            return super().response_action(request, queryset, action_location)


class ZoneScopedAdmin(admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) over 35,000 talents on every page
    # True only where save_model/delete_model/delete_queryset call the app's audited services;
    # an ``AuditedAdmin`` subclass writes too (each change audited); any other is view-only.
    saves_through_services = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        user: Any = request.user
        if not user.is_superuser and any(f.name == "zone" for f in self.model._meta.fields):
            qs = qs.filter(zone_id=user.zone_id)
        return qs

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        pii = [f.name for f in self.model._meta.fields if isinstance(f, EncryptedPIIField | BlindIndexField)]
        return [*super().get_readonly_fields(request, obj), *pii]

    def _writes(self) -> bool:
        return self.saves_through_services or isinstance(self, AuditedAdmin)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._writes() and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._writes() and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._writes() and super().has_delete_permission(request, obj)
