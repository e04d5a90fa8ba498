"""The Wagtail dashboard panel: this week's deflection and the best and worst articles."""

from wagtail.admin.ui.components import Component

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
