"""The public "What's new" page and its Atom feed: only published items, only their public
wording, for everyone; an embargoed or unpublished item is never there, not even its title."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customer_council.models import RoadmapItem
from customer_council.services import roadmap
from tests.customer_council.roadmap_helpers import PREVIEW_TITLE, PREVIEW_WORD, make_item, make_published_item
from tests.factories import UserFactory
from tests.factories.council import make_council_manager, make_council_member

pytestmark = pytest.mark.django_db

PAGE = "/en/whats-new/"
FEED = "/en/whats-new/feed/"
EMBARGOED = "Embargoed moonshot"
UNPUBLISHED = "Unpublished lantern"


@pytest.fixture
def manager():
    return make_council_manager()


@pytest.fixture
def roadmap_items(manager):
    """One published item (its preview says PREVIEW_WORD), one under embargo, one past its embargo
    but never published, one published then taken back."""
    published = make_published_item(manager, public_title="Planner for everyone")
    embargoed = make_item(manager, EMBARGOED, days=5, summary="moonshot details")
    unpublished = make_item(manager, UNPUBLISHED, days=-2, summary="lantern details")
    withdrawn = make_published_item(manager, public_title="Withdrawn public title")
    roadmap.unpublish(withdrawn, by=manager)
    return {"published": published, "embargoed": embargoed, "unpublished": unpublished, "withdrawn": withdrawn}


def reader(role):
    return {"anonymous": None, "outsider": UserFactory, "member": make_council_member, "manager": make_council_manager}[
        role
    ]


def text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "manager"])
def test_everyone_sees_only_the_public_wording_of_published_items(client, roadmap_items, role):
    make_user = reader(role)
    if make_user is not None:
        client.force_login(make_user())

    for url in (PAGE, FEED, f"/en/whats-new/{roadmap_items['published'].pk}/"):
        response = client.get(url)
        body = text(response)
        assert response.status_code == 200, url
        assert "Planner for everyone" in body and "<em>your</em>" in body.replace("&lt;", "<").replace("&gt;", ">")
        for secret in (PREVIEW_TITLE, PREVIEW_WORD, EMBARGOED, "moonshot", UNPUBLISHED, "lantern", "Withdrawn"):
            assert secret not in body, (url, secret)
        assert "/council/" not in body.replace('href="/en/council/"', ""), url


def test_the_count_of_entries_says_nothing_of_hidden_items(client, roadmap_items):
    body = text(client.get(PAGE))

    assert body.count('class="whats-new-entry"') == 1
    assert text(client.get(FEED)).count("<entry>") == 1


@pytest.mark.parametrize("key", ["embargoed", "unpublished", "withdrawn"])
@pytest.mark.parametrize("role", ["anonymous", "member", "manager"])
def test_an_item_not_published_has_no_public_entry_page(client, roadmap_items, key, role):
    make_user = reader(role)
    if make_user is not None:
        client.force_login(make_user())

    response = client.get(f"/en/whats-new/{roadmap_items[key].pk}/")

    assert response.status_code == 404
    assert roadmap_items[key].title not in text(response)


def test_a_row_marked_published_while_still_under_embargo_stays_off_the_page_and_feed(client, manager):
    item = make_item(manager, EMBARGOED, days=5)
    # Written past the service (the constraint allows a publication date after the embargo).
    RoadmapItem.objects.filter(pk=item.pk).update(
        public_title="Future public title", published_at=item.embargo_until + timedelta(hours=1)
    )

    for url in (PAGE, FEED, f"/en/whats-new/{item.pk}/"):
        body = text(client.get(url))
        assert "Future public title" not in body and EMBARGOED not in body, url


def test_the_public_page_is_cacheable_like_any_public_page(client, roadmap_items):
    for url in (PAGE, FEED):
        response = client.get(url)
        assert "no-store" not in response.get("Cache-Control", ""), url
        assert "X-Robots-Tag" not in response, url


def test_the_feed_is_atom_and_links_each_entry_to_its_page(client, roadmap_items):
    response = client.get(FEED)

    assert response["Content-Type"].startswith("application/atom+xml")
    body = text(response)
    assert f"/en/whats-new/{roadmap_items['published'].pk}/" in body
    assert "<title>Planner for everyone</title>" in body


def test_the_page_is_paginated_newest_first(client, manager):
    now = timezone.now()
    for number in range(25):
        item = make_item(manager, f"Preview {number}", days=-2)
        roadmap.publish(item, f"Public {number:02d}", "", by=manager)
        RoadmapItem.objects.filter(pk=item.pk).update(published_at=now - timedelta(hours=25 - number))

    first, second = text(client.get(PAGE)), text(client.get(PAGE, {"page": 2}))

    assert first.count('class="whats-new-entry"') == 20 and second.count('class="whats-new-entry"') == 5
    assert first.index("Public 24") < first.index("Public 23") and "Public 00" in second
    assert client.get(PAGE, {"page": "abc"}).status_code == 200


@pytest.mark.parametrize("forged", ["0", "99999999", "9" * 30, "abc"])
def test_a_forged_entry_id_is_a_404(client, roadmap_items, forged):
    assert client.get(f"/en/whats-new/{forged}/").status_code == 404


def test_the_public_pages_accept_no_post(client, roadmap_items):
    for url in (PAGE, f"/en/whats-new/{roadmap_items['published'].pk}/"):
        assert client.post(url, {"public_title": "x"}).status_code == 405, url


def test_the_sitemap_lists_what_s_new_and_its_published_entries_only(client, manager):
    published = make_published_item(manager, public_title="Planner for everyone")
    hidden = make_item(manager, title="Secret embargoed thing", days=30)

    body = client.get("/sitemap.xml").content.decode()

    assert "/en/whats-new/" in body and "/fa/whats-new/" in body
    assert f"/en/whats-new/{published.pk}/" in body
    assert f"/whats-new/{hidden.pk}/" not in body and f"/council/roadmap/{hidden.pk}/" not in body
