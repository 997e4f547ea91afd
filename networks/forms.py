"""Forms validate; services write. The locality never comes from a form: it is the URL's, already scoped, so a
posted locality id is ignored, and the municipality choices are the locality's own."""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaikukeskus.forms import ReasonableDateField, https_formfield
from kaikukeskus.locking import VersionFormMixin
from kaikukeskus.spreadsheet_reader import validate_upload
from localities.models import Locality
from networks.models import (
    ACCESSIBILITY_QUESTIONS,
    ChecklistSection,
    ContactPerson,
    CoveredOffer,
    Partner,
    PartnerRole,
    Sector,
    SelfAssessment,
    SelfAssessmentAnswer,
    VenueAccessibility,
    validate_phone,
)
from networks.services import (
    ACCESSIBILITY_FIELDS,
    COMMITMENT_FIELDS,
    CONTACT_FIELDS,
    PARTNER_FIELDS,
    ContactChange,
    SelfAssessmentValue,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# The partner form in groups. Each role's own fields are a group of their own: the page shows both groups
# without JavaScript (and the form ignores the group of the other role), or only the chosen role's with it.
GENERAL_FIELDS = ("role", "name", "parent_organisation", "municipality", "address", "website")
VENUE_FIELDS = ("sector", "category", "offer_fi", "offer_sv", "offer_en", "listed_publicly")
ISSUER_FIELDS = ("issuer_kind",)
MEMBERSHIP_FIELDS = ("joined_on", "left_on", "commitment_acknowledged_on", "commitment_kind")
ROLE_FIELDS = {PartnerRole.VENUE: VENUE_FIELDS, PartnerRole.ISSUER: ISSUER_FIELDS}


class PartnerForm(VersionFormMixin, forms.ModelForm):
    class Meta:
        model = Partner
        fields = PARTNER_FIELDS
        formfield_callback = https_formfield
        widgets = {
            "joined_on": DateInput(),
            "left_on": DateInput(),
            "commitment_acknowledged_on": DateInput(),
            "offer_fi": forms.Textarea(attrs={"rows": 3}),
            "offer_sv": forms.Textarea(attrs={"rows": 3}),
            "offer_en": forms.Textarea(attrs={"rows": 3}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
        }

    def __init__(self, *args, locality: Locality, **kwargs):
        super().__init__(*args, **kwargs)
        # Model.clean() needs the locality for the municipality and name rules.
        self.instance.locality = locality
        self.fields["municipality"].queryset = locality.municipalities.order_by("name_fi")
        self.fields["municipality"].error_messages["invalid_choice"] = _("Choose one of the locality's municipalities.")
        self.fields["website"].error_messages["invalid"] = _("Enter a web address such as https://www.example.fi.")
        self.fields["name"].widget.attrs["autocomplete"] = "organization"

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        # The other role's fields mean nothing for this partner (the model empties them): a mistake in one of
        # them, which the person could not even see with JavaScript on, must not stop the save.
        for other_role, names in ROLE_FIELDS.items():
            if role and role != other_role:
                for name in names:
                    self._errors.pop(name, None)
                    cleaned[name] = False if name == "listed_publicly" else ""
        return cleaned

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in PARTNER_FIELDS}

    def fieldsets(self) -> list[dict]:
        """The groups of the page: legend, role (for the script that hides the other role's group), fields."""
        return [
            {"legend": _("Partner"), "role": "", "fields": [self[name] for name in GENERAL_FIELDS]},
            {"legend": _("Venue"), "role": PartnerRole.VENUE, "fields": [self[name] for name in VENUE_FIELDS]},
            {"legend": _("Issuer"), "role": PartnerRole.ISSUER, "fields": [self[name] for name in ISSUER_FIELDS]},
            {
                "legend": _("Membership of the network"),
                "role": "",
                "fields": [self[name] for name in MEMBERSHIP_FIELDS],
            },
        ]


class ContactForm(VersionFormMixin, forms.ModelForm):
    class Meta:
        model = ContactPerson
        # A fresh list: the inline formset appends its foreign key to the form's field list.
        fields = list(CONTACT_FIELDS)
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["invalid"] = _("Enter an e-mail address such as name@example.fi.")
        self.fields["phone"].validators = [validate_phone]
        self.fields["phone"].help_text = _("For example 040 123 4567 or +358 40 123 4567.")

    def _post_clean(self):
        super()._post_clean()
        # A malformed phone number stays out of the instance, so the model's "e-mail or phone" rule would blame
        # the e-mail field as well: the phone field's own error is the one to show.
        if self.has_error("phone") and self.has_error("email", "email_or_phone") and len(self.errors["email"]) == 1:
            del self._errors["email"]


class BaseContactFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        # Django validates a posted contact id against every contact in the database and then treats an id
        # that is not this partner's as a new row; refuse it outright instead (guessed or tampered ids).
        for form in self.initial_forms:
            posted = form.cleaned_data.get("id") if hasattr(form, "cleaned_data") else None
            if posted is not None and posted.pk != form.instance.pk:
                raise forms.ValidationError(_("A contact person does not belong to this partner."))
        if any(self.errors):
            return
        primaries = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("is_primary")
        ]
        if len(primaries) > 1:
            raise forms.ValidationError(_("Mark only one contact person as the primary contact."))

    def changes(self) -> list[ContactChange]:
        """The rows the person changed (an untouched contact is not saved again, so it cannot undo someone
        else's edit), each with the version it was opened with."""
        changes = []
        for form in self.forms:
            if not form.has_changed():
                continue  # an empty extra row, or a contact left as it was
            pk = form.instance.pk
            version = form.expected_version
            if self.can_delete and self._should_delete_form(form):
                if pk:
                    changes.append(ContactChange(pk=pk, delete=True, version=version))
                continue
            values = {name: form.cleaned_data[name] for name in CONTACT_FIELDS}
            changes.append(ContactChange(pk=pk, values=values, version=version))
        return changes


