"""Form helpers every app's views share."""

import time

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaikukeskus.models import User
from kaikukeskus.validators import validate_reasonable_date


def https_formfield(field, **kwargs):
    """A ModelForm's `formfield_callback`: a web address typed without a scheme is https (Django 5.2 still
    assumes http, and warns). The admins without a form of their own say the same with `formfield_overrides`."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ReasonableDateField(forms.DateField):
    """A date a person types, within the portal's years (`validate_reasonable_date`, which model date fields carry
    too): for the plain forms' dates."""

    default_validators = [validate_reasonable_date]


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one, else on top, so that the
    person sees it next to what they typed."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


# --- Public forms: a honeypot and a minimum fill time -----------------------------------------------------

HUMAN_CHECK_SALT = "kaikukeskus.forms.human-check"
# A person reads the page and types (or lets the browser fill in) before sending; a bot posts at once. Low, so
# that autofill and a quick click are not refused; a form left open this long is shown again with a new time.
HUMAN_MIN_FILL_SECONDS = 2
HUMAN_MAX_FILL_SECONDS = 24 * 60 * 60


def started_token(at: float | None = None) -> str:
    """The signed time a form was shown (`at`, a Unix time; now by default)."""
    return signing.Signer(salt=HUMAN_CHECK_SALT).sign(f"{time.time() if at is None else at:.3f}")


def seconds_since_started(token: str) -> float | None:
    """How long ago the form with this token was shown; None when the token is missing or altered."""
    try:
        return time.time() - float(signing.Signer(salt=HUMAN_CHECK_SALT).unsign(token or ""))
    except (signing.BadSignature, ValueError):
        return None


class HoneypotInput(forms.TextInput):
    """A text box that people never see, never reach with Tab and that browsers do not fill in; simple bots fill
    every box. Its `widget_type` is "honeypot": `.field-honeypot` (site.css) puts the field's wrapper off-screen,
    and its template hides it from screen readers too; its label asks anybody who meets it to leave it empty."""

    def __init__(self, attrs=None):
        super().__init__({"tabindex": "-1", "autocomplete": "off", **(attrs or {})})


class HumanCheckMixin:
    """For a form that anybody can send without logging in: a honeypot field (`website`) and the signed time the
    form was shown (`started`). A form with the honeypot filled in, without a valid time, or sent sooner than
    `HUMAN_MIN_FILL_SECONDS` after it was shown is refused with a form error that blames nobody and asks to send
    the form again; the view saves and sends nothing as the form is not valid. Call `add_human_check()` in
    `__init__`, for visitors only: a logged-in person is known."""

    HONEYPOT = "website"
    STARTED = "started"

    def add_human_check(self) -> None:
        self.fields[self.HONEYPOT] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=HoneypotInput,
            template_name="kaikukeskus/honeypot_field.html",
        )
        # A callable initial: a new time each time the empty form is shown; a sent form keeps its own.
        self.fields[self.STARTED] = forms.CharField(required=False, initial=started_token, widget=forms.HiddenInput)

    def clean(self):
        cleaned_data = super().clean()
        if self.STARTED not in self.fields:
            return cleaned_data
        elapsed = seconds_since_started(self.data.get(self.add_prefix(self.STARTED), ""))
        if (
            self.data.get(self.add_prefix(self.HONEYPOT))
            or elapsed is None
            or not (HUMAN_MIN_FILL_SECONDS <= elapsed <= HUMAN_MAX_FILL_SECONDS)
        ):
            self._renew_human_check(renew_time=elapsed is None or elapsed > HUMAN_MAX_FILL_SECONDS)
            raise ValidationError(
                _("The form could not be sent. Please check the details and send the form again."), code="unsent"
            )
        return cleaned_data

    def _renew_human_check(self, *, renew_time: bool) -> None:
        """The form shown again works when a person sends it again: the honeypot empty (a password manager may
        have filled it) and, when the time was missing, altered or too old, a new one. A form sent too soon keeps
        its time, which by the next try is old enough."""
        data = self.data.copy()
        data[self.add_prefix(self.HONEYPOT)] = ""
        if renew_time:
            data[self.add_prefix(self.STARTED)] = started_token()
        self.data = data


class AccountForm(forms.ModelForm):
    """ "My account": a person's name, the language of their e-mails and the reminders they may turn off."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "preferred_language", "wants_overdue_reminders", "wants_consultation_mail"]
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "preferred_language": _("Language of your e-mails"),
            "wants_overdue_reminders": _("Reminders of overdue pilot milestones and follow-up actions"),
            "wants_consultation_mail": _("News of materials opened for comments"),
        }
        widgets = {"preferred_language": forms.RadioSelect}
