"""Support reports in the Wagtail admin: deflection, self-service, article resolution, content gaps.

Each report is a Wagtail ReportView over the figures of support.metrics for a date range (the
"Date" filter, default the last 30 days, whole days in the site's time zone) with a bucket
(day, week or month) for the trends. Listing, pagination and CSV/XLSX export come from
ReportView; the rows are the metric functions' results, so the reports, the dashboard panel and
``manage.py support_report`` always show the same numbers. Readers need the "view support
event" permission (given to Support agents).
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import get_language_bidi, gettext
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, DateFromToRangeFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from sitewide import charts
from sitewide.exports import percentage, spreadsheet_safe
from support import metrics
from support.metrics.period import ratio
from support.models import Event

BUCKET_CHOICES = [("day", _("Day")), ("week", _("Week")), ("month", _("Month"))]
#: The earliest and latest days a range may name (wider ranges are cut to these).
FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(9999, 12, 30)


def decimal(value, places=2) -> str:
    return "–" if value is None else f"{round(value, places):g}"


def export_number(value):
    """A rate or score as a plain number in a spreadsheet; empty when there is none."""
    return "" if value is None else round(value, 4)


def day(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


class SupportPeriodFilterSet(WagtailFilterSet):
    created_at = DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget, method="keep")
    bucket = ChoiceFilter(label=_("Trend by"), choices=BUCKET_CHOICES, method="keep", empty_label=_("Week"))

    class Meta:
        model = Event
        fields = []

    def keep(self, queryset, name, value):
        # The filters choose the period of the figures; they never narrow a queryset themselves.
        return queryset


def period_labels(starts, bucket: str) -> tuple[list[str], list[str]]:
    """(full, short) labels of the buckets starting on ``starts``: the table and hover texts
    name the whole date, the x axis a short one (a month by its name and year)."""
    if bucket == "month":
        labels = [date_format(start, "YEAR_MONTH_FORMAT") for start in starts]
        return labels, labels
    return [day(start) for start in starts], [date_format(start, "SHORT_DATE_FORMAT") for start in starts]


class SupportReportView(ReportView):
    """Shared by the support reports: permission, the period filter, rows from support.metrics."""

    model = Event
    permission_policy = ModelPermissionPolicy(Event)
    permission_required = "view"
    filterset_class = SupportPeriodFilterSet
    header_icon = "help"
    results_template_name = "support/reports/report_results.html"
    paginate_by = 100
    #: Shown above the chart: what the chart's bars are.
    chart_title = ""
    #: The element id of the chart (unique on the page).
    chart_id = "support-chart"

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if not any(key.startswith("created_at") for key in kwargs["data"]):
            data = kwargs["data"].copy()
            today = timezone.localdate()
            data["created_at_from"] = (today - datetime.timedelta(days=metrics.DEFAULT_DAYS - 1)).isoformat()
            data["created_at_to"] = today.isoformat()
            kwargs["data"] = data
        return kwargs

    @property
    def period(self) -> metrics.Period:
        """The chosen whole days (from and to both included); the last 30 days when unset or invalid."""
        today = timezone.localdate()
        first, last = today - datetime.timedelta(days=metrics.DEFAULT_DAYS - 1), today
        if self.filters is not None and self.filters.is_valid():
            chosen = self.filters.form.cleaned_data.get("created_at")
            if chosen:
                first = _local_day(chosen.start) or first
                last = _local_day(chosen.stop) or last
        first, last = sorted((first, last))
        return metrics.Period.of_days(max(first, FIRST_DAY), min(last, LAST_DAY))

    @property
    def bucket(self) -> str:
        if self.filters is not None and self.filters.is_valid():
            return self.filters.form.cleaned_data.get("bucket") or "week"
        return "week"

    def get_filtered_queryset(self):
        return self.rows()

    def rows(self) -> list[dict]:
        raise NotImplementedError

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if not self.is_export:
            context["period"] = self.period
            context["period_last_day"] = self.period.until - datetime.timedelta(days=1)
            context["summary"] = self.summary()
            context["chart"] = self.chart()
            context["chart_title"] = self.chart_title
        return context

    def summary(self) -> list[tuple[str, str]]:
        """(label, value) pairs shown as key-figure cards above the chart."""
        return []

    def chart(self) -> charts.ChartLayout | None:
        """The chart above the table (sitewide.charts), or None."""
        return None

    def trend_chart(self, starts, series: list[charts.Series], **options) -> charts.ChartLayout | None:
        """A chart of ``series`` over the buckets starting on ``starts``, in the admin's direction."""
        full, short = period_labels(starts, self.bucket)
        return charts.chart(
            id=self.chart_id,
            title=str(self.chart_title),
            periods=full,
            short_periods=short,
            series=series,
            x_title=gettext("Period from"),
            rtl=get_language_bidi(),
            **options,
        )


