from typing import Any

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from talentpark.accounts.admin_site import VerifiedAdminSite
from talentpark.accounts.models import APIToken, Department, User
from talentpark.core.admin_kit import AuditedAdmin, ReadOnlyAdmin

# The admin asks for the second factor too (its login is the product's two-step login).
admin.site.__class__ = VerifiedAdminSite


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ("username", "display_name", "role", "zone", "department", "is_active")
    list_filter = ("role", "zone", "is_active")
    search_fields = ("username", "display_name")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("角色与数据范围", {"fields": ("display_name", "role", "zone", "department", "data_scope")}),
    )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # Django's password form saves and logs outside a transaction; the audit row needs one.
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("name", "zone", "parent", "kind", "path")
    list_filter = ("zone", "kind")


@admin.register(APIToken)
class APITokenAdmin(AuditedAdmin):
    """Tokens are issued by ``talentpark issue_api_token`` (the secret is shown once); here they are
    viewed and revoked."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Roles live in code (accounts/roles.py), not in auth groups: nothing to edit there.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)

# django-axes' records: the logs are read-only; deleting an attempt unlocks an account, audited.
for _model in (AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AuditedAdmin, axes_admin.AccessAttemptAdmin):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin, axes_admin.AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(ReadOnlyAdmin, axes_admin.AccessFailureLogAdmin):
    pass


# Authenticators change on 账号安全 and through the office's reset (both audited): read-only here.
import django_otp.plugins.otp_totp.admin  # noqa: E402, F401  (registers its admin first, to replace it)
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
