"""Customer voice reports in the Wagtail admin: the Net Promoter Score and the survey comments.

* "Net Promoter Score": the figures of customer_voice.services.nps_report for a date range (default
  the last 12 months, whole days in the site's time zone): key figures, the monthly trend as a chart
  with its margin of error, and one row per month and per segment (listing and CSV/XLSX export).
  A group with fewer than VOICE_MIN_ANSWERS answers shows "Too few answers (n=…)", not a score.
* "Survey comments": the verbatim answers with a comment, filterable and searchable, exported
  spreadsheet-safe (a comment is customer-typed text).

Readers need customer_voice.view_surveyresponse (Support agents and Council managers have it).
Who is a council member, and what members answered in the council's own survey runs, are shown
only to readers the council allows (customer_voice.services.audiences.may_see_audience: council
managers and superusers): for anyone else there is no council segment, audience, filter or column,
and no answer of a council run among the comments.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import get_language_bidi, gettext
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter, CharFilter, ChoiceFilter, DateFromToRangeFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from accounts.models import Plan, User
from customer_voice.models import SurveyResponse
from customer_voice.models.surveys import Audience, SurveyKind
from customer_voice.nps import CsatFigures
from customer_voice.services.audiences import hidden_audiences, may_see_audience, visible_answers
from customer_voice.services.nps_report import MAX_MONTHS, PeriodError, month_starts, nps_report
from sitewide import charts
from sitewide.exports import percentage, spreadsheet_safe

#: Opens both reports.
REPORT_PERMISSION = "customer_voice.view_surveyresponse"
#: The earliest and latest days a range may name.
FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(9999, 12, 30)


def rounded(value, places=1) -> str:
    return "–" if value is None else f"{round(value, places):g}"


def export_number(value):
    return "" if value is None else round(value, 1)


def score_text(figures) -> str:
    """ "30 ± 15.3", "80% ± 7.8" (CSAT), or "Too few answers (n=12)"."""
    if not figures.enough:
        return gettext("Too few answers (n=%(n)s)") % {"n": figures.n}
    unit = "%" if isinstance(figures, CsatFigures) else ""
    return f"{rounded(figures.score)}{unit} ± {rounded(figures.margin_of_error)}"


def share_text(figures, count) -> str:
    return f"{count} ({percentage(figures.share(count))})" if figures.n else str(count)


def local_day(moment):
    if moment is None:
        return None
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def chosen_days(filters, field_name: str, default_first: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The (first, last) whole days a DateFromToRangeFilter names, sorted and inside the calendar."""
    first, last = default_first, timezone.localdate()
    if filters is not None and filters.is_valid():
        chosen = filters.form.cleaned_data.get(field_name)
        if chosen:
            first = local_day(chosen.start) or first
            last = local_day(chosen.stop) or last
    first, last = sorted((first, last))
    return max(first, FIRST_DAY), min(last, LAST_DAY)


def last_twelve_months() -> datetime.date:
    """The first day of the month eleven months ago: with this month, twelve month buckets."""
    return month_starts(timezone.localdate() - datetime.timedelta(days=335), timezone.localdate())[0]


def nps_chart(months, *, title: str, csat: bool = False, rtl: bool = False) -> charts.ChartLayout | None:
    """The monthly trend (sitewide.charts): a point per month with enough answers, its 95 % margin
    as an error bar, "–" for a month with too few answers; the scale never leaves −100..100 (an
    NPS) or 0..100 (the CSAT share). In a right-to-left admin the months run from right to left."""
    if not months:
        return None
    labels = [date_format(month.start, "YEAR_MONTH_FORMAT") for month in months]
    shown = [month.figures if month.figures.enough else None for month in months]
    return charts.chart(
        id="voice-chart",
        kind="line",
        title=title,
        periods=labels,
        short_periods=[date_format(month.start, "M y") for month in months],
        series=[
            charts.Series(
                gettext("Score ± margin (95%)"),
                [figures.score if figures else None for figures in shown],
                margins=[figures.margin_of_error if figures else None for figures in shown],
                texts=[score_text(month.figures) for month in months],
                titles=[
                    f"{label}: {score_text(month.figures)} (n={month.figures.n})"
                    for label, month in zip(labels, months, strict=True)
                ],
            )
        ],
        x_title=gettext("Month"),
        y_title=gettext("Score"),
        unit="%" if csat else "",
        decimals=1,
        y_range=(0, 0),
        y_limits=(0 if csat else -100, 100),
        rtl=rtl,
        extra_columns=[(gettext("Answers"), [month.figures.n for month in months])],
    )


