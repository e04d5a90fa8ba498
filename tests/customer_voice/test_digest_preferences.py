"""The email preferences page: logged in, or opened from an email's link without logging in.
Every change goes to the consent ledger with where it came from; the person sees their history."""

import time

import pytest
from django.core import signing
from django.test import Client

from accounts.consent import set_consent
from accounts.models import ConsentRecord
from customer_voice.services.digest import UNSUBSCRIBE_SALT, unsubscribe_token
from tests.customer_voice.test_digest_support import opted_in
from tests.factories import BROWSER_USER_AGENT, UserFactory

pytestmark = pytest.mark.django_db
Source = ConsentRecord.Source
Topic = ConsentRecord.Topic


@pytest.fixture
def person():
    user = opted_in(email="reader@example.com")
    set_consent(user, Topic.FEEDBACK, True, Source.PROFILE)
    return user


@pytest.fixture
def browser():
    return Client(HTTP_USER_AGENT=BROWSER_USER_AGENT)


def signed_path(user) -> str:
    return f"/en/email-preferences/{unsubscribe_token(user, Topic.NEWSLETTER)}/"


def sources(user, topic=Topic.NEWSLETTER):
    return list(ConsentRecord.objects.filter(user=user, topic=topic).values_list("granted", "source"))


def test_the_logged_in_page_shows_the_choices_and_the_consent_history(person, browser, django_assert_max_num_queries):
    for n in range(5):
        set_consent(person, Topic.NEWSLETTER, n % 2 == 1, Source.PROFILE)
    browser.force_login(person)

    with django_assert_max_num_queries(12):
        response = browser.get("/en/email-preferences/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Newsletters and digests" in page and "Feedback surveys" in page
    assert page.count("data-consent-record") == 7
    assert "Sign-up form" in page


def test_anonymous_visitors_are_asked_to_log_in(browser):
    response = browser.get("/en/email-preferences/")

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_unticking_on_the_page_withdraws_with_the_preferences_source(person, browser):
    browser.force_login(person)

    response = browser.post("/en/email-preferences/", {"feedback": "on"})

    person.refresh_from_db()
    assert response.status_code == 302
    assert (person.marketing_opt_in, person.feedback_opt_in) == (False, True)
    assert sources(person)[-1] == (False, Source.PREFERENCES)


def test_unticking_from_the_unsubscribe_link_says_so_in_the_ledger(person, browser):
    page = browser.get(f"/email/unsubscribe/{unsubscribe_token(person, Topic.NEWSLETTER)}/", follow=True)

    response = browser.post(page.redirect_chain[-1][0], {"from": "unsubscribe", "feedback": "on"})

    person.refresh_from_db()
    assert response.status_code == 302
    assert person.marketing_opt_in is False
    assert sources(person)[-1] == (False, Source.UNSUBSCRIBE_LINK)


def test_unsubscribe_from_all_withdraws_every_topic_once(person, browser):
    browser.post(signed_path(person), {"unsubscribe_all": "1", "newsletter": "on", "feedback": "on"})
    browser.post(signed_path(person), {"unsubscribe_all": "1"})

    person.refresh_from_db()
    assert (person.marketing_opt_in, person.feedback_opt_in) == (False, False)
    assert ConsentRecord.objects.filter(user=person, granted=False).count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {"newsletter": "<script>alert(1)</script>", "feedback": "' OR 1=1 --"},
        {"newsletter": "a\x00b", "feedback": "x" * 100_000},
        {"newsletter": ["on", "off"], "from": "\u202eunsubscribe"},
    ],
)
def test_hostile_post_data_never_breaks_the_page(person, browser, data):
    response = browser.post(signed_path(person), data)

    assert response.status_code in (302, 400)
    assert (
        ConsentRecord.objects.filter(user=person)
        .exclude(source__in=[Source.SIGN_UP, Source.PROFILE, Source.PREFERENCES])
        .count()
        == 0
    )


def test_the_page_form_needs_its_csrf_token(person):
    strict = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER_USER_AGENT)
    strict.force_login(person)

    response = strict.post("/en/email-preferences/", {})

    person.refresh_from_db()
    assert response.status_code == 403
    assert person.marketing_opt_in is True


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxfQ:1vXyZ:forged", "%00", "é" * 250])
def test_a_forged_link_to_the_page_answers_400_and_writes_nothing(person, browser, token):
    before = ConsentRecord.objects.count()

    get = browser.get(f"/en/email-preferences/{token}/")
    post = browser.post(f"/en/email-preferences/{token}/", {"unsubscribe_all": "1"})

    assert (get.status_code, post.status_code) == (400, 400)
    assert "This link does not work" in get.content.decode()
    assert ConsentRecord.objects.count() == before


def test_an_old_link_can_still_withdraw_but_not_sign_up_again():
    person = UserFactory(email="old@example.com")

    class LastMonth(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 40 * 24 * 3600)

    token = LastMonth(salt=UNSUBSCRIBE_SALT).sign_object({"u": person.pk, "t": "newsletter"})
    browser = Client(HTTP_USER_AGENT=BROWSER_USER_AGENT)

    refused = browser.post(f"/en/email-preferences/{token}/", {"newsletter": "on"})

    person.refresh_from_db()
    assert refused.status_code == 400
    assert person.marketing_opt_in is False
    assert not ConsentRecord.objects.filter(user=person).exists()


def test_a_signed_link_opens_only_its_owners_preferences(person, browser):
    other = opted_in(email="other@example.com")

    browser.post(signed_path(other), {"unsubscribe_all": "1"})

    person.refresh_from_db()
    assert person.marketing_opt_in is True
    assert sources(other)[-1] == (False, Source.PREFERENCES)
