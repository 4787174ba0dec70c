from django.contrib import admin

from talentpark.core.admin_kit import AuditedAdmin, ZoneScopedAdmin
from talentpark.registry.models import (
    ChainSegment,
    Education,
    Enterprise,
    EnterpriseAccount,
    EnterpriseChainRole,
    FamilyMember,
    IndustryChain,
    Person,
    Platform,
    Project,
    Talent,
)


class EducationInline(admin.TabularInline):
    model = Education
    extra = 0
    autocomplete_fields = ("university",)


class FamilyInline(admin.TabularInline):
    model = FamilyMember
    extra = 0


@admin.register(Person)
class PersonAdmin(ZoneScopedAdmin):
    list_display = ("name", "sex", "birth_date", "highest_degree", "phone")
    search_fields = ("name", "name_pinyin")
    inlines = (EducationInline, FamilyInline)
    raw_id_fields = ("user", "hukou_division")


@admin.register(Talent)
class TalentAdmin(ZoneScopedAdmin):
    list_display = ("person", "zone", "employer", "professional_title", "tier", "status")
    list_filter = ("zone", "tier", "professional_title", "status")
    search_fields = ("person__name", "person__name_pinyin")
    raw_id_fields = ("person", "employer", "specialist", "department")
    list_select_related = ("person", "zone", "employer")


@admin.register(Enterprise)
class EnterpriseAdmin(ZoneScopedAdmin):
    list_display = ("name", "uscc", "zone", "industry", "scale", "is_key")
    list_filter = ("zone", "scale", "is_key", "is_high_tech")
    search_fields = ("name", "uscc")
    raw_id_fields = ("industry", "division", "specialist", "department")
    list_select_related = ("zone", "industry")


class SegmentInline(admin.TabularInline):
    model = ChainSegment
    extra = 0


@admin.register(IndustryChain)
class IndustryChainAdmin(AuditedAdmin, ZoneScopedAdmin):
    list_display = ("name", "zone", "code", "order")
    inlines = (SegmentInline,)


@admin.register(EnterpriseChainRole)
class EnterpriseChainRoleAdmin(ZoneScopedAdmin):
    list_display = ("enterprise", "chain", "segment", "role")
    list_filter = ("chain", "role")
    raw_id_fields = ("enterprise",)


@admin.register(Platform)
class PlatformAdmin(ZoneScopedAdmin):
    list_display = ("name", "kind", "level", "zone", "enterprise")
    list_filter = ("kind", "level", "zone")
    search_fields = ("name",)
    raw_id_fields = ("enterprise",)


@admin.register(Project)
class ProjectAdmin(ZoneScopedAdmin):
    list_display = ("name", "kind", "status", "zone", "enterprise")
    list_filter = ("kind", "status", "zone")
    search_fields = ("name",)
    raw_id_fields = ("enterprise", "leader")


@admin.register(EnterpriseAccount)
class EnterpriseAccountAdmin(AuditedAdmin):
    list_display = ("user", "enterprise")
    raw_id_fields = ("user", "enterprise")