class NpsPeriodFilterSet(WagtailFilterSet):
    answered_at = DateFromToRangeFilter(label=_("Answered"), widget=DateRangePickerWidget, method="keep")
    kind = ChoiceFilter(label=_("Survey"), choices=SurveyKind.choices, method="keep", empty_label=_("NPS"))
    audience = ChoiceFilter(label=_("Audience"), choices=Audience.choices, method="keep", empty_label=_("Everyone"))

    class Meta:
        model = SurveyResponse
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Only the audiences the reader may see; another one in the URL is ignored, not an error
        # (an invalid form would drop the chosen period too).
        viewer = getattr(self.request, "user", None)
        shown = [(value, label) for value, label in Audience.choices if may_see_audience(viewer, value)]
        self.filters["audience"].extra["choices"] = shown
        if self.data.get("audience") and self.data["audience"] not in dict(shown):
            self.data = self.data.copy()
            self.data.pop("audience")

    def keep(self, queryset, name, value):
        # The filters choose the figures' period and kind; they never narrow a queryset themselves.
        return queryset


class NpsReportView(ReportView):
    page_title = _("Net Promoter Score")
    header_icon = "pick"
    model = SurveyResponse
    permission_policy = ModelPermissionPolicy(SurveyResponse)
    permission_required = "view"
    filterset_class = NpsPeriodFilterSet
    index_url_name = "customer_voice_reports:nps"
    index_results_url_name = "customer_voice_reports:nps_results"
    results_template_name = "customer_voice/reports/nps_results.html"
    export_filename = "net-promoter-score"
    paginate_by = 200
    list_export = [
        "group",
        "segment",
        "n",
        "promoters",
        "passives",
        "detractors",
        "good",
        "score",
        "margin_of_error",
        "enough",
    ]
    export_headings = {
        "group": _("Group"),
        "segment": _("Segment"),
        "n": _("Answers"),
        "promoters": _("Promoters"),
        "passives": _("Passives"),
        "detractors": _("Detractors"),
        "good": _("Good (CSAT)"),
        "score": _("Score"),
        "margin_of_error": _("Margin of error (95%)"),
        "enough": _("Enough answers"),
    }
    custom_field_preprocess = {
        "score": {ReportView.FORMAT_CSV: export_number, ReportView.FORMAT_XLSX: export_number},
        "margin_of_error": {ReportView.FORMAT_CSV: export_number, ReportView.FORMAT_XLSX: export_number},
        "segment": {ReportView.FORMAT_CSV: spreadsheet_safe, ReportView.FORMAT_XLSX: spreadsheet_safe},
    }

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if not any(key.startswith("answered_at") for key in kwargs["data"]):
            data = kwargs["data"].copy()
            data["answered_at_from"] = last_twelve_months().isoformat()
            data["answered_at_to"] = timezone.localdate().isoformat()
            kwargs["data"] = data
        return kwargs

    def chosen(self, name: str, default: str) -> str:
        if self.filters is not None and self.filters.is_valid():
            return self.filters.form.cleaned_data.get(name) or default
        return default

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        first, last = chosen_days(self.filters, "answered_at", last_twelve_months())
        # A longer range keeps its last MAX_MONTHS months (the report's limit).
        earliest = month_starts(last - datetime.timedelta(days=31 * (MAX_MONTHS - 1)), last)[-MAX_MONTHS]
        return max(first, earliest), last

    @property
    def kind(self) -> str:
        return self.chosen("kind", SurveyKind.NPS)

    @cached_property
    def shows_council(self) -> bool:
        """Whether the reader may see the council segments and audience."""
        return may_see_audience(self.request.user, Audience.COUNCIL)

    def report(self):
        if not hasattr(self, "_report"):
            since, until = self.period
            audience = self.chosen("audience", None)
            if audience and not may_see_audience(self.request.user, audience):
                audience = None
            council = self.shows_council
            try:
                self._report = nps_report(since, until, kind=self.kind, audience=audience, with_council=council)
            except PeriodError:
                self._report = nps_report(until, until, kind=self.kind, with_council=council)
        return self._report

    @property
    def columns(self):
        columns = [
            Column("group", label=_("Group")),
            Column("segment", label=_("Segment"), accessor=lambda row: format_html("<bdi>{}</bdi>", row["segment"])),
            Column("n", label=_("Answers")),
        ]
        if self.kind == SurveyKind.NPS:
            columns += [
                Column("promoters", label=_("Promoters"), accessor="promoters_text"),
                Column("passives", label=_("Passives"), accessor="passives_text"),
                Column("detractors", label=_("Detractors"), accessor="detractors_text"),
                Column("score", label=_("NPS ± margin (95%)"), accessor="score_text"),
            ]
        else:
            columns += [
                Column("good", label=_("Good"), accessor="good_text"),
                Column("score", label=_("Good ± margin (95%)"), accessor="score_text"),
            ]
        return columns

    def get_filtered_queryset(self):
        return self.rows()

    def rows(self) -> list[dict]:
        report = self.report()
        groups = [(gettext("Overall"), gettext("All answers"), report.overall)]
        groups += [
            (gettext("Month"), date_format(month.start, "YEAR_MONTH_FORMAT"), month.figures) for month in report.months
        ]
        for found in report.segments.values():
            groups += [(segment.dimension_label, segment.label, segment.figures) for segment in found]
        return [self.row(group, segment, figures) for group, segment, figures in groups]

    @staticmethod
    def row(group, segment, figures) -> dict:
        nps = not isinstance(figures, CsatFigures)
        return {
            "group": group,
            "segment": segment,
            "n": figures.n,
            "promoters": figures.promoters if nps else "",
            "passives": figures.passives if nps else "",
            "detractors": figures.detractors if nps else "",
            "good": "" if nps else figures.good,
            "promoters_text": share_text(figures, figures.promoters) if nps else "",
            "passives_text": share_text(figures, figures.passives) if nps else "",
            "detractors_text": share_text(figures, figures.detractors) if nps else "",
            "good_text": "" if nps else share_text(figures, figures.good),
            "score": figures.score if figures.enough else None,
            "margin_of_error": figures.margin_of_error if figures.enough else None,
            "score_text": score_text(figures),
            "enough": figures.enough,
        }

    def key_figures(self) -> list[tuple[str, str]]:
        report = self.report()
        overall = report.overall
        if report.kind == SurveyKind.NPS:
            cards = [
                (gettext("Net Promoter Score"), score_text(overall)),
                (gettext("Answers"), str(overall.n)),
                (gettext("Promoters"), percentage(overall.promoter_share)),
                (gettext("Passives"), percentage(overall.passive_share)),
                (gettext("Detractors"), percentage(overall.detractor_share)),
            ]
        else:
            cards = [(gettext("Good answers"), score_text(overall)), (gettext("Answers"), str(overall.n))]
        cards.append(
            (
                gettext("Loop closed"),
                gettext("%(rate)s of %(total)s follow-ups (%(open)s open)")
                % {"rate": percentage(report.loop.rate), "total": report.loop.total, "open": report.loop.open},
            )
        )
        if report.kind == SurveyKind.NPS:
            cards.append((gettext("CSAT (good)"), score_text(report.csat)))
        return cards

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if not self.is_export:
            report = self.report()
            context.update(
                report=report,
                key_figures=self.key_figures(),
                chart=nps_chart(
                    report.months,
                    title=(
                        gettext("Net Promoter Score by month, with its 95% margin of error")
                        if report.kind == SurveyKind.NPS
                        else gettext("Share of good answers by month (%), with its 95% margin of error")
                    ),
                    csat=report.kind != SurveyKind.NPS,
                    rtl=get_language_bidi(),
                ),
                comments_url=reverse("customer_voice_reports:comments"),
            )
        return context


