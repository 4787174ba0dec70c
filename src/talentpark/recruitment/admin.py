from django.contrib import admin

from talentpark.core.admin_kit import ZoneScopedAdmin
from talentpark.recruitment.models import PersonnelDemand, Position


@admin.register(Position)
class PositionAdmin(ZoneScopedAdmin):
    list_display = ("title", "enterprise", "headcount", "min_degree", "status", "published_on")
    list_filter = ("zone", "category", "status", "min_degree")
    search_fields = ("title", "enterprise__name")
    raw_id_fields = ("enterprise",)
    list_select_related = ("enterprise",)


@admin.register(PersonnelDemand)
class PersonnelDemandAdmin(ZoneScopedAdmin):
    list_display = ("title", "enterprise", "count", "urgency", "status", "reported_on")
    list_filter = ("zone", "urgency", "status")
    search_fields = ("title", "enterprise__name")
    raw_id_fields = ("enterprise",)
    list_select_related = ("enterprise",)
