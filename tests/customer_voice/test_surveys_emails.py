"""The NPS email: in the customer's language, eleven one-click score links and a plain link, a
plain-text part always, and headers that stop auto-replies."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from customer_voice.models import SurveyRun
from customer_voice.services.surveys import send_nps_run
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def send_to(**fields):
    UserFactory(feedback_opt_in=True, last_login=timezone.now(), **fields)
    send_nps_run(SurveyRun.objects.create(name="Spring"))
    [email] = mail.outbox
    return email


def test_the_email_has_eleven_score_links_and_a_plain_link():
    email = send_to()

    scores = re.findall(r"^(\d+): (\S+)$", email.body, re.MULTILINE)
    assert [score for score, _url in scores] == [str(n) for n in range(11)]
    assert all(url.startswith("http") and url.endswith(f"?score={score}") for score, url in scores)
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert len(re.findall(r'data-score="\d+"', html)) == 11


def test_the_email_stops_auto_replies():
    email = send_to()

    assert email.extra_headers["Auto-Submitted"] == "auto-generated"


@pytest.mark.parametrize("language", ["ru", "fa", "he"])
def test_the_email_is_in_the_customer_language(language):
    email = send_to(preferred_language=language)

    assert f"/{language}/feedback/answer/" in email.body
    assert f'lang="{language}"' in email.alternatives[0][0]


def test_a_right_to_left_language_gets_a_right_to_left_html_part():
    email = send_to(preferred_language="he")

    assert 'dir="rtl"' in email.alternatives[0][0]