# --- Survey comments ----------------------------------------------------------------------------


class CommentFilterSet(WagtailFilterSet):
    q = CharFilter(label=_("Comment contains"), method="search_comment")
    answered_at = DateFromToRangeFilter(label=_("Answered"), widget=DateRangePickerWidget, method="answered_between")
    kind = ChoiceFilter(label=_("Survey"), choices=SurveyKind.choices)
    category = ChoiceFilter(label=_("Category"), choices=SurveyResponse.Category.choices)
    language = ChoiceFilter(label=_("Language"), choices=settings.LANGUAGES)
    is_council = BooleanFilter(label=_("Council member"))
    plan = ChoiceFilter(label=_("Plan"), choices=Plan.choices)
    referral_source = ChoiceFilter(label=_("How they heard of us"), choices=User.ReferralSource.choices)

    class Meta:
        model = SurveyResponse
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_see_audience(getattr(self.request, "user", None), Audience.COUNCIL):
            # Not even as a filter: its answer would tell who is a member.
            del self.filters["is_council"]

    def search_comment(self, queryset, name, value):
        value = (value or "").replace("\x00", "").strip()[:200]
        return queryset.filter(comment__icontains=value) if value else queryset

    def answered_between(self, queryset, name, value):
        if value.start:
            first = local_day(value.start)
            queryset = queryset.filter(answered_at__gte=_midnight(first))
        if value.stop:
            last = min(local_day(value.stop), LAST_DAY)
            queryset = queryset.filter(answered_at__lt=_midnight(last + datetime.timedelta(days=1)))
        return queryset


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(max(day, FIRST_DAY), datetime.time.min))


