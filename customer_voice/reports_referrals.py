"""The "How customers heard of us" report in the Wagtail admin.

For a range of whole days (the "Signed up" filter, default the last twelve months) it shows, per
calendar month:

* **sign-ups by source**: the answer to "How did you hear about us?" (User.referral_source), with
  sign-ups that came through a member's link counted as "Referral link" whatever they answered,
  and "Not answered" for the rest; each new account counts once. Staff accounts are left out;
* **referral conversions**: clicks on members' links (the daily counters) and the sign-ups they
  brought; the conversion is sign-ups ÷ clicks of the same month (a click late in one month may
  sign up early in the next, so a month can read above 100 %);
* **top advocates**: the members whose links brought the most sign-ups in the range, linked to
  their customer timeline when that page exists.

The figures take a fixed number of queries whatever the number of accounts. The listing (and its
CSV/XLSX export) is the month table; the chart and the advocates sit above it. Readers need the
"view referral" permission (given to Support agents).
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, Count, F, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language_bidi, gettext
from django.utils.translation import gettext_lazy as _
from django_filters import DateFromToRangeFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from customer_voice.models.referrals import Referral, ReferralClicks
from customer_voice.services.audiences import staff_q
from sitewide import charts
from sitewide.exports import percentage
from support.metrics.period import Period, bucket_start, ratio

User = get_user_model()

#: The permission that opens the report (Support agents have it; superusers too).
REPORT_PERMISSION = "customer_voice.view_referral"
#: How many advocates the report lists.
TOP_ADVOCATES = 20
#: The range shown when none is chosen: this month and the eleven before it.
DEFAULT_MONTHS = 12
#: The earliest day a range may name, and the most months it may cover (wider ranges are cut).
FIRST_DAY, MAX_MONTHS = datetime.date(2000, 1, 1), 120

#: Internal source keys beside User.ReferralSource's values.
REFERRAL_LINK, NOT_ANSWERED = "referral_link", "none"
#: Grey for "Not answered"; the sources take sitewide.charts' Okabe–Ito colours in order.
NOT_ANSWERED_COLOUR = "#BBBBBB"


def sources() -> list[tuple[str, str]]:
    """(key, label) of every source, in the order of the columns, the chart and the legend."""
    return [
        (REFERRAL_LINK, gettext("Referral link")),
        *((value, str(label)) for value, label in User.ReferralSource.choices),
        (NOT_ANSWERED, gettext("Not answered")),
    ]


def _source_keys() -> list[str]:
    return [REFERRAL_LINK, *User.ReferralSource.values, NOT_ANSWERED]


def colour_of(key: str) -> str:
    if key == NOT_ANSWERED:
        return NOT_ANSWERED_COLOUR
    return charts.OKABE_ITO[_source_keys().index(key) % len(charts.OKABE_ITO)]


def month_label(month: datetime.date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def months_of(period: Period) -> list[datetime.date]:
    """The first day of every calendar month the period touches, in order."""
    first = bucket_start(period.since, "month")
    last = bucket_start(period.until - datetime.timedelta(microseconds=1), "month")
    months = []
    while first <= last:
        months.append(first)
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    return months


# --- Figures --------------------------------------------------------------------------------
@dataclass
class Advocate:
    user_id: int
    name: str
    sign_ups: int
    clicks: int = 0
    timeline_url: str = ""


@dataclass
class ReferralFigures:
    months: list[datetime.date]
    #: month -> source key -> sign-ups
    sign_ups: dict[datetime.date, dict[str, int]]
    #: month -> clicks on members' links
    clicks: dict[datetime.date, int]
    advocates: list[Advocate] = field(default_factory=list)

    def total(self, month) -> int:
        return sum(self.sign_ups[month].values())

    def referred(self, month) -> int:
        return self.sign_ups[month][REFERRAL_LINK]


def _public_name(user_id, display_name, first_name, last_name) -> str:
    full_name = f"{first_name} {last_name}".strip()
    return display_name or full_name or gettext("Member #%(id)s") % {"id": user_id}


def _timeline_url(user_id) -> str:
    """The customer's timeline in the admin, if another part of the site provides that page."""
    try:
        return reverse("customer_voice_timeline:customer", args=[user_id])
    except NoReverseMatch:
        return ""


