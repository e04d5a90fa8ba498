"""The NPS report: overall figures, a trend by month, segments, the "loop closed" rate and CSAT.

One call costs two queries whatever the number of answers:

1. one GROUP BY over SurveyResponse (both kinds, the period's answers, read through the
   ``(kind, answered_at)`` index) by kind, month, category (from the score), council, language,
   referral source and plan, counting answers (and good CSAT answers); every figure of the report
   is a sum over these rows (a cube bounded by the number of distinct segment values, not by the
   number of answers);
2. one aggregate over the period's follow-ups (closed, open, all).

Answers carry their segments as they were when given (customer_voice.models.surveys), so no
join to the accounts is needed. The month is a CASE over the local month boundaries, computed
here, rather than a database date function: it is the same on every backend and on SQLite it
avoids a Python function call per row.

The admin report, ``manage.py nps_report`` and the benchmark all call :func:`nps_report`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, CharField, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Plan, User
from customer_voice.models import FollowUp, SurveyResponse
from customer_voice.models.surveys import Audience, SurveyKind
from customer_voice.nps import CsatFigures, NpsFigures

#: Longest period one report covers, in months (the month CASE has one branch per month).
MAX_MONTHS = 120

#: The segment dimensions, in the order the report shows them: (key, SurveyResponse field, label).
DIMENSIONS = [
    ("council", "is_council", _("Council")),
    ("language", "language", _("Language")),
    ("referral_source", "referral_source", _("How they heard of us")),
    ("plan", "plan", _("Plan")),
]
DIMENSION_LABELS = {key: label for key, _field, label in DIMENSIONS}

Category = SurveyResponse.Category

#: The NPS category from the score itself (9-10, 7-8, 0-6), the same rule as
#: SurveyResponse.category_of: an answer written without its category still counts right.
OUTCOME = Case(
    When(score__gte=9, then=Value(Category.PROMOTER.value)),
    When(score__gte=7, then=Value(Category.PASSIVE.value)),
    default=Value(Category.DETRACTOR.value),
    output_field=CharField(),
)


class PeriodError(ValueError):
    """The period is upside down or longer than :data:`MAX_MONTHS`."""


@dataclass(frozen=True)
class Month:
    start: datetime.date
    figures: NpsFigures | CsatFigures


@dataclass(frozen=True)
class Segment:
    dimension: str
    key: str
    label: str
    figures: NpsFigures | CsatFigures

    @property
    def dimension_label(self) -> str:
        return str(DIMENSION_LABELS[self.dimension])


@dataclass(frozen=True)
class LoopFigures:
    """Follow-ups opened for the period's answers: how many were closed with the customer."""

    total: int
    closed: int
    open: int

    @property
    def rate(self) -> float | None:
        """Closed (state CLOSED) / all follow-ups, 0..1; ``None`` without follow-ups."""
        return self.closed / self.total if self.total else None


@dataclass
class NpsReport:
    since: datetime.date
    until: datetime.date
    kind: str
    audience: str | None
    overall: NpsFigures | CsatFigures
    months: list[Month]
    segments: dict[str, list[Segment]] = field(default_factory=dict)
    loop: LoopFigures = LoopFigures(0, 0, 0)
    #: CSAT of the same period and audience (the report's main figures when ``kind`` is CSAT).
    csat: CsatFigures = CsatFigures(0, 0)

    @property
    def min_answers(self) -> int:
        return settings.VOICE_MIN_ANSWERS


