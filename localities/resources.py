"""Import and export of localities in the admin (django-import-export). Every imported row is validated with
the model's `full_clean()`; a bad row stops the import and is shown with its reason. Status is exported but
never imported: it changes only through the lifecycle service, which logs who moved it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from kaikukeskus.admin_spreadsheets import AdminImportResourceMixin
from kaikukeskus.locking import check_and_bump
from localities.models import Locality, Municipality, WellbeingServicesCounty


class MunicipalityCodesWidget(widgets.ManyToManyWidget):
    """Municipality codes separated by spaces ("091 049"). Unknown codes are an error, not silently dropped."""

    def __init__(self):
        super().__init__(Municipality, separator=" ", field="code")

    def clean(self, value, row=None, **kwargs):
        codes = [code.strip() for code in str(value or "").replace(",", " ").split() if code.strip()]
        municipalities = list(Municipality.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {m.code for m in municipalities})
        if unknown:
            raise ValueError(_("Unknown municipality codes: %(codes)s") % {"codes": ", ".join(unknown)})
        return municipalities


class CountyWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(WellbeingServicesCounty, field="name_fi")

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        try:
            return super().clean(value, row, **kwargs)
        except WellbeingServicesCounty.DoesNotExist as error:
            raise ValueError(_("Unknown wellbeing services county: %(name)s") % {"name": value}) from error


class LocalityResource(AdminImportResourceMixin, resources.ModelResource):
    municipalities = fields.Field(
        attribute="municipalities", column_name="municipalities", widget=MunicipalityCodesWidget()
    )
    county = fields.Field(attribute="county", column_name="county", widget=CountyWidget())
    status = fields.Field(attribute="status", column_name="status", readonly=True)

    class Meta:
        model = Locality
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name_fi",
            "name_sv",
            "name_en",
            "kind",
            "status",
            "county",
            "municipalities",
            *Locality.LIFECYCLE_DATES,
            "website",
            "feedback_email",
            "local_only_card",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def import_instance(self, instance, row, **kwargs):
        """Municipality codes are checked with the other fields, so that an unknown code is a validation error
        of its row (import-export otherwise sets many-to-many fields only after saving)."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        field = self.fields["municipalities"]
        if field.column_name in row:
            try:
                field.clean(row, **kwargs)
            except ValueError as error:
                errors["municipalities"] = [ValidationError(str(error), code="invalid")]
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        # A new version, so that a change form opened before this import reports a conflict instead of undoing it.
        check_and_bump(instance, expected_version=None)
        super().do_instance_save(instance, is_create)

    def import_data(self, dataset, **kwargs):
        # All or nothing: one bad row rolls the whole import back.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)
