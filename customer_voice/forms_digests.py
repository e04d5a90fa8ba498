"""The email preferences form: one checkbox per kind of email a person may agree to."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ConsentRecord

Topic = ConsentRecord.Topic


class EmailPreferencesForm(forms.Form):
    """Ticked means "yes, send me these". Account emails (verification, ticket replies) are not
    listed: every account receives them."""

    newsletter = forms.BooleanField(
        label=_("Newsletters and digests"),
        required=False,
        help_text=_("A digest of new help articles, featured forum answers and customer stories, at most once a week."),
    )
    feedback = forms.BooleanField(
        label=_("Feedback surveys"),
        required=False,
        help_text=_("Now and then a two-question survey about how we are doing."),
    )

    #: Form field -> consent topic.
    TOPICS = {"newsletter": Topic.NEWSLETTER, "feedback": Topic.FEEDBACK}

    @classmethod
    def for_user(cls, user, data=None):
        initial = {"newsletter": user.marketing_opt_in, "feedback": user.feedback_opt_in}
        return cls(data, initial=initial)

    def wanted(self) -> dict[str, bool]:
        """Topic -> granted, from the cleaned data."""
        return {topic: bool(self.cleaned_data[name]) for name, topic in self.TOPICS.items()}
