"""A reply held for approval is not counted and adds no page for readers who cannot see it.

The reply count everywhere (topic page, topic rows, the index's post totals) is of the replies
everyone who opens the topic reads; the pages end at the last post the reader sees, so nobody is
sent to an empty last page. The held reply's author and the moderators still find it on its page.
"""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from forum import services
from forum.models import Post, Topic
from forum.services import moderation
from tests.factories.forum import make_category, make_group, make_member, make_moderator, make_topic

pytestmark = pytest.mark.django_db

HELD_TEXT = "Held wombat advice"


@pytest.fixture(autouse=True)
def holding(settings):
    """New members' first post waits for a moderator."""
    settings.FORUM_HOLD_FIRST_POSTS = 1


@pytest.fixture
def newcomer():
    return make_member(display_name="Newcomer")


@pytest.fixture
def moderator():
    return make_moderator()


@pytest.fixture
def category():
    return make_category("Coffee")


@pytest.fixture
def topic(category):
    """A full first page: the opening post and 19 replies."""
    return make_topic("Grinder settings", category=category, posts=20)


@pytest.fixture
def held(topic, newcomer):
    """The newcomer's reply at position 21, the first of page 2, waiting for approval."""
    post = services.reply(newcomer, topic, HELD_TEXT)
    assert (post.position, post.is_approved) == (21, False)
    return post


def log_in(client, reader):
    if reader is not None:
        client.force_login(reader)
    return client


def page(client, topic, number=1):
    return client.get(topic.get_absolute_url(), {"page": number})


@pytest.fixture(params=["anonymous", "member"])
def reader(request):
    """Someone who cannot see the held reply: a visitor, or a logged-in member who did not write it."""
    return None if request.param == "anonymous" else make_member()


def test_a_held_reply_is_left_out_of_every_reply_count(client, reader, topic, category, held):
    log_in(client, reader)

    topic_page = page(client, topic).content.decode()
    category_page = client.get(category.get_absolute_url()).content.decode()
    index = client.get(reverse("forum:index"))

    assert "19 replies" in topic_page and "20 replies" not in topic_page
    assert "<dt>Replies</dt><dd>19</dd>" in category_page
    assert [(listed.name, listed.post_total) for listed in index.context["categories"]] == [("Coffee", 20)]
    assert "20 posts" in index.content.decode()


def test_a_held_reply_adds_no_page_for_readers_who_cannot_see_it(client, reader, topic, held):
    log_in(client, reader)

    second, first = page(client, topic, 2), page(client, topic)
    html = first.content.decode()

    assert second.status_code == 404
    assert 'href="?page=2"' not in html and 'rel="next"' not in html
    assert 'data-last-position="20"' in html  # the live page counts its pages from here


def test_a_held_reply_gets_a_page_only_for_its_author_and_the_moderators(client, topic, held, newcomer, moderator):
    readers = {"anonymous": None, "member": make_member(), "author": newcomer, "moderator": moderator}
    statuses, links = {}, {}
    for name, reader in readers.items():
        client.logout()
        log_in(client, reader)
        second = page(client, topic, 2)
        statuses[name] = (second.status_code, HELD_TEXT in second.content.decode())
        links[name] = 'href="?page=2"' in page(client, topic).content.decode()

    assert statuses == {
        "anonymous": (404, False),
        "member": (404, False),
        "author": (200, True),
        "moderator": (200, True),
    }
    assert links == {"anonymous": False, "member": False, "author": True, "moderator": True}


def test_a_held_reply_does_not_mark_the_topic_as_having_new_posts(client, category, topic, held):
    member = make_member()
    client.force_login(member)
    page(client, topic)  # read up to position 20

    assert "New posts" not in client.get(category.get_absolute_url()).content.decode()


