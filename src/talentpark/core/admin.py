from django.contrib import admin

from talentpark.core.admin_kit import ReadOnlyAdmin
from talentpark.core.models import AuditLog, Division, Industry, PIIAccessLog, Zone


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "division")


@admin.register(Division)
class DivisionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "parent", "is_current")
    search_fields = ("code", "name")
    list_filter = ("level", "is_current")


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
