"""The Wagtail dashboard panel: this week's deflection and the best and worst articles."""

from wagtail.admin.ui.components import Component

from kb.models import ArticlePage
from kb.visibility import visible_pages
from support import metrics
from support.models import Event
from support.reports import percentage

#: Articles shown at each end of the ranking.
SHOWN_ARTICLES = 5


class SupportPanel(Component):
    name = "support"
    order = 150
    template_name = "support/admin/dashboard_panel.html"

    def get_context_data(self, parent_context):
        week = metrics.Period.this_week()
        contact = metrics.deflection(week, flow=Event.Flow.CONTACT).total
        month = metrics.Period.last_days()
        ranked = metrics.ranking(month)
        # Like every listing of pages, only what this staff member may see as a reader.
        visible = set(
            visible_pages(
                ArticlePage.objects.filter(pk__in=[row.article_id for row in ranked]), parent_context.get("request")
            ).values_list("pk", flat=True)
        )
        ranked = [row for row in ranked if row.article_id in visible]
        top = ranked[:SHOWN_ARTICLES]
        # With fewer than ten rated articles the two lists overlap; both are still true.
        worst = list(reversed(ranked))[:SHOWN_ARTICLES]
        return {
            "week": week,
            "visits": contact.visits,
            "deflection": percentage(contact.implicit_rate),
            "confirmed": percentage(contact.explicit_rate),
            "top": top,
            "worst": worst,
            "days": metrics.DEFAULT_DAYS,
        }
