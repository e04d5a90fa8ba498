"""Hostile comments: script is stored as text and shown escaped; NUL and huge comments are
refused with a 400 and nothing saved; direction overrides are removed."""

import pytest
from django.test import Client

from customer_voice.links import survey_url
from customer_voice.models import SurveyInvitation, SurveyResponse
from customer_voice.models.surveys import MAX_COMMENT_LENGTH
from tests.factories import BROWSER_HEADERS, UserFactory

pytestmark = pytest.mark.django_db


def an_invitation():
    customer = UserFactory(feedback_opt_in=True)
    return SurveyInvitation.objects.create(kind="nps", user=customer, email=customer.email, language="en")


def send(invitation, comment, score="6"):
    return Client(**BROWSER_HEADERS).post(survey_url(invitation, absolute=False), {"score": score, "comment": comment})


def test_a_script_is_kept_as_text_and_shown_escaped():
    invitation = an_invitation()
    send(invitation, "<script>alert(1)</script>")

    page = Client(**BROWSER_HEADERS).get(survey_url(invitation, absolute=False))

    assert SurveyResponse.objects.get().comment == "<script>alert(1)</script>"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content.decode()
    assert "<script>alert(1)" not in page.content.decode()


def test_a_nul_byte_is_refused_and_nothing_is_saved():
    invitation = an_invitation()

    page = send(invitation, "fine\x00then")

    assert page.status_code == 400
    assert not SurveyResponse.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_a_huge_comment_is_refused_and_nothing_is_saved():
    page = send(an_invitation(), "x" * (MAX_COMMENT_LENGTH + 1))

    assert page.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_direction_override_characters_are_removed():
    send(an_invitation(), "good \u202eecivres\u202c really")

    assert SurveyResponse.objects.get().comment == "good ecivres really"


def test_sql_looking_text_is_just_text():
    send(an_invitation(), "'; DROP TABLE customer_voice_surveyresponse; --")

    assert SurveyResponse.objects.get().comment.startswith("'; DROP TABLE")


@pytest.mark.parametrize("score", ["", "10; --", "<b>", "1" * 500])
def test_a_hostile_score_is_refused(score):
    page = send(an_invitation(), "hi", score=score)

    assert page.status_code == 400
    assert not SurveyResponse.objects.exists()
