"""What the localities' admin pages share: list filters and small helpers (the helpers every app's admin uses are
in `kaikukeskus.admin_helpers`)."""

from django.contrib import admin
from django.http import Http404
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from localities.models import Locality, Region


class RegionFilter(admin.SimpleListFilter):
    """A locality lies in a region through its municipalities (a group may span two)."""

    title = _("region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(region.pk, region.name) for region in Region.objects.order_by("name_fi")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(pk__in=Locality.objects.filter(municipalities__region_id=self.value()).values("pk"))
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    """For milestones and follow-up actions."""

    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("open", _("Open")), ("done", _("Done"))]

    def queryset(self, request, queryset):
        # The rows' own vocabulary (`DueWorkQuerySet`): what "overdue" means is written there only.
        choices = {"yes": queryset.overdue, "open": queryset.open, "done": queryset.done}
        return choices[self.value()]() if self.value() in choices else queryset


def int_or_404(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise Http404 from error


def overdue_flag(count: int) -> str:
    """Overdue counts stand out by weight and a sign, not by colour alone."""
    if count:
        return format_html('<strong class="overdue">⚠ {}</strong>', count)
    return "0"