def test_a_member_of_a_restricted_category_counts_only_the_replies_they_can_read(client, newcomer):
    insiders = make_group("Insiders")
    newcomer.groups.add(insiders)
    topic = make_topic(category=make_category("Council", restricted_to=[insiders]), posts=20)
    services.reply(newcomer, topic, HELD_TEXT)
    client.force_login(make_member(insiders))

    assert "19 replies" in page(client, topic).content.decode()
    assert page(client, topic, 2).status_code == 404


def test_approving_a_held_reply_counts_it_and_opens_its_page_to_everyone(client, topic, held, moderator):
    assert (page(client, topic, 2).status_code, Topic.objects.get(pk=topic.pk).reply_count) == (404, 19)

    moderation.approve_post(moderator, held)

    assert Topic.objects.get(pk=topic.pk).reply_count == 20
    assert "20 replies" in page(client, topic).content.decode()
    assert HELD_TEXT in page(client, topic, 2).content.decode()


def test_rejecting_a_held_reply_leaves_no_page_behind_even_for_moderators(client, topic, held, moderator):
    moderation.reject_post(moderator, held, "Spam")

    assert Topic.objects.get(pk=topic.pk).reply_count == 19
    for reader in (None, make_member(), moderator):
        client.logout()
        assert page(log_in(client, reader), topic, 2).status_code == 404


def test_a_hidden_or_deleted_reply_leaves_the_count_but_keeps_its_place(client, topic, moderator):
    third, fourth = Post.objects.filter(topic=topic, position__in=[3, 4]).order_by("position")

    moderation.hide_post(moderator, third)
    services.delete_post(moderator, fourth)

    assert Topic.objects.get(pk=topic.pk).reply_count == 17
    assert "17 replies" in page(client, topic).content.decode()
    moderation.unhide_post(moderator, Post.objects.get(pk=third.pk))
    assert Topic.objects.get(pk=topic.pk).reply_count == 18


def test_a_held_reply_hidden_before_approval_counts_only_once_unhidden(topic, held, moderator):
    moderation.hide_post(moderator, held)
    moderation.approve_post(moderator, Post.objects.get(pk=held.pk))
    assert Topic.objects.get(pk=topic.pk).reply_count == 19

    moderation.unhide_post(moderator, Post.objects.get(pk=held.pk))
    assert Topic.objects.get(pk=topic.pk).reply_count == 20


def test_a_merge_counts_only_the_replies_everyone_reads(client, category, held, topic, moderator):
    target = make_topic("Grinder settings, again", category=category, posts=3)

    moderation.merge_topics(moderator, topic, target)

    target.refresh_from_db()
    assert (target.post_count, target.reply_count, target.last_approved_position) == (24, 22, 24)
    assert "22 replies" in page(client, target).content.decode()


def test_the_migration_recounts_the_replies_and_pages_of_existing_topics(topic, held, moderator):
    hidden = Post.objects.get(topic=topic, position=5)
    moderation.hide_post(moderator, hidden)
    Topic.objects.filter(pk=topic.pk).update(reply_count=0, last_approved_position=0)
    migration = importlib.import_module("forum.migrations.0004_topic_visible_reply_counts")

    migration.recount(apps, schema_editor=None)

    topic.refresh_from_db()
    assert (topic.post_count, topic.reply_count, topic.last_approved_position) == (21, 18, 20)


def test_the_topics_live_readers_hear_of_a_held_reply_only_once_it_is_approved(
    topic, held, newcomer, moderator, monkeypatch, django_capture_on_commit_callbacks
):
    events = []
    monkeypatch.setattr("forum.live.send_event", lambda group, event: events.append((group, event)))

    with django_capture_on_commit_callbacks(execute=True):
        services.edit_post(newcomer, held, f"{HELD_TEXT}, edited")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve_post(moderator, Post.objects.get(pk=held.pk))

    to_readers = [(event["type"], event["position"]) for group, event in events if group == f"forum.topic.{topic.pk}"]
    assert to_readers == [("post.created", 21)]
