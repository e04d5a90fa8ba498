"""The customer's forms behind an approval or withdrawal link (stories.consent_views)."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stories.services.consent import Scope

#: The furthest end date a customer may set on their consent.
MAX_CONSENT_YEARS = 10


class ApprovalForm(forms.Form):
    """Approve the story with a scope, or ask for changes (the ``decision`` button)."""

    DECISIONS = [("approve", _("Approve")), ("changes", _("Request changes"))]

    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Your name"), max_length=120)
    show_name = forms.BooleanField(label=_("Our company's name"), required=False)
    show_logo = forms.BooleanField(label=_("Our logo"), required=False)
    show_figures = forms.BooleanField(label=_("The figures (results in numbers)"), required=False)
    show_photos = forms.BooleanField(label=_("The photos (the main picture and the people's photos)"), required=False)
    quotes = forms.MultipleChoiceField(
        label=_("Quotes that may be shown, each with the person's name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label=_("Consent ends on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("After this date the story is taken down."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you request changes: say what should change."),
    )

    def __init__(self, *args, quote_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quotes"].choices = list(quote_choices)

    def clean_expires_on(self):
        expires_on = self.cleaned_data.get("expires_on")
        today = timezone.localdate()
        if expires_on is not None and expires_on <= today:
            raise forms.ValidationError(_("Choose a date in the future."))
        if expires_on is not None and expires_on > today + timedelta(days=365 * MAX_CONSENT_YEARS):
            raise forms.ValidationError(_("Choose a date within ten years."))
        return expires_on

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "changes" and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Say what should change."))
        return cleaned

    def scope(self) -> Scope:
        data = self.cleaned_data
        return Scope(
            name=data["show_name"],
            logo=data["show_logo"],
            figures=data["show_figures"],
            photos=data["show_photos"],
            quotes=tuple(data["quotes"]),
            expires_on=data["expires_on"],
        )


class WithdrawalForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, withdraw our consent and take the story down"))
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
