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


def test_the_demo_digest_lists_articles_of_the_last_week_and_reaches_only_consenting_people(mailoutbox):
    from io import StringIO

    from django.core.management import call_command

    from accounts.consent import set_consent
    from accounts.models import ConsentRecord
    from customer_voice.demo import date_articles_for_digest
    from customer_voice.services.digest import last_complete_week
    from tests.factories import make_article
    from tests.factories.forum import make_member

    load_demo_voice()
    article = make_article("Connect to a wireless network")
    reader, outsider = make_member(), make_member()
    set_consent(reader, "newsletter", True, ConsentRecord.Source.DEMO)

    period = date_articles_for_digest()
    call_command("send_digest", period=period, no_progress=True, stdout=StringIO(), stderr=StringIO())

    assert period == last_complete_week()
    assert [message.to for message in mailoutbox] == [[reader.email]]
    assert article.title in mailoutbox[0].body
    assert outsider.email not in {address for message in mailoutbox for address in message.to}
