from django import forms
from django.utils.translation import gettext_lazy as _

from communications.models.pages import Page
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
