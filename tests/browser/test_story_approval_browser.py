"""A story's approval by the customer in a real browser: editorial review, the emailed link,
approval with a scope, the published page; then withdrawal through the confirmation email's link,
and the story gone from the index, search and feeds."""

import pytest
from playwright.sync_api import expect

from stories.models import StoryPage
from stories.sections import ensure_story_indexes
from tests.browser.helpers import approve_by_link
from tests.factories import ensure_help_centers
from tests.factories.stories import make_customer
from tests.stories.consent_helpers import draft_story, last_link, submit_and_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_customer_approves_by_the_emailed_link_then_withdraws_and_the_story_goes(reader):
    ensure_help_centers()
    ensure_story_indexes()
    customer = make_customer(
        "Acme Logistics", contact_name="Dana", contact_email="dana@acme.example", contact_language="en"
    )
    story = submit_and_review(draft_story(customer=customer))
    approve_path, _token = last_link("approve")

    approve_by_link(reader, approve_path)

    story = StoryPage.objects.get(pk=story.pk)
    assert story.live and story.consent.approved_revision_id == story.live_revision_id
    reader.goto(story.url)
    expect(reader.get_by_text("Acme Logistics").first).to_be_visible()
    expect(reader.get_by_text("We sleep at night.")).to_have_count(0)  # no quote was ticked
    reader.goto("/en/stories/")
    expect(reader.get_by_role("link", name="Acme halves its tickets").first).to_be_visible()

    withdraw_path, _token = last_link("withdraw")
    reader.goto(withdraw_path)
    reader.get_by_label("Yes, withdraw our consent and take the story down").check()
    reader.get_by_role("button", name="Withdraw consent").click()
    expect(reader.locator(".story-approval")).to_be_visible()

    assert not StoryPage.objects.get(pk=story.pk).live
    assert reader.goto(story.url).status == 404
    reader.goto("/en/stories/")
    expect(reader.get_by_text("Acme halves its tickets")).to_have_count(0)
    feed = reader.goto("/en/stories/feed.atom").text()
    assert "Acme halves its tickets" not in feed
    reader.goto("/en/search/?q=Acme")
    expect(reader.get_by_text("Acme halves its tickets")).to_have_count(0)
