"""Forms of the public support pages: the article vote and the contact form."""

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from accounts.forms import EmailAddressField
from sitewide.text import clean_text, has_line_break
from support.models import ArticleVote
from support.models.tickets import MAX_DESCRIPTION_LENGTH, MAX_SUBJECT_LENGTH
from support.models.votes import MAX_COMMENT_LENGTH
from support.visits import clean_visit_id


class VoteForm(forms.Form):
    """Yes/No, and for a No an optional reason and comment (a second step of the same form)."""

    helpful = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])
    reason = forms.ChoiceField(
        label=_("What was wrong?"), choices=ArticleVote.Reason.choices, required=False, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Anything else we should know? (optional)"),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_COMMENT_LENGTH}),
    )
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)

    def clean_comment(self):
        return clean_text(self.cleaned_data["comment"]).strip()


class ContactForm(forms.Form):
    subject = forms.CharField(
        label=_("Subject"),
        max_length=MAX_SUBJECT_LENGTH,
        help_text=_("A short summary of your problem, in one line."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("Describe your problem"),
        max_length=MAX_DESCRIPTION_LENGTH,
        help_text=_("What did you try, and what happened?"),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    #: Normalised as on sign-up (accounts.lookalikes), so the ticket stores the address mail is
    #: really delivered to (mail systems drop a zero-width space after ".com"); refused when it
    #: mixes scripts.
    email = EmailAddressField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We will reply to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    #: Random per visit (support.visits): ties suggestions shown to the ticket; makes a double
    #: submit of the same visit open one ticket.
    visit = forms.CharField(widget=forms.HiddenInput, max_length=32)
    #: A honeypot: hidden from sighted readers by CSS, labelled for screen readers to leave empty.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        if has_line_break(subject):
            raise forms.ValidationError(_("The subject must be a single line."), code="line_break")
        subject = " ".join(clean_text(subject).split())
        if not subject:
            raise forms.ValidationError(_("Please write a subject."), code="required")
        return subject

    def clean_description(self):
        description = clean_text(self.cleaned_data["description"]).strip()
        if not description:
            raise forms.ValidationError(_("Please describe your problem."), code="required")
        return description

    def clean_email(self):
        # EmailField already refuses spaces and line breaks; checked again here because this
        # address goes into a mail header.
        email = self.cleaned_data["email"]
        if has_line_break(email) or any(character in email for character in ",;<>"):
            raise forms.ValidationError(_("Enter a single valid email address."), code="invalid")
        validate_email(email)
        return email

    def clean_visit(self):
        visit = clean_visit_id(self.cleaned_data["visit"])
        if not visit:
            raise forms.ValidationError(_("This form has expired. Please send it again."), code="expired")
        return visit

    @property
    def is_from_a_bot(self) -> bool:
        return bool(self.data.get("website"))
