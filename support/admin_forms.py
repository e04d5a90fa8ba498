"""The agent inbox's forms: reply, change status, resolve with an article.

Each form only validates; the change itself is made by the matching function in support.actions.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page

from kb.models import ArticlePage
from sitewide.ids import parse_id
from support.models import Ticket
from support.models.tickets import MAX_DESCRIPTION_LENGTH


class ReplyForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="reply")
    body = forms.CharField(
        label=_("Reply to the customer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_DESCRIPTION_LENGTH,
        help_text=_("Emailed to the customer in the ticket's language, and kept in the thread."),
    )


class StatusForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="status")
    status = forms.ChoiceField(label=_("Status"), choices=Ticket.Status.choices)


def is_page_id(value) -> bool:
    return parse_id(str(value).strip()) is not None


class ArticleChooser(AdminPageChooser):
    """Wagtail's page chooser, limited to help articles, that shows nothing for a value that is no page id.

    A refused form is shown again with what was sent: the chooser must not look that up as is.
    """

    def __init__(self, **kwargs):
        super().__init__(target_models=[ArticlePage], can_choose_root=False, **kwargs)

    def get_instance(self, value):
        if value is not None and not isinstance(value, Page) and not is_page_id(value):
            return None
        return super().get_instance(value)


class ArticleChoiceField(forms.ModelChoiceField):
    """A live help article, chosen by id; ids the database cannot hold are an ordinary error."""

    def to_python(self, value):
        if value not in self.empty_values and not is_page_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ResolveForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="resolve")
    article = ArticleChoiceField(
        label=_("Resolved with article"),
        queryset=ArticlePage.objects.live(),
        widget=ArticleChooser(),
        error_messages={"invalid_choice": _("Choose a published help article.")},
        help_text=_("The help article that answered the customer: it counts as a resolution in the reports."),
    )


class DraftArticleForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="draft")


#: The forms of the ticket page, by the value of their hidden "action" field.
ACTION_FORMS = {"reply": ReplyForm, "status": StatusForm, "resolve": ResolveForm, "draft": DraftArticleForm}