def timeline_url(user_id) -> str:
    """The customer's timeline in the admin, when that page exists."""
    if not user_id:
        return ""
    try:
        return reverse("customer_voice_timeline:customer", args=[user_id])
    except NoReverseMatch:
        return ""


def _comment_cell(answer):
    return format_html('<span dir="auto">{}</span>', answer.comment)


def _customer_cell(answer):
    url = timeline_url(answer.user_id)
    if url:
        return format_html('<a href="{}">{}</a>', url, gettext("Timeline"))
    return gettext("Customer %(id)s") % {"id": answer.user_id} if answer.user_id else "–"


def _segments_text(answer, *, with_council: bool = True) -> str:
    parts = [
        dict(Plan.choices).get(answer.plan, "") or "",
        dict(User.ReferralSource.choices).get(answer.referral_source, ""),
    ]
    if with_council and answer.is_council:
        parts.insert(0, gettext("Council"))
    return ", ".join(str(part) for part in parts if part)


def _segments_text_without_council(answer) -> str:
    return _segments_text(answer, with_council=False)


class CommentsReportView(ReportView):
    page_title = _("Survey comments")
    header_icon = "comment"
    model = SurveyResponse
    permission_policy = ModelPermissionPolicy(SurveyResponse)
    permission_required = "view"
    filterset_class = CommentFilterSet
    index_url_name = "customer_voice_reports:comments"
    index_results_url_name = "customer_voice_reports:comments_results"
    export_filename = "survey-comments"
    paginate_by = 50
    #: Every column, for readers who may see the council (see :attr:`columns`).
    all_columns = [
        Column(
            "answered_at",
            label=_("Answered"),
            accessor=lambda answer: format_html("<bdi>{}</bdi>", date_format(timezone.localtime(answer.answered_at))),
        ),
        Column("kind", label=_("Survey"), accessor="get_kind_display"),
        Column("score", label=_("Score"), accessor=lambda answer: format_html("<bdi>{}</bdi>", answer.score)),
        Column("category", label=_("Category"), accessor="get_category_display"),
        Column("comment", label=_("Comment"), accessor=_comment_cell),
        Column("language", label=_("Language")),
        Column("segments", label=_("Segments"), accessor=_segments_text),
        Column("customer", label=_("Customer"), accessor=_customer_cell),
    ]
    #: Every exported field, for readers who may see the council (see :attr:`list_export`).
    all_list_export = [
        "answered_at",
        "kind",
        "score",
        "category",
        "comment",
        "language",
        "is_council",
        "plan",
        "referral_source",
        "user_id",
    ]
    export_headings = {
        "answered_at": _("Answered"),
        "kind": _("Survey"),
        "score": _("Score"),
        "category": _("Category"),
        "comment": _("Comment"),
        "language": _("Language"),
        "is_council": _("Council member"),
        "plan": _("Plan"),
        "referral_source": _("How they heard of us"),
        "user_id": _("Customer id"),
    }
    custom_field_preprocess = {
        "comment": {ReportView.FORMAT_CSV: spreadsheet_safe, ReportView.FORMAT_XLSX: spreadsheet_safe},
    }

    @cached_property
    def shows_council(self) -> bool:
        """Whether the reader may see who is a council member (the column, filter and export)."""
        return may_see_audience(self.request.user, Audience.COUNCIL)

    @property
    def columns(self):
        if self.shows_council:
            return self.all_columns
        no_council = Column("segments", label=_("Segments"), accessor=_segments_text_without_council)
        return [no_council if column.name == "segments" else column for column in self.all_columns]

    @property
    def list_export(self):
        if self.shows_council:
            return self.all_list_export
        return [name for name in self.all_list_export if name != "is_council"]

    def get_queryset(self):
        answers = SurveyResponse.objects.filter(~Q(comment=""))
        return visible_answers(answers, hidden_audiences(self.request.user)).order_by("-answered_at", "-pk")


#: (URL path, URL name, view, menu label, icon): the reports in the "Customer voice" menu, in order.
REPORTS = [
    ("nps/", "nps", NpsReportView, _("Net Promoter Score"), "pick"),
    ("comments/", "comments", CommentsReportView, _("Survey comments"), "comment"),
]
