"""A topic whose opening post waits for a moderator says so, in words, where it is listed to the
few who see it (its author and the moderators: the forum's latest topics and its category); every
other reader never sees it listed at all, nor in the search index, nor on its author's page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from forum.models import Post
from forum.search_indexes import TopicIndex
from tests.factories import BROWSER_HEADERS
from tests.factories.forum import make_category, make_topic
from tests.forum.roles import MODERATORS, ROLES, make_reader

pytestmark = pytest.mark.django_db

HELD_TITLE = "Steam wand sputters on first use"
APPROVED_TITLE = "Descaling every month"
BADGE = "Waiting for a moderator"


@pytest.fixture
def category():
    return make_category("Espresso machines")


@pytest.fixture
def topics(category):
    held = make_topic(HELD_TITLE, category=category, posts=2)
    Post.objects.filter(topic=held, position=1).update(is_approved=False)
    approved = make_topic(APPROVED_TITLE, category=category, author=held.author)
    return {"held": held, "approved": approved}


def client_for(user) -> Client:
    client = Client(**BROWSER_HEADERS)
    if user is not None:
        client.force_login(user)
    return client


def row_of(html: str, title: str) -> str | None:
    """The topic row (its <li>) that links to ``title``, or None when it is not listed."""
    for row in re.findall(r'<li class="topic-row.*?</li>', html, flags=re.S):
        if f">{title}</a>" in row:
            return row
    return None


def listings(client, category) -> dict[str, str]:
    pages = {"index": reverse("forum:index"), "category": reverse("forum:category", args=[category.slug])}
    found = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200
        found[name] = response.content.decode()
    return found


def test_the_author_sees_their_held_topic_listed_with_the_badge_in_words_until_it_is_approved(topics, category):
    client = client_for(topics["held"].author)

    for name, html in listings(client, category).items():
        held = row_of(html, HELD_TITLE)
        assert held is not None, name
        badge = re.search(r'<span class="badge badge-pending" data-held-topic>([^<]+)</span>', held)
        assert badge and badge.group(1) == BADGE, name
        assert BADGE not in row_of(html, APPROVED_TITLE), name

    Post.objects.filter(topic=topics["held"], position=1).update(is_approved=True)
    for name, html in listings(client, category).items():
        assert BADGE not in row_of(html, HELD_TITLE), name


@pytest.mark.parametrize("role", ROLES)
def test_only_moderators_among_other_readers_see_the_held_topic_and_then_with_the_badge(role, topics, category):
    pages = listings(client_for(make_reader(role)), category)

    for name, html in pages.items():
        assert row_of(html, APPROVED_TITLE) is not None, name
        assert BADGE not in row_of(html, APPROVED_TITLE), name
        held = row_of(html, HELD_TITLE)
        if role in MODERATORS:
            assert held is not None and BADGE in held, name
        else:
            assert held is None, name
            assert HELD_TITLE not in html, name
    # Nor does search list it, to anyone: held topics stay out of the index until approved.
    assert topics["held"] not in TopicIndex().index_queryset()
    assert topics["approved"] in TopicIndex().index_queryset()


def recent_posts(html: str) -> str:
    """The member page's "Recent posts" section."""
    return html[html.index('id="posts-heading"') :]


def item_of(html: str, title: str) -> str | None:
    for item in re.findall(r"<li>.*?</li>", recent_posts(html), flags=re.S):
        if f">{title}</a>" in item:
            return item
    return None


@pytest.mark.parametrize("role", ROLES)
def test_on_the_authors_page_only_moderators_see_the_held_topics_reply_and_then_with_the_badge(role, topics):
    author = topics["held"].author

    html = client_for(make_reader(role)).get(reverse("forum:member", args=[author.pk])).content.decode()

    assert BADGE not in item_of(html, APPROVED_TITLE)
    if role in MODERATORS:
        held = item_of(html, HELD_TITLE)
        assert held is not None and BADGE in held
    else:
        assert HELD_TITLE not in html


def test_the_author_sees_the_badge_on_their_own_page_too(topics):
    author = topics["held"].author

    html = client_for(author).get(reverse("forum:member", args=[author.pk])).content.decode()

    assert BADGE in item_of(html, HELD_TITLE)
    assert BADGE not in item_of(html, APPROVED_TITLE)
