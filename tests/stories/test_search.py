"""Stories in the unified search: type "story", published and open to the reader only, counted right."""

import pytest
from wagtail.models import PageViewRestriction

from kb.search.service import search
from tests.factories import UserFactory
from tests.factories.stories import make_customer, make_story
from tests.search_helpers import reader

pytestmark = pytest.mark.django_db


def publish_story(capture, *args, **kwargs):
    with capture(execute=True):
        return make_story(*args, **kwargs)


def test_an_anonymous_reader_finds_a_published_story_as_a_story(story_indexes, django_capture_on_commit_callbacks):
    story = publish_story(
        django_capture_on_commit_callbacks, "Wombat Freight answers faster", customer=make_customer("Wombat Freight")
    )

    results = search(reader(), "wombat", language="en")

    assert [(hit.title, hit.type, hit.url) for hit in results.hits] == [(story.title, "story", story.url)]
    assert dict(results.facets["content_type"]) == {"story": 1}


def test_a_story_is_found_by_the_words_of_its_sections_and_quotes(story_indexes, django_capture_on_commit_callbacks):
    publish_story(
        django_capture_on_commit_callbacks,
        "A story",
        quotes=[("quote", {"quote": "The axolotl team loves it.", "person": "Ana", "role": "CTO"})],
    )

    assert search(reader(), "axolotl", language="en").total == 1


def test_an_unpublished_story_is_neither_found_nor_counted(story_indexes, django_capture_on_commit_callbacks):
    story = publish_story(django_capture_on_commit_callbacks, "Capybara Logistics story")

    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()

    results = search(reader(), "capybara", language="en")
    assert results.total == 0 and results.hits == []


def test_a_private_story_is_neither_found_nor_counted_by_anonymous_readers(
    story_indexes, django_capture_on_commit_callbacks
):
    story = publish_story(django_capture_on_commit_callbacks, "Narwhal Bank story")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)

    anonymous = search(reader(), "narwhal", language="en")
    member = search(reader(UserFactory()), "narwhal", language="en")

    assert anonymous.total == 0 and anonymous.hits == []
    assert dict(anonymous.facets.get("content_type") or []).get("story", 0) == 0
    assert [hit.title for hit in member.hits] == ["Narwhal Bank story"]


def test_a_private_story_the_index_still_thinks_public_is_dropped_by_the_recheck(
    story_indexes, django_capture_on_commit_callbacks
):
    story = publish_story(django_capture_on_commit_callbacks, "Okapi Retail story")
    # The restriction is added without letting the index follow (no commit callbacks run).
    PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)

    results = search(reader(), "okapi", language="en")

    assert results.hits == [] and results.total == 0


def test_the_search_page_labels_stories(client, story_indexes, django_capture_on_commit_callbacks):
    publish_story(django_capture_on_commit_callbacks, "Quokka Media story")

    content = client.get("/en/search/?q=quokka").content.decode()

    assert '<span class="result-type result-type-story">Story</span>' in content
    assert '>Story <bdi class="count">1</bdi>' in content
