from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from talentpark.talentcode.models import SigningKey


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    """Read-only: keys are made, rotated and retired by ``talentcode.keys`` (audited), never here."""

    list_display = ("kid", "alg", "status", "created_at", "not_after", "retired_at")
    list_filter = ("status", "alg")
    search_fields = ("kid",)
    fields = ("kid", "alg", "status", "created_at", "retiring_at", "not_after", "retired_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
