"""A customer is asked the NPS question at most once per VOICE_NPS_INTERVAL_DAYS, on any channel."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customer_voice.models import SurveyInvitation
from customer_voice.models.surveys import SurveyKind
from customer_voice.services.surveys import invite_nps, is_due_for_nps
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def a_customer(**fields):
    return UserFactory(feedback_opt_in=True, last_login=timezone.now(), **fields)


def asked(user, days_ago, channel=SurveyInvitation.Channel.EMAIL, kind=SurveyKind.NPS):
    return SurveyInvitation.objects.create(
        kind=kind, user=user, channel=channel, language="en", created_at=timezone.now() - timedelta(days=days_ago)
    )


def test_a_customer_never_asked_is_due():
    assert is_due_for_nps(a_customer())


def test_a_customer_asked_89_days_ago_is_not_due():
    customer = a_customer()
    asked(customer, 89)

    assert not is_due_for_nps(customer)
    assert invite_nps(customer) is None


def test_a_customer_asked_91_days_ago_is_due_again():
    customer = a_customer()
    asked(customer, 91)

    assert is_due_for_nps(customer)
    assert invite_nps(customer) is not None


def test_being_asked_on_the_site_counts_for_email_too():
    customer = a_customer()
    asked(customer, 3, channel=SurveyInvitation.Channel.SITE)

    assert not is_due_for_nps(customer)


def test_a_csat_question_does_not_count_as_being_asked_for_nps():
    customer = a_customer()
    asked(customer, 3, kind=SurveyKind.CSAT)

    assert is_due_for_nps(customer)


def test_the_interval_is_a_setting(settings):
    settings.VOICE_NPS_INTERVAL_DAYS = 10
    customer = a_customer()
    asked(customer, 11)

    assert is_due_for_nps(customer)


def test_inviting_twice_in_a_row_makes_one_invitation():
    customer = a_customer()

    first, second = invite_nps(customer), invite_nps(customer)

    assert first is not None and second is None
    assert SurveyInvitation.objects.filter(user=customer).count() == 1
