"""An edit after the customer's approval, in the real admin: Publish is refused and the live story
stays as approved; the edit goes through the workflow again, the customer approves the new version
by the emailed link, and only then is it live. Publishing a copy of a story is refused too."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from stories.approval_workflow import ensure_story_workflow
from stories.models import StoryPage
from stories.sections import ensure_story_indexes
from tests.browser.helpers import approve_by_link
from tests.factories import PASSWORD, UserFactory, ensure_help_centers
from tests.factories.stories import make_customer, make_story
from tests.stories.consent_helpers import last_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

APPROVED = "Acme halves its tickets"
EDITED = "Acme cuts its tickets by two thirds"


@pytest.fixture
def story():
    ensure_help_centers()
    ensure_story_indexes()
    ensure_story_workflow()
    customer = make_customer(
        "Acme Logistics", contact_name="Dana", contact_email="dana@acme.example", contact_language="en"
    )
    return make_story(APPROVED, customer=customer)  # published with its customer's consent


@pytest.fixture
def admin(browser, live_server):
    """An editor who may also publish (Wagtail's Moderators group)."""
    editor = UserFactory(email="editor@example.com", display_name="Eddie Editor", is_staff=True)
    editor.groups.add(*Group.objects.filter(name__in=["Editors", "Moderators"]))
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/admin/login/")
    page.locator("input[name='username']").fill(editor.email)
    page.locator("input[name='password']").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    yield page
    context.close()


def more_actions(admin, button: str):
    """Open the editor's action menu and press the button matching the CSS selector ``button``."""
    admin.get_by_role("button", name="More actions").click()
    admin.locator(button).click()


def test_an_edit_after_approval_waits_for_the_customers_new_approval(admin, reader, story):
    admin.goto(f"/admin/pages/{story.pk}/edit/")
    admin.locator("input[name='headline']").fill(EDITED)
    more_actions(admin, "button[name='action-publish']")

    expect(admin.get_by_text("published only with its customer's approval of exactly this version")).to_be_visible()
    story = StoryPage.objects.get(pk=story.pk)
    assert story.live and story.live_revision.as_object().headline == APPROVED
    reader.goto(story.url)
    expect(reader.get_by_role("heading", name=APPROVED)).to_be_visible()
    expect(reader.get_by_text(EDITED)).to_have_count(0)

    # The edit goes to the workflow: editorial review in the admin, then the customer's link.
    admin.goto(f"/admin/pages/{story.pk}/edit/")
    expect(admin.locator("input[name='headline']")).to_have_value(EDITED)  # the refused edit was kept as a draft
    more_actions(admin, "button[name='action-submit']")
    expect(admin.get_by_text("has been submitted for moderation").first).to_be_visible()
    admin.goto(f"/admin/pages/{story.pk}/edit/")
    more_actions(admin, "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])")
    admin.wait_for_url(lambda url: not url.endswith("/edit/"))  # back to the listing
    story = StoryPage.objects.get(pk=story.pk)
    assert story.live_revision.as_object().headline == APPROVED  # still waiting for the customer

    approve_path, _token = last_link("approve")
    approve_by_link(reader, approve_path)

    story = StoryPage.objects.get(pk=story.pk)
    assert story.live_revision.as_object().headline == EDITED
    assert story.consent.approved_revision_id == story.live_revision_id
    reader.goto(story.url)
    expect(reader.get_by_role("heading", name=EDITED)).to_be_visible()


def test_a_copy_of_a_story_is_never_published_without_approval(admin, story):
    admin.goto(f"/admin/pages/{story.pk}/copy/")
    admin.get_by_label("New title").fill("Acme, the copy")
    admin.get_by_label("New slug").fill("acme-the-copy")
    admin.get_by_label("Publish copied page").check()
    admin.get_by_role("button", name="Copy this page").click()

    expect(admin.get_by_text("A copy of a customer story starts as a draft")).to_be_visible()
    assert not StoryPage.objects.filter(slug="acme-the-copy").exists()

    admin.get_by_label("New title").fill("Acme, the copy")
    admin.get_by_label("New slug").fill("acme-the-copy")
    admin.get_by_role("button", name="Copy this page").click()
    admin.wait_for_url(re.compile(r"/admin/pages/\d+/"))
    copy = StoryPage.objects.get(slug="acme-the-copy")
    assert not copy.live
