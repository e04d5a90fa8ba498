"""The "Response times" report: how long customers waited for a first reply and for a solution.

Key figures (median and 90th percentile of each, support.metrics.response_times) as cards above
a list of the tickets behind them: every ticket first answered or solved in the range, with its
own times; CSV/XLSX export comes with ReportView. Three queries whatever the range.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from sitewide.exports import spreadsheet_safe
from support import metrics
from support.models import Ticket
from support.reports import SupportReportView


def _minutes(duration):
    """A time as whole minutes in a spreadsheet; empty when there is none."""
    return "" if duration is None else round(duration.total_seconds() / 60)


def _ticket_link(row):
    url = reverse("support_tickets:inspect", args=[row["ticket_id"]])
    return format_html('<a href="{}">{}</a>', url, row["reference"])


def response_time_figures(times: metrics.ResponseTimes) -> list[tuple[str, str]]:
    """(label, value) key figures of the range, as the cards and ``support_report`` show them."""
    first, solved = times.first_response, times.resolution
    fmt = metrics.format_duration
    return [
        (gettext("Median first response"), fmt(first.median)),
        (gettext("First response, 90th percentile"), fmt(first.p90)),
        (gettext("Tickets first answered"), str(first.count)),
        (gettext("Median resolution time"), fmt(solved.median)),
        (gettext("Resolution time, 90th percentile"), fmt(solved.p90)),
        (gettext("Tickets solved"), str(solved.count)),
    ]


def _within(moment, period: metrics.Period) -> bool:
    return moment is not None and period.since <= moment < period.until


class ResponseTimesReportView(SupportReportView):
    page_title = _("Response times")
    index_url_name = "support_reports:response_times"
    index_results_url_name = "support_reports:response_times_results"
    export_filename = "support-response-times"
    header_icon = "time"
    columns = [
        Column("reference", label=_("Ticket"), accessor=_ticket_link),
        Column("subject", label=_("Subject")),
        Column("opened", label=_("Opened"), accessor=lambda row: row["opened_text"]),
        Column("first_response", label=_("First response after"), accessor=lambda row: row["first_response_text"]),
        Column("resolution", label=_("Solved after"), accessor=lambda row: row["resolution_text"]),
    ]
    list_export = ["reference", "subject", "opened", "first_response", "resolution"]
    export_headings = {
        "reference": _("Ticket"),
        "subject": _("Subject"),
        "opened": _("Opened"),
        "first_response": _("First response after (minutes)"),
        "resolution": _("Solved after (minutes)"),
    }
    custom_field_preprocess = {
        "subject": {ReportView.FORMAT_CSV: spreadsheet_safe, ReportView.FORMAT_XLSX: spreadsheet_safe},
        "first_response": {ReportView.FORMAT_CSV: _minutes, ReportView.FORMAT_XLSX: _minutes},
        "resolution": {ReportView.FORMAT_CSV: _minutes, ReportView.FORMAT_XLSX: _minutes},
    }

    def rows(self):
        period = self.period
        tickets = Ticket.objects.filter(Q(**period.filter("first_response_at")) | Q(**period.filter("solved_at")))
        rows = []
        for ticket in tickets.order_by("-created_at", "-pk"):
            durations = metrics.ticket_durations(ticket)
            in_range = {
                "first_response": _within(ticket.first_response_at, period),
                "resolution": _within(ticket.solved_at, period),
            }
            row = {
                "ticket_id": ticket.pk,
                "reference": ticket.reference,
                "subject": ticket.subject,
                "opened": timezone.localtime(ticket.created_at).replace(tzinfo=None),
                "opened_text": timezone.localtime(ticket.created_at).strftime("%Y-%m-%d %H:%M"),
            }
            for key in ("first_response", "resolution"):
                duration = durations[key] if in_range[key] else None
                row[key] = duration
                row[f"{key}_text"] = metrics.format_duration(duration) if duration is not None else ""
            rows.append(row)
        return rows

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if not self.is_export:
            context["response_times"] = response_time_figures(metrics.response_times(self.period))
        return context
