"""Reference data: regions, wellbeing services counties and municipalities."""

from django.contrib import admin

from localities.models import Municipality, Region, WellbeingServicesCounty


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "name_sv"]
    search_fields = ["name_fi", "name_sv"]


@admin.register(WellbeingServicesCounty)
class WellbeingServicesCountyAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "name_sv"]
    search_fields = ["name_fi", "name_sv"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv", "region", "county"]
    list_filter = ["region", "county"]
    search_fields = ["code", "name_fi", "name_sv"]
    list_select_related = ["region", "county"]
