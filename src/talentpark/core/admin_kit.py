"""Admin base class: zone-scoped for non-superusers, PII read-only (and so shown masked)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from talentpark.core.fields import BlindIndexField, EncryptedPIIField


class ZoneScopedAdmin(admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) over 35,000 talents on every page

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        user: Any = request.user
        if not user.is_superuser and any(f.name == "zone" for f in self.model._meta.fields):
            qs = qs.filter(zone_id=user.zone_id)
        return qs

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        pii = [f.name for f in self.model._meta.fields if isinstance(f, EncryptedPIIField | BlindIndexField)]
        return [*super().get_readonly_fields(request, obj), *pii]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs are append-only: viewable, never added, changed or deleted from the admin."""

    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
