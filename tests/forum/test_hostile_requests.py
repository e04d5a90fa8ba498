"""Never a server error, whatever a request carries: every forum endpoint answers 2xx, 3xx or
4xx with a message, for anonymous visitors and members alike."""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import BROWSER_HEADERS
from tests.factories.forum import make_category, make_member, make_topic

pytestmark = pytest.mark.django_db

NASTY = [
    "",
    "\x00",
    "A" * 50_000,
    "💥" * 500,
    "\u202etxt.exe",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc",
]


@pytest.fixture
def world():
    category = make_category("Coffee")
    topic = make_topic(category=category, posts=3)
    return {"category": category, "topic": topic, "post": topic.posts.get(position=2)}


def requests_for(world, value):
    topic, post, category = world["topic"], world["post"], world["category"]
    return [
        ("get", reverse("forum:index"), {"page": value}),
        ("get", category.get_absolute_url(), {"page": value}),
        ("get", topic.get_absolute_url(), {"page": value}),
        ("get", f"{reverse('forum:topic_short', args=[topic.pk])}{quote(value[:50], safe='') or '-'}/", {}),
        ("get", reverse("forum:similar"), {"q": value, "visit": value}),
        ("get", reverse("support:open_result"), {"kind": value, "id": value, "rank": value, "flow": "forum"}),
        ("get", reverse("forum:new_topic"), {"category": value}),
        ("post", reverse("forum:new_topic"), {"category": value, "title": value, "body": value, "tags": value}),
        ("post", reverse("forum:new_topic"), {"category": category.pk, "title": value, "body": value}),
        ("post", reverse("forum:reply", args=[topic.pk]), {"body": value}),
        ("post", reverse("forum:edit_post", args=[post.pk]), {"body": value, "title": value}),
        ("post", reverse("forum:preview"), {"body": value}),
        ("post", reverse("forum:upload"), {"image": value}),
        ("post", reverse("forum:vote", args=[post.pk]), {"action": value}),
        ("post", reverse("forum:accept", args=[post.pk]), {}),
        ("post", reverse("forum:clear_answer", args=[topic.pk]), {}),
        ("post", reverse("forum:draft_article", args=[topic.pk]), {}),
        ("get", reverse("forum:delete_post", args=[post.pk]), {}),
        ("get", reverse("forum:post_history", args=[post.pk]), {}),
        ("get", reverse("forum:reply", args=[topic.pk]), {}),
    ]


@pytest.mark.parametrize("value", NASTY)
@pytest.mark.parametrize("as_member", [False, True], ids=["anonymous", "member"])
def test_no_forum_endpoint_fails_with_a_server_error(world, value, as_member):
    client = Client(raise_request_exception=False)
    if as_member:
        client.force_login(make_member())
    for method, url, data in requests_for(world, value):
        response = getattr(client, method)(url, data, **BROWSER_HEADERS)
        assert response.status_code < 500, (method, url, data.keys(), response.status_code)


@pytest.mark.parametrize("path", ["t/999999/x/", "p/999999/", "u/999999/", "c/nope/", "p/999999/history/", "t/1/"])
def test_missing_things_are_not_found(client, path):
    assert client.get(f"/en/forum/{path}").status_code == 404
