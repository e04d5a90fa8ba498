"""Story submissions in the Wagtail admin, and "Start a story" on a customer.

- :class:`StorySubmissionViewSet`: the submissions customers sent (filter by status and language),
  each opened in an inspect view that shows their words and has a "Start a draft story" button:
  one POST to :class:`StartDraftFromSubmissionView`, which calls
  :func:`stories.services.submissions.start_draft_from_submission` and lands in the page editor
  (a second click opens the same draft). The edit view only changes the status (declining one).
- :class:`StartStoryForCustomerMixin`: gives the customer snippet (stories.viewsets) a "Start a
  story" header button leading to :class:`StartStoryForCustomerView` (choose the language, then
  :func:`~stories.services.submissions.start_draft_for_customer`).

Who may: the model permissions (Editors get them after every migrate, stories.signals), checked
here, and the page permission to add a story in that language, checked by the service.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet

from sitewide.errors import ActionRefused
from sitewide.ids import parse_id
from stories.models import Customer, StorySubmission
from stories.services import submissions as service


def page_editor_url(story) -> str:
    return reverse("wagtailadmin_pages:edit", args=[story.pk])


def _require(user, model, action) -> None:
    if not policy_registry.get_by_type(model).user_has_permission(user, action):
        raise PermissionDenied


# --- Submissions ---------------------------------------------------------------------------------


class SubmissionPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, except that no one (not even a superuser) adds a submission in
    the admin: submissions are the customers' words, sent through the public form."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action != "add"])


class SubmissionIndexView(IndexView):
    def get_edit_url(self, instance):
        # A submission is read, not edited: its title opens the inspect view with the action.
        return None


class SubmissionInspectView(InspectView):
    template_name = "stories/submissions/admin_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.object
        context["may_start_draft"] = self.user_has_permission("change")
        context["start_draft_url"] = reverse(StorySubmissionViewSet.start_draft_url_name(), args=[quote(submission.pk)])
        context["draft_url"] = page_editor_url(submission.story) if submission.story_id else ""
        return context

    # The customer's words with their paragraphs (escaped; the inspect view would run them together).
    def get_achievement_display_value(self):
        return linebreaksbr(self.object.achievement, autoescape=True)

    def get_figures_display_value(self):
        return linebreaksbr(self.object.figures, autoescape=True) or "-"


class SubmissionEditView(EditView):
    """Only the status (declining a submission); starting a draft is the inspect view's button."""


class StartDraftFromSubmissionView(View):
    """POST: the submission's draft story (made once), then the page editor."""

    http_method_names = ["post"]

    def post(self, request, pk):
        _require(request.user, StorySubmission, "change")
        submission = get_object_or_404(StorySubmission, pk=parse_id(pk))
        try:
            story = service.start_draft_from_submission(submission, by=request.user)
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
            return redirect(StorySubmissionViewSet.inspect_url_name(), quote(submission.pk))
        return redirect(page_editor_url(story))


class StorySubmissionViewSet(SnippetViewSet):
    model = StorySubmission
    icon = "openquote"
    menu_label = _("Story submissions")
    menu_order = 311
    add_to_admin_menu = True
    index_view_class = SubmissionIndexView
    edit_view_class = SubmissionEditView
    inspect_view_enabled = True
    inspect_view_class = SubmissionInspectView
    inspect_view_fields = [
        "company",
        "role",
        "language",
        "achievement",
        "figures",
        "may_contact",
        "submitted_by",
        "created_at",
        "status",
        "story",
        "handled_by",
        "handled_at",
    ]
    copy_view_enabled = False
    list_display = ["company", "language", "status", DateColumn("created_at", label=_("Sent"))]
    list_filter = ["status", "language"]
    search_fields = ["company"]
    panels = [FieldPanel("status")]

    @staticmethod
    def start_draft_url_name() -> str:
        return "wagtailsnippets_stories_storysubmission:start_draft"

    @staticmethod
    def inspect_url_name() -> str:
        return "wagtailsnippets_stories_storysubmission:inspect"

    def get_queryset(self, request):
        return StorySubmission.objects.select_related("submitted_by")

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("start-draft/<str:pk>/", StartDraftFromSubmissionView.as_view(), name="start_draft")
        ]


# --- Customers -----------------------------------------------------------------------------------


class StartStoryForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the story"), choices=settings.LANGUAGES)


class StartStoryForCustomerView(WagtailAdminTemplateMixin, FormView):
    """GET: choose the story's language; POST: the draft (an open one is reused), then the editor."""

    form_class = StartStoryForm
    template_name = "stories/submissions/admin_start_story.html"
    page_title = _("Start a story")
    header_icon = "doc-empty-inverse"

    def dispatch(self, request, pk):
        _require(request.user, Customer, "change")
        self.customer = get_object_or_404(Customer, pk=parse_id(pk))
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.customer)

    def get_initial(self):
        return {"language": self.customer.contact_language}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["customer"] = self.customer
        context["cancel_url"] = reverse("wagtailsnippets_stories_customer:edit", args=[quote(self.customer.pk)])
        return context

    def form_valid(self, form):
        try:
            story = service.start_draft_for_customer(
                self.customer, self.request.user, form.cleaned_data["language"], source=service.SOURCE_STAFF
            )
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
            return self.render_to_response(self.get_context_data(form=form), status=refusal.status)
        return redirect(page_editor_url(story))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CustomerEditView(EditView):
    def get_header_more_buttons(self):
        buttons = super().get_header_more_buttons()
        if self.user_has_permission("change"):
            url = reverse("wagtailsnippets_stories_customer:start_story", args=[quote(self.object.pk)])
            buttons.append(Button(_("Start a story"), url=url, icon_name="doc-empty-inverse", priority=5))
        return sorted(buttons)


class StartStoryForCustomerMixin:
    """For the customer snippet's viewset: the "Start a story" button and its view."""

    edit_view_class = CustomerEditView

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("start-story/<str:pk>/", StartStoryForCustomerView.as_view(), name="start_story")
        ]


# --- Audit log -----------------------------------------------------------------------------------


class DraftStarted(LogFormatter):
    label = _("Start a draft story")

    def format_message(self, log_entry):
        sources = {
            service.SOURCE_STAFF: _("by an editor"),
            service.SOURCE_SUBMISSION: _("from a customer's submission"),
            service.SOURCE_NPS: _("for an NPS promoter"),
        }
        source = log_entry.data.get("source", "")
        return _("Draft story started %(source)s") % {"source": sources.get(source, source)}


def register_log_actions(actions) -> None:
    """For Wagtail's register_log_actions hook."""
    actions.register_action(service.DRAFT_STARTED)(DraftStarted)
