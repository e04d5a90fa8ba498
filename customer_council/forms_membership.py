"""Forms of the membership pages: answering an invitation, accepting agreements, the directory entry."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class InvitationAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class AgreementsForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read and accept these agreements"),
        error_messages={"required": _("Tick the box to accept the agreements, or leave the council area.")},
    )
    #: The revisions the page showed, so a version published while reading is not accepted unseen.
    revisions = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def clean_revisions(self):
        parts = self.cleaned_data["revisions"].split(",")
        if not all(part.isascii() and part.isdigit() and len(part) < 12 for part in parts):
            raise ValidationError(_("The form was changed. Reload the page and try again."))
        return [int(part) for part in parts]


class DirectoryTextField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 120)
        super().__init__(**kwargs)
        self.widget.attrs.update({"dir": "auto"})

    def to_python(self, value):
        # Django's own NUL check says "Null characters are not allowed."; ours says what to do.
        if value and "\x00" in value:
            raise ValidationError(_("The text contains a NUL character. Remove it and try again."))
        return super().to_python(value)


class DirectoryEntryForm(forms.Form):
    """A member's own entry: what they tell other members, and which of it is shown."""

    company = DirectoryTextField(label=_("Company"))
    show_company = forms.BooleanField(label=_("Show my company to other members"), required=False)
    role = DirectoryTextField(label=_("Role"))
    show_role = forms.BooleanField(label=_("Show my role to other members"), required=False)
    region = DirectoryTextField(label=_("Region"))
    show_region = forms.BooleanField(label=_("Show my region to other members"), required=False)
