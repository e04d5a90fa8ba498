"""The form customers propose a story with. It gives the fields their labels and shapes; the
rules (lengths after cleaning, duplicates, who may) live in stories.services.submissions, whose
refusals the view shows as form errors."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stories.services import submissions as service


class TextField(forms.CharField):
    """Text a customer types: NUL refused with our message (Django's own is a generic one), never
    cut silently by the browser's maxlength (the service says what the limit is)."""

    def __init__(self, *, multiline=False, rows=6, **kwargs):
        kwargs.setdefault("strip", False)
        if multiline:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)
        self.widget.attrs.update({"dir": "auto"})

    def to_python(self, value):
        if value and "\x00" in value:
            raise ValidationError(_("The text contains a NUL character. Remove it and try again."))
        return super().to_python(value)


class StorySubmissionForm(forms.Form):
    company = TextField(label=_("Your company"), max_length=service.MAX_COMPANY * 2)
    role = TextField(
        label=_("Your role"),
        required=False,
        max_length=service.MAX_ROLE * 2,
        help_text=_("Optional, for example “Head of support”."),
    )
    achievement = TextField(
        label=_("What you achieved"),
        multiline=True,
        rows=8,
        max_length=service.MAX_ACHIEVEMENT * 2,
        help_text=_("In your own words: what was hard before, what you changed, what is better now."),
    )
    figures = TextField(
        label=_("Figures (optional)"),
        multiline=True,
        rows=3,
        required=False,
        max_length=service.MAX_FIGURES * 2,
        help_text=_("For example “first reply time from 2 days to 4 hours”."),
    )
    may_contact = forms.BooleanField(label=_("You may contact me about my story"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].widget.attrs.update({"autocomplete": "organization"})
        self.fields["role"].widget.attrs.update({"autocomplete": "organization-title"})
