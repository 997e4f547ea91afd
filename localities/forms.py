from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaikukeskus.forms import ReasonableDateField, https_formfield
from kaikukeskus.locking import VersionFormMixin
from localities import selectors
from localities.models import Locality, Region, Side, WellbeingServicesCounty


class DateInput(forms.DateInput):
    """The browser's own date picker; the value stays ISO so it works without JavaScript too."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def optional_text(label, *, help_text) -> forms.CharField:
    """A few optional lines, at most 2,000 characters."""
    return forms.CharField(
        label=label, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), help_text=help_text
    )


class InvitationAcceptForm(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ. Type the same password twice."))
        return cleaned


class MilestoneDoneForm(VersionFormMixin, forms.Form):
    """Pass `versioned_instance=` the milestone: a correction carries the version it was opened from."""

    done_on = ReasonableDateField(label=_("Done on"), widget=DateInput(), initial=timezone.localdate)
    # What the person saw: a milestone done already (its date and note are corrected) or an open one (it is
    # marked done, and refused if somebody marked it meanwhile).
    correcting = forms.BooleanField(required=False, widget=forms.HiddenInput)
    note = optional_text(_("Note"), help_text=_("For example what was decided, or where the document is."))


class AccessRequestForm(forms.Form):
    locality = forms.ModelChoiceField(label=_("Locality"), queryset=Locality.objects.none())
    side = forms.ChoiceField(label=_("Side"), choices=Side.choices, widget=forms.RadioSelect)
    reason = optional_text(
        _("Why do you need access?"), help_text=_("For example your new role or who asked you to join.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The choices come from the same selector the service trusts: never a prospect, never one's own.
        self.fields["locality"].queryset = selectors.access_request_locality_choices(user=user)


class PublicLocalityFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Is Kaikukortti in my municipality?"),
        required=False,
        max_length=100,
        help_text=_("Type your municipality's name in Finnish or Swedish."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "address-level2"}),
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("name_fi"), required=False, empty_label=_("All regions")
    )
    county = forms.ModelChoiceField(
        label=_("Wellbeing services county"),
        queryset=WellbeingServicesCounty.objects.order_by("name_fi"),
        required=False,
        empty_label=_("All counties"),
    )


class LocalityTransitionForm(forms.Form):
    """Staff move a locality in its lifecycle (admin). The service decides what is allowed."""

    to_status = forms.ChoiceField(label=_("New status"), choices=())
    pilot_start_on = ReasonableDateField(
        label=_("Pilot start"),
        required=False,
        widget=DateInput(),
        help_text=_("Planned start when preparing; actual start when piloting."),
    )
    pilot_end_on = ReasonableDateField(label=_("Pilot end"), required=False, widget=DateInput())
    permanent_since = ReasonableDateField(label=_("Permanent since"), required=False, widget=DateInput())
    ended_on = ReasonableDateField(label=_("Ended on"), required=False, widget=DateInput())
    effective_on = ReasonableDateField(
        label=_("Effective on"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: the date that goes with the new status, or today."),
    )
    reschedule_open_milestones = forms.BooleanField(
        label=_("Move the open milestones with the pilot start"),
        required=False,
        initial=True,
        help_text=_("When the pilot starts on another day than planned, open milestones keep their distance to it."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, locality: Locality, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(value, Locality.Status(value).label) for value in allowed]
        for name in ("pilot_start_on", "pilot_end_on", "permanent_since", "ended_on"):
            self.fields[name].initial = getattr(locality, name)


class LocalityPublicFactsForm(VersionFormMixin, forms.ModelForm):
    """What a coordinator keeps current on the locality's public page (`services.locality_public_facts_update`)."""

    class Meta:
        model = Locality
        fields = list(Locality.PUBLIC_FACT_FIELDS)
        formfield_callback = https_formfield
        labels = {
            "description_fi": _("Description in Finnish"),
            "description_sv": _("Description in Swedish"),
            "description_en": _("Description in English"),
            "website": _("Local web page"),
            "feedback_email": _("Public feedback e-mail"),
            "card_access_fi": _("How to get the card here, in Finnish"),
            "card_access_sv": _("How to get the card here, in Swedish"),
            "card_access_en": _("How to get the card here, in English"),
        }
        help_texts = {
            "description_fi": _("A few sentences about Kaikukortti in your locality. The public page shows it."),
            "description_sv": _("Shown on the Swedish page; empty shows the Finnish text."),
            "description_en": _("Shown on the English page; empty shows the Finnish text."),
            "website": _("Your locality's own page about Kaikukortti, such as https://www.example.fi/kaikukortti."),
            "feedback_email": _("Where the public sends feedback about Kaikukortti in your locality."),
            "card_access_fi": _("For example which units hand the card out and whom to ask."),
            "card_access_sv": _("Shown on the Swedish page; empty shows the Finnish text."),
            "card_access_en": _("Shown on the English page; empty shows the Finnish text."),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in Locality.PUBLIC_FACT_FIELDS
            if name.startswith(("description_", "card_access_"))
        }
