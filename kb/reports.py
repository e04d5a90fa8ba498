"""Staff search reports: top queries, queries without results, and click-through per day.

Each report filters SearchEvent rows (date range, default the last 30 days; language; source)
and aggregates them in the database in one GROUP BY, so a page costs the same few queries for
ten events or ten million. Events carry their own ``click_count`` (see kb.models.search_analytics),
so no report joins the click rows. CSV and XLSX exports come from Wagtail's ReportView.
Readers need the "view search event" permission (granted to Editors and Support agents).
"""

import datetime

from django.conf import settings
from django.db.models import Avg, Count, ExpressionWrapper, F, FloatField, Max, Q, Sum
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language_bidi, gettext
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, DateFromToRangeFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from kb.models import SearchEvent
from sitewide import charts
from sitewide.exports import percentage, spreadsheet_safe

#: The date range a report shows when none is chosen.
DEFAULT_DAYS = 30


def one_decimal(value) -> float:
    return round(float(value or 0), 1)


def click_through_rate(clicked, searches):
    """clicked ÷ searches as a percentage, computed by the database (so it can be sorted on)."""
    return ExpressionWrapper(Cast(clicked, FloatField()) * 100.0 / F(searches), output_field=FloatField())


class SearchEventFilterSet(WagtailFilterSet):
    created_at = DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    language = ChoiceFilter(label=_("Language"), choices=settings.LANGUAGES)
    source = ChoiceFilter(label=_("Source"), choices=SearchEvent.Source.choices)

    class Meta:
        model = SearchEvent
        fields = []


class SearchReportView(ReportView):
    """Shared by the search reports: permission, filters with a default date range, export."""

    model = SearchEvent
    permission_policy = ModelPermissionPolicy(SearchEvent)
    permission_required = "view"
    filterset_class = SearchEventFilterSet
    header_icon = "search"
    #: Appended to every ordering so that pages of tied rows never overlap.
    tie_breaker = "normalized_query"
    custom_field_preprocess = {
        "normalized_query": {ReportView.FORMAT_CSV: spreadsheet_safe, ReportView.FORMAT_XLSX: spreadsheet_safe},
        "avg_results": {ReportView.FORMAT_CSV: one_decimal, ReportView.FORMAT_XLSX: one_decimal},
        "ctr": {ReportView.FORMAT_CSV: one_decimal, ReportView.FORMAT_XLSX: one_decimal},
    }

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if not any(key.startswith("created_at") for key in kwargs["data"]):
            data = kwargs["data"].copy()
            today = timezone.localdate()
            data["created_at_from"] = (today - datetime.timedelta(days=DEFAULT_DAYS - 1)).isoformat()
            data["created_at_to"] = today.isoformat()
            kwargs["data"] = data
        return kwargs

    def get_queryset(self):
        # Filter and search the events first, then group them: the filters apply to searches,
        # the ordering to the grouped rows.
        self.events = self.search_queryset(self.filter_queryset(SearchEvent.objects.all()))
        return self.order_queryset(self.summarize(self.events))

    def summarize(self, events):
        raise NotImplementedError

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, self.tie_breaker)


class TopSearchQueriesReportView(SearchReportView):
    page_title = _("Top search queries")
    index_url_name = "kb_search_reports:top_queries"
    index_results_url_name = "kb_search_reports:top_queries_results"
    export_filename = "top-search-queries"
    is_searchable = True
    search_fields = ["normalized_query"]
    default_ordering = "-searches"
    columns = [
        Column("normalized_query", label=_("Query"), sort_key="normalized_query"),
        NumberColumn("searches", label=_("Searches"), sort_key="searches"),
        NumberColumn("visitors", label=_("Visitors"), sort_key="visitors"),
        Column("avg_results", label=_("Average results"), accessor=lambda row: one_decimal(row["avg_results"])),
        NumberColumn("clicks", label=_("Clicks"), sort_key="clicks"),
        Column(
            "ctr",
            label=_("Click-through rate"),
            sort_key="ctr",
            accessor=lambda row: percentage((row["ctr"] or 0) / 100),
        ),
    ]
    list_export = ["normalized_query", "searches", "visitors", "avg_results", "clicks", "ctr"]
    export_headings = {
        "normalized_query": _("Query"),
        "searches": _("Searches"),
        "visitors": _("Visitors"),
        "avg_results": _("Average results"),
        "clicks": _("Clicks"),
        "ctr": _("Click-through rate (%)"),
    }

    def summarize(self, events):
        return (
            events.values("normalized_query")
            .annotate(
                searches=Count("id"),
                visitors=Count("visitor_id", distinct=True),
                avg_results=Avg("result_count"),
                clicks=Coalesce(Sum("click_count"), 0),
                clicked_searches=Count("id", filter=Q(click_count__gt=0)),
            )
            .annotate(ctr=click_through_rate("clicked_searches", "searches"))
        )


