from django import forms
from django.utils.translation import gettext_lazy as _

from materials.models import Audience, ConsultationComment, Kind, Language


class LibraryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("A word from the title or the description."),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices])
    audience = forms.ChoiceField(
        label=_("For whom"), required=False, choices=[("", _("All audiences")), *Audience.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All languages")), *Language.choices]
    )


class CommentForm(forms.ModelForm):
    class Meta:
        model = ConsultationComment
        fields = ["section", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}
