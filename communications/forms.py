from django import forms
from django.utils.translation import gettext_lazy as _

from communications.models.newsletter import LANGUAGE_CHOICES
from communications.models.pages import Page
from kaikukeskus.forms import HumanCheckMixin
from kaikukeskus.locking import VersionedAdminForm, VersionFormMixin
from kaikukeskus.search import MAX_QUERY_LENGTH, clean_query


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the site"),
        help_text=_("Localities, venues, materials, trainings, news and pages."),
        # Longer queries are cut (kaikukeskus.search.clean_query), not refused.
        widget=forms.TextInput(attrs={"type": "search", "maxlength": MAX_QUERY_LENGTH}),
    )

    def clean_q(self) -> str:
        query = clean_query(self.cleaned_data["q"])
        if not query:
            raise forms.ValidationError(_("Type at least two letters."), code="too_short")
        return query


class PagePublishForm(VersionFormMixin, forms.Form):
    """Only the version of the draft the preview showed."""


class PageAdminForm(VersionedAdminForm):
    class Meta:
        model = Page
        fields = [
            "key",
            "draft_title_fi",
            "draft_body_fi",
            "draft_title_sv",
            "draft_body_sv",
            "draft_title_en",
            "draft_body_en",
        ]
        widgets = {f"draft_body_{language}": forms.Textarea(attrs={"rows": 16}) for language in ("fi", "sv", "en")}


class SubscribeForm(HumanCheckMixin, forms.Form):
    """A visitor subscribes to the newsletter (the public forms' honeypot and minimum fill time)."""

    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    language = forms.ChoiceField(
        label=_("Language of the newsletter"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect
    )

    def __init__(self, *args, language: str = "fi", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = language if language in dict(LANGUAGE_CHOICES) else "fi"
        self.add_human_check()


class NewsletterSendForm(forms.Form):
    """Staff confirm the number of recipients they were shown."""

    recipients = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class NewsletterPreferenceForm(forms.Form):
    receive = forms.BooleanField(
        label=_("Send me the Kaikukortti newsletter"),
        required=False,
        help_text=_("Kaikukeskus's newsletter of news and announcements, a few times a year."),
    )
