"""The digest carries RFC 8058 one-click unsubscribe headers, and the one-click POST withdraws
newsletter consent once; a GET (a link scanner) changes nothing; a forged token changes nothing."""

import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import ConsentRecord
from customer_voice.services.digest import prepare_issue, send_issue, unsubscribe_token
from tests.customer_voice.test_digest_support import PERIOD, article_during, opted_in
from tests.factories import BROWSER_USER_AGENT

pytestmark = pytest.mark.django_db
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def person(help_centers):
    article_during("How to export invoices")
    return opted_in(email="reader@example.com")


@pytest.fixture
def mail_client():
    """A mail client's one-click POST: no CSRF token, no cookies, its own user agent."""
    return Client(enforce_csrf_checks=True, HTTP_USER_AGENT="Mail-Unsubscribe/1.0")


def unsubscribe_path(headers) -> str:
    return re.fullmatch(r"<https?://[^/]+(/email/unsubscribe/[^>]+/)>", headers["List-Unsubscribe"])[1]


def newsletter_records(user):
    return ConsentRecord.objects.filter(user=user, topic=ConsentRecord.Topic.NEWSLETTER, granted=False)


def test_the_digest_has_one_click_unsubscribe_headers_and_text_and_html_parts(person):
    send_issue(prepare_issue(PERIOD))

    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_path(message.extra_headers).startswith("/email/unsubscribe/")
    assert message.alternatives[0][1] == "text/html"
    assert "/en/email-preferences/" in message.body
    assert "because you agreed to newsletters" in message.body


def test_the_one_click_post_withdraws_consent_once(person, mail_client):
    send_issue(prepare_issue(PERIOD))
    path = unsubscribe_path(mail.outbox[0].extra_headers)

    first = mail_client.post(path, ONE_CLICK)
    second = mail_client.post(path, ONE_CLICK)

    person.refresh_from_db()
    assert (first.status_code, second.status_code) == (200, 200)
    assert person.marketing_opt_in is False
    assert list(newsletter_records(person).values_list("source", flat=True)) == [ConsentRecord.Source.ONE_CLICK]


def test_a_get_of_the_unsubscribe_link_changes_nothing_and_leads_to_the_preferences_page(person):
    person.preferred_language = "ru"
    person.save()
    path = f"/email/unsubscribe/{unsubscribe_token(person, 'newsletter')}/"

    response = Client(HTTP_USER_AGENT=BROWSER_USER_AGENT).get(path)

    person.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"].startswith("/ru/email-preferences/")
    assert person.marketing_opt_in is True
    assert not newsletter_records(person).exists()


def test_a_post_without_the_one_click_body_changes_nothing(person, mail_client):
    response = mail_client.post(f"/email/unsubscribe/{unsubscribe_token(person, 'newsletter')}/", {"x": "y"})

    person.refresh_from_db()
    assert response.status_code == 400
    assert person.marketing_opt_in is True


@pytest.mark.parametrize(
    "alter",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token.split(":")[0] + ":x:y",
        lambda token: "garbage",
        lambda token: "<script>alert(1)<script>",
        lambda token: "' OR 1=1 --",
        lambda token: "é" * 300,
    ],
)
def test_a_forged_or_altered_token_is_refused_and_nothing_is_written(person, mail_client, alter):
    token = alter(unsubscribe_token(person, "newsletter"))

    response = mail_client.post(f"/email/unsubscribe/{token}/", ONE_CLICK)

    person.refresh_from_db()
    assert response.status_code == 400
    assert person.marketing_opt_in is True
    assert not newsletter_records(person).exists()


def test_a_token_signed_for_another_purpose_is_refused(person, mail_client):
    from django.core import signing

    token = signing.TimestampSigner(salt="something.else").sign_object({"u": person.pk, "t": "newsletter"})

    response = mail_client.post(f"/email/unsubscribe/{token}/", ONE_CLICK)

    assert response.status_code == 400


def test_too_many_wrong_tokens_are_rate_limited(person, mail_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "voice_link": (2, 300)}

    codes = [mail_client.post(f"/email/unsubscribe/wrong-{n}/", ONE_CLICK).status_code for n in range(3)]

    assert codes == [400, 400, 429]


def test_a_mail_clients_raw_one_click_post_without_user_agent_or_csrf_token_works(person):
    path = f"/email/unsubscribe/{unsubscribe_token(person, 'newsletter')}/"

    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    person.refresh_from_db()
    assert response.status_code == 200
    assert person.marketing_opt_in is False
