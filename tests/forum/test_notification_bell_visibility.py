"""The bell counts only notifications the member may open now, and agrees with the list.

A notification about a post since hidden, deleted or held, or about a topic since hidden or moved
into a category the member cannot enter, leaves the bell, its live updates, the list and the
"mark as read" answer at once; moderators keep those about what they still see. Both pages cost
the same number of queries however many notifications there are.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services
from forum.models import Notification, Post
from forum.services import moderation, notifications
from tests.factories.forum import make_category, make_group, make_member, make_moderator, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return make_moderator()


@pytest.fixture
def topic(asker, after_commit):
    with after_commit():
        return services.create_topic(asker, category=make_category("Coffee"), title="Descaling", body="How often?")


def replies(topic, count, after_commit) -> list[Post]:
    """``count`` replies by one helper: each notifies the topic's watchers."""
    helper = make_member()
    posts = []
    for number in range(count):
        with after_commit():
            posts.append(services.reply(helper, topic, f"Try citric acid, take {number}."))
    return posts


def bell(client) -> str:
    """The bell's label on the forum index, as a screen reader announces it."""
    html = client.get(reverse("forum:index")).content.decode()
    return html.split('class="notification-bell"')[1].split('aria-label="')[1].split('"')[0]


def listed_positions(client) -> list[int]:
    response = client.get(reverse("forum:notifications"))
    return [row.post.position for row in response.context["notifications"]]


def make_post_unseen(change, post, moderator):
    if change == "hidden":
        moderation.hide_post(moderator, post)
    elif change == "deleted":
        services.delete_post(moderator, post)
    else:  # held: written straight, as no service puts an approved post back in the queue
        Post.objects.filter(pk=post.pk).update(is_approved=False)


@pytest.mark.parametrize(("change", "moderator_still_sees"), [("hidden", True), ("deleted", False), ("held", True)])
def test_a_notification_about_a_post_since_hidden_deleted_or_held_leaves_the_bell_and_the_list(
    client, topic, asker, moderator, after_commit, change, moderator_still_sees
):
    notifications.watch(moderator, topic)
    first, second, third = replies(topic, 3, after_commit)

    make_post_unseen(change, second, moderator)

    client.force_login(asker)
    assert bell(client) == "Notifications: 2 unread"
    assert listed_positions(client) == [4, 2]
    assert notifications.unread_count(asker) == 2
    unseen = Notification.objects.get(recipient=asker, post=second)
    assert client.get(reverse("forum:open_notification", args=[unseen.pk])).status_code == 404
    answer = client.post(
        reverse("forum:notifications_read"),
        {"notification": Notification.objects.get(recipient=asker, post=first).pk},
        HTTP_ACCEPT="application/json",
    )
    assert answer.json() == {"unread": 1}

    client.force_login(moderator)
    expected = 3 if moderator_still_sees else 2
    assert bell(client) == f"Notifications: {expected} unread"
    assert len(listed_positions(client)) == expected


def test_after_a_move_into_a_restricted_category_only_those_who_may_enter_it_count_its_notifications(
    client, topic, moderator, after_commit
):
    insiders = make_group("Insiders")
    outsider, insider = make_member(), make_member(insiders)
    for watcher in (outsider, insider, moderator):
        notifications.watch(watcher, topic)
    replies(topic, 1, after_commit)

    moderation.move_topic(moderator, topic, make_category("Council", restricted_to=[insiders]))

    labels, lists = {}, {}
    for name, member in {"outsider": outsider, "insider": insider, "moderator": moderator}.items():
        client.force_login(member)
        labels[name], lists[name] = bell(client), listed_positions(client)
    assert labels == {
        "outsider": "Notifications",
        "insider": "Notifications: 1 unread",
        "moderator": "Notifications",
    }
    # A moderator outside the restricting group is outside it like any member.
    assert lists == {"outsider": [], "insider": [2], "moderator": []}
    client.logout()
    assert "notification-bell" not in client.get(reverse("forum:index")).content.decode()


def test_the_live_bell_count_leaves_out_notifications_the_member_can_no_longer_see(
    topic, asker, moderator, after_commit, monkeypatch
):
    first, second = replies(topic, 2, after_commit)
    moderation.hide_post(moderator, first)
    pushed = []
    monkeypatch.setattr("forum.services.notifications.send_event", lambda group, event: pushed.append((group, event)))

    replies(topic, 1, after_commit)

    to_asker = [event for group, event in pushed if group == f"forum.user.{asker.pk}"]
    assert [(event["type"], event["unread"]) for event in to_asker] == [("notification.created", 2)]


def make_notifications(recipient, topic, visible: int, unseen: int):
    """``visible`` notifications about a reply the member can read; ``unseen`` ones, half about a
    hidden reply and half about a hidden topic."""
    actor = make_member()
    readable, hidden = Post.objects.filter(topic=topic, position__in=[2, 3]).order_by("position")
    Post.objects.filter(pk=hidden.pk).update(is_hidden=True)
    gone = make_topic("Hidden topic", posts=2, is_hidden=True)
    about = [(topic, readable)] * visible + [(topic, hidden), (gone, gone.posts.last())] * (unseen // 2)
    Notification.objects.bulk_create(
        [Notification(recipient=recipient, kind="reply", topic=where, post=post, actor=actor) for where, post in about]
    )


def test_the_bell_and_the_list_agree_in_the_same_number_of_queries_for_few_and_many(
    client, django_assert_max_num_queries
):
    few, many = make_member(), make_member()
    topic = make_topic("Descaling", posts=3)
    make_notifications(few, topic, visible=3, unseen=2)
    make_notifications(many, topic, visible=60, unseen=30)
    counts = []
    for member, expected in ((few, 3), (many, 60)):
        client.force_login(member)
        client.get(reverse("forum:notifications"))  # warm caches (site root)
        # 10: one of them reads the member's groups for the council's access check.
        with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("forum:notifications"))
        counts.append(len(queries))
        html = response.content.decode()
        assert f"Notifications: {expected} unread" in html and f"{expected} notifications" in html
        with django_assert_max_num_queries(10):
            assert bell(client) == f"Notifications: {expected} unread"
    assert counts[0] == counts[1]
