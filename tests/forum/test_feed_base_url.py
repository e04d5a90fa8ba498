"""Every RSS and Atom feed of the site (the help articles' and the customer stories'; the forum has
none) builds its absolute links on the configured base URL, never on the Host header of the
request that fetched it: a feed is cached and handed on to every subscriber, so a forged host
must not reach them. Whoever fetches it, the feed is the same."""

from urllib.parse import urlsplit

import pytest
from defusedxml import ElementTree
from django.test import Client
from wagtail.models import Site

from stories.sections import ensure_story_indexes
from tests.factories import BROWSER_HEADERS, make_article
from tests.factories.stories import make_story
from tests.forum.roles import ROLES, make_reader

pytestmark = pytest.mark.django_db

BASE_URL = "https://help.example.com"
EVIL_HOST = "evil.example"
FEEDS = ["/en/feeds/articles.rss", "/en/feeds/articles.atom", "/en/stories/feed.rss", "/en/stories/feed.atom"]


@pytest.fixture(autouse=True)
def content(settings, help_centers):
    """A base URL unlike the request's host, a Wagtail Site left on another port (as after loading
    the demo on one port), and an article and a story for the feeds to list."""
    settings.WAGTAILADMIN_BASE_URL = BASE_URL
    assert "*" in settings.ALLOWED_HOSTS or EVIL_HOST in settings.ALLOWED_HOSTS
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=8000)
    ensure_story_indexes()
    return {"article": make_article("Connect to Wi-Fi"), "story": make_story("A story that worked")}


def links_in(document) -> list[str]:
    """Every address a feed reader would follow or keep: link texts, href attributes, ids."""
    found = []
    for element in document.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in {"link", "id", "guid"} and (element.text or "").strip():
            found.append(element.text.strip())
        if element.get("href"):
            found.append(element.get("href"))
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_feed_fetched_with_a_forged_host_links_only_to_the_configured_address(role, content):
    client = Client(**BROWSER_HEADERS)
    reader = make_reader(role)
    if reader is not None:
        client.force_login(reader)

    for url in FEEDS:
        response = client.get(url, HTTP_HOST=EVIL_HOST)

        assert response.status_code == 200, url
        assert EVIL_HOST not in response.content.decode(), url
        links = links_in(ElementTree.fromstring(response.content))
        assert len(links) >= 3, url  # the feed's own link, and the item's link and id
        for link in links:
            assert urlsplit(link)[:2] == ("https", "help.example.com"), (url, link)
        page = content["story" if "stories" in url else "article"]
        assert f"{BASE_URL}{page.url}" in links, url
