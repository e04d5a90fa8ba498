"""The demo's customer voice: months of answers with a trend, open follow-ups, referrals; loaded once."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from customer_voice.demo import CUSTOMERS, load_demo_voice
from customer_voice.models import FollowUp, Referral, SurveyInvitation, SurveyResponse
from customer_voice.nps import NpsFigures

pytestmark = pytest.mark.django_db


def monthly_nps(answers):
    months = {}
    for answer in answers:
        months.setdefault((answer.answered_at.year, answer.answered_at.month), Counter())[answer.category] += 1
    figures = []
    for key in sorted(months):
        counts = months[key]
        figures.append(
            NpsFigures(
                n=sum(counts.values()),
                promoters=counts["promoter"],
                passives=counts["passive"],
                detractors=counts["detractor"],
            ).score
        )
    return figures


def test_the_demo_has_months_of_answers_with_a_rising_trend_open_follow_ups_and_referrals():
    line = load_demo_voice()

    answers = list(SurveyResponse.objects.order_by("answered_at"))
    assert get_user_model().objects.filter(email__startswith="voice-customer-").count() == CUSTOMERS
    assert len(answers) > 250
    trend = monthly_nps(answers)
    assert len(trend) >= 6
    assert trend[-2] > trend[0] + 10
    assert FollowUp.objects.filter(state=FollowUp.State.OPEN).exists()
    assert FollowUp.objects.filter(state=FollowUp.State.CLOSED).exists()
    assert Referral.objects.count() > 5
    assert "open detractor follow-ups" in line


def test_no_demo_customer_was_asked_twice_within_the_interval(settings):
    load_demo_voice()

    by_user = {}
    for invitation in SurveyInvitation.objects.order_by("created_at"):
        previous = by_user.get(invitation.user_id)
        if previous is not None:
            assert (invitation.created_at - previous).days >= settings.VOICE_NPS_INTERVAL_DAYS
        by_user[invitation.user_id] = invitation.created_at


def test_loading_the_demo_twice_adds_nothing():
    load_demo_voice()
    answers = SurveyResponse.objects.count()

    assert load_demo_voice() == "Customer voice demo: already loaded"
    assert SurveyResponse.objects.count() == answers
