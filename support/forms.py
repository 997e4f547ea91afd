from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kaikukeskus import uploads
from kaikukeskus.models import User
from localities.permissions import localities_for
from support.models import Category, Question

MAX_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to `MAX_FILES` files, each checked by the portal's one upload rule set."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attachments"))
        kwargs.setdefault("help_text", uploads.HELP_TEXT)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if len(files) > MAX_FILES:
            raise ValidationError(_("At most %(count)s files at a time."), params={"count": MAX_FILES})
        cleaned = [super(AttachmentsField, self).clean(file, initial) for file in files]
        for file in cleaned:
            uploads.validate_upload(file)
        return cleaned


def _offer_localities(field: forms.ModelChoiceField, *, user) -> None:
    """The same scope the services check: only the localities the person coordinates now (the only one chosen)."""
    localities = localities_for(user).order_by("name_fi")
    field.queryset = localities
    if len(localities) == 1:
        field.initial = localities[0].pk


class QuestionForm(forms.Form):
    locality = forms.ModelChoiceField(
        label=_("Locality"),
        queryset=None,
        required=False,
        empty_label=_("None: a question about national matters"),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)
    attachments = AttachmentsField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_localities(self.fields["locality"], user=user)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    attachments = AttachmentsField()


class StaffReplyForm(ReplyForm):
    INTERNAL = "internal"
    CHOICES = [
        (Question.State.ANSWERED, _("Reply: the question is answered")),
        (Question.State.WAITING, _("Reply: wait for the locality's answer")),
        (INTERNAL, _("Internal note: staff only, nobody is told")),
    ]
    kind = forms.ChoiceField(label=_("What is this?"), choices=CHOICES, initial=Question.State.ANSWERED)


class CannedReplyChoiceForm(forms.Form):
    canned = forms.ModelChoiceField(label=_("Canned reply"), queryset=None)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
    )

    def __init__(self, *args, canned_replies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["canned"].queryset = canned_replies


class QuestionUpdateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=Question.State.choices)
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.national_staff().order_by("first_name", "last_name", "email")


class InboxFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All")), *Question.State.choices], required=False)
    overdue = forms.BooleanField(label=_("Only overdue first replies"), required=False)
    mine = forms.BooleanField(label=_("Only mine"), required=False)


class ArticleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), choices=[("", _("All")), *Category.choices], required=False)


class BookingForm(forms.Form):
    locality = forms.ModelChoiceField(label=_("Locality"), queryset=None)
    topic = forms.CharField(label=_("Topic"), max_length=300, help_text=_("What would you like to talk about?"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_localities(self.fields["locality"], user=user)


class BookingMoveForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("New time"), queryset=None)

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots
