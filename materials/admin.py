"""The administration of materials: staff create materials, add versions with their files per language (checked on
upload), publish and withdraw versions and open drafts for comments. Every change goes through
`materials.services`."""

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kaikukeskus.admin_helpers import WithoutViewsMixin, act_on_each, object_view_url
from kaikukeskus.forms import ReasonableDateField, add_service_errors
from kaikukeskus.locking import VersionedAdminForm, VersionedAdminMixin
from kaikukeskus.spreadsheets import neutralise_cell
from materials import services
from materials.models import (
    Consultation,
    ConsultationComment,
    Material,
    MaterialFile,
    MaterialVersion,
)


def file_link(material_file: MaterialFile) -> str:
    if not material_file.pk:
        return "–"
    url = reverse(
        "materials:download",
        kwargs={
            "slug": material_file.version.material.slug,
            "pk": material_file.pk,
            "name": material_file.download_name,
        },
    )
    return format_html('<a href="{}">{}</a>', url, material_file.download_name)


class VersionInline(WithoutViewsMixin, admin.TabularInline):
    without_views = ("add", "change", "delete")
    model = MaterialVersion
    extra = 0
    fields = ["label", "status", "published_on"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Material)
class MaterialAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    form = VersionedAdminForm  # a save over another's newer one is refused, with what they saved
    list_display = ["title_fi", "kind", "audience", "visibility", "slug"]
    list_filter = ["kind", "audience", "visibility"]
    search_fields = ["title_fi", "title_sv", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title_fi"]}
    fields = [
        "slug",
        "title_fi",
        "title_sv",
        "title_en",
        "description_fi",
        "description_sv",
        "description_en",
        "kind",
        "audience",
        "visibility",
    ]
    inlines = [VersionInline]

    def save_model(self, request, obj, form, change):
        services.material_save(actor=request.user, material=obj, expected_version=form.expected_version)


class MaterialFileForm(forms.ModelForm):
    """A new file: the field's validators check format, size and content; a file the material has already is
    named here, next to the field."""

    class Meta:
        model = MaterialFile
        fields = ["language", "file"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        version = self.instance.version if self.instance.version_id else None
        if upload and version is not None:
            probe = MaterialFile()
            probe.fill_from_upload(upload)
            existing = services.duplicate_of(material=version.material, sha256=probe.sha256)
            if existing is not None:
                self.add_error("file", services.DuplicateFileError(existing).message_dict["file"])
        return cleaned


class FileInline(admin.TabularInline):
    """The version's files, one row each: language, format, size, SHA-256, downloads so far."""

    model = MaterialFile
    extra = 0
    fields = ["language", "link", "format", "size", "sha256", "uploaded_by", "downloads"]
    readonly_fields = fields
    verbose_name_plural = _("files")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(download_total=Sum("download_days__count"))

    @admin.display(description=_("downloads"))
    def downloads(self, material_file):
        return material_file.download_total or 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.status == MaterialVersion.Status.DRAFT
            and super().has_delete_permission(request, obj)
        )

    def has_view_permission(self, request, obj=None):
        return True

    @admin.display(description=_("file"))
    def link(self, material_file):
        return file_link(material_file)


class FileUploadInline(admin.TabularInline):
    """New files, a language each (fi, sv, en, plain Finnish, other)."""

    model = MaterialFile
    form = MaterialFileForm
    extra = 3
    fields = ["language", "file"]
    verbose_name = _("new file")
    verbose_name_plural = _("add files")

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_add_permission(self, request, obj=None):
        return obj is None or obj.status in (MaterialVersion.Status.DRAFT, MaterialVersion.Status.PUBLISHED)

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


class MaterialVersionForm(VersionedAdminForm):
    """A save over a newer one (another admin, a publication, a withdrawal) is refused."""

    class Meta:
        model = MaterialVersion
        fields = ["material", "label", "changes_fi", "changes_sv", "changes_en"]


@admin.register(MaterialVersion)
class MaterialVersionAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    form = MaterialVersionForm
    list_display = ["material", "label", "status", "published_on", "published_by"]
    list_filter = ["status", "material__kind", "material"]
    search_fields = ["material__title_fi", "label"]
    list_select_related = ["material", "published_by"]
    autocomplete_fields = ["material"]
    readonly_fields = ["status", "published_on", "published_by", "withdrawn_reason", "state_actions"]
    inlines = [FileInline, FileUploadInline]
    actions = ["publish"]

    def get_fields(self, request, obj=None):
        fields = ["material", "label", "changes_fi", "changes_sv", "changes_en"]
        if obj is None:
            return fields
        return [*fields, "status", "published_on", "published_by", "withdrawn_reason", "state_actions"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != MaterialVersion.Status.DRAFT:
            return [*self.readonly_fields, "material", "label"]
        if obj is not None:
            return [*self.readonly_fields, "material"]
        return self.readonly_fields

    @admin.display(description=_("actions"))
    def state_actions(self, version):
        links = []
        if version.status == MaterialVersion.Status.DRAFT:
            links.append((reverse("admin:materials_materialversion_publish", args=[version.pk]), gettext("Publish")))
        if version.status in (MaterialVersion.Status.PUBLISHED, MaterialVersion.Status.SUPERSEDED):
            links.append((reverse("admin:materials_materialversion_withdraw", args=[version.pk]), gettext("Withdraw")))
        if version.status == MaterialVersion.Status.DRAFT and not hasattr(version, "consultation"):
            links.append(
                (reverse("admin:materials_materialversion_consult", args=[version.pk]), gettext("Open for comments"))
            )
        if hasattr(version, "consultation"):
            links.append(
                (
                    reverse("admin:materials_consultation_change", args=[version.consultation.pk]),
                    gettext("Comments"),
                )
            )
        if not links:
            return "–"
        return format_html(
            " · ".join(['<a href="{}">{}</a>'] * len(links)), *[value for link in links for value in link]
        )

    def save_model(self, request, obj, form, change):
        services.material_version_save(actor=request.user, version=obj, expected_version=form.expected_version)

    def save_formset(self, request, form, formset, change):
        if formset.model is not MaterialFile:
            return super().save_formset(request, form, formset, change)
        for deleted in getattr(formset, "deleted_objects", []) or []:
            services.material_file_remove(actor=request.user, material_file=deleted)
        for file_form in formset.forms:
            if file_form in formset.deleted_forms or not file_form.has_changed():
                continue
            if not file_form.cleaned_data.get("file"):
                continue
            try:
                services.material_file_add(
                    actor=request.user,
                    version=form.instance,
                    language=file_form.cleaned_data["language"],
                    upload=file_form.cleaned_data["file"],
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        formset.new_objects, formset.changed_objects = [], []
        formset.deleted_objects = getattr(formset, "deleted_objects", [])

    @admin.action(description=_("Publish the selected drafts (each supersedes its material's current version)"))
    def publish(self, request, queryset):
        act_on_each(
            self,
            request,
            queryset,
            services.material_version_publish,
            "version",
            lambda count: ngettext("%(count)d version published.", "%(count)d versions published.", count),
        )

    def get_urls(self):
        return [
            object_view_url(self, "publish", self.publish_view),
            object_view_url(self, "withdraw", self.withdraw_view),
            object_view_url(self, "consult", self.consult_view),
            *super().get_urls(),
        ]

    def _version_or_404(self, request, object_id) -> MaterialVersion:
        version = self.get_object(request, object_id)
        if version is None:
            raise Http404
        if not self.has_change_permission(request, version):
            raise PermissionDenied
        return version

    def _form_page(self, request, version, form, title: str, button: str):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": version,
            "title": title,
            "form": form,
            "button": button,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/materials/version_form.html", context)

    def publish_view(self, request, object_id):
        """The version's own publish button: the page says what publishing does, its button publishes through
        the same service as the list's action."""
        version = self._version_or_404(request, object_id)
        current = (
            MaterialVersion.objects.filter(material_id=version.material_id, status=MaterialVersion.Status.PUBLISHED)
            .exclude(pk=version.pk)
            .first()
        )
        form = PublishForm(request.POST or None, current=current)
        if request.method == "POST" and form.is_valid():
            try:
                services.material_version_publish(
                    actor=request.user, version=version, published_on=form.cleaned_data["published_on"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.message_user(
                    request, gettext("%(version)s is published.") % {"version": version}, messages.SUCCESS
                )
                return redirect("admin:materials_materialversion_change", version.pk)
        return self._form_page(
            request, version, form, gettext("Publish %(version)s") % {"version": version}, gettext("Publish")
        )

    def withdraw_view(self, request, object_id):
        version = self._version_or_404(request, object_id)
        form = WithdrawForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.material_version_withdraw(actor=request.user, version=version, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.message_user(request, gettext("The version was withdrawn."), messages.SUCCESS)
                return redirect("admin:materials_materialversion_change", version.pk)
        return self._form_page(
            request, version, form, gettext("Withdraw %(version)s") % {"version": version}, gettext("Withdraw")
        )

    def consult_view(self, request, object_id):
        version = self._version_or_404(request, object_id)
        form = ConsultationOpenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                consultation = services.consultation_open(actor=request.user, version=version, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.message_user(request, gettext("The draft is open for comments."), messages.SUCCESS)
                return redirect("admin:materials_consultation_change", consultation.pk)
        return self._form_page(
            request,
            version,
            form,
            gettext("Open %(version)s for comments") % {"version": version},
            gettext("Open for comments"),
        )


class PublishForm(forms.Form):
    published_on = ReasonableDateField(
        label=_("Published on"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        if current is not None:
            self.fields["published_on"].help_text = gettext(
                "Publishing makes this version the current one: %(current)s is superseded, and the material's "
                "followers are told by e-mail."
            ) % {"current": current}
        else:
            self.fields["published_on"].help_text = gettext(
                "Publishing makes this version the current one, and the material's followers are told by e-mail."
            )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ConsultationOpenForm(forms.Form):
    closes_on = ReasonableDateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))
    introduction = forms.CharField(label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    partner_emails = forms.CharField(
        label=_("Partners invited by e-mail"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: e-mail, name, organisation (name and organisation may be left out)."),
    )

    def clean_partner_emails(self) -> list[tuple[str, str, str]]:
        rows = []
        validator = forms.EmailField()
        for number, line in enumerate(self.cleaned_data["partner_emails"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(",")]
            try:
                email = validator.clean(parts[0])
            except ValidationError as error:
                raise ValidationError(
                    gettext("Line %(number)s: %(error)s") % {"number": number, "error": " ".join(error.messages)}
                ) from error
            rows.append((email, parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else ""))
        return rows


class CommentInline(WithoutViewsMixin, admin.StackedInline):
    without_views = ("add", "delete")
    model = ConsultationComment
    extra = 0
    fields = ["who", "locality", "created_at", "section", "body", "status", "reply", "replied_by", "replied_at"]
    readonly_fields = ["who", "locality", "created_at", "section", "body", "replied_by", "replied_at"]

    @admin.display(description=_("who"))
    def who(self, comment):
        return comment.commenter


@admin.register(Consultation)
class ConsultationAdmin(WithoutViewsMixin, SimpleHistoryAdmin):
    """Every comment with who, locality and when; staff mark each accepted, declined or answered with a reply."""

    without_views = ("add",)  # opened from a draft version's page
    list_display = ["version", "closes_on", "opened_at", "closed_at", "comment_count"]
    list_select_related = ["version__material"]
    fields = ["version", "closes_on", "introduction", "opened_by", "opened_at", "closed_at", "export"]
    readonly_fields = ["version", "opened_by", "opened_at", "closed_at", "export"]
    inlines = [CommentInline]

    @admin.display(description=_("comments"))
    def comment_count(self, consultation):
        return consultation.comments.count()

    @admin.display(description=_("export"))
    def export(self, consultation):
        url = reverse("admin:materials_consultation_export", args=[consultation.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Comments as CSV"))

    def get_urls(self):
        return [object_view_url(self, "export", self.export_view), *super().get_urls()]

    def save_model(self, request, obj, form, change):
        services.consultation_save(actor=request.user, consultation=obj)

    def save_formset(self, request, form, formset, change):
        for comment_form in formset.forms:
            if not comment_form.has_changed():
                continue
            try:
                services.consultation_comment_answer(
                    actor=request.user,
                    comment=comment_form.instance,
                    status=comment_form.cleaned_data["status"],
                    reply=comment_form.cleaned_data.get("reply", ""),
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def export_view(self, request, object_id):
        consultation = self.get_object(request, object_id)
        if consultation is None:
            raise Http404
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"kaikukortti-comments-{consultation.version.material.slug}-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        writer = csv.writer(response)
        writer.writerow(
            [
                gettext("section or page"),
                gettext("comment"),
                gettext("who"),
                gettext("locality"),
                gettext("when"),
                gettext("status"),
                gettext("reply"),
            ]
        )
        comments = consultation.comments.select_related("author", "partner", "locality")
        for comment in comments:
            writer.writerow(
                [
                    neutralise_cell(value)
                    for value in (
                        comment.section,
                        comment.body,
                        comment.commenter,
                        str(comment.locality or ""),
                        date_format(timezone.localtime(comment.created_at), "SHORT_DATETIME_FORMAT"),
                        comment.get_status_display(),
                        comment.reply,
                    )
                ]
            )
        return response
