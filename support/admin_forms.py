"""The agent inbox's forms: reply or note (submitted as a status), status, assignee, priority,
resolve with an article.

Each form only validates; the change itself is made by the matching function in support.actions.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page

from kb.models import ArticlePage
from sitewide.ids import parse_id
from support.actions import agent_name, ticket_handlers
from support.models import Ticket
from support.models.tickets import MAX_DESCRIPTION_LENGTH

PUBLIC, INTERNAL = "public", "internal"
#: The statuses a reply or note can be submitted as, in the order of their buttons ("Submit as …").
SUBMIT_AS = [Ticket.Status.OPEN, Ticket.Status.PENDING, Ticket.Status.SOLVED]


class ReplyForm(forms.Form):
    """A reply to the customer or an internal note, and the status the ticket is submitted as.

    The status comes from the button the agent pressed (``name="status"``); without one, a reply
    makes an open ticket pending and a note leaves the status alone. ``seen`` is the newest
    message id the page showed: a double submit or a message that arrived meanwhile is refused.
    """

    action = forms.CharField(widget=forms.HiddenInput, initial="reply")
    kind = forms.ChoiceField(
        label=_("Write"),
        choices=[(PUBLIC, _("Reply to the customer")), (INTERNAL, _("Internal note"))],
        widget=forms.RadioSelect,
        initial=PUBLIC,
        required=False,
        help_text=_(
            "A reply is emailed to the customer in the ticket's language. An internal note is only seen by agents."
        ),
    )
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}), max_length=MAX_DESCRIPTION_LENGTH
    )
    status = forms.ChoiceField(label=_("Submit as"), choices=Ticket.Status.choices, required=False)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean_kind(self):
        return self.cleaned_data.get("kind") or PUBLIC


class StatusForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="status")
    status = forms.ChoiceField(label=_("Status"), choices=Ticket.Status.choices)


def is_page_id(value) -> bool:
    return parse_id(str(value).strip()) is not None


class AgentChoiceField(forms.ModelChoiceField):
    """One of the users who can handle tickets, by id; "" is nobody. An id the database cannot
    hold, or someone who is not an agent, is an ordinary "Select a valid choice" error."""

    def __init__(self, **kwargs):
        super().__init__(queryset=ticket_handlers(), **kwargs)

    def to_python(self, value):
        if value not in self.empty_values and parse_id(str(value).strip()) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def label_from_instance(self, obj):
        return agent_name(obj)


class AssignForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="assign")
    assignee = AgentChoiceField(label=_("Assignee"), required=False, empty_label=_("Unassigned"))


class PriorityForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="priority")
    priority = forms.ChoiceField(label=_("Priority"), choices=Ticket.Priority.choices)


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
ACTION_FORMS = {
    "reply": ReplyForm,
    "status": StatusForm,
    "assign": AssignForm,
    "priority": PriorityForm,
    "resolve": ResolveForm,
    "draft": DraftArticleForm,
}
