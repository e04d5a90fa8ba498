"""Per-language story feeds and the sitemap list live, public stories only."""

from datetime import date

import pytest
from defusedxml import ElementTree
from wagtail.models import PageViewRestriction

from tests.factories.stories import make_story

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def stories(story_indexes):
    public = make_story("Public story", summary="It worked.", publish_date=date(2026, 3, 1))
    older = make_story("Older story", publish_date=date(2025, 3, 1))
    draft = make_story("Draft story", publish=False)
    private = make_story("Private story")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    russian = make_story("Русская история", language="ru")
    return {"public": public, "older": older, "draft": draft, "private": private, "russian": russian}


def get_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def test_the_rss_feed_lists_live_public_stories_of_its_language_newest_first(client, stories):
    channel = get_xml(client, "/en/stories/feed.rss").find("channel")

    assert [item.findtext("title") for item in channel.iter("item")] == ["Public story", "Older story"]
    first = next(channel.iter("item"))
    assert first.findtext("description") == "It worked."
    assert first.findtext("link").endswith(stories["public"].url)
    assert channel.findtext("link").endswith("/en/stories/")
    assert channel.findtext("language") == "en"


def test_the_atom_feed_lists_the_same_stories(client, stories):
    feed = get_xml(client, "/en/stories/feed.atom")

    assert feed.tag == f"{ATOM}feed"
    assert [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")] == ["Public story", "Older story"]


def test_each_language_has_its_own_feed(client, stories):
    channel = get_xml(client, "/ru/stories/feed.rss").find("channel")

    assert [item.findtext("title") for item in channel.iter("item")] == ["Русская история"]


def test_the_sitemap_lists_public_stories_and_the_story_indexes_only(client, stories):
    sitemap = get_xml(client, "/sitemap.xml")

    locations = {url.findtext(f"{SITEMAP}loc") for url in sitemap.iter(f"{SITEMAP}url")}
    assert any(location.endswith(stories["public"].url) for location in locations)
    assert any(location.endswith(stories["russian"].url) for location in locations)
    assert any(location.endswith("/en/stories/") for location in locations)
    assert not any(location.endswith(stories["draft"].url) for location in locations)
    assert not any(location.endswith(stories["private"].url) for location in locations)
