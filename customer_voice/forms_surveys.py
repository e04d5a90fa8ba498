"""The answer form of a survey: the score (0-10, or good/bad) and "What is the main reason?"."""

from django import forms
from django.utils.translation import gettext_lazy as _

from customer_voice.models.surveys import MAX_COMMENT_LENGTH, SurveyKind
from customer_voice.services.surveys import CSAT_BAD, CSAT_GOOD, NPS_SCORES, clean_comment
from sitewide.errors import ActionRefused


def score_choices(kind: str) -> list[tuple[str, str]]:
    if kind == SurveyKind.NPS:
        return [(str(score), str(score)) for score in NPS_SCORES]
    return [(str(CSAT_GOOD), _("Good, I'm satisfied")), (str(CSAT_BAD), _("Bad, I'm unsatisfied"))]


class AnswerForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How likely are you to recommend us to a friend or colleague?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a score."), "invalid_choice": _("Please choose a score.")},
    )
    comment = forms.CharField(
        label=_("What is the main reason?"),
        required=False,
        # Checked in clean_comment after cleaning (a maxlength in the page as a hint).
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_COMMENT_LENGTH, "dir": "auto"}),
        strip=False,
    )

    def __init__(self, *args, kind: str = SurveyKind.NPS, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["score"].choices = score_choices(kind)
        if kind == SurveyKind.CSAT:
            self.fields["score"].label = _("How would you rate the support you received?")

    def clean_comment(self):
        try:
            return clean_comment(self.cleaned_data.get("comment", ""))
        except ActionRefused as error:
            raise forms.ValidationError(error.message) from error


class DismissForm(forms.Form):
    """Nothing to fill in: the POST (with its CSRF token) hides the in-site NPS invitation."""