ContactFormSet = inlineformset_factory(
    Partner,
    ContactPerson,
    form=ContactForm,
    formset=BaseContactFormSet,
    extra=2,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


class AccessibilityForm(VersionFormMixin, forms.ModelForm):
    """A venue's accessibility answers: each question yes, no or not known (the default, never read as no)."""

    class Meta:
        model = VenueAccessibility
        fields = ACCESSIBILITY_FIELDS
        widgets = {
            **dict.fromkeys(ACCESSIBILITY_QUESTIONS, forms.RadioSelect),
            "checked_on": DateInput(),
            "booking_fi": forms.Textarea(attrs={"rows": 2}),
            "booking_sv": forms.Textarea(attrs={"rows": 2}),
            "booking_en": forms.Textarea(attrs={"rows": 2}),
            "notes_fi": forms.Textarea(attrs={"rows": 3}),
            "notes_sv": forms.Textarea(attrs={"rows": 3}),
            "notes_en": forms.Textarea(attrs={"rows": 3}),
            "companion_free": forms.RadioSelect,
        }

    covers = forms.MultipleChoiceField(
        label=_("The card covers"),
        required=False,
        choices=CoveredOffer.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].help_text = _("Leave empty to use today's date.")

    def clean(self):
        cleaned = super().clean()
        self.check_version()
        return cleaned

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ACCESSIBILITY_FIELDS}

    @staticmethod
    def _display(field: forms.Field, value) -> str:
        if isinstance(value, list | tuple):  # the offers the card covers
            labels = dict(CoveredOffer.choices)
            return ", ".join(str(labels.get(item, item)) for item in value) or "–"
        return VersionFormMixin._display(field, value)

    def fieldsets(self) -> list[dict]:
        return [
            {"legend": _("Accessibility"), "fields": [self[key] for key in ACCESSIBILITY_QUESTIONS]},
            {"legend": _("The venue's commitment"), "fields": [self[name] for name in COMMITMENT_FIELDS]},
            {
                "legend": _("Booking and more information"),
                "fields": [
                    self[name]
                    for name in ACCESSIBILITY_FIELDS
                    if name not in ACCESSIBILITY_QUESTIONS and name not in COMMITMENT_FIELDS
                ],
            },
        ]


class VenueLinkForm(forms.Form):
    """Send the venue's contact person a link to its own forms."""

    contact = forms.ModelChoiceField(label=_("Contact person"), queryset=ContactPerson.objects.none())
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=settings.LANGUAGES)

    def __init__(self, *args, partner: Partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = partner.contacts.exclude(email="").order_by("-is_primary", "name")


class IssuerDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Do not approve"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the issuer is not approved. The coordinators see it."),
    )