def _local_day(moment):
    if moment is None:
        return None
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


class DeflectionReportView(SupportReportView):
    page_title = _("Deflection")
    index_url_name = "support_reports:deflection"
    index_results_url_name = "support_reports:deflection_results"
    export_filename = "support-deflection"
    chart_title = _("Contact visits without a ticket, per period (bar height: 0–100%)")
    columns = [
        Column("flow_label", label=_("Flow")),
        Column("start", label=_("Period from"), accessor=lambda row: day(row["start"])),
        Column("visits", label=_("Visits shown suggestions")),
        Column("deflected", label=_("Deflected")),
        Column("implicit_rate", label=_("Deflection rate"), accessor=lambda row: percentage(row["implicit_rate"])),
        Column("confirmed", label=_("Confirmed solved")),
        Column("explicit_rate", label=_("Confirmed rate"), accessor=lambda row: percentage(row["explicit_rate"])),
        Column("tickets", label=_("Tickets")),
    ]
    list_export = ["flow", "start", "visits", "deflected", "implicit_rate", "confirmed", "explicit_rate", "tickets"]
    export_headings = {
        "flow": _("Flow"),
        "start": _("Period from"),
        "visits": _("Visits shown suggestions"),
        "deflected": _("Deflected"),
        "implicit_rate": _("Deflection rate"),
        "confirmed": _("Confirmed solved"),
        "explicit_rate": _("Confirmed rate"),
        "tickets": _("Tickets"),
    }
    custom_field_preprocess = {
        "implicit_rate": {ReportView.FORMAT_CSV: export_number, ReportView.FORMAT_XLSX: export_number},
        "explicit_rate": {ReportView.FORMAT_CSV: export_number, ReportView.FORMAT_XLSX: export_number},
    }

    def figures(self):
        if not hasattr(self, "_figures"):
            self._figures = {
                flow: metrics.deflection(self.period, flow=flow, bucket=self.bucket)
                for flow in (Event.Flow.CONTACT, Event.Flow.FORUM)
            }
        return self._figures

    def rows(self):
        rows = []
        for flow, result in self.figures().items():
            for bucket in result.buckets:
                rows.append(
                    {
                        "flow": flow,
                        "flow_label": Event.Flow(flow).label,
                        "start": bucket.start,
                        "visits": bucket.visits,
                        "deflected": bucket.deflected,
                        "implicit_rate": bucket.implicit_rate,
                        "confirmed": bucket.confirmed,
                        "explicit_rate": bucket.explicit_rate,
                        "tickets": bucket.tickets,
                    }
                )
        return rows

    def summary(self):
        contact, forum = self.figures()[Event.Flow.CONTACT].total, self.figures()[Event.Flow.FORUM].total
        return [
            (gettext("Contact visits shown suggestions"), str(contact.visits)),
            (gettext("Contact visits without a ticket"), percentage(contact.implicit_rate)),
            (gettext("Contact visits that confirmed “solved”"), percentage(contact.explicit_rate)),
            (gettext("Forum questions shown suggestions"), str(forum.visits)),
            (gettext("Forum questions that opened a suggestion"), percentage(forum.implicit_rate)),
        ]

    def chart(self):
        buckets = self.figures()[Event.Flow.CONTACT].buckets
        rates = [None if bucket.implicit_rate is None else 100 * bucket.implicit_rate for bucket in buckets]
        return self.trend_chart(
            [bucket.start for bucket in buckets],
            [
                charts.Series(
                    gettext("Deflection rate"),
                    rates,
                    titles=[
                        gettext("%(day)s: %(rate)s of %(visits)s visits")
                        % {"day": day(bucket.start), "rate": percentage(bucket.implicit_rate), "visits": bucket.visits}
                        for bucket in buckets
                    ],
                )
            ],
            y_title=gettext("Deflection rate"),
            unit="%",
            decimals=1,
            y_range=(0, 100),
            extra_columns=[(gettext("Visits shown suggestions"), [bucket.visits for bucket in buckets])],
        )