class SearchesWithoutResultsReportView(SearchReportView):
    page_title = _("Searches with no results")
    header_icon = "warning"
    index_url_name = "kb_search_reports:no_results"
    index_results_url_name = "kb_search_reports:no_results_results"
    export_filename = "searches-with-no-results"
    is_searchable = True
    search_fields = ["normalized_query"]
    default_ordering = "-searches"
    columns = [
        Column("normalized_query", label=_("Query"), sort_key="normalized_query"),
        NumberColumn("searches", label=_("Searches"), sort_key="searches"),
        Column(
            "last_searched",
            label=_("Last searched"),
            sort_key="last_searched",
            accessor=lambda row: date_format(timezone.localtime(row["last_searched"]), "SHORT_DATETIME_FORMAT"),
        ),
    ]
    list_export = ["normalized_query", "searches", "last_searched"]
    export_headings = {"normalized_query": _("Query"), "searches": _("Searches"), "last_searched": _("Last searched")}

    def summarize(self, events):
        return (
            events.filter(result_count=0)
            .values("normalized_query")
            .annotate(searches=Count("id"), last_searched=Max("created_at"))
        )


class SearchSummaryReportView(SearchReportView):
    """Searches and click-through per day, with the rate over the whole range and a chart."""

    page_title = _("Search click-through")
    header_icon = "pick"
    results_template_name = "kb/reports/search_summary_results.html"
    index_url_name = "kb_search_reports:summary"
    index_results_url_name = "kb_search_reports:summary_results"
    export_filename = "search-click-through"
    paginate_by = 100
    default_ordering = "-day"
    tie_breaker = "day"
    columns = [
        Column("day", label=_("Day"), sort_key="day", accessor=lambda row: date_format(row["day"], "DATE_FORMAT")),
        NumberColumn("searches", label=_("Searches"), sort_key="searches"),
        NumberColumn("clicked_searches", label=_("Searches with a click"), sort_key="clicked_searches"),
        NumberColumn("no_results", label=_("Searches with no results"), sort_key="no_results"),
        Column(
            "ctr",
            label=_("Click-through rate"),
            sort_key="ctr",
            accessor=lambda row: percentage((row["ctr"] or 0) / 100),
        ),
    ]
    list_export = ["day", "searches", "clicked_searches", "no_results", "ctr"]
    export_headings = {
        "day": _("Day"),
        "searches": _("Searches"),
        "clicked_searches": _("Searches with a click"),
        "no_results": _("Searches with no results"),
        "ctr": _("Click-through rate (%)"),
    }

    def summarize(self, events):
        return (
            events.annotate(day=TruncDate("created_at"))
            .values("day")
            .annotate(
                searches=Count("id"),
                clicked_searches=Count("id", filter=Q(click_count__gt=0)),
                no_results=Count("id", filter=Q(result_count=0)),
            )
            .annotate(ctr=click_through_rate("clicked_searches", "searches"))
        )

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if not self.is_export:
            totals = self.events.aggregate(
                searches=Count("id"), clicked_searches=Count("id", filter=Q(click_count__gt=0))
            )
            searches = totals["searches"]
            context["totals"] = {
                **totals,
                "ctr": percentage(totals["clicked_searches"] / searches if searches else 0),
            }
            context["key_figures"] = [
                (gettext("Searches"), str(totals["searches"])),
                (gettext("Searches with a click"), str(totals["clicked_searches"])),
                (gettext("Click-through rate"), context["totals"]["ctr"]),
            ]
            context["chart"] = self.chart(context["object_list"])
        return context

    def chart(self, rows):
        """The shown days' click-through rates, oldest first (sitewide.charts)."""
        days = sorted(rows, key=lambda row: row["day"])
        if not days:
            return None
        return charts.chart(
            id="search-chart",
            title=gettext("Click-through rate per day, %(first)s to %(last)s (bar height: 0–100%%)")
            % {
                "first": date_format(days[0]["day"], "DATE_FORMAT"),
                "last": date_format(days[-1]["day"], "DATE_FORMAT"),
            },
            periods=[date_format(row["day"], "DATE_FORMAT") for row in days],
            short_periods=[date_format(row["day"], "SHORT_DATE_FORMAT") for row in days],
            series=[
                charts.Series(
                    gettext("Click-through rate"),
                    [one_decimal(row["ctr"]) for row in days],
                    titles=[
                        gettext("%(day)s: %(rate)s of %(searches)s searches")
                        % {
                            "day": date_format(row["day"], "DATE_FORMAT"),
                            "rate": percentage((row["ctr"] or 0) / 100),
                            "searches": row["searches"],
                        }
                        for row in days
                    ],
                )
            ],
            x_title=gettext("Day"),
            y_title=gettext("Click-through rate"),
            unit="%",
            decimals=1,
            y_range=(0, 100),
            rtl=get_language_bidi(),
            extra_columns=[
                (gettext("Searches"), [row["searches"] for row in days]),
                (gettext("Searches with a click"), [row["clicked_searches"] for row in days]),
            ],
        )
