"""The admin's other ways to put a story live without its customer's approval: bulk publish (with
or without subpages) and a copy or alias made live; and the ledger's spreadsheet export."""

import io

import openpyxl
import pytest
from django.core import mail

from stories.models import Consent, ConsentEvent, StoryPage
from stories.services import consent as services
from tests.factories import UserFactory
from tests.factories.stories import make_story, story_index
from tests.stories.consent_helpers import last_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def bulk_publish(client, *pages, include_descendants=False):
    ids = "&".join(f"id={page.pk}" for page in pages)
    data = {"include_descendants": "on"} if include_descendants else {}
    return client.post(f"/admin/bulk/wagtailcore/page/publish/?{ids}&next=/admin/", data)


def edited_after_approval() -> StoryPage:
    story = make_story("Approved headline")
    story.headline = "Edited after approval"
    story.save_revision()
    return StoryPage.objects.get(pk=story.pk)


def test_bulk_publish_refuses_an_edit_the_customer_has_not_approved(client, story_indexes, publisher):
    story = edited_after_approval()

    response = bulk_publish(client, story)

    assert response.status_code == 302
    story = StoryPage.objects.get(pk=story.pk)
    assert story.live_revision.as_object().headline == "Approved headline"
    assert story.has_unpublished_changes


def test_bulk_publish_with_subpages_refuses_a_draft_story_beneath(client, story_indexes, publisher):
    draft = make_story("Never approved", publish=False)
    index = story_index("en")
    index.save_revision()

    bulk_publish(client, index, include_descendants=True)

    assert not StoryPage.objects.get(pk=draft.pk).live
    assert not Consent.objects.filter(story=draft).exists()


def test_bulk_publish_goes_through_for_the_approved_revision(client, story_indexes, publisher):
    story = make_story("Approved and unpublished")
    story.unpublish()

    response = bulk_publish(client, story)

    assert response.status_code == 302
    assert StoryPage.objects.get(pk=story.pk).live


def copy(client, page, **fields):
    data = {
        "new_title": "The copy",
        "new_slug": "the-copy",
        "new_parent_page": page.get_parent().pk,
        **fields,
    }
    return client.post(f"/admin/pages/{page.pk}/copy/", data)


@pytest.mark.parametrize("how", [{"publish_copies": "on"}, {"alias": "on"}])
def test_a_story_is_not_copied_live_or_as_an_alias(client, story_indexes, publisher, how):
    story = make_story("Approved story")

    response = copy(client, story, **how)

    assert response.status_code == 302 and response.url.endswith(f"/admin/pages/{story.pk}/copy/")
    assert StoryPage.objects.count() == 1


def test_a_help_center_copied_live_with_its_stories_is_refused(client, story_indexes, publisher):
    make_story("Approved story")
    help_center = story_index("en").get_parent()

    refused = copy(client, help_center, copy_subpages="on", publish_copies="on")
    assert StoryPage.objects.count() == 1
    copy(client, help_center, copy_subpages="on")  # as drafts

    assert refused.url.endswith(f"/admin/pages/{help_center.pk}/copy/")
    assert StoryPage.objects.count() == 2 and StoryPage.objects.live().count() == 1


def test_a_draft_copy_of_a_story_is_allowed(client, story_indexes, publisher):
    story = make_story("Approved story")

    response = copy(client, story)

    assert response.status_code == 302
    the_copy = StoryPage.objects.get(slug="the-copy")
    assert not the_copy.live and not Consent.objects.filter(story=the_copy).exists()


def test_the_editor_form_does_not_see_an_unchanged_publish_date_as_an_edit(story_indexes, publisher):
    """A callable default's hidden initial input is never rendered by Wagtail's panels; without the
    fix every Approve in the editor saved a "changed" revision and restarted the review."""
    story = make_story("Approved story")
    form_class = StoryPage.get_edit_handler().get_form_class()
    form = form_class(instance=story, for_user=publisher)
    assert form.fields["publish_date"].show_hidden_initial is False


def test_the_ledger_exports_as_xlsx_with_formulas_neutralised(client, story_indexes, publisher):
    story = make_story("Approved story")
    services.send_withdrawal_link(story, Consent.objects.get(story=story))
    client.post(last_link("withdraw")[0], {"confirm": "on", "comment": "=HYPERLINK(1)"})
    assert ConsentEvent.objects.count() == 1 and mail.outbox

    response = client.get("/admin/stories/consent-ledger/?export=xlsx")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["When", "Story", "Customer", "Event"]
    assert rows[1][1] == "Approved story" and rows[1][3] == "Consent withdrawn"
    assert "'=HYPERLINK(1)" in rows[1]
