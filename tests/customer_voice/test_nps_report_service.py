"""The NPS report service: overall figures, months, segments, the loop-closed rate and CSAT, in a
fixed number of queries whatever the number of answers."""

import datetime

import pytest
from django.utils import timezone

from customer_voice.models import FollowUp, SurveyInvitation, SurveyResponse
from customer_voice.models.surveys import SurveyKind
from customer_voice.nps import CsatFigures, NpsFigures
from customer_voice.services.nps_report import PeriodError, nps_report, report_as_dict

pytestmark = pytest.mark.django_db

#: One GROUP BY for every figure, one aggregate for the follow-ups.
REPORT_QUERIES = 2


def at(day: str, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour)))


def give_answers(count, score, *, day="2026-03-10", kind=SurveyKind.NPS, comment="", user=None, **segments):
    """``count`` answers of ``score`` given on ``day``, with the segments they are reported by."""
    defaults = {"language": "en", "referral_source": "", "plan": "", "is_council": False}
    segments = {**defaults, **segments}
    invitations = SurveyInvitation.objects.bulk_create(
        SurveyInvitation(kind=kind, user=user, language=segments["language"]) for _n in range(count)
    )
    category = SurveyResponse.category_of(score) if kind == SurveyKind.NPS else ""
    return SurveyResponse.objects.bulk_create(
        SurveyResponse(
            invitation=invitation,
            kind=kind,
            user=user,
            score=score,
            category=category,
            comment=comment,
            answered_at=at(day),
            **segments,
        )
        for invitation in invitations
    )


def a_mix(*, promoters, passives, detractors, **fields):
    return (
        give_answers(promoters, 10, **fields)
        + give_answers(passives, 7, **fields)
        + give_answers(detractors, 3, **fields)
    )


MARCH = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


def test_the_overall_figures_count_promoters_passives_and_detractors():
    a_mix(promoters=50, passives=30, detractors=20)

    report = nps_report(*MARCH)

    assert report.overall == NpsFigures(100, 50, 30, 20)
    assert report.overall.score == pytest.approx(30)
    assert report.overall.margin_of_error == pytest.approx(15.3, abs=0.05)


def test_answers_outside_the_period_or_of_the_other_kind_are_not_counted():
    give_answers(5, 10, day="2026-02-28")
    give_answers(5, 10, day="2026-04-01")
    give_answers(5, 1, kind=SurveyKind.CSAT)
    give_answers(3, 0, day="2026-03-31")

    report = nps_report(*MARCH)

    assert report.overall == NpsFigures(3, 0, 0, 3)


def test_the_trend_has_every_month_of_the_period_even_without_answers():
    a_mix(promoters=10, passives=0, detractors=0, day="2026-01-31")
    a_mix(promoters=0, passives=0, detractors=4, day="2026-03-01")

    report = nps_report(datetime.date(2026, 1, 15), datetime.date(2026, 3, 20))

    assert [month.start for month in report.months] == [
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
        datetime.date(2026, 3, 1),
    ]
    assert [month.figures.n for month in report.months] == [10, 0, 4]
    assert report.months[2].figures.detractors == 4


def test_segments_split_council_language_referral_source_and_plan():
    a_mix(promoters=6, passives=0, detractors=0, is_council=True, language="he", plan="business")
    a_mix(promoters=0, passives=2, detractors=2, language="fa", referral_source="friend", plan="free")

    segments = nps_report(*MARCH).segments

    council = {segment.label: segment.figures for segment in segments["council"]}
    assert council == {"Council members": NpsFigures(6, 6, 0, 0), "Other customers": NpsFigures(4, 0, 2, 2)}
    languages = {segment.key: segment.figures.n for segment in segments["language"]}
    assert languages == {"he": 6, "fa": 4}
    sources = {segment.label: segment.figures.n for segment in segments["referral_source"]}
    assert sources == {"Not known": 6, "A friend or colleague": 4}
    plans = {segment.label: segment.figures.detractors for segment in segments["plan"]}
    assert plans == {"Business": 0, "Free": 2}


def test_the_council_audience_counts_council_answers_only():
    a_mix(promoters=3, passives=0, detractors=0, is_council=True)
    a_mix(promoters=0, passives=0, detractors=5)

    report = nps_report(*MARCH, audience="council")

    assert report.overall == NpsFigures(3, 3, 0, 0)


def test_the_loop_closed_rate_counts_closed_follow_ups_of_the_period():
    detractors = give_answers(4, 2)
    earlier = give_answers(1, 2, day="2026-01-05")
    states = [FollowUp.State.CLOSED, FollowUp.State.OPEN, FollowUp.State.CONTACTED, FollowUp.State.DROPPED]
    for answer, state in zip(detractors, states, strict=True):
        FollowUp.objects.create(response=answer, state=state)
    FollowUp.objects.create(response=earlier[0], state=FollowUp.State.CLOSED)

    loop = nps_report(*MARCH).loop

    assert (loop.total, loop.closed, loop.open) == (4, 1, 2)
    assert loop.rate == pytest.approx(0.25)


def test_csat_is_reported_beside_the_nps_and_on_its_own():
    give_answers(3, 1, kind=SurveyKind.CSAT)
    give_answers(1, 0, kind=SurveyKind.CSAT)
    give_answers(2, 9)

    assert nps_report(*MARCH).csat == CsatFigures(4, 3)
    csat_report = nps_report(*MARCH, kind=SurveyKind.CSAT)
    assert csat_report.overall == CsatFigures(4, 3)
    assert csat_report.months[0].figures == CsatFigures(4, 3)


def test_too_few_answers_have_no_score_in_the_plain_figures(settings):
    settings.VOICE_MIN_ANSWERS = 30
    a_mix(promoters=12, passives=0, detractors=0)

    figures = report_as_dict(nps_report(*MARCH))["overall"]

    assert figures["n"] == 12
    assert figures["enough"] is False
    assert figures["score"] is None
    assert figures["margin_of_error"] is None


def test_an_upside_down_period_is_refused():
    with pytest.raises(PeriodError):
        nps_report(datetime.date(2026, 3, 2), datetime.date(2026, 3, 1))


def test_a_period_of_more_than_ten_years_is_refused():
    with pytest.raises(PeriodError):
        nps_report(datetime.date(2000, 1, 1), datetime.date(2026, 3, 1))


@pytest.mark.parametrize("size", [1, 30])
def test_the_report_costs_the_same_queries_whatever_the_data(django_assert_num_queries, size):
    for language, plan, source in (("en", "free", "friend"), ("ru", "team", "search"), ("fa", "business", "")):
        for day in ("2026-01-10", "2026-02-10", "2026-03-10"):
            detractors = a_mix(
                promoters=size, passives=size, detractors=size, day=day, language=language, plan=plan,
                referral_source=source,
            )  # fmt: skip
            FollowUp.objects.bulk_create(FollowUp(response=answer) for answer in detractors[-size:])
    give_answers(size, 1, kind=SurveyKind.CSAT)

    with django_assert_num_queries(REPORT_QUERIES):
        report = nps_report(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))

    assert report.overall.n == 27 * size
    assert report.loop.total == 9 * size
