"""A story page: its sections, figures, quotes and articles; share and schema.org meta, escaped; RTL."""

import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from sitewide.addresses import absolute_url
from tests.factories import make_article
from tests.factories.stories import make_customer, make_image, make_story
from tests.html_checks import html_problems

pytestmark = pytest.mark.django_db

HOSTILE = '</script><script>alert("x")</script><b onmouseover="alert(1)">Evil & Co'


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def schema_org(soup) -> dict:
    [script] = soup.find_all("script", type="application/ld+json")
    return json.loads(script.string)


def test_a_story_shows_its_sections_figures_quotes_and_articles(client, story_indexes):
    article = make_article("Set up the help center")
    private_article = make_article("Internal runbook")
    PageViewRestriction.objects.create(page=private_article, restriction_type=PageViewRestriction.LOGIN)
    story = make_story(
        "Acme halves its tickets",
        customer=make_customer("Acme"),
        figures=[
            ("figure", {"label": "Tickets", "before": Decimal("100"), "after": Decimal("50"), "display": "chart"})
        ],
        quotes=[
            ("quote", {"quote": "We sleep at night.", "person": "Ana", "role": "CTO"}),
            ("quote", {"quote": "Customers find answers.", "person": "Bo", "role": "Support lead"}),
        ],
    )
    story.help_articles.create(article=article)
    story.help_articles.create(article=private_article)
    story.save_revision().publish()

    response = client.get(story.url)
    soup = soup_of(response)

    assert soup.h1.get_text() == "Acme halves its tickets"
    assert [h2.get_text() for h2 in soup.select(".story-section h2")] == [
        "The challenge",
        "The solution",
        "The results",
        "Help articles they relied on",
    ]
    assert soup.select_one(".story-figure-bars") is not None
    assert [q.get_text(strip=True) for q in soup.select(".story-quote blockquote")] == [
        "We sleep at night.",
        "Customers find answers.",
    ]
    assert [a.get_text() for a in soup.select(".story-articles a")] == ["Set up the help center"]
    assert html_problems(response.content.decode()) == []


def test_a_story_has_open_graph_twitter_and_schema_org_meta(client, story_indexes):
    story = make_story("Acme halves its tickets", customer=make_customer("Acme"), hero_image=make_image())

    soup = soup_of(client.get(story.url))

    meta = {
        tag.get("property") or tag.get("name"): tag["content"] for tag in soup.find_all("meta") if tag.get("content")
    }
    assert meta["og:title"] == "Acme halves its tickets"
    assert meta["og:type"] == "article"
    assert meta["og:url"].endswith(story.url)
    assert meta["og:image"].startswith("http://testserver/")
    assert meta["twitter:card"] == "summary_large_image"
    data = schema_org(soup)
    assert data["@type"] == "Article"
    assert data["headline"] == "Acme halves its tickets"
    assert data["about"] == {"@type": "Organization", "name": "Acme", "url": "https://example.com/"}
    assert data["datePublished"] == story.publish_date.isoformat()
    assert data["image"] == meta["og:image"]


def test_a_hostile_customer_name_stays_inert_in_meta_and_schema_org(client, story_indexes):
    story = make_story(HOSTILE, customer=make_customer(HOSTILE), summary=HOSTILE)

    response = client.get(story.url)
    content = response.content.decode()
    soup = soup_of(response)

    assert 'alert("x")</script>' not in content
    assert "<b onmouseover" not in content
    assert all(not script.get_text().startswith("alert") for script in soup.find_all("script"))
    assert schema_org(soup)["about"]["name"] == HOSTILE
    assert soup.find("meta", property="og:title")["content"] == HOSTILE
    assert html_problems(content) == []


def test_translations_of_a_story_are_linked(client, story_indexes):
    english = make_story("Acme halves its tickets")
    russian = make_story("Acme вдвое сократила обращения", language="ru", translation_of=english)

    soup = soup_of(client.get(english.url))

    assert soup.find("link", hreflang="ru")["href"] == absolute_url(russian.url)


@pytest.mark.parametrize("language", ["fa", "he"])
def test_a_story_reads_right_to_left_in_persian_and_hebrew(client, story_indexes, language):
    story = make_story(
        "داستان",
        language=language,
        figures=[("figure", {"label": "زمان", "before": Decimal("12"), "after": Decimal("3"), "display": "chart"})],
    )

    response = client.get(story.url)
    soup = soup_of(response)

    assert soup.html["dir"] == "rtl"
    assert soup.html["lang"] == language
    assert soup.select_one(".story-figure-bars") is not None
    assert html_problems(response.content.decode()) == []
    assert soup_of(client.get(f"/{language}/stories/")).html["dir"] == "rtl"
