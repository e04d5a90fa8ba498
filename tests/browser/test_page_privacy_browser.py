"""Restricted pages in a real browser: listed only for readers let in, and passwords not guessable."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect
from wagtail.models import PageViewRestriction

from tests.browser.helpers import log_in
from tests.factories import UserFactory, ensure_help_centers, make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_group_restricted_related_article_appears_only_after_a_member_logs_in(reader):
    ensure_help_centers()
    public = make_article("Connect to Wi-Fi")
    secret = make_article("Okapi roadmap preview")
    public.related_articles.create(related_page=secret)
    public.save_revision().publish()
    council = Group.objects.create(name="Advisory council")
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.GROUPS).groups.add(council)
    member = UserFactory()
    member.groups.add(council)

    reader.goto(public.url)
    box = reader.locator("#article-vote")
    box.get_by_role("button", name="No").click()
    expect(box.get_by_role("heading", name="Sorry this didn't help")).to_be_visible()
    expect(box.get_by_role("link", name="Contact support")).to_be_visible()
    assert "Okapi roadmap preview" not in reader.content()

    log_in(reader, member.email)
    reader.goto(public.url)
    reader.locator("#article-vote").get_by_role("button", name="No").click()
    reader.locator("#article-vote").get_by_role("link", name="Okapi roadmap preview").click()
    expect(reader.get_by_role("heading", name="Okapi roadmap preview", level=1)).to_be_visible()


def test_a_password_protected_page_stops_answering_guesses_after_five_wrong_ones(page):
    ensure_help_centers()
    article = make_article("Partner price list")
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="right-password"
    )

    for _guess in range(5):
        page.goto(article.url)
        page.locator("input[name=password]").fill("wrong guess")
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("heading", name="Password required").wait_for()
    page.goto(article.url)
    page.locator("input[name=password]").fill("right-password")
    page.get_by_role("button", name="Continue").click()

    page.get_by_text("Too many wrong passwords for this page").wait_for()
    assert "Partner price list" not in page.content()