def referral_figures(period: Period, *, top: int = TOP_ADVOCATES) -> ReferralFigures:
    """Sign-ups by source and month, clicks by month and the top advocates (four queries)."""
    months = months_of(period)
    sign_ups = {month: dict.fromkeys(_source_keys(), 0) for month in months}
    clicks = dict.fromkeys(months, 0)

    staff = User.objects.filter(staff_q()).values("pk")
    rows = (
        User.objects.filter(**period.filter("date_joined"))
        .exclude(pk__in=staff)
        .annotate(
            month=TruncMonth("date_joined"),
            source=Case(
                When(referred_by__isnull=False, then=Value(REFERRAL_LINK)),
                When(referral_source__in=User.ReferralSource.values, then=F("referral_source")),
                default=Value(NOT_ANSWERED),
                output_field=CharField(),
            ),
        )
        .values("month", "source")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in rows:
        month = bucket_start(row["month"], "month")
        if month in sign_ups:
            sign_ups[month][row["source"]] += row["count"]

    first_day = timezone.localtime(period.since).date()
    last_day = timezone.localtime(period.until).date() - datetime.timedelta(days=1)
    click_rows = (
        ReferralClicks.objects.filter(day__gte=first_day, day__lte=last_day)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(count=Sum("clicks"))
        .order_by()
    )
    for row in click_rows:
        month = bucket_start(row["month"], "month")
        if month in clicks:
            clicks[month] += row["count"] or 0

    leaders = list(
        Referral.objects.filter(**period.filter("created_at"))
        .values(
            "link_id",
            "link__owner_id",
            "link__owner__display_name",
            "link__owner__first_name",
            "link__owner__last_name",
        )
        .annotate(count=Count("pk"))
        .order_by("-count", "link__owner_id")[:top]
    )
    link_clicks = dict(
        ReferralClicks.objects.filter(
            link_id__in=[row["link_id"] for row in leaders], day__gte=first_day, day__lte=last_day
        )
        .values("link_id")
        .annotate(count=Sum("clicks"))
        .values_list("link_id", "count")
        .order_by()
    )
    advocates = [
        Advocate(
            user_id=row["link__owner_id"],
            name=_public_name(
                row["link__owner_id"],
                row["link__owner__display_name"],
                row["link__owner__first_name"],
                row["link__owner__last_name"],
            ),
            sign_ups=row["count"],
            clicks=link_clicks.get(row["link_id"]) or 0,
            timeline_url=_timeline_url(row["link__owner_id"]),
        )
        for row in leaders
    ]
    return ReferralFigures(months=months, sign_ups=sign_ups, clicks=clicks, advocates=advocates)


# --- The chart ------------------------------------------------------------------------------
def stacked_chart(figures: ReferralFigures, *, rtl: bool = False) -> charts.ChartLayout | None:
    """A stacked bar per month, one segment per source (sitewide.charts), with a legend.

    In a right-to-left language the chart is mirrored by layout, not by a transform, so its text
    still reads: the first month is on the right and the value axis on the right-hand side.
    """
    if not figures.months:
        return None
    labels = [month_label(month) for month in figures.months]
    return charts.chart(
        id="referral-chart",
        kind="stacked",
        title=gettext("Sign-ups per month by how they heard of us"),
        periods=labels,
        series=[
            charts.Series(
                label,
                [figures.sign_ups[month][key] for month in figures.months],
                titles=[
                    gettext("%(month)s, %(source)s: %(count)s sign-ups")
                    % {"month": month_label(month), "source": label, "count": figures.sign_ups[month][key]}
                    for month in figures.months
                ],
                colour=colour_of(key),
            )
            for key, label in sources()
        ],
        x_title=gettext("Month of sign-up"),
        y_title=gettext("Sign-ups"),
        rtl=rtl,
        extra_columns=[(gettext("Sign-ups"), [figures.total(month) for month in figures.months])],
    )


# --- The admin view -------------------------------------------------------------------------
class ReferralPeriodFilterSet(WagtailFilterSet):
    created_at = DateFromToRangeFilter(label=_("Signed up"), widget=DateRangePickerWidget, method="keep")

    class Meta:
        model = Referral
        fields = []

    def keep(self, queryset, name, value):
        # The filter chooses the period of the figures; it never narrows a queryset itself.
        return queryset


def _month_column_key(key: str) -> str:
    return f"source_{key}"


def _columns():
    return [
        Column("month_label", label=_("Month")),
        *(
            Column(_month_column_key(key), label=label)
            for key, label in [
                (REFERRAL_LINK, _("Referral link")),
                *User.ReferralSource.choices,
                (NOT_ANSWERED, _("Not answered")),
            ]
        ),
        Column("total", label=_("Sign-ups")),
        Column("clicks", label=_("Referral link clicks")),
        Column("conversion", label=_("Conversion"), accessor=lambda row: percentage(row["conversion"])),
    ]


def _export_headings():
    headings = {"month": _("Month")}
    headings[_month_column_key(REFERRAL_LINK)] = _("Referral link")
    for value, label in User.ReferralSource.choices:
        headings[_month_column_key(value)] = label
    headings[_month_column_key(NOT_ANSWERED)] = _("Not answered")
    headings.update({"total": _("Sign-ups"), "clicks": _("Referral link clicks"), "conversion": _("Conversion")})
    return headings


def _export_number(value):
    return "" if value is None else round(value, 4)


class ReferralReportView(ReportView):
    """How customers heard of us (see the module's docstring)."""

    model = Referral
    permission_policy = ModelPermissionPolicy(Referral)
    permission_required = "view"
    filterset_class = ReferralPeriodFilterSet
    page_title = _("How customers heard of us")
    header_icon = "group"
    index_url_name = "customer_voice_referrals:report"
    index_results_url_name = "customer_voice_referrals:report_results"
    results_template_name = "customer_voice/reports/referrals_results.html"
    export_filename = "how-customers-heard-of-us"
    paginate_by = 100
    columns = _columns()
    export_headings = _export_headings()
    list_export = list(export_headings)
    custom_field_preprocess = {
        "conversion": {ReportView.FORMAT_CSV: _export_number, ReportView.FORMAT_XLSX: _export_number},
    }

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if not any(key.startswith("created_at") for key in kwargs["data"]):
            data = kwargs["data"].copy()
            first, last = self.default_days()
            data["created_at_from"], data["created_at_to"] = first.isoformat(), last.isoformat()
            kwargs["data"] = data
        return kwargs

    @staticmethod
    def default_days() -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        first = today.replace(day=1)
        for _month in range(DEFAULT_MONTHS - 1):
            first = (first - datetime.timedelta(days=1)).replace(day=1)
        return first, today

    @property
    def period(self) -> Period:
        """The chosen whole days (both included); the default range when unset or invalid."""
        first, last = self.default_days()
        if self.filters is not None and self.filters.is_valid():
            chosen = self.filters.form.cleaned_data.get("created_at")
            if chosen:
                first = _local_day(chosen.start) or first
                last = _local_day(chosen.stop) or last
        first, last = sorted((first, last))
        # Nobody signs up in the future, and a month table longer than MAX_MONTHS helps nobody:
        # a wider range keeps its last MAX_MONTHS months.
        last = max(min(last, timezone.localdate()), FIRST_DAY)
        earliest = last.replace(day=1)
        for _month in range(MAX_MONTHS - 1):
            earliest = (earliest - datetime.timedelta(days=1)).replace(day=1)
        return Period.of_days(min(max(first, FIRST_DAY, earliest), last), last)

    def figures(self) -> ReferralFigures:
        if not hasattr(self, "_figures"):
            self._figures = referral_figures(self.period)
        return self._figures

    def get_filtered_queryset(self):
        return self.rows()

    def rows(self) -> list[dict]:
        figures = self.figures()
        rows = []
        for month in figures.months:
            row = {"month": month, "month_label": month_label(month)}
            for key, count in figures.sign_ups[month].items():
                row[_month_column_key(key)] = count
            row["total"] = figures.total(month)
            row["clicks"] = figures.clicks[month]
            row["conversion"] = ratio(figures.referred(month), figures.clicks[month])
            rows.append(row)
        return rows

    def summary(self) -> list[tuple[str, str]]:
        figures = self.figures()
        sign_ups = sum(figures.total(month) for month in figures.months)
        referred = sum(figures.referred(month) for month in figures.months)
        not_answered = sum(figures.sign_ups[month][NOT_ANSWERED] for month in figures.months)
        clicks = sum(figures.clicks.values())
        return [
            (gettext("Sign-ups"), str(sign_ups)),
            (gettext("Answered “How did you hear about us?” or came by a link"), str(sign_ups - not_answered)),
            (gettext("Sign-ups through referral links"), str(referred)),
            (gettext("Referral link clicks"), str(clicks)),
            (gettext("Conversion (sign-ups per click)"), percentage(ratio(referred, clicks))),
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if not self.is_export:
            period = self.period
            context["period"] = period
            context["period_last_day"] = period.until - datetime.timedelta(days=1)
            context["summary"] = self.summary()
            context["chart"] = stacked_chart(self.figures(), rtl=get_language_bidi())
            context["advocates"] = self.figures().advocates
        return context


def _local_day(moment):
    if moment is None:
        return None
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
