"""A customer proposes a story on the public site; an editor opens it in the admin, starts the
draft story in one click and lands in the page editor with the customer's words in it."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from stories.models import StoryPage, StorySubmission
from stories.sections import ensure_story_indexes
from tests.browser.helpers import log_in
from tests.factories import PASSWORD, UserFactory, ensure_help_centers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def story_indexes():
    ensure_help_centers()
    return ensure_story_indexes()


@pytest.fixture
def customer():
    return UserFactory(email="dana@example.com", display_name="Dana")


@pytest.fixture
def editor():
    user = UserFactory(email="editor@example.com", display_name="Eddie Editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_a_customers_story_becomes_a_draft_in_one_click(browser, live_server, story_indexes, customer, editor):
    customer_page = browser.new_context(base_url=live_server.url, locale="en-US").new_page()
    customer_page.set_default_timeout(10_000)
    log_in(customer_page, customer.email)
    customer_page.goto("/en/stories/")
    customer_page.get_by_role("link", name="Share your story").click()
    customer_page.get_by_label("Your company").fill("Okapi Freight")
    customer_page.get_by_label("Your role").fill("Head of support")
    customer_page.get_by_label("What you achieved").fill(
        "We cut our first reply time from two days to four hours. The help center answers most questions."
    )
    customer_page.get_by_label("Figures (optional)").fill("First reply: 2 days → 4 hours")
    customer_page.get_by_label("You may contact me about my story").check()
    customer_page.get_by_role("button", name="Send my story").click()
    expect(customer_page.get_by_role("heading", name="Thank you for your story")).to_be_visible()
    submission = StorySubmission.objects.get()
    customer_page.context.close()

    admin = browser.new_context(base_url=live_server.url, locale="en-US").new_page()
    admin.set_default_timeout(10_000)
    admin.goto("/admin/login/")
    admin.locator("input[name='username']").fill(editor.email)
    admin.locator("input[name='password']").fill(PASSWORD)
    admin.get_by_role("button", name="Sign in").click()
    admin.wait_for_url("**/admin/")
    admin.get_by_role("link", name="Story submissions").click()
    admin.get_by_role("link", name="Okapi Freight").click()
    expect(admin.get_by_text("We cut our first reply time from two days to four hours.").first).to_be_visible()
    admin.get_by_role("button", name="Start a draft story").click()

    admin.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    story = StoryPage.objects.get()
    assert admin.url.endswith(f"/admin/pages/{story.pk}/edit/")
    expect(admin.locator("input[name='headline']")).to_have_value(
        "We cut our first reply time from two days to four hours."
    )
    assert not story.live
    submission.refresh_from_db()
    assert submission.status == StorySubmission.Status.DRAFTED
    admin.context.close()