class SelfServiceReportView(SupportReportView):
    page_title = _("Self-service score")
    index_url_name = "support_reports:self_service"
    index_results_url_name = "support_reports:self_service_results"
    export_filename = "support-self-service"
    chart_title = _("Help-center visitors per visitor who opened a ticket, per period")
    columns = [
        Column("start", label=_("Period from"), accessor=lambda row: day(row["start"])),
        Column("help_center_visitors", label=_("Help-center visitors")),
        Column("ticket_visitors", label=_("Visitors who opened a ticket")),
        Column("score", label=_("Self-service score"), accessor=lambda row: decimal(row["score"])),
    ]
    list_export = ["start", "help_center_visitors", "ticket_visitors", "score"]
    export_headings = {
        "start": _("Period from"),
        "help_center_visitors": _("Help-center visitors"),
        "ticket_visitors": _("Visitors who opened a ticket"),
        "score": _("Self-service score"),
    }
    custom_field_preprocess = {"score": {ReportView.FORMAT_CSV: export_number, ReportView.FORMAT_XLSX: export_number}}

    def figures(self):
        if not hasattr(self, "_figures"):
            self._figures = metrics.self_service(self.period, bucket=self.bucket)
        return self._figures

    def rows(self):
        return [
            {
                "start": row.start,
                "help_center_visitors": row.help_center_visitors,
                "ticket_visitors": row.ticket_visitors,
                "score": row.score,
            }
            for row in self.figures().buckets
        ]

    def summary(self):
        total = self.figures().total
        return [
            (gettext("Help-center visitors"), str(total.help_center_visitors)),
            (gettext("Visitors who opened a ticket"), str(total.ticket_visitors)),
            (gettext("Self-service score"), decimal(total.score)),
        ]

    def chart(self):
        buckets = self.figures().buckets
        return self.trend_chart(
            [row.start for row in buckets],
            [
                charts.Series(
                    gettext("Self-service score"),
                    [row.score for row in buckets],
                    titles=[
                        gettext("%(day)s: %(score)s (%(visitors)s visitors, %(writers)s wrote in)")
                        % {
                            "day": day(row.start),
                            "score": decimal(row.score),
                            "visitors": row.help_center_visitors,
                            "writers": row.ticket_visitors,
                        }
                        for row in buckets
                    ],
                )
            ],
            y_title=gettext("Self-service score"),
            decimals=2,
            extra_columns=[
                (gettext("Help-center visitors"), [row.help_center_visitors for row in buckets]),
                (gettext("Visitors who opened a ticket"), [row.ticket_visitors for row in buckets]),
            ],
        )


def _article_link(row):
    if not row["article_id"]:
        return row["title"]
    return format_html(
        '<a href="{}">{}</a>', reverse("wagtailadmin_pages:edit", args=[row["article_id"]]), row["title"] or "—"
    )