class PartnerEndForm(forms.Form):
    left_on = ReasonableDateField(
        label=_("Left on"),
        widget=DateInput(),
        help_text=_("The first day the partner is no longer in the network."),
    )

    def __init__(self, *args, partner: Partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner
        self.fields["left_on"].initial = timezone.localdate()

    def clean_left_on(self):
        left_on = self.cleaned_data["left_on"]
        if left_on < self.partner.joined_on:
            raise forms.ValidationError(_("The end date cannot be before the joining date."))
        return left_on


class PartnerImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet file"),
        help_text=_("CSV (semicolons or commas; UTF-8 or Excel's Windows encoding) or Excel .xlsx, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload)
        return upload


class PartnerImportConfirmForm(forms.Form):
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


# --- Filters ----------------------------------------------------------------------------------------------


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=PartnerRole.choices, empty_label=_("All"))
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices, empty_label=_("All"))
    active = django_filters.ChoiceFilter(
        label=_("In the network"),
        choices=[("yes", _("Active")), ("no", _("Ended"))],
        empty_label=_("All"),
        method="filter_active",
    )
    missing_primary = django_filters.BooleanFilter(
        label=_("Only those without a primary contact"),
        method="filter_missing_primary",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Partner
        fields = ["q", "role", "sector", "active", "missing_primary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})
        self.form.fields["q"].help_text = _("Name, parent organisation, municipality or contact person.")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(parent_organisation__icontains=value)
            | Q(municipality__name_fi__icontains=value)
            | Q(municipality__name_sv__icontains=value)
            # Correlated with each of the locality's partners: never a scan of every contact person in the country.
            | Exists(
                ContactPerson.objects.filter(partner=OuterRef("pk")).filter(
                    Q(name__icontains=value) | Q(email__icontains=value)
                )
            )
        )

    def filter_active(self, queryset, name, value):
        today = timezone.localdate()
        active = queryset.active_on(today)
        if value == "yes":
            return active
        if value == "no":
            return queryset.exclude(pk__in=active.values("pk"))
        return queryset

    def filter_missing_primary(self, queryset, name, value):
        return queryset.filter(has_primary_contact=False) if value else queryset


def accessibility_filter_field() -> forms.MultipleChoiceField:
    """`?accessibility=KEY` (repeatable): only venues that answered yes to each question ticked."""
    return forms.MultipleChoiceField(
        label=_("Accessibility"),
        required=False,
        choices=list(ACCESSIBILITY_QUESTIONS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only venues that answered yes to each question ticked."),
    )


class AccessibilityFilterForm(forms.Form):
    """The accessibility filter of a locality page's venues (a plain GET form)."""

    accessibility = accessibility_filter_field()

    def keys(self) -> list[str]:
        """The valid keys asked for; an unknown key is left out (its error shown) rather than failing the page."""
        if not self.is_bound:
            return []
        self.is_valid()
        return list(self.cleaned_data.get("accessibility") or [])


class VenueSearchForm(forms.Form):
    # Official municipality codes (`?municipality=205` is Kajaani), rendered as one plain select: the ~300
    # options through the per-option widget templates cost more than the rest of the page.
    municipality = forms.ChoiceField(
        label=_("Municipality"), required=False, widget=forms.Select(attrs={"autocomplete": "address-level2"})
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    q = forms.CharField(label=_("Search words"), required=False, max_length=100)
    accessibility = accessibility_filter_field()

    def __init__(self, *args, municipalities: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", _("All municipalities")), *municipalities]
        self.fields["municipality"].widget.template_name = "networks/widgets/select.html"
        self.fields["sector"].choices = [("", _("All sectors")), *Sector.choices]
        self.fields["q"].widget = forms.TextInput(attrs={"type": "search"})


class SelfAssessmentForm(VersionFormMixin, forms.Form):
    """One radio group (yes / partly / no, or left unanswered) and a note per question of the checklist."""

    def __init__(self, *args, rows: list, assessment: SelfAssessment | None, **kwargs):
        instance = assessment if assessment is not None else SelfAssessment()
        super().__init__(*args, versioned_instance=instance, **kwargs)
        self.rows = rows
        for row in rows:
            pk = row.question.pk
            self.fields[f"q{pk}"] = forms.ChoiceField(
                label=row.question.text,
                required=False,
                choices=[("", _("Not answered")), *SelfAssessmentAnswer.choices],
                widget=forms.RadioSelect,
                initial=row.answer,
            )
            self.fields[f"n{pk}"] = forms.CharField(
                label=_("Notes"), required=False, max_length=1000, initial=row.notes, widget=forms.TextInput
            )

    def sections(self) -> list[dict]:
        labels = dict(ChecklistSection.choices)
        groups: dict[str, list] = {}
        for row in self.rows:
            groups.setdefault(row.question.section, []).append(
                {"row": row, "answer": self[f"q{row.question.pk}"], "notes": self[f"n{row.question.pk}"]}
            )
        return [{"label": labels[section], "items": items} for section, items in groups.items()]

    def values(self) -> dict:
        return {
            row.question.pk: SelfAssessmentValue(
                answer=self.cleaned_data[f"q{row.question.pk}"], notes=self.cleaned_data[f"n{row.question.pk}"]
            )
            for row in self.rows
        }
