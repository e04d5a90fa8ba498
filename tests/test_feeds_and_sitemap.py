"""Per-language RSS and Atom feeds and the all-languages sitemap list live, public pages only."""

import pytest
from defusedxml import ElementTree
from wagtail.models import PageViewRestriction

from tests.factories import make_article

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def articles(help_centers):
    """A public English and Russian article, and English ones that are unpublished or private."""
    public = make_article("Connect to Wi-Fi", summary="Get online.", translation_key="wifi")
    russian = make_article("Подключение к Wi-Fi", locale="ru", translation_key="wifi")
    draft = make_article("Unpublished draft")
    draft.unpublish()
    private = make_article("Staff-only article")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    private_category = make_article("In a private category", category="internal", category_title="Internal")
    PageViewRestriction.objects.create(page=private_category.get_parent(), restriction_type=PageViewRestriction.LOGIN)
    return {"public": public, "russian": russian, "draft": draft, "private": private, "nested": private_category}


def get_xml(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def test_the_rss_feed_lists_only_live_public_articles_of_its_language(client, articles):
    channel = get_xml(client, "/en/feeds/articles.rss").find("channel")

    titles = [item.findtext("title") for item in channel.iter("item")]
    assert titles == ["Connect to Wi-Fi"]
    [item] = channel.iter("item")
    assert item.findtext("description") == "Get online."
    assert item.findtext("link").endswith(articles["public"].url)
    assert channel.findtext("link").endswith("/en/")


def test_the_atom_feed_lists_only_live_public_articles_of_its_language(client, articles):
    feed = get_xml(client, "/en/feeds/articles.atom")

    assert feed.tag == f"{ATOM}feed"
    assert [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")] == ["Connect to Wi-Fi"]
    assert feed.find(f"{ATOM}entry/{ATOM}updated") is not None


def test_the_russian_feed_lists_the_russian_article(client, articles):
    channel = get_xml(client, "/ru/feeds/articles.rss").find("channel")

    assert [item.findtext("title") for item in channel.iter("item")] == ["Подключение к Wi-Fi"]
    assert channel.findtext("link").endswith("/ru/")


def test_the_sitemap_lists_public_pages_in_every_language_and_nothing_private_or_unpublished(client, articles):
    sitemap = get_xml(client, "/sitemap.xml")

    locations = [url.findtext(f"{SITEMAP}loc") for url in sitemap.iter(f"{SITEMAP}url")]
    assert any(loc.endswith(articles["public"].url) for loc in locations)
    assert any(loc.endswith(articles["russian"].url) for loc in locations)
    assert any(loc.endswith("/ru/") for loc in locations), "the Russian help-center home"
    for hidden in ("draft", "private", "nested"):
        assert not any(articles[hidden].slug in loc for loc in locations), hidden
    assert not any("/internal/" in loc for loc in locations)
    assert len(locations) == len(set(locations))