class ArticleResolutionReportView(SupportReportView):
    page_title = _("Article resolution ranking")
    index_url_name = "support_reports:articles"
    index_results_url_name = "support_reports:articles_results"
    export_filename = "support-article-resolution"
    header_icon = "doc-full"
    default_ordering = "-score"
    chart_title = _("Resolutions of the ten most resolving articles")
    columns = [
        Column("title", label=_("Article"), accessor=_article_link),
        Column("views", label=_("Views"), sort_key="views"),
        Column("yes", label=_("Helpful"), sort_key="yes"),
        Column("no", label=_("Not helpful"), sort_key="no"),
        Column("helpfulness", label=_("Helpfulness"), accessor=lambda row: percentage(row["helpfulness"])),
        Column("score", label=_("Ranking score"), sort_key="score", accessor=lambda row: decimal(row["score"], 3)),
        Column("resolutions", label=_("Resolutions"), sort_key="resolutions"),
        Column("solved_confirmed", label=_("Confirmed solved")),
        Column("tickets_resolved", label=_("Tickets resolved")),
        Column("forum_answers", label=_("Forum answers")),
        Column("tickets_after_reading", label=_("Tickets after reading"), sort_key="tickets_after_reading"),
    ]
    list_export = [
        "article_id",
        "title",
        "views",
        "yes",
        "no",
        "helpfulness",
        "score",
        "resolutions",
        "solved_confirmed",
        "tickets_resolved",
        "forum_answers",
        "tickets_after_reading",
    ]
    export_headings = {
        "article_id": _("Page id"),
        "title": _("Article"),
        "views": _("Views"),
        "yes": _("Helpful"),
        "no": _("Not helpful"),
        "helpfulness": _("Helpfulness"),
        "score": _("Ranking score"),
        "resolutions": _("Resolutions"),
        "solved_confirmed": _("Confirmed solved"),
        "tickets_resolved": _("Tickets resolved"),
        "forum_answers": _("Forum answers"),
        "tickets_after_reading": _("Tickets after reading"),
    }
    custom_field_preprocess = {
        "title": {ReportView.FORMAT_CSV: spreadsheet_safe, ReportView.FORMAT_XLSX: spreadsheet_safe},
        "helpfulness": {ReportView.FORMAT_CSV: export_number, ReportView.FORMAT_XLSX: export_number},
        "score": {ReportView.FORMAT_CSV: export_number, ReportView.FORMAT_XLSX: export_number},
    }

    def figures(self):
        if not hasattr(self, "_figures"):
            self._figures = list(metrics.article_figures(self.period).values())
        return self._figures

    def rows(self):
        rows = [
            {
                "article_id": row.article_id,
                "title": row.title,
                "views": row.views,
                "yes": row.yes,
                "no": row.no,
                "helpfulness": row.helpfulness,
                "score": row.score,
                "resolutions": row.resolutions,
                "solved_confirmed": row.solved_confirmed,
                "tickets_resolved": row.tickets_resolved,
                "forum_answers": row.forum_answers,
                "tickets_after_reading": row.tickets_after_reading,
            }
            for row in self.figures()
        ]
        key = (self.ordering or self.default_ordering).lstrip("-")
        descending = (self.ordering or self.default_ordering).startswith("-")
        # Rows without a value (an unvoted article's score) go last either way; ties by page id.
        with_value = sorted((row for row in rows if row[key] is not None), key=lambda row: row["article_id"])
        with_value.sort(key=lambda row: row[key], reverse=descending)
        return with_value + [row for row in rows if row[key] is None]

    def summary(self):
        rows = self.figures()
        votes = sum(row.votes for row in rows)
        return [
            (gettext("Articles with activity"), str(len(rows))),
            (gettext("Resolutions"), str(sum(row.resolutions for row in rows))),
            (gettext("Votes"), str(votes)),
            (gettext("Helpfulness of all votes"), percentage(ratio(sum(row.yes for row in rows), votes))),
            (
                gettext("Ranking"),
                gettext("(%(prior)s × mean + yes) ÷ (%(prior)s + votes)") % {"prior": metrics.PRIOR_VOTES},
            ),
        ]

    def chart(self):
        top = sorted(self.figures(), key=lambda row: (-row.resolutions, row.article_id))[:10]
        top = [row for row in top if row.resolutions]
        if not top:
            return None
        return charts.chart(
            id=self.chart_id,
            title=str(self.chart_title),
            periods=[row.title or "—" for row in top],
            series=[charts.Series(gettext("Resolutions"), [row.resolutions for row in top])],
            x_title=gettext("Article"),
            y_title=gettext("Resolutions"),
            rtl=get_language_bidi(),
        )


