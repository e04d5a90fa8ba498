"""Forms of the feedback board. They give the fields their labels and shapes; the rules (lengths
after cleaning, Markdown limits, duplicates, who may) live in customer_council.services.ideas,
whose refusals the views show as form errors."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from customer_council.models import IdeaStatus, ProductArea, Team
from customer_council.services import ideas as idea_service


class TextField(forms.CharField):
    """Text a member types: NUL refused with our message (Django's own would be a generic one),
    never stripped silently by the browser's maxlength (the service says what the limit is)."""

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


class IdeaForm(forms.Form):
    title = TextField(
        label=_("Title"),
        max_length=idea_service.MAX_TITLE * 2,
        help_text=_("A short summary, as you would say it to a colleague."),
    )
    problem = TextField(
        label=_("The problem it solves"), multiline=True, rows=4, max_length=idea_service.MAX_PROBLEM * 2
    )
    body = TextField(
        label=_("Details"),
        multiline=True,
        rows=8,
        required=False,
        max_length=idea_service.MAX_BODY * 2,
        help_text=_("Optional. Markdown works."),
    )
    product_area = forms.ModelChoiceField(
        queryset=ProductArea.objects.all(), label=_("Product area"), required=False, empty_label=_("Not sure")
    )
    tags = TextField(label=_("Tags"), required=False, max_length=400, help_text=_("Separated by commas."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs.update({"autocomplete": "off", "data-idea-title": ""})


class CommentForm(forms.Form):
    body = TextField(
        label=_("Your comment"),
        multiline=True,
        rows=4,
        max_length=idea_service.MAX_COMMENT * 2,
        help_text=_("Markdown works."),
    )


class StatusChangeForm(forms.Form):
    status = forms.ModelChoiceField(
        queryset=IdeaStatus.objects.exclude(kind=IdeaStatus.Kind.DUPLICATE), label=_("New status"), empty_label=None
    )
    note = TextField(
        label=_("Note to members"),
        multiline=True,
        rows=4,
        required=False,
        max_length=idea_service.MAX_NOTE * 2,
        help_text=_("Optional. Voters and followers are told; Markdown works."),
    )


class TeamForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.all(), label=_("Team"), required=False, empty_label=_("None"))


class MergeForm(forms.Form):
    target = forms.IntegerField(label=_("Number of the idea this one duplicates"), min_value=1, max_value=2**63 - 1)
