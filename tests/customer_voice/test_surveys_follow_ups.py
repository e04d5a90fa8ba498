"""Closing the loop: a detractor answer opens a follow-up; a promoter is invited to share a story
or a review at most once per VOICE_PROMOTER_INVITE_DAYS."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from customer_voice.links import thanks_url
from customer_voice.models import FollowUp, SurveyInvitation
from customer_voice.services.followups import open_follow_up
from customer_voice.services.surveys import promoter_invitation, record_answer
from tests.factories import BROWSER_HEADERS, UserFactory

pytestmark = pytest.mark.django_db


def an_invitation(customer=None, kind="nps"):
    customer = customer or UserFactory(feedback_opt_in=True)
    return SurveyInvitation.objects.create(kind=kind, user=customer, email=customer.email, language="en")


@pytest.mark.parametrize("score", [0, 6])
def test_a_detractor_answer_opens_a_follow_up_for_the_customer(score):
    invitation = an_invitation()

    answer = record_answer(invitation, score, "Too slow").response

    follow_up = FollowUp.objects.get()
    assert (follow_up.response, follow_up.customer, follow_up.state) == (answer, invitation.user, "open")


@pytest.mark.parametrize("score", [7, 8, 9, 10])
def test_passives_and_promoters_open_no_follow_up(score):
    record_answer(an_invitation(), score)

    assert not FollowUp.objects.exists()


def test_opening_a_follow_up_twice_keeps_one():
    answer = record_answer(an_invitation(), 2).response

    assert open_follow_up(answer) == open_follow_up(answer)
    assert FollowUp.objects.count() == 1


def test_a_follow_up_support_already_started_stays_when_the_score_moves_up():
    invitation = an_invitation()
    record_answer(invitation, 2)
    FollowUp.objects.update(note="Called them")

    record_answer(invitation, 9)

    assert FollowUp.objects.get().note == "Called them"


def test_a_promoter_is_invited_to_share_a_story(settings):
    settings.VOICE_REVIEW_URL = "https://reviews.example.com/us"
    invitation = an_invitation()
    answer = record_answer(invitation, 10).response

    invited = promoter_invitation(invitation.user, answer)
    page = Client(**BROWSER_HEADERS).get(thanks_url(invitation))

    assert invited.story_url == "/en/stories/share/"
    assert invited.review_url == "https://reviews.example.com/us"
    assert "data-promoter-invitation" in page.content.decode()
    assert "https://reviews.example.com/us" in page.content.decode()


def test_a_promoter_is_invited_at_most_once_a_year():
    customer = UserFactory(feedback_opt_in=True)
    first = record_answer(an_invitation(customer), 9, now=timezone.now() - timedelta(days=200)).response
    second = record_answer(an_invitation(customer), 10).response

    assert promoter_invitation(customer, first) is not None
    assert promoter_invitation(customer, second) is None


def test_a_promoter_is_invited_again_after_a_year():
    customer = UserFactory(feedback_opt_in=True)
    record_answer(an_invitation(customer), 9, now=timezone.now() - timedelta(days=400))
    latest = record_answer(an_invitation(customer), 10).response

    assert promoter_invitation(customer, latest) is not None


def test_others_get_a_plain_thank_you():
    invitation = an_invitation()
    answer = record_answer(invitation, 7).response

    page = Client(**BROWSER_HEADERS).get(thanks_url(invitation))

    assert promoter_invitation(invitation.user, answer) is None
    assert "data-promoter-invitation" not in page.content.decode()
    assert "Thank you for your feedback" in page.content.decode()