class ContentGapsReportView(SupportReportView):
    page_title = _("Content gaps")
    index_url_name = "support_reports:gaps"
    index_results_url_name = "support_reports:gaps_results"
    export_filename = "support-content-gaps"
    header_icon = "warning"
    columns = [
        Column("kind_label", label=_("Gap")),
        Column("text", label=_("Query or ticket subject")),
        Column("count", label=_("Searches or tickets")),
        Column("visitors", label=_("Visitors")),
        Column("last", label=_("Last seen"), accessor=lambda row: day(timezone.localtime(row["last"]))),
        Column("reference", label=_("Ticket"), accessor=lambda row: _ticket_link(row)),
    ]
    list_export = ["kind", "text", "count", "visitors", "last", "reference"]
    export_headings = {
        "kind": _("Gap"),
        "text": _("Query or ticket subject"),
        "count": _("Searches or tickets"),
        "visitors": _("Visitors"),
        "last": _("Last seen"),
        "reference": _("Ticket"),
    }
    custom_field_preprocess = {
        "text": {ReportView.FORMAT_CSV: spreadsheet_safe, ReportView.FORMAT_XLSX: spreadsheet_safe},
    }
    KINDS = {
        "no_results": _("Search with no results"),
        "dead_end": _("Search with results, no click, then a ticket"),
        "no_article": _("Ticket subject with no matching article"),
    }

    def figures(self):
        if not hasattr(self, "_figures"):
            self._figures = {
                "no_results": metrics.queries_without_results(self.period),
                "dead_end": metrics.dead_end_queries(self.period),
                "no_article": metrics.subjects_without_article(self.period),
            }
        return self._figures

    def rows(self):
        figures = self.figures()
        rows = []
        for kind in ("no_results", "dead_end"):
            rows += [
                {
                    "kind": kind,
                    "kind_label": self.KINDS[kind],
                    "text": row["query"],
                    "count": row["searches"],
                    "visitors": row["visitors"],
                    "last": row["last_searched"],
                    "reference": "",
                    "ticket_id": None,
                }
                for row in figures[kind]
            ]
        rows += [
            {
                "kind": "no_article",
                "kind_label": self.KINDS["no_article"],
                "text": ticket.subject,
                "count": 1,
                "visitors": 1,
                "last": ticket.created_at,
                "reference": ticket.reference,
                "ticket_id": ticket.pk,
            }
            for ticket in figures["no_article"].tickets
        ]
        return rows

    def summary(self):
        figures = self.figures()
        gaps = figures["no_article"]
        summary = [
            (gettext("Queries with no results"), str(len(figures["no_results"]))),
            (gettext("Dead-end queries"), str(len(figures["dead_end"]))),
            (
                gettext("Ticket subjects with no matching article"),
                gettext("%(gaps)s of the latest %(searched)s tickets")
                % {"gaps": len(gaps.tickets), "searched": gaps.searched},
            ),
        ]
        if gaps.unavailable:
            summary.append((gettext("Search"), gettext("unavailable: the ticket list is incomplete")))
        return summary


def _ticket_link(row):
    if not row["ticket_id"]:
        return ""
    url = reverse("support_tickets:inspect", args=[row["ticket_id"]])
    return format_html('<a href="{}">{}</a>', url, row["reference"])


#: (URL path, URL name, view, menu label, icon): the reports in the "Support" menu, in order.
REPORTS = [
    ("deflection/", "deflection", DeflectionReportView, _("Deflection"), "help"),
    ("self-service/", "self_service", SelfServiceReportView, _("Self-service score"), "user"),
    ("articles/", "articles", ArticleResolutionReportView, _("Article resolution ranking"), "doc-full"),
    ("content-gaps/", "gaps", ContentGapsReportView, _("Content gaps"), "warning"),
]
