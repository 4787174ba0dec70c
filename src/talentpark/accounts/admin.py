from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from talentpark.accounts.admin_site import VerifiedAdminSite
from talentpark.accounts.models import APIToken, Department, User

# The admin asks for the second factor too (its login is the product's two-step login).
admin.site.__class__ = VerifiedAdminSite


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "zone", "department", "is_active")
    list_filter = ("role", "zone", "is_active")
    search_fields = ("username", "display_name")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("角色与数据范围", {"fields": ("display_name", "role", "zone", "department", "data_scope")}),
    )


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "zone", "parent", "kind", "path")
    list_filter = ("zone", "kind")


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
