from django.contrib import admin

from talentpark.core.admin_kit import ZoneScopedAdmin
from talentpark.housing.models import ApartmentUnit


@admin.register(ApartmentUnit)
class ApartmentUnitAdmin(ZoneScopedAdmin):
    list_display = ("estate", "building", "unit_no", "kind", "layout", "area", "monthly_rent", "status")
    list_filter = ("zone", "kind", "layout", "status")
    search_fields = ("estate", "unit_no")
