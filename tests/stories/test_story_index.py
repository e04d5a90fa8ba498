"""The story index: filters in the address, featured stories first, pages, a fixed number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from kb.models import Product
from stories.models.pages import STORIES_PER_PAGE
from tests.factories.stories import make_customer, make_image, make_story

pytestmark = pytest.mark.django_db


def headlines(response):
    return [story.headline for story in response.context["stories"]]


def test_featured_stories_come_first_then_the_newest(client, story_indexes):
    make_story("Old", publish_date=date(2025, 1, 1))
    make_story("New", publish_date=date(2026, 1, 1))
    make_story("Featured but old", featured=True, publish_date=date(2024, 1, 1))

    response = client.get("/en/stories/")

    assert response.status_code == 200
    assert headlines(response) == ["Featured but old", "New", "Old"]


def test_the_index_lists_only_its_languages_live_public_stories(client, story_indexes):
    make_story("Public")
    make_story("Draft", publish=False)
    private = make_story("Private")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    make_story("Russian", language="ru")

    assert headlines(client.get("/en/stories/")) == ["Public"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?industry=retail", ["Shop"]),
        ("?region=north_america", ["Bank"]),
        ("?size=enterprise", ["Bank"]),
        ("?product=desk", ["Shop", "Freight"]),
        ("?product=desk&industry=logistics", ["Freight"]),
        ("?industry=no-such-industry", ["Bank", "Shop", "Freight"]),
    ],
)
def test_the_filters_are_in_the_address(client, story_indexes, query, expected):
    desk = Product.objects.create(name="Desk", slug="desk")
    chat = Product.objects.create(name="Chat", slug="chat")
    make_story("Freight", customer=make_customer(industry="logistics"), products=[desk], publish_date=date(2026, 1, 1))
    make_story("Shop", customer=make_customer(industry="retail"), products=[desk], publish_date=date(2026, 2, 1))
    bank = make_customer(industry="finance", region="north_america", company_size="enterprise")
    make_story("Bank", customer=bank, products=[chat], publish_date=date(2026, 3, 1))

    response = client.get(f"/en/stories/{query}")

    assert response.status_code == 200
    assert headlines(response) == expected


def test_the_product_filter_offers_only_products_of_listed_stories(client, story_indexes):
    used = Product.objects.create(name="Desk", slug="desk")
    Product.objects.create(name="Unused", slug="unused")
    make_story(products=[used])

    content = client.get("/en/stories/").content.decode()

    assert '<option value="desk">Desk</option>' in content
    assert "Unused" not in content


def test_pages_keep_the_filters(client, story_indexes):
    customer = make_customer(industry="retail")
    for n in range(STORIES_PER_PAGE + 2):
        make_story(f"Retail {n}", customer=customer, publish_date=date(2026, 1, n + 1))
    make_story("Elsewhere", customer=make_customer(industry="energy"))

    first = client.get("/en/stories/?industry=retail")
    second = client.get("/en/stories/?industry=retail&page=2")

    assert len(headlines(first)) == STORIES_PER_PAGE
    assert headlines(second) == ["Retail 1", "Retail 0"]
    assert 'href="?industry=retail&amp;page=2"' in first.content.decode()


def test_the_index_runs_the_same_queries_for_3_and_for_12_stories(client, story_indexes, django_assert_max_num_queries):
    desk = Product.objects.create(name="Desk", slug="desk")

    def add_stories(count):
        for _n in range(count):
            make_story(hero_image=make_image(), products=[desk], featured=True)

    def measure():
        client.get("/en/stories/?product=desk")  # renders (and so makes) the image renditions
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/stories/?product=desk").status_code == 200
        return len(queries)

    add_stories(3)
    few = measure()
    add_stories(9)
    many = measure()

    assert few == many
    with django_assert_max_num_queries(13):
        client.get("/en/stories/?product=desk")
