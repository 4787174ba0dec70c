from django.contrib import admin

from talentpark.core.admin_kit import ZoneScopedAdmin
from talentpark.policies.models import Policy, PolicyAttachment


class AttachmentInline(admin.TabularInline):
    model = PolicyAttachment
    extra = 0


@admin.register(Policy)
class PolicyAdmin(ZoneScopedAdmin):
    list_display = ("title", "doc_number", "issuing_body", "category", "target", "status", "published_on")
    list_filter = ("zone", "category", "target", "status")
    search_fields = ("title", "doc_number")
    inlines = (AttachmentInline,)
