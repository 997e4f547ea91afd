import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from kaikukeskus.forms import HumanCheckMixin
from localities.permissions import localities_for
from trainings import services
from trainings.models import Registration


class RegistrationForm(HumanCheckMixin, forms.Form):
    """Sign up for a training. A logged-in user registers with their account's e-mail address (shown, not asked)
    and their name and locality prefilled; a visitor gives name, e-mail, organisation and locality, and the form
    has the public forms' honeypot and minimum fill time (a logged-in user registers only their own address, and
    their prefilled form may well be sent within seconds)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"), help_text=_("The confirmation is sent here."))
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    locality = forms.ModelChoiceField(
        label=_("Locality"),
        queryset=None,
        empty_label=_("Choose a locality"),
        help_text=_("The Kaikukortti locality you work in or with."),
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dietary_needs = forms.CharField(
        label=_("Dietary needs (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The same form sent twice (a double click) finds the registration the first one made.
    submission = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, user, training, **kwargs):
        self.user = user
        signed_in = bool(getattr(user, "is_authenticated", False))
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("submission", uuid.uuid4().hex)
        localities = services.locality_choices(actor=user).order_by("name_fi")
        if signed_in:
            initial.setdefault("name", user.get_full_name())
            own = list(localities_for(user)[:2]) if not user.acts_as_national_staff else []
            if len(own) == 1:
                initial.setdefault("locality", own[0].pk)
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = localities
        if signed_in:
            # Their account's address, shown on the page: a registration of theirs is always theirs.
            del self.fields["email"]
            self.fields["organisation"].required = False
            self.fields["locality"].required = not user.acts_as_national_staff
        else:
            self.add_human_check()
        if not training.is_on_site:
            del self.fields["dietary_needs"]


class CancelForm(forms.Form):
    """The confirmation page's POST: a link checker that opens the e-mail's link (GET) cancels nothing, and a
    person asked "really cancel?" first (the manage page's button opens that question)."""

    confirm = forms.BooleanField(required=True, widget=forms.HiddenInput, initial=True)


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Mark the chosen"),
        choices=[
            (Registration.Status.ATTENDED, _("attended")),
            (Registration.Status.NO_SHOW, _("did not attend")),
            (Registration.Status.CONFIRMED, _("not marked")),
        ],
    )
    registrations = forms.ModelMultipleChoiceField(
        label=_("Participants"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, training, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registrations"].queryset = training.registrations.holding_seats()
