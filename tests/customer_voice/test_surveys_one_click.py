"""One click on a score in the email records it; another score link of the same email changes
it within an hour and before a comment; after that the link shows the answer, never a second one."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from customer_voice.links import survey_url
from customer_voice.models import FollowUp, SurveyResponse, SurveyRun
from customer_voice.services.surveys import send_nps_run
from tests.factories import BROWSER_HEADERS, UserFactory

pytestmark = pytest.mark.django_db


def a_browser() -> Client:
    return Client(**BROWSER_HEADERS)


def emailed_invitation():
    customer = UserFactory(feedback_opt_in=True, last_login=timezone.now(), plan="team", referral_source="friend")
    run = SurveyRun.objects.create(name="Spring")
    send_nps_run(run)
    return run.invitations.get(user=customer)


def score_link(invitation, score) -> str:
    url = urlsplit(survey_url(invitation, score))
    return f"{url.path}?{url.query}"


def test_clicking_a_score_in_the_email_records_it_and_asks_why():
    invitation = emailed_invitation()
    body = mail.outbox[0].body
    link = urlsplit(re.search(r"^8: (\S+)$", body, re.MULTILINE).group(1))

    page = a_browser().get(f"{link.path}?{link.query}")

    assert page.status_code == 200
    assert "What is the main reason?" in page.content.decode()
    answer = SurveyResponse.objects.get(invitation=invitation)
    assert (answer.score, answer.category) == (8, "passive")
    assert (answer.plan, answer.referral_source, answer.language) == ("team", "friend", "en")
    invitation.refresh_from_db()
    assert invitation.answered_at is not None


def test_a_mail_scanner_opening_the_link_records_nothing():
    invitation = emailed_invitation()

    page = Client(HTTP_USER_AGENT="Mozilla/5.0 (compatible; SafeLinks-preview bot)").get(score_link(invitation, 3))

    assert page.status_code == 200
    assert 'value="3" id="id_score_3" required checked' in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_the_reason_is_sent_with_the_form_and_leads_to_the_thanks_page():
    invitation = emailed_invitation()
    browser = a_browser()
    browser.get(score_link(invitation, 9))

    sent = browser.post(survey_url(invitation, absolute=False), {"score": "9", "comment": "Quick answers."})

    assert sent.status_code == 302 and sent.url.endswith("/thanks/")
    assert SurveyResponse.objects.get().comment == "Quick answers."
    assert browser.get(sent.url).status_code == 200


def test_another_score_link_within_the_hour_changes_the_score():
    invitation = emailed_invitation()
    browser = a_browser()
    browser.get(score_link(invitation, 2))

    browser.get(score_link(invitation, 7))

    answer = SurveyResponse.objects.get()
    assert (answer.score, answer.category) == (7, "passive")
    assert SurveyResponse.objects.count() == 1


def test_after_the_hour_a_reused_link_shows_the_answer_and_changes_nothing():
    invitation = emailed_invitation()
    browser = a_browser()
    browser.get(score_link(invitation, 2))
    SurveyResponse.objects.update(answered_at=timezone.now() - timedelta(hours=1, minutes=1))

    page = browser.get(score_link(invitation, 10))

    assert page.status_code == 200
    assert "You already answered" in page.content.decode()
    assert 'data-recorded-score="2"' in page.content.decode()
    assert SurveyResponse.objects.get().score == 2


def test_after_a_comment_the_score_can_no_longer_change():
    invitation = emailed_invitation()
    browser = a_browser()
    browser.get(score_link(invitation, 4))
    browser.post(survey_url(invitation, absolute=False), {"score": "4", "comment": "Slow."})

    page = browser.post(survey_url(invitation, absolute=False), {"score": "10", "comment": "Changed my mind"})

    assert "You already answered" in page.content.decode()
    answer = SurveyResponse.objects.get()
    assert (answer.score, answer.comment) == (4, "Slow.")


def test_moving_out_of_detractor_within_the_hour_drops_the_untouched_follow_up():
    invitation = emailed_invitation()
    browser = a_browser()
    browser.get(score_link(invitation, 3))
    assert FollowUp.objects.filter(state="open").count() == 1

    browser.get(score_link(invitation, 9))

    assert not FollowUp.objects.exists()


def test_moving_into_detractor_within_the_hour_opens_a_follow_up():
    invitation = emailed_invitation()
    browser = a_browser()
    browser.get(score_link(invitation, 8))

    browser.get(score_link(invitation, 1))

    assert FollowUp.objects.get().customer == invitation.user


@pytest.mark.parametrize("score", ["11", "-1", "abc", "٣", "99999999999999999999"])
def test_a_score_off_the_scale_records_nothing(score):
    invitation = emailed_invitation()

    page = a_browser().get(f"{survey_url(invitation, absolute=False)}?score={score}")

    assert page.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_a_post_without_a_csrf_token_is_refused():
    invitation = emailed_invitation()
    browser = Client(enforce_csrf_checks=True, **BROWSER_HEADERS)

    page = browser.post(survey_url(invitation, absolute=False), {"score": "9"})

    assert page.status_code == 403
    assert not SurveyResponse.objects.exists()
