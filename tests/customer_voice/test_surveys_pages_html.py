"""Every survey page is well-formed HTML in every site language, right-to-left ones included."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from customer_voice.links import survey_url, thanks_url
from customer_voice.models import SurveyInvitation, SurveyRun
from customer_voice.services.surveys import record_answer, send_nps_run
from support.actions.change_status import change_status
from tests.factories import BROWSER_HEADERS, UserFactory
from tests.html_checks import html_problems
from tests.support.admin_helpers import a_ticket, an_agent

pytestmark = pytest.mark.django_db
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def an_invitation(language):
    customer = UserFactory(feedback_opt_in=True)
    return SurveyInvitation.objects.create(kind="nps", user=customer, email=customer.email, language=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_survey_pages_are_well_formed(language):
    invitation = an_invitation(language)
    browser = Client(**BROWSER_HEADERS)
    pages = [
        browser.get(survey_url(invitation, absolute=False)),
        browser.get(survey_url(invitation, 3, absolute=False)),
        browser.get(thanks_url(invitation)),
        browser.get(f"/{language}/feedback/answer/forged/"),
    ]
    record_answer(an_invitation(language), 10)
    answered = an_invitation(language)
    record_answer(answered, 5, "Meh")
    pages.append(browser.get(survey_url(answered, absolute=False)))

    for page in pages:
        assert html_problems(page.content.decode()) == [], page.request["PATH_INFO"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_survey_email_html_is_well_formed(language):
    UserFactory(feedback_opt_in=True, last_login=timezone.now(), preferred_language=language)
    send_nps_run(SurveyRun.objects.create(name="Spring"))

    assert html_problems(mail.outbox[0].alternatives[0][0]) == []


def test_the_not_due_page_is_well_formed():
    browser = Client(**BROWSER_HEADERS)
    browser.force_login(UserFactory(feedback_opt_in=False))

    assert html_problems(browser.get("/he/feedback/nps/").content.decode()) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_csat_email_html_is_well_formed(language, django_capture_on_commit_callbacks):
    ticket = a_ticket(language=language)
    with django_capture_on_commit_callbacks(execute=True):
        change_status(an_agent(), ticket, "solved")

    assert html_problems(mail.outbox[0].alternatives[0][0]) == []
