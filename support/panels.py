"""The Wagtail dashboard panel: this week's deflection and the most and least helpful articles.

The two lists follow support.metrics.helpfulness_extremes: only articles with MIN_RANKED_VOTES
votes or more in the last DEFAULT_DAYS days, ranked by Bayesian average, none in both lists.
"""

from wagtail.admin.ui.components import Component

from kb.models import ArticlePage
from kb.visibility import visible_pages
from sitewide.exports import percentage
from sitewide.reader import reader_of
from support import metrics
from support.models import Event

#: Articles shown at most at each end of the ranking.
SHOWN_ARTICLES = 5


class SupportPanel(Component):
    name = "support"
    order = 150
    template_name = "support/admin/dashboard_panel.html"

    def get_context_data(self, parent_context):
        week = metrics.Period.this_week()
        contact = metrics.deflection(week, flow=Event.Flow.CONTACT).total
        month = metrics.Period.last_days()
        ranked = [row for row in metrics.ranking(month) if row.votes >= metrics.MIN_RANKED_VOTES]
        # Like every listing of pages, only what this staff member may see as a reader.
        visible = set(
            visible_pages(
                ArticlePage.objects.filter(pk__in=[row.article_id for row in ranked]),
                reader_of(parent_context["request"]),
            ).values_list("pk", flat=True)
        )
        # Drawn from the visible articles only, so a hidden one cannot push a visible one off a list.
        extremes = metrics.helpfulness_extremes(
            [row for row in ranked if row.article_id in visible], shown=SHOWN_ARTICLES
        )
        return {
            "week": week,
            "visits": contact.visits,
            "deflection": percentage(contact.implicit_rate),
            "confirmed": percentage(contact.explicit_rate),
            "top": extremes.most,
            "worst": extremes.least,
            "qualifying": extremes.qualifying,
            "min_votes": extremes.min_votes,
            # Too few for two full lists: the panel says so rather than leave the reader guessing.
            "too_few": extremes.qualifying < 2 * SHOWN_ARTICLES,
            "days": metrics.DEFAULT_DAYS,
        }
