"""What a published story shows under its consent; edits need re-approval; withdrawal and expiry
take it down; the ledger exports."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from stories.models import Consent, ConsentEvent, StoryPage
from stories.services import consent as services
from stories.viewsets_consent import refuse_unapproved_publish
from tests.factories import UserFactory
from tests.factories.stories import grant_consent, make_customer, make_image, make_story
from tests.stories.consent_helpers import QUOTES, last_link

pytestmark = pytest.mark.django_db


def published_story(name=None, **scope):
    story = make_story(
        "Acme halves its tickets",
        customer=make_customer(name, contact_email="dana@acme.example", logo=make_image()),
        quotes=QUOTES,
        hero_image=make_image(),
    )
    grant_consent(story, story.live_revision, **scope)
    return StoryPage.objects.get(pk=story.pk)


def test_a_story_without_name_consent_shows_who_the_customer_is_without_naming_them(client, story_indexes):
    story = published_story(
        "Acme Logistics", show_name=False, show_logo=False, show_photos=False, show_figures=False, quote_ids=[]
    )

    content = client.get(story.url).content.decode()

    assert "a logistics company in Europe" in content
    assert "Acme Logistics" not in content
    assert "We sleep at night." not in content
    assert "story-hero" not in content and "story-logo" not in content


def test_only_the_allowed_quotes_are_shown(client, story_indexes):
    story = published_story()
    grant_consent(story, story.live_revision, quote_ids=[story.quotes[1].id])

    content = client.get(story.url).content.decode()

    assert "Customers find answers." in content and "We sleep at night." not in content


def test_the_index_lists_anonymous_stories_in_a_fixed_number_of_queries(
    client, story_indexes, django_assert_max_num_queries
):
    for _n in range(3):
        published_story(show_name=False, show_photos=False)
    with django_assert_max_num_queries(30) as few:
        client.get(story_indexes["en"].url)
    for _n in range(5):
        published_story(show_name=False, show_photos=False)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(story_indexes["en"].url)

    assert response.content.decode().count("a logistics company in Europe") == 8


def test_an_edit_after_approval_cannot_be_published_without_re_approval(rf, story_indexes):
    story = published_story()
    story.headline = "Edited after approval"
    story.save_revision()
    request = rf.post("/")
    request.user = UserFactory(is_superuser=True)
    request._messages = type("Messages", (), {"add": lambda *args, **kwargs: None})()

    refusal = refuse_unapproved_publish(request, StoryPage.objects.get(pk=story.pk))

    assert refusal is not None and refusal.status_code == 302
    assert StoryPage.objects.get(pk=story.pk).live_revision.as_object().headline == "Acme halves its tickets"


def test_withdrawal_unpublishes_at_once_records_it_and_tells_the_staff(client, story_indexes, settings):
    settings.STORIES_NOTIFY_EMAIL = "stories@example.com"
    story = published_story()
    services.send_withdrawal_link(story, Consent.objects.get(story=story))
    path, _token = last_link("withdraw")

    response = client.post(path, {"confirm": "on", "comment": "We changed our mind"})

    assert response.status_code == 200
    assert not StoryPage.objects.get(pk=story.pk).live
    assert not Consent.objects.get(story=story).is_active
    assert ConsentEvent.objects.get(story=story).kind == ConsentEvent.Kind.WITHDRAWN
    assert mail.outbox[-1].to == ["stories@example.com"]
    assert client.post(path, {"confirm": "on"}).status_code == 410


def test_withdrawal_needs_the_confirmation(client, story_indexes):
    story = published_story()
    services.send_withdrawal_link(story, Consent.objects.get(story=story))
    path, _token = last_link("withdraw")

    response = client.post(path, {"comment": "\x00"})

    assert response.status_code == 400
    assert StoryPage.objects.get(pk=story.pk).live


def test_the_expire_command_takes_down_stories_whose_consent_ended_once(story_indexes, settings):
    settings.STORIES_NOTIFY_EMAIL = "stories@example.com"
    story = published_story(expires_on=timezone.localdate() - timedelta(days=1))
    current = published_story(expires_on=timezone.localdate() + timedelta(days=1))

    call_command("stories_consent", "--expire")
    call_command("stories_consent", "--expire")

    assert not StoryPage.objects.get(pk=story.pk).live
    assert StoryPage.objects.get(pk=current.pk).live
    assert list(ConsentEvent.objects.values_list("story_id", "kind")) == [(story.pk, "expired")]
    assert [m.to for m in mail.outbox] == [["stories@example.com"]]


def test_the_ledger_is_append_only_and_exports_as_csv(client, story_indexes):
    story = published_story()
    services.send_withdrawal_link(story, Consent.objects.get(story=story))
    client.post(last_link("withdraw")[0], {"confirm": "on", "comment": "=HYPERLINK(1)"})
    event = ConsentEvent.objects.get()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get("/admin/stories/consent-ledger/?export=csv")

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "Consent withdrawn" in body and "'=HYPERLINK(1)" in body
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_the_ledger_is_for_publishers_only(client, story_indexes):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/admin/stories/consent-ledger/").status_code in (302, 403)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/stories/consent-ledger/").status_code == 200
