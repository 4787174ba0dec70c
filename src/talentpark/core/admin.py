from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from talentpark.core import synonyms
from talentpark.core.admin_kit import AuditedAdmin, ReadOnlyAdmin, ZoneScopedAdmin
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog, CodeSynonym, Division, Industry, PIIAccessLog, University, Zone


@admin.register(Zone)
class ZoneAdmin(AuditedAdmin):
    list_display = ("code", "name", "division")


@admin.register(Division)
class DivisionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "parent", "is_current", "valid_from", "valid_to")
    search_fields = ("code", "name")
    list_filter = ("level", "is_current")


@admin.register(University)
class UniversityAdmin(AuditedAdmin):
    list_display = ("name", "kind", "is_985", "is_211", "is_double_first_class")
    list_filter = ("is_985", "is_211", "is_double_first_class", "kind")
    search_fields = ("name",)


@admin.register(CodeSynonym)
class CodeSynonymAdmin(ZoneScopedAdmin):
    """The office's own spellings of coded values; national rows (no zone) for superusers."""

    list_display = ("table", "spelling", "code", "zone")
    list_filter = ("table",)
    search_fields = ("spelling",)
    fields = ("zone", "table", "spelling", "code")
    saves_through_services = True  # core.synonyms.add/change/remove_synonym audit each change

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if not getattr(request.user, "is_superuser", False):
            readonly.append("zone")
        if obj is not None:
            readonly += ["table", "spelling"]
        return readonly

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        ctx = ActionContext.from_request(request, reason="admin")
        if change:
            saved = synonyms.change_synonym(ctx, obj, obj.code)
        else:
            user: Any = request.user
            zone = obj.zone if user.is_superuser else user.zone
            saved = synonyms.add_synonym(ctx, zone, obj.table, obj.spelling, obj.code)
        obj.pk, obj.zone_id, obj.spelling = saved.pk, saved.zone_id, saved.spelling

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        synonyms.remove_synonym(ActionContext.from_request(request, reason="admin"), obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        ctx = ActionContext.from_request(request, reason="admin")
        for row in queryset:
            synonyms.remove_synonym(ctx, row)


@admin.register(Industry)
class IndustryAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "parent")
    search_fields = ("code", "name")
    list_filter = ("level",)


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "role", "action", "object_repr", "result", "ip")
    list_filter = ("action", "result", "role")
    search_fields = ("actor_name", "object_repr", "action")


@admin.register(PIIAccessLog)
class PIIAccessLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "role", "subject_repr", "field", "reason", "granted", "ip")
    list_filter = ("field", "granted")
    search_fields = ("actor_name", "subject_repr")
