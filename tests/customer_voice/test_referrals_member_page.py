"""A member's referral page: their personal link (absolute, from the site's base URL), a copy
button, and how many people signed up through it — a number, never who."""

import re

import pytest
from django.conf import settings
from django.test import Client

from customer_voice.models import Referral, ReferralLink
from customer_voice.services.referrals import attribute_sign_up, link_for
from tests.factories import BROWSER_USER_AGENT, UserFactory
from tests.html_checks import html_problems

pytestmark = pytest.mark.django_db

PAGE = "/en/refer/"


@pytest.fixture
def member():
    return UserFactory(display_name="Grace")


@pytest.fixture
def browser(member):
    client = Client(HTTP_USER_AGENT=BROWSER_USER_AGENT)
    client.force_login(member)
    return client


def test_the_page_asks_anonymous_visitors_to_log_in(help_centers):
    response = Client(HTTP_USER_AGENT=BROWSER_USER_AGENT).get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    assert not ReferralLink.objects.exists()


def test_the_page_shows_the_members_absolute_link(browser, member, settings, help_centers):
    settings.WAGTAILADMIN_BASE_URL = "https://help.example.com/"

    html = browser.get(PAGE).content.decode()

    link = ReferralLink.objects.get(owner=member)
    assert f'value="https://help.example.com/r/{link.code}/"' in html


def test_opening_the_page_twice_keeps_the_same_link(browser, member, help_centers):
    browser.get(PAGE)
    browser.get(PAGE)

    assert ReferralLink.objects.filter(owner=member).count() == 1


def test_the_copy_button_is_a_static_script_hidden_until_it_can_copy(browser, help_centers):
    html = browser.get(PAGE).content.decode()

    assert re.search(r"<button[^>]*hidden[^>]*data-referral-copy", html)
    assert "/static/js/referral-copy.js" in html
    assert "<script>" not in html


def test_the_page_counts_sign_ups_but_never_names_them(browser, member, help_centers):
    link = link_for(member)
    for email in ("ada@example.com", "linus@example.com"):
        attribute_sign_up(UserFactory(email=email, display_name=email.split("@")[0].title()), link.code)

    html = browser.get(PAGE).content.decode()

    assert re.search(r"<bdi>2</bdi>\s*people have signed up through your link", html)
    for private in ("ada@example.com", "Ada", "linus@example.com", "Linus"):
        assert private not in html


def test_other_members_referrals_are_not_counted(browser, member, help_centers):
    attribute_sign_up(UserFactory(), link_for(UserFactory()).code)

    html = browser.get(PAGE).content.decode()

    assert re.search(r"<bdi>0</bdi>\s*people have signed up", html)
    assert Referral.objects.count() == 1


def test_staff_may_have_a_link_too(help_centers):
    staff = UserFactory(is_staff=True)
    client = Client(HTTP_USER_AGENT=BROWSER_USER_AGENT)
    client.force_login(staff)

    assert client.get(PAGE).status_code == 200
    assert ReferralLink.objects.filter(owner=staff).exists()


def test_the_profile_page_links_to_the_referral_page(browser, help_centers):
    assert 'href="/en/refer/"' in browser.get("/en/accounts/profile/").content.decode()


def test_the_page_reads_right_to_left_in_hebrew(browser, help_centers):
    html = browser.get("/he/refer/").content.decode()

    assert 'dir="rtl"' in html
    assert 'dir="ltr" data-referral-url' in html


@pytest.mark.parametrize("lang", [code for code, _name in settings.LANGUAGES])
def test_the_page_is_well_formed_html_in_every_language(browser, member, lang, help_centers):
    attribute_sign_up(UserFactory(), link_for(member).code)

    response = browser.get(f"/{lang}/refer/")

    assert response.status_code == 200
    assert html_problems(response.content.decode()) == []
