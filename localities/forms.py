import datetime
import re

import phonenumbers
from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaikukeskus.forms import HumanCheckMixin, ReasonableDateField, https_formfield
from kaikukeskus.locking import VersionFormMixin
from localities import selectors
from localities.models import InterestSubmission, Locality, Municipality, Region, Side, WellbeingServicesCounty


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


# --- Outreach: the interest form on /join/ ---------------------------------------------------------------

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MARKUP = re.compile(r"[<>{}\[\]]|https?://|www\.", re.IGNORECASE)
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
MAX_LINKS_IN_MESSAGE = 2


def plain_line(value: str) -> None:
    """A name, a title or an organisation: words, not markup, links or control characters."""
    if CONTROL_CHARACTERS.search(value) or "\n" in value or "\r" in value:
        raise forms.ValidationError(_("Remove the special characters."), code="control")
    if MARKUP.search(value):
        raise forms.ValidationError(_("Write plain text, without links or the characters < > { } [ ]."), code="markup")


def plain_message(value: str) -> None:
    if CONTROL_CHARACTERS.search(value):
        raise forms.ValidationError(_("Remove the special characters."), code="control")
    if len(LINK.findall(value)) > MAX_LINKS_IN_MESSAGE:
        raise forms.ValidationError(
            _("The message may have at most %(count)s links.") % {"count": MAX_LINKS_IN_MESSAGE}, code="links"
        )


def plain_text(label, *, required=True, max_length=200, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, validators=[plain_line], **kwargs)


class InterestForm(HumanCheckMixin, forms.Form):
    """A municipality or a wellbeing services county asks to join (`services.interest_submit` decides what it
    becomes). The municipality is typed by its Finnish or Swedish name (the page lists them for the browser to
    suggest); a county is chosen instead when the county asks. Anybody sends it: the public forms' honeypot and
    minimum fill time, and the view's limits per address."""

    municipality = forms.CharField(
        label=_("Municipality"),
        required=False,
        max_length=100,
        help_text=_("Its name in Finnish or Swedish. Leave empty when a wellbeing services county asks."),
        widget=forms.TextInput(attrs={"list": "municipality-names", "autocomplete": "off"}),
    )
    county = forms.ModelChoiceField(
        label=_("or a wellbeing services county"),
        required=False,
        queryset=WellbeingServicesCounty.objects.order_by("name_fi"),
        empty_label=_("No, a municipality asks"),
    )
    organisation = plain_text(_("Organisation"), help_text=_("For example the municipality's culture services."))
    sector = forms.ChoiceField(
        label=_("Your sector"), choices=InterestSubmission.Sector.choices, widget=forms.RadioSelect
    )
    name = plain_text(_("Name"), widget=forms.TextInput(attrs={"autocomplete": "name"}))
    title = plain_text(_("Title"), required=False, widget=forms.TextInput(attrs={"autocomplete": "organization-title"}))
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The confirmation is sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=40,
        help_text=_("For example 040 123 4567 or +358 40 123 4567."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    other_sector = forms.ChoiceField(
        label=_("Is the other sector (culture, or social, health and wellbeing services) already involved?"),
        choices=InterestSubmission.OtherSector.choices,
        widget=forms.RadioSelect,
    )
    decision_stage = forms.ChoiceField(
        label=_("How far is the decision?"),
        choices=InterestSubmission.DecisionStage.choices,
        widget=forms.RadioSelect,
    )
    desired_start = ReasonableDateField(label=_("Desired start (optional)"), required=False, widget=DateInput)
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=3000,
        validators=[plain_message],
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    language = forms.ChoiceField(label=_("Language of our answer"), choices=settings.LANGUAGES)
    consent = forms.BooleanField(
        label=_("Kaikukeskus may store my contact details to answer and follow up this message."),
        help_text=_("They are erased after 24 months unless the card is adopted."),
        error_messages={"required": _("We can answer only if you allow us to store your contact details.")},
    )

    def __init__(self, *args, language: str = "fi", **kwargs):
        kwargs.setdefault("initial", {}).setdefault("language", language)
        super().__init__(*args, **kwargs)
        self.add_human_check()

    def clean_municipality(self) -> Municipality | None:
        typed = self.cleaned_data["municipality"]
        if not typed.strip():
            return None
        plain_line(typed)
        needle = selectors.fold(typed)
        matches = [
            m
            for m in Municipality.objects.only("pk", "code", "name_fi", "name_sv")
            if needle in (selectors.fold(m.name_fi), selectors.fold(m.name_sv), m.code)
        ]
        if not matches:
            raise forms.ValidationError(
                _("No municipality is called “%(name)s”. Check the spelling (Finnish or Swedish name).")
                % {"name": typed.strip()[:100]},
                code="unknown",
            )
        return matches[0]

    def clean_phone(self) -> str:
        typed = self.cleaned_data["phone"].strip()
        if not typed:
            return ""
        try:
            number = phonenumbers.parse(typed, "FI")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(
                _("This is not a phone number. Write it for example as 040 123 4567 or +358 40 123 4567."),
                code="invalid",
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

    def clean_desired_start(self):
        value = self.cleaned_data["desired_start"]
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("The desired start cannot be in the past."), code="past")
        return value

    def clean(self):
        cleaned_data = super().clean()
        if "municipality" in cleaned_data and "county" in cleaned_data:
            municipality, county = cleaned_data.get("municipality"), cleaned_data.get("county")
            if municipality is None and county is None:
                self.add_error(
                    "municipality", _("Write the municipality's name or choose a wellbeing services county.")
                )
            elif municipality is not None and county is not None:
                self.add_error("county", _("Choose either a municipality or a county, not both."))
        return cleaned_data


class ProspectLostForm(forms.Form):
    reason = forms.CharField(
        label=_("Why was the prospect lost?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: no budget, the board decided against it, no partner on the other sector."),
    )
    on = ReasonableDateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _staff_choices():
    from kaikukeskus.models import User

    return User.objects.national_staff().order_by("first_name", "last_name", "email")


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class FeedbackMeetingTimeForm(forms.Form):
    """A planned meeting's day and times, as `starts_at` and `ends_at` in the site's time zone; also the form
    that moves a planned meeting."""

    date = ReasonableDateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput(), required=False)

    def clean(self):
        cleaned = super().clean()
        date, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if date and start:
            zone = timezone.get_current_timezone()
            cleaned["starts_at"] = timezone.make_aware(datetime.datetime.combine(date, start), zone)
            cleaned["ends_at"] = timezone.make_aware(datetime.datetime.combine(date, end), zone) if end else None
            if end and end <= start:
                self.add_error("end_time", _("The meeting must end after it starts."))
        return cleaned


