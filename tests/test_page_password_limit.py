"""Wrong guesses at a password-protected page are limited per client and restriction.

Wagtail's page-password form posts to a path that kb.page_passwords answers first: five wrong
passwords in five minutes, then every guess (even the right one) gets a 429 until the window
ends. Only failures count, so a right password is never what locks anyone out.
"""

import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import resolve
from wagtail.models import PageViewRestriction

from kb import page_passwords
from sitewide import ratelimit
from tests.factories import BROWSER_HEADERS, UserFactory, make_article

pytestmark = pytest.mark.django_db

PASSWORD = "okapi-pass"
LIMIT = 5


def protect(page) -> PageViewRestriction:
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )


@pytest.fixture
def secret(help_centers):
    page = make_article("Okapi roadmap", body="Unreleased okapi plans.")
    protect(page)
    return page


def a_browser(address="203.0.113.7", *, logged_in=False) -> Client:
    client = Client(REMOTE_ADDR=address, **BROWSER_HEADERS)
    if logged_in:
        client.force_login(UserFactory())
    return client


def form_action(client, page) -> str:
    html = client.get(page.url).content.decode()
    # The page's own password form, not the header's search or log-out forms.
    return re.search(r'<form[^>]*action="([^"]*authenticate_with_password[^"]*)"', html).group(1)


def guess(client, page, password):
    """Post a password to the page's form, as the browser would."""
    return client.post(form_action(client, page), {"password": password, "return_url": page.url})


def test_the_page_password_form_posts_to_the_limited_view(secret):
    action = form_action(a_browser(), secret)

    assert resolve(action).func is page_passwords.authenticate_with_password


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in outsider"])
def test_after_five_wrong_passwords_even_the_right_one_is_refused_with_429(secret, logged_in):
    browser = a_browser(logged_in=logged_in)
    wrong = [guess(browser, secret, f"guess-{n}") for n in range(LIMIT)]

    refused = guess(browser, secret, PASSWORD)

    assert [response.status_code for response in wrong] == [200] * LIMIT
    assert "not correct" in wrong[-1].content.decode()
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many wrong passwords" in refused.content.decode()
    assert "Unreleased okapi plans" not in browser.get(secret.url).content.decode()


def test_right_passwords_do_not_count_towards_the_limit(secret):
    for n in range(LIMIT - 1):
        guess(a_browser(), secret, f"guess-{n}")
    for _ in range(3):
        assert guess(a_browser(), secret, PASSWORD).status_code == 302

    fifth_failure = guess(a_browser(), secret, "one-more-guess")
    over_the_limit = guess(a_browser(), secret, PASSWORD)

    assert fifth_failure.status_code == 200
    assert over_the_limit.status_code == 429


def test_the_right_password_within_the_limit_opens_the_page(secret):
    browser = a_browser()
    for n in range(LIMIT - 1):
        guess(browser, secret, f"guess-{n}")

    response = guess(browser, secret, PASSWORD)

    assert response.status_code == 302
    assert "Unreleased okapi plans" in browser.get(response["Location"]).content.decode()


def test_one_client_locked_out_does_not_lock_out_another(secret):
    guesser, reader = a_browser("203.0.113.7"), a_browser("198.51.100.20")
    for n in range(LIMIT):
        guess(guesser, secret, f"guess-{n}")

    assert guess(guesser, secret, PASSWORD).status_code == 429
    assert guess(reader, secret, PASSWORD).status_code == 302


def test_the_limit_is_per_restriction(secret):
    other = make_article("Platypus roadmap", body="Platypus plans.")
    protect(other)
    browser = a_browser()
    for n in range(LIMIT):
        guess(browser, secret, f"guess-{n}")

    assert guess(browser, secret, PASSWORD).status_code == 429
    assert guess(browser, other, PASSWORD).status_code == 302


def test_the_limit_lifts_when_the_window_ends(secret, monkeypatch):
    browser = a_browser()
    now = 1_000_000_000.0
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now))
    for n in range(LIMIT):
        guess(browser, secret, f"guess-{n}")
    assert guess(browser, secret, PASSWORD).status_code == 429

    now += 5 * 60

    assert guess(browser, secret, PASSWORD).status_code == 302
