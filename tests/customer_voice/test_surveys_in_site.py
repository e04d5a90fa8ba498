"""The in-site NPS survey: a logged-in customer who is due answers on the site; others are told
there is nothing to answer. The {% nps_prompt %} invitation costs at most one query."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import timezone

from customer_voice.models import SurveyInvitation, SurveyResponse
from tests.factories import BROWSER_HEADERS, UserFactory

pytestmark = pytest.mark.django_db
PROMPT = Template("{% load voice_tags %}{% nps_prompt %}")


def a_customer(**fields):
    fields.setdefault("feedback_opt_in", True)
    return UserFactory(**fields)


def logged_in(user) -> Client:
    browser = Client(**BROWSER_HEADERS)
    browser.force_login(user)
    return browser


def render_prompt(user, session=None) -> str:
    request = RequestFactory().get("/en/")
    request.user = user
    request.session = session if session is not None else {}
    return PROMPT.render(Context({"request": request}))


def test_a_due_customer_gets_a_site_survey_on_first_visit():
    customer = a_customer()
    browser = logged_in(customer)

    page = browser.get("/en/feedback/nps/", follow=True)

    invitation = SurveyInvitation.objects.get(user=customer)
    assert (invitation.channel, invitation.kind) == ("site", "nps")
    assert page.status_code == 200
    assert "Not at all likely" in page.content.decode() and "Extremely likely" in page.content.decode()


def test_coming_back_before_answering_reuses_the_same_survey():
    customer = a_customer()
    browser = logged_in(customer)
    browser.get("/en/feedback/nps/")

    browser.get("/en/feedback/nps/")

    assert SurveyInvitation.objects.filter(user=customer).count() == 1


def test_the_site_survey_records_the_answer():
    customer = a_customer()
    browser = logged_in(customer)
    survey = browser.get("/en/feedback/nps/").url

    browser.post(survey, {"score": "9", "comment": "Great forum"})

    assert SurveyResponse.objects.get(user=customer).score == 9


def test_a_customer_who_answered_lately_is_told_there_is_nothing_to_answer():
    customer = a_customer()
    SurveyInvitation.objects.create(
        kind="nps", user=customer, language="en", answered_at=timezone.now(), created_at=timezone.now()
    )

    page = logged_in(customer).get("/en/feedback/nps/")

    assert page.status_code == 200
    assert "data-not-due" in page.content.decode()
    assert SurveyInvitation.objects.filter(user=customer).count() == 1


@pytest.mark.parametrize("fields", [{"feedback_opt_in": False}, {"is_staff": True}])
def test_people_who_are_not_due_get_no_invitation(fields):
    person = a_customer(**fields)

    page = logged_in(person).get("/en/feedback/nps/")

    assert "data-not-due" in page.content.decode()
    assert not SurveyInvitation.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in():
    page = Client(**BROWSER_HEADERS).get("/en/feedback/nps/")

    assert page.status_code == 302 and "login" in page.url


def test_the_prompt_shows_for_a_due_customer_with_one_query(django_assert_max_num_queries):
    customer = a_customer()

    with django_assert_max_num_queries(1):
        html = render_prompt(customer)

    assert "data-nps-prompt" in html and "/en/feedback/nps/" in html


def test_the_prompt_costs_nothing_for_anonymous_visitors(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_prompt(AnonymousUser())

    assert "data-nps-prompt" not in html


def test_the_prompt_hides_for_a_customer_asked_lately():
    customer = a_customer()
    SurveyInvitation.objects.create(
        kind="nps", user=customer, language="en", created_at=timezone.now() - timedelta(days=5)
    )

    assert "data-nps-prompt" not in render_prompt(customer)


def test_dismissing_the_prompt_hides_it_for_the_session():
    customer = a_customer()
    browser = logged_in(customer)

    answer = browser.post("/en/feedback/nps/dismiss/", {"next": "/en/support/"})

    assert answer.status_code == 302 and answer.url == "/en/support/"
    assert "data-nps-prompt" not in render_prompt(customer, browser.session)
    assert not SurveyInvitation.objects.exists()


def test_dismissing_never_redirects_off_the_site():
    answer = logged_in(a_customer()).post("/en/feedback/nps/dismiss/", {"next": "https://evil.example/"})

    assert answer.url == "/"


def test_the_site_survey_stays_in_the_language_the_customer_is_reading():
    customer = a_customer(preferred_language="en")
    browser = logged_in(customer)
    browser.get("/en/feedback/nps/")  # the invitation is made in English

    survey = browser.get("/fa/feedback/nps/")
    answered = browser.post(survey["Location"], {"score": "8", "comment": ""})

    assert survey.status_code == 302 and survey["Location"].startswith("/fa/feedback/answer/")
    page = browser.get(survey["Location"]).content.decode()
    assert 'action="/fa/feedback/answer/' in page
    assert answered.status_code == 302 and answered["Location"].startswith("/fa/feedback/answer/")
    assert SurveyInvitation.objects.get(user=customer).language == "en"
