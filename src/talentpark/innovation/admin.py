from django.contrib import admin

from talentpark.core.admin_kit import ZoneScopedAdmin
from talentpark.innovation.models import Lecturer


@admin.register(Lecturer)
class LecturerAdmin(ZoneScopedAdmin):
    list_display = ("name", "organisation", "professional_title", "specialty", "phone")
    list_filter = ("zone", "professional_title")
    search_fields = ("name", "organisation", "specialty")
    raw_id_fields = ("talent",)
