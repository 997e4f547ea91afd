"""Importing approved reports from a spreadsheet (CSV or Excel): checked first, then imported through
`stats.services.reports_import`."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kaikukeskus.spreadsheet_reader import MAX_UPLOAD_BYTES, validate_upload
from stats import imports, services


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV or Excel (.xlsx), at most 5 MB, with the header row below."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload)
        return upload


class ReportImportMixin:
    """The report admin's import page, `import/`."""

    def import_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        plan = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read(MAX_UPLOAD_BYTES + 1)
            check_only = "check" in request.POST
            if check_only:
                plan = imports.plan_import(name=upload.name, content=content)
            else:
                plan = services.reports_import(actor=request.user, name=upload.name, content=content)
            if not plan.errors and not check_only:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d approved report was imported from %(file)s.",
                        "%(count)d approved reports were imported from %(file)s.",
                        len(plan.rows),
                    )
                    % {"count": len(plan.rows), "file": upload.name},
                    messages.SUCCESS,
                )
                for warning in plan.warnings:
                    self.message_user(request, str(warning), messages.WARNING)
                return redirect("admin:stats_localityreport_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import approved reports"),
            "form": form,
            "plan": plan,
            "header": ",".join(imports.HEADER),
            "checked": plan is not None and "check" in request.POST,
        }
        return TemplateResponse(request, "admin/stats/localityreport/import.html", context)
