"""What the localities' admin pages share: the mixin that leaves out views, list filters and small helpers."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from localities.models import Locality, Region


class WithoutViewsMixin:
    """Leave out what this model's admin does not offer, e.g. "add" where a service elsewhere makes the rows or
    "delete" where rows are history: `without_views` names them among "add", "change" and "delete". The
    matching `has_*_permission` answers no, so that no button or action offers them, and the "add" and
    "delete" pages go from the URLs instead of answering 403. Without "change" the change page stays: Django
    shows the row there read-only."""

    without_views: tuple[str, ...] = ()

    def get_urls(self):
        names = {
            f"{self.opts.app_label}_{self.opts.model_name}_{view}" for view in self.without_views if view != "change"
        }
        return [url for url in super().get_urls() if url.name not in names]

    # Inlines take `obj` in `has_add_permission`, model admins do not: hence *args.
    def has_add_permission(self, request, *args, **kwargs):
        return "add" not in self.without_views and super().has_add_permission(request, *args, **kwargs)

    def has_change_permission(self, request, obj=None):
        return "change" not in self.without_views and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return "delete" not in self.without_views and super().has_delete_permission(request, obj)


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


def act_on_each(model_admin, request, rows, service, row_as: str, done_message: str) -> None:
    """An admin action's loop: `service(actor=…, <row_as>=row)` for each row. A row the service refuses (marked
    done by somebody else a moment ago, decided meanwhile) is told as a warning and left as it is; the rest go
    on."""
    count = 0
    for row in rows:
        try:
            service(actor=request.user, **{row_as: row})
        except ValidationError as error:
            model_admin.message_user(request, f"{row}: {' '.join(error.messages)}", messages.WARNING)
        else:
            count += 1
    model_admin.message_user(request, done_message % {"count": count}, messages.SUCCESS)


def object_view_url(model_admin, suffix: str, view):
    """An extra page of one row, `<id>/<suffix>/`, named `<app>_<model>_<suffix>`, behind the admin's login."""
    opts = model_admin.opts
    return path(
        f"<path:object_id>/{suffix}/",
        model_admin.admin_site.admin_view(view),
        name=f"{opts.app_label}_{opts.model_name}_{suffix}",
    )
