"""Referral links and the digest's unsubscribe link in a real browser: a member copies their
personal link, a new visitor follows it and signs up (credited to the member, once per link
click), and a reader of the digest unsubscribes from the email's link without logging in, then
ticks newsletters back on through the signed preferences page."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.urls import reverse
from playwright.sync_api import expect

from accounts.consent import has_consent, set_consent
from accounts.models import ConsentRecord
from customer_voice.models import Referral, ReferralClicks, ReferralLink
from customer_voice.services.digest import unsubscribe_token
from customer_voice.services.referrals import COOKIE_NAME
from tests.browser.helpers import log_in
from tests.factories import BROWSER_USER_AGENT, PASSWORD, UserFactory, ensure_help_centers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

User = get_user_model()


def a_person_s_browser(browser, live_server, **options):
    """A fresh context (no cookies) with a person's user agent: a bot's clicks are not counted."""
    context = browser.new_context(base_url=live_server.url, locale="en-US", user_agent=BROWSER_USER_AGENT, **options)
    context.set_default_timeout(10_000)
    return context


def sign_up(page, email):
    page.goto("/en/accounts/signup/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()


# --- Referral links ------------------------------------------------------------------------------


def test_a_member_copies_their_link_and_a_visitor_who_follows_it_and_signs_up_is_credited(
    browser, live_server, settings
):
    ensure_help_centers()
    # The page shows an absolute link built from the site's base URL: here, the live server.
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    member = UserFactory(email="grace@example.com", display_name="Grace Member")

    member_context = a_person_s_browser(browser, live_server)
    visitor_context = a_person_s_browser(browser, live_server)
    try:
        member_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
        page = member_context.new_page()
        log_in(page, member.email)
        # The page's timers on a clock the test moves: "Copied" must not revert before it is seen.
        page.clock.install()
        page.goto("/en/refer/")
        page.clock.pause_at(datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1))

        expect(page.get_by_role("heading", name="Invite friends")).to_be_visible()
        link = ReferralLink.objects.get(owner=member)
        referral_url = f"{live_server.url}/r/{link.code}/"
        expect(page.get_by_label("Your personal link")).to_have_value(referral_url)
        expect(page.locator("[data-referred-count]")).to_have_text(
            re.compile(r"^\s*0 people have signed up through your link\.\s*$")
        )

        copy = page.locator("[data-referral-copy]")  # its name changes when clicked
        expect(copy).to_be_visible()  # shown by the script, since the browser has a clipboard
        expect(copy).to_have_accessible_name("Copy link")
        copy.click()
        status = page.locator("[data-referral-copy-status]")
        expect(status).to_have_text("Copied")
        expect(copy).to_have_text("Copied")
        assert page.evaluate("navigator.clipboard.readText()") == referral_url
        page.clock.run_for(1_000)
        expect(copy).to_have_text("Copied")
        page.clock.run_for(1_000)
        expect(copy).to_have_text("Copy link")  # back after two seconds
        expect(status).to_have_text("")

        # A new visitor opens the copied link: counted, remembered in a cookie, sent home.
        visitor = visitor_context.new_page()
        visitor.goto(referral_url)
        visitor.wait_for_url(re.compile(r"/en/$"))
        cookie = next(c for c in visitor_context.cookies() if c["name"] == COOKIE_NAME)
        assert cookie["httpOnly"] is True
        assert ReferralClicks.objects.filter(link=link).aggregate(total=Sum("clicks"))["total"] == 1

        sign_up(visitor, "ada@example.com")

        ada = User.objects.get(email="ada@example.com")
        referral = Referral.objects.get()
        assert (referral.link, referral.referred) == (link, ada)
        assert referral.clicked_at is not None

        # A second account made in the same browser: the one click brings one referral only.
        sign_up(visitor, "bob@example.com")
        assert User.objects.filter(email="bob@example.com").exists()
        assert list(Referral.objects.values_list("referred__email", flat=True)) == ["ada@example.com"]

        # The member sees the number, never who.
        page.reload()
        count = page.locator("[data-referred-count]")
        expect(count).to_have_text(re.compile(r"^\s*1 person has signed up through your link\.\s*$"))
        expect(page.locator("main")).not_to_contain_text("ada@example.com")
    finally:
        visitor_context.close()
        member_context.close()


# --- Unsubscribing from the digest ---------------------------------------------------------------


def test_the_digest_reader_unsubscribes_from_the_email_link_and_subscribes_again(reader):
    ensure_help_centers()
    person = UserFactory(email="reader@example.com", display_name="Rae Reader")
    set_consent(person, ConsentRecord.Topic.NEWSLETTER, True, ConsentRecord.Source.DEMO)
    token = unsubscribe_token(person, ConsentRecord.Topic.NEWSLETTER)
    newsletters = reader.get_by_label("Newsletters and digests")

    # The email's unsubscribe link, opened in a browser without logging in: a GET changes nothing
    # (mail scanners open links too) and leads to the preferences page, which says what to do.
    reader.goto(reverse("voice_public:unsubscribe", kwargs={"token": token}))
    reader.wait_for_url(re.compile(rf"/en/email-preferences/{re.escape(token)}/\?from=unsubscribe$"))
    expect(reader.get_by_role("heading", name="Email preferences", exact=True)).to_be_visible()
    expect(reader.locator("[data-from-unsubscribe]")).to_contain_text("untick “Newsletters and digests” and save")
    expect(reader.get_by_text("reader@example.com")).to_be_visible()
    expect(newsletters).to_be_checked()
    assert "Rae Reader" not in reader.locator("header").inner_text()  # nobody is logged in
    person.refresh_from_db()
    assert has_consent(person, ConsentRecord.Topic.NEWSLETTER)

    newsletters.uncheck()
    reader.get_by_role("button", name="Save preferences").click()

    expect(reader.get_by_text("You are unsubscribed from newsletters and feedback surveys.")).to_be_visible()
    expect(newsletters).not_to_be_checked()
    latest = reader.locator("tr[data-consent-record]").first
    expect(latest).to_contain_text("Withdrawn")
    expect(latest).to_contain_text("Unsubscribe link in an email")
    person.refresh_from_db()
    assert not has_consent(person, ConsentRecord.Topic.NEWSLETTER)
    record = ConsentRecord.objects.filter(user=person).latest("at", "pk")
    assert (record.topic, record.granted, record.source) == (
        ConsentRecord.Topic.NEWSLETTER,
        False,
        ConsentRecord.Source.UNSUBSCRIBE_LINK,
    )

    # Changed their mind: the signed preferences page (the email's other link) ticks it back on.
    reader.goto(reverse("voice:email_preferences_signed", kwargs={"token": token}))
    expect(reader.locator("[data-from-unsubscribe]")).to_have_count(0)
    expect(newsletters).not_to_be_checked()
    newsletters.check()
    reader.get_by_role("button", name="Save preferences").click()

    expect(reader.get_by_text("Your email preferences have been saved.")).to_be_visible()
    expect(newsletters).to_be_checked()
    latest = reader.locator("tr[data-consent-record]").first
    expect(latest).to_contain_text("Agreed")
    expect(latest).to_contain_text("Email preferences page")
    person.refresh_from_db()
    assert has_consent(person, ConsentRecord.Topic.NEWSLETTER)
    record = ConsentRecord.objects.filter(user=person).latest("at", "pk")
    assert (record.topic, record.granted, record.source) == (
        ConsentRecord.Topic.NEWSLETTER,
        True,
        ConsentRecord.Source.PREFERENCES,
    )
    assert list(ConsentRecord.objects.filter(user=person).values_list("source", flat=True)) == [
        ConsentRecord.Source.DEMO,
        ConsentRecord.Source.UNSUBSCRIBE_LINK,
        ConsentRecord.Source.PREFERENCES,
    ]
