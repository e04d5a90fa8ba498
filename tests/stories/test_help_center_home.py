"""The help-center home shows the latest featured story of its language, if the reader may open it."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories.stories import make_image, make_story

pytestmark = pytest.mark.django_db


def featured_headline(client, url="/en/"):
    response = client.get(url)
    assert response.status_code == 200
    panel = response.context.get("home_panels")
    stories = [p["context"]["story"].headline for p in panel if p["template"] == "stories/home_panel.html"]
    return stories[0] if stories else None


def test_the_home_shows_the_latest_featured_story(client, story_indexes):
    make_story("Older featured", featured=True, publish_date=date(2025, 1, 1))
    latest = make_story("Latest featured", featured=True, publish_date=date(2026, 1, 1), hero_image=make_image())
    make_story("Newest but not featured", publish_date=date(2026, 6, 1))

    response = client.get("/en/")

    assert featured_headline(client) == "Latest featured"
    content = response.content.decode()
    assert 'id="featured-story-heading"' in content
    assert f'href="{latest.url}"' in content


def test_the_home_shows_a_story_of_its_own_language_only(client, story_indexes):
    make_story("English featured", featured=True)

    assert featured_headline(client, "/ru/") is None


def test_a_private_or_unpublished_featured_story_is_not_on_the_home(client, story_indexes):
    make_story("Public featured", featured=True, publish_date=date(2025, 1, 1))
    make_story("Draft featured", featured=True, publish=False, publish_date=date(2026, 1, 1))
    private = make_story("Private featured", featured=True, publish_date=date(2026, 2, 1))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    assert featured_headline(client) == "Public featured"


def test_without_a_featured_story_the_home_shows_no_story_panel(client, story_indexes):
    make_story("Not featured")

    content = client.get("/en/").content.decode()

    assert "featured-story-heading" not in content


def test_the_story_panel_costs_the_same_however_many_stories(client, story_indexes):
    def measure():
        client.get("/en/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/en/")
        return len(queries)

    make_story(featured=True, hero_image=make_image())
    one = measure()
    for _n in range(5):
        make_story(featured=True, hero_image=make_image())

    assert measure() == one
