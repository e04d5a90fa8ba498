"""The "Why it didn't help" panel in the article editor: a side panel beside Status, Preview and Checks.

Wagtail builds an editor's side panels in its page edit view and has no hook to add one, but it
lets a project give a page type its own views (a ``PageViewSet`` whose ``edit_view_class`` is a
subclass of Wagtail's ``EditView``), which is what this module does for kb.ArticlePage. The
viewset changes nothing else: it claims no parent models, so the explorer's listings stay
Wagtail's (and the council's hooks) as they were.

The panel shows, from two queries whatever the number of votes, the "No" votes per reason on
the live revision and overall, the latest comments (marked when they were about an older
revision) and a link to the report (support.feedback_report) filtered to this article.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.side_panels import BaseSidePanel
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.viewsets.pages import PageViewSet

from kb.models import ArticlePage
from support.feedback_report import can_see_feedback, readable_comment, reason_counts, with_revision_state
from support.models import ArticleVote

#: Comments shown in the panel, newest first.
SHOWN_COMMENTS = 5


class FeedbackSidePanel(BaseSidePanel):
    class SidePanelToggle(BaseSidePanel.SidePanelToggle):
        aria_label = gettext_lazy("Toggle reader feedback")
        icon_name = "comment"

        def get_context_data(self, parent_context):
            context = super().get_context_data(parent_context)
            # The counter: reasons or comments given on the live revision.
            context["count"] = self.panel.figures["current_total"]
            return context

    name = "reader-feedback"
    title = gettext_lazy("Why it didn't help")
    template_name = "support/admin/feedback_side_panel.html"
    order = 320

    def __init__(self, object, request, *, live_revision_id):
        super().__init__(object, request)
        self.live_revision_id = live_revision_id
        self._figures = None

    @property
    def figures(self) -> dict:
        """Counted once, whether the toggle or the panel asks first."""
        if self._figures is None:
            votes = ArticleVote.objects.filter(article_id=self.object.pk, helpful=False).filter(
                ~Q(reason="") | ~Q(comment="")
            )
            counts = reason_counts(votes, live_revision_id=self.live_revision_id or 0)
            comments = list(
                with_revision_state(votes.exclude(comment=""))
                .only("pk", "reason", "comment", "created_at", "revision_id")
                .order_by("-created_at", "-pk")[:SHOWN_COMMENTS]
            )
            for vote in comments:
                vote.readable_comment = readable_comment(vote.comment)
            self._figures = {
                "counts": counts,
                "current_total": sum(row["current"] for row in counts),
                "total": sum(row["total"] for row in counts),
                "comments": comments,
            }
        return self._figures

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(self.figures)
        context["has_live_revision"] = bool(self.live_revision_id)
        if can_see_feedback(self.request.user):
            context["report_url"] = reverse("support_reports:feedback") + "?" + urlencode({"article": self.object.pk})
        return context


class ArticleEditView(EditView):
    """Wagtail's page editor with the feedback panel added (module docstring)."""

    def get_side_panels(self):
        side_panels = super().get_side_panels()
        if not self.expects_json_response:
            side_panels.append(
                FeedbackSidePanel(self.page, self.request, live_revision_id=self.real_page_record.live_revision_id)
            )
        return side_panels


class ArticlePageViewSet(PageViewSet):
    model = ArticlePage
    edit_view_class = ArticleEditView

    @property
    def parent_models(self):
        # Only the edit view is ours: the explorer keeps listing articles with Wagtail's defaults.
        return []
