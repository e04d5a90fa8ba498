"""Following a member's referral link counts a click, remembers the first link for a sign-up and
sends the visitor home in their language; robots and the link's owner are not counted."""

import pytest
from django.test import Client
from django.utils import timezone

from customer_voice.models import ReferralClicks
from customer_voice.services.referrals import COOKIE_NAME, link_for, read_first_touch_cookie, record_click
from tests.factories import BROWSER_USER_AGENT, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    return Client(HTTP_USER_AGENT=BROWSER_USER_AGENT)


@pytest.fixture
def link():
    return link_for(UserFactory())


def clicks(link) -> int:
    return sum(ReferralClicks.objects.filter(link=link).values_list("clicks", flat=True))


def test_following_a_link_counts_a_click_and_sends_the_visitor_home(browser, link):
    response = browser.get(f"/r/{link.code}/")

    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert clicks(link) == 1


def test_the_visitor_lands_on_the_home_page_of_their_language(browser, link):
    response = browser.get(f"/r/{link.code}/", HTTP_ACCEPT_LANGUAGE="fa")

    assert response["Location"] == "/fa/"


def test_the_redirect_never_goes_where_the_request_says(browser, link):
    response = browser.get(f"/r/{link.code}/?next=https://evil.example/", HTTP_REFERER="https://evil.example/")

    assert response["Location"] == "/en/"


def test_clicks_on_the_same_day_share_one_counter_row(browser, link):
    for _ in range(3):
        browser.get(f"/r/{link.code}/")

    row = ReferralClicks.objects.get(link=link)
    assert (row.day, row.clicks) == (timezone.localdate(), 3)


def test_record_click_keeps_a_row_per_day():
    link = link_for(UserFactory())
    today = timezone.localdate()

    record_click(link.code, today)
    record_click(link.code, today - timezone.timedelta(days=1))
    record_click(link.code, today)

    assert dict(ReferralClicks.objects.values_list("day", "clicks")) == {
        today: 2,
        today - timezone.timedelta(days=1): 1,
    }


def test_a_click_sets_a_signed_http_only_first_touch_cookie(browser, link):
    response = browser.get(f"/r/{link.code}/")

    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 30 * 24 * 60 * 60
    assert not cookie["secure"]
    code, clicked_at = read_first_touch_cookie(cookie.value)
    assert code == link.code
    assert abs((timezone.now() - clicked_at).total_seconds()) < 60


def test_over_https_the_cookie_is_secure(browser, link):
    response = browser.get(f"/r/{link.code}/", secure=True)

    assert response.cookies[COOKIE_NAME]["secure"] is True


def test_a_second_link_does_not_replace_the_first_touch(browser, link):
    first_cookie = browser.get(f"/r/{link.code}/").cookies[COOKIE_NAME].value
    other = link_for(UserFactory())

    response = browser.get(f"/r/{other.code}/")

    assert COOKIE_NAME not in response.cookies
    assert read_first_touch_cookie(browser.cookies[COOKIE_NAME].value)[0] == link.code
    assert browser.cookies[COOKIE_NAME].value == first_cookie
    assert clicks(other) == 1


def test_a_forged_cookie_is_replaced_by_the_link_followed(browser, link):
    browser.cookies[COOKIE_NAME] = f'["{link.code}", "2026-01-01T00:00:00+00:00"]:forged:signature'
    other = link_for(UserFactory())

    response = browser.get(f"/r/{other.code}/")

    assert read_first_touch_cookie(response.cookies[COOKIE_NAME].value)[0] == other.code


@pytest.mark.parametrize("agent", ["", "Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0"])
def test_robots_are_sent_home_without_a_click_or_a_cookie(link, agent):
    response = Client(HTTP_USER_AGENT=agent).get(f"/r/{link.code}/")

    assert response.status_code == 302
    assert COOKIE_NAME not in response.cookies
    assert not ReferralClicks.objects.exists()


def test_the_owner_following_their_own_link_is_not_counted(browser, link):
    browser.force_login(link.owner)

    response = browser.get(f"/r/{link.code}/")

    assert response.status_code == 302
    assert COOKIE_NAME not in response.cookies
    assert not ReferralClicks.objects.exists()


def test_a_logged_in_member_is_counted_but_gets_no_cookie(browser, link):
    browser.force_login(UserFactory())

    response = browser.get(f"/r/{link.code}/")

    assert COOKIE_NAME not in response.cookies
    assert clicks(link) == 1


def test_the_link_of_a_deactivated_member_counts_nothing_and_sets_no_cookie(browser, link):
    link.owner.is_active = False
    link.owner.save()

    response = browser.get(f"/r/{link.code}/")

    assert response["Location"] == "/en/"
    assert COOKIE_NAME not in response.cookies
    assert not ReferralClicks.objects.exists()


def test_an_unknown_but_well_formed_code_goes_home_without_a_cookie(browser):
    response = browser.get("/r/abcdefghij/")

    assert response.status_code == 302
    assert COOKIE_NAME not in response.cookies
    assert not ReferralClicks.objects.exists()


def test_the_redirect_is_never_cached(browser, link):
    response = browser.get(f"/r/{link.code}/")

    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_only_get_follows_a_link(browser, link):
    assert browser.post(f"/r/{link.code}/").status_code == 405
    assert not ReferralClicks.objects.exists()


def test_clicks_are_rate_limited_per_client(browser, link, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "voice_referral_click": (2, 60)}

    statuses = [browser.get(f"/r/{link.code}/").status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert clicks(link) == 2