class FeedbackMeetingCancelForm(forms.Form):
    reason = optional_text(
        _("Message to those invited"), help_text=_("Optional; sent with the cancellation, for example a new plan.")
    )


class FeedbackMeetingPlanForm(FeedbackMeetingTimeForm):
    place = forms.CharField(
        label=_("Place"), max_length=300, required=False, help_text=_("For example the library's meeting room.")
    )
    online_link = forms.URLField(label=_("Online meeting link"), max_length=500, required=False, assume_scheme="https")
    agenda = optional_text(_("Agenda"), help_text=_("One item a line."))
    staff = StaffChoiceField(
        label=_("Kaikukeskus staff invited"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = _staff_choices()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("online_link") and not self.has_error("online_link"):
            self.add_error("place", _("Give a place or an online meeting link."))
        return cleaned


class FeedbackMeetingGuestsForm(forms.Form):
    contacts = forms.MultipleChoiceField(
        label=_("Local partners' contact persons"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_addresses = forms.CharField(
        label=_("Other e-mail addresses"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address a line."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES, initial="fi", widget=forms.RadioSelect
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {candidate.email: candidate for candidate in candidates}
        self.fields["contacts"].choices = [
            (candidate.email, f"{candidate.label} <{candidate.email}>") for candidate in candidates
        ]

    def clean_other_addresses(self) -> list[str]:
        addresses = [line.strip() for line in self.cleaned_data["other_addresses"].splitlines() if line.strip()]
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(_("%(address)s is not an e-mail address."), params={"address": address}) from None
        return addresses

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("contacts") and not cleaned.get("other_addresses"):
            raise ValidationError(_("Choose a contact person or write an address."))
        return cleaned

    @property
    def addresses(self) -> list[tuple[str, str]]:
        chosen = [(self.candidates[email].name, email) for email in self.cleaned_data["contacts"]]
        return chosen + [("", address) for address in self.cleaned_data["other_addresses"]]


class FeedbackMeetingRecordForm(forms.Form):
    participants = StaffChoiceField(
        label=_("Kaikukeskus participants"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    attendance = optional_text(_("Attendance"), help_text=_("Who took part from the locality and its partners."))
    attendee_count = forms.IntegerField(label=_("Number of attendees"), min_value=0, max_value=9999, required=False)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    action_description = forms.CharField(
        label=_("New follow-up action"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    action_owner = forms.CharField(label=_("Owner of the action"), required=False, max_length=150)
    action_due_on = ReasonableDateField(label=_("Action due on"), widget=DateInput(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = _staff_choices()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action_description") and not cleaned.get("action_due_on"):
            self.add_error("action_due_on", _("Give the action a due date."))
        return cleaned

    @property
    def action(self) -> dict | None:
        if not self.cleaned_data.get("action_description"):
            return None
        return {
            "description": self.cleaned_data["action_description"],
            "owner_name": self.cleaned_data["action_owner"],
            "due_on": self.cleaned_data["action_due_on"],
        }


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