def month_starts(since: datetime.date, until: datetime.date) -> list[datetime.date]:
    """The first day of every month from ``since``'s to ``until``'s, both included."""
    first, last = since.year * 12 + since.month - 1, until.year * 12 + until.month - 1
    return [datetime.date(index // 12, index % 12 + 1, 1) for index in range(first, last + 1)]


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def check_period(since: datetime.date, until: datetime.date) -> None:
    if since > until:
        raise PeriodError(_("The period starts after it ends."))
    if until >= datetime.date.max:
        raise PeriodError(_("The period ends after the last day of the calendar."))
    if len(month_starts(since, until)) > MAX_MONTHS:
        raise PeriodError(_("A report covers at most %(months)s months.") % {"months": MAX_MONTHS})


def segment_label(dimension: str, key) -> str:
    if dimension == "council":
        return str(_("Council members") if key else _("Other customers"))
    if not key:
        return str(_("Not known"))
    if dimension == "language":
        return str(dict(settings.LANGUAGES).get(key, key))
    if dimension == "referral_source":
        return str(dict(User.ReferralSource.choices).get(key, key))
    if dimension == "plan":
        return str(dict(Plan.choices).get(key, key))
    return str(key)


def answers_in(since: datetime.date, until: datetime.date, *, audience: str | None = None):
    """Answers given on the whole local days ``since`` to ``until`` (both included), of an audience."""
    answers = SurveyResponse.objects.filter(
        answered_at__gte=local_midnight(since), answered_at__lt=local_midnight(until + datetime.timedelta(days=1))
    )
    if audience == Audience.COUNCIL:
        answers = answers.filter(is_council=True)
    return answers


def _figures(kind: str, row) -> NpsFigures | CsatFigures:
    """The figures of one cube row (one category of NPS answers, or CSAT answers)."""
    if kind == SurveyKind.CSAT:
        return CsatFigures(row["n"], row["good"])
    n, category = row["n"], row["outcome"]
    return NpsFigures(
        n,
        n if category == Category.PROMOTER else 0,
        n if category == Category.PASSIVE else 0,
        n if category == Category.DETRACTOR else 0,
    )


def _empty(kind: str) -> NpsFigures | CsatFigures:
    return CsatFigures.empty() if kind == SurveyKind.CSAT else NpsFigures.empty()


def nps_report(
    since: datetime.date,
    until: datetime.date,
    *,
    kind: str = SurveyKind.NPS,
    audience: str | None = None,
    with_council: bool = True,
) -> NpsReport:
    """The figures of ``kind`` answers given from ``since`` to ``until`` (whole local days, both
    included). ``audience``: ``None`` or "everyone" for every answer, "council" for council members'
    answers only. ``with_council=False`` leaves the council segments out (for a reader who may not
    know who is a member) and refuses the "council" audience. Two queries; raises
    :class:`PeriodError` for an impossible period."""
    if kind not in SurveyKind.values:
        raise ValueError(f"Unknown survey kind {kind!r}.")
    if not with_council and audience == Audience.COUNCIL:
        raise ValueError("The council audience needs with_council=True.")
    dimensions = [dimension for dimension in DIMENSIONS if with_council or dimension[0] != "council"]
    check_period(since, until)
    starts = month_starts(since, until)
    answers = answers_in(since, until, audience=audience)
    if not with_council:
        # What members said in the council's own runs is the council's, counts included.
        answers = answers.exclude(audience=Audience.COUNCIL)
    # Month index 0..len-1: the first boundary the answer is before, minus one.
    month = Case(
        *(
            When(answered_at__lt=local_midnight(start), then=Value(index - 1))
            for index, start in enumerate(starts[1:], 1)
        ),
        default=Value(len(starts) - 1),
        output_field=IntegerField(),
    )
    # Grouped by category rather than counted with conditional counts: five FILTER clauses cost
    # more per row than the extra groups (measured, bench/nps_report.py).
    cube = (
        answers.filter(kind__in=[SurveyKind.NPS, SurveyKind.CSAT])
        .annotate(month=month, outcome=OUTCOME)
        .values("kind", "month", "outcome", *(field_name for _key, field_name, _label in dimensions))
        .annotate(n=Count("pk"), good=Sum(Case(When(score__gte=1, then=Value(1)), default=Value(0))))
        .order_by()
    )
    overall = _empty(kind)
    csat = CsatFigures.empty()
    by_month = defaultdict(lambda: _empty(kind))
    by_segment = {key: defaultdict(lambda: _empty(kind)) for key, _field, _label in dimensions}
    for row in cube:
        if row["kind"] == SurveyKind.CSAT:
            csat += CsatFigures(row["n"], row["good"])
        if row["kind"] != kind:
            continue
        figures = _figures(kind, row)
        overall += figures
        by_month[row["month"]] += figures
        for key, field_name, _label in dimensions:
            by_segment[key][row[field_name]] += figures

    segments = {}
    for key, _field, _label in dimensions:
        found = [
            Segment(key, str(value), segment_label(key, value), figures) for value, figures in by_segment[key].items()
        ]
        if key == "council":
            # Both sides always, council first, even when one of them has no answers.
            found = [
                Segment(key, str(value), segment_label(key, value), by_segment[key].get(value, _empty(kind)))
                for value in (True, False)
            ]
        else:
            found.sort(key=lambda segment: (-segment.figures.n, segment.label))
        segments[key] = found

    loop = (
        FollowUp.objects.filter(response__in=answers.filter(kind=kind).values("pk"))
        .order_by()
        .aggregate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(state=FollowUp.State.CLOSED)),
            open=Count("pk", filter=Q(state__in=[FollowUp.State.OPEN, FollowUp.State.CONTACTED])),
        )
    )
    return NpsReport(
        since=since,
        until=until,
        kind=kind,
        audience=audience,
        overall=overall,
        months=[Month(start, by_month[index]) for index, start in enumerate(starts)],
        segments=segments,
        loop=LoopFigures(loop["total"], loop["closed"], loop["open"]),
        csat=csat,
    )


def figures_as_dict(figures: NpsFigures | CsatFigures) -> dict:
    """Plain, JSON-ready numbers of one group; no score when there are too few answers."""

    def rounded(value, places=1):
        return None if value is None else round(value, places)

    def percent(count):
        share = figures.share(count)
        return None if share is None else round(100 * share, 1)

    shown = figures.enough
    common = {
        "n": figures.n,
        "enough": shown,
        "score": rounded(figures.score) if shown else None,
        "margin_of_error": rounded(figures.margin_of_error) if shown else None,
    }
    if isinstance(figures, CsatFigures):
        return {**common, "good": figures.good, "bad": figures.bad}
    return {
        **common,
        "promoters": figures.promoters,
        "passives": figures.passives,
        "detractors": figures.detractors,
        "promoters_pct": percent(figures.promoters),
        "passives_pct": percent(figures.passives),
        "detractors_pct": percent(figures.detractors),
    }


def report_as_dict(report: NpsReport) -> dict:
    """The whole report as JSON-ready data (``manage.py nps_report --format json``)."""
    return {
        "period": {"since": report.since.isoformat(), "until": report.until.isoformat()},
        "kind": str(report.kind),
        "audience": report.audience or Audience.EVERYONE.value,
        "min_answers": report.min_answers,
        "overall": figures_as_dict(report.overall),
        "months": [
            {"month": month.start.strftime("%Y-%m"), **figures_as_dict(month.figures)} for month in report.months
        ],
        "segments": {
            dimension: [{"key": seg.key, "label": seg.label, **figures_as_dict(seg.figures)} for seg in found]
            for dimension, found in report.segments.items()
        },
        "loop": {
            "follow_ups": report.loop.total,
            "closed": report.loop.closed,
            "open": report.loop.open,
            "closed_rate": None if report.loop.rate is None else round(report.loop.rate, 4),
        },
        "csat": figures_as_dict(report.csat),
    }
