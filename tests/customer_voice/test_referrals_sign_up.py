"""A sign-up that follows a member's link is attributed to that member, through allauth's real
sign-up view: first touch, once per account and per cookie, never to oneself or a deactivated member."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from customer_voice.models import Referral
from customer_voice.services.referrals import COOKIE_NAME, attribute_sign_up, first_touch_cookie, link_for
from tests.factories import BROWSER_USER_AGENT, PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def browser():
    return Client(HTTP_USER_AGENT=BROWSER_USER_AGENT)


@pytest.fixture
def link():
    return link_for(UserFactory(display_name="Grace"))


def sign_up(browser, email="ada@example.com", **extra):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "display_name": "", "referral_source": ""}
    response = browser.post("/en/accounts/signup/", data | extra)
    assert response.status_code == 302
    return User.objects.get(email=email)


def test_a_sign_up_after_following_a_link_is_attributed_to_its_owner(browser, link):
    before = timezone.now()
    browser.get(f"/r/{link.code}/")

    new_member = sign_up(browser)

    referral = Referral.objects.get()
    assert (referral.link, referral.referred) == (link, new_member)
    assert before <= referral.clicked_at <= timezone.now()
    assert referral.created_at == new_member.date_joined


def test_the_first_link_followed_wins(browser, link):
    browser.get(f"/r/{link.code}/")
    browser.get(f"/r/{link_for(UserFactory()).code}/")

    sign_up(browser)

    assert Referral.objects.get().link == link


def test_a_sign_up_without_the_cookie_is_not_attributed(browser, link):
    sign_up(browser)

    assert not Referral.objects.exists()


def test_the_answer_to_how_did_you_hear_about_us_is_kept_beside_the_referral(browser, link):
    browser.get(f"/r/{link.code}/")

    new_member = sign_up(browser, referral_source="search")

    assert new_member.referral_source == "search"
    assert Referral.objects.get().referred == new_member


def test_a_forged_cookie_is_ignored(browser, link):
    browser.cookies[COOKIE_NAME] = first_touch_cookie(link.code, timezone.now()) + "x"

    sign_up(browser)

    assert not Referral.objects.exists()


def test_a_cookie_older_than_thirty_days_is_ignored(browser, link, monkeypatch):
    long_ago = time.time() - 31 * 24 * 60 * 60
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: long_ago)
        browser.cookies[COOKIE_NAME] = first_touch_cookie(link.code, timezone.now() - timezone.timedelta(days=31))

    sign_up(browser)

    assert not Referral.objects.exists()


def test_the_link_of_a_member_deactivated_since_the_click_brings_no_referral(browser, link):
    browser.get(f"/r/{link.code}/")
    User.objects.filter(pk=link.owner_id).update(is_active=False)

    sign_up(browser)

    assert not Referral.objects.exists()


def test_one_cookie_brings_one_sign_up(browser, link):
    browser.get(f"/r/{link.code}/")
    first = sign_up(browser)

    sign_up(browser, email="second@example.com")

    assert list(Referral.objects.values_list("referred", flat=True)) == [first.pk]


def test_a_failed_sign_up_attributes_nothing(browser, link):
    browser.get(f"/r/{link.code}/")

    browser.post("/en/accounts/signup/", {"email": "ada@example.com", "password1": PASSWORD, "password2": "nope"})

    assert not Referral.objects.exists()


def test_a_member_cannot_refer_themself(link):
    assert attribute_sign_up(link.owner, link.code, timezone.now()) is None
    assert not Referral.objects.exists()


def test_an_account_is_attributed_once(link):
    new_member = UserFactory()
    other = link_for(UserFactory())

    first = attribute_sign_up(new_member, link.code, timezone.now())
    second = attribute_sign_up(new_member, other.code, timezone.now())

    assert first is not None and second is None
    assert Referral.objects.get().link == link


def test_an_unknown_code_is_ignored():
    assert attribute_sign_up(UserFactory(), "abcdefghij", timezone.now()) is None
    assert not Referral.objects.exists()
