"""Forged, altered, expired and unknown survey links get a clear page with a 4xx status."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client

from customer_voice.links import (
    ExpiredSurveyLink,
    ForgedSurveyLink,
    invitation_from_signed,
    signed_token,
    survey_url,
)
from customer_voice.models import SurveyInvitation, SurveyResponse
from tests.factories import BROWSER_HEADERS, UserFactory

pytestmark = pytest.mark.django_db


def an_invitation():
    customer = UserFactory(feedback_opt_in=True)
    return SurveyInvitation.objects.create(kind="nps", user=customer, email=customer.email, language="en")


def a_browser() -> Client:
    return Client(**BROWSER_HEADERS)


def answer_page(signed: str) -> str:
    return f"/en/feedback/answer/{signed}/"


def test_a_link_signs_the_token_and_finds_its_invitation():
    invitation = an_invitation()

    assert invitation_from_signed(signed_token(invitation)) == invitation
    assert survey_url(invitation).startswith("http")


def test_a_bare_token_without_a_signature_is_refused():
    invitation = an_invitation()

    page = a_browser().get(f"{answer_page(invitation.token)}?score=9")

    assert page.status_code == 400
    assert "not valid" in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_an_altered_token_is_refused():
    invitation, other = an_invitation(), an_invitation()
    signed = signed_token(invitation)
    altered = other.token + signed[len(invitation.token) :]

    with pytest.raises(ForgedSurveyLink):
        invitation_from_signed(altered)
    assert a_browser().get(f"{answer_page(altered)}?score=9").status_code == 400
    assert not SurveyResponse.objects.exists()


def test_an_expired_link_is_gone(settings, monkeypatch):
    settings.VOICE_SURVEY_LINK_DAYS = 30
    invitation = an_invitation()
    long_ago = time.time() - timedelta(days=31).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: long_ago)
    signed = signed_token(invitation)
    monkeypatch.undo()

    with pytest.raises(ExpiredSurveyLink):
        invitation_from_signed(signed)
    page = a_browser().get(f"{answer_page(signed)}?score=9")
    assert page.status_code == 410
    assert "expired" in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_genuine_link_of_a_withdrawn_invitation_is_not_found():
    invitation = an_invitation()
    signed = signed_token(invitation)
    invitation.delete()

    assert a_browser().get(answer_page(signed)).status_code == 404


def test_the_thanks_page_needs_a_genuine_link_too():
    assert a_browser().get("/en/feedback/answer/nothing:here:at-all/thanks/").status_code == 400


def test_guessing_links_is_rate_limited(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "voice_link": (3, 300)}
    browser = a_browser()

    statuses = [browser.get(answer_page(f"guess{n}")).status_code for n in range(5)]

    assert statuses == [400, 400, 400, 429, 429]


def test_answers_are_rate_limited(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "voice_answer": (2, 600)}
    invitations = [an_invitation() for _ in range(3)]
    browser = a_browser()

    statuses = [browser.post(survey_url(i, absolute=False), {"score": "5"}).status_code for i in invitations]

    assert statuses == [302, 302, 429]
    assert SurveyResponse.objects.count() == 2
