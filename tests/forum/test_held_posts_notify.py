"""A post held for a moderator notifies nobody until it is approved; then it notifies exactly as it
would have when written, and its author hears that it was approved. A rejected post never
notifies anyone. The author sees their held posts' state (on the topic page and on their own
member page); nobody else sees anything of them."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from forum import services
from forum.models import Notification, NotificationPreference
from forum.services import moderation, notifications
from forum.services.errors import ActionRefused
from tests.factories import BROWSER_HEADERS
from tests.factories.forum import make_category, make_member, make_moderator, make_topic

pytestmark = pytest.mark.django_db

HELD_REPLY = "Try the okapi setting"
HELD_QUESTION = "Which kettle for the wombat café?"


@pytest.fixture(autouse=True)
def holding(settings):
    """A new member's first post waits for a moderator."""
    settings.FORUM_HOLD_FIRST_POSTS = 1
    return settings


@pytest.fixture
def topic(asker, holding, after_commit):
    """The asker's question, written before holding began (so the asker watches it)."""
    holding.FORUM_HOLD_FIRST_POSTS = 0
    with after_commit():
        topic = services.create_topic(asker, category=make_category("Coffee"), title="Grinder settings", body="How?")
    holding.FORUM_HOLD_FIRST_POSTS = 1
    return topic


@pytest.fixture
def newcomer():
    return make_member(display_name="Nina Newcomer")


@pytest.fixture
def moderator():
    return make_moderator(display_name="Mona Moderator")


@pytest.fixture
def pushed(monkeypatch):
    """Every live event sent, as (group, event type)."""
    events = []
    monkeypatch.setattr(notifications, "send_event", lambda group, event: events.append((group, event["type"])))
    return events


@pytest.fixture
def held_reply(topic, newcomer, after_commit):
    with after_commit():
        post = services.reply(newcomer, topic, HELD_REPLY)
    assert not post.is_approved
    return post


@pytest.fixture
def held_question(newcomer, after_commit):
    with after_commit():
        topic = services.create_topic(newcomer, category=make_category("Kettles"), title=HELD_QUESTION, body="Hm?")
    assert topic.last_approved_position == 0
    return topic


def received(user) -> list[tuple[str, int | None]]:
    return [(row.kind, row.post.position if row.post else None) for row in Notification.objects.filter(recipient=user)]


def approve(moderator, post, after_commit):
    with after_commit():
        moderation.approve_post(moderator, post)


def browser(user=None) -> Client:
    client = Client(**BROWSER_HEADERS)
    if user is not None:
        client.force_login(user)
    return client


# --- Nothing before approval --------------------------------------------------------------------


def test_a_held_reply_notifies_nobody_before_it_is_approved(topic, asker, newcomer, pushed, after_commit):
    watcher = make_member(display_name="Walter Watcher")
    notifications.watch(watcher, topic)

    with after_commit():
        services.reply(newcomer, topic, "As @[Walter Watcher] said: the okapi setting.")

    assert Notification.objects.count() == 0
    assert pushed == []


def test_editing_a_held_post_to_mention_a_moderator_waits_for_approval_and_then_notifies_once(
    held_reply, newcomer, after_commit
):
    mentioned = make_moderator(display_name="Max Mod")
    with after_commit():
        services.edit_post(newcomer, held_reply, HELD_REPLY + ", says @[Max Mod].")
    assert received(mentioned) == []

    approve(make_moderator(), held_reply, after_commit)

    assert received(mentioned) == [("mention", 2)]


# --- Approval ----------------------------------------------------------------------------------


def test_approving_a_held_reply_notifies_the_topic_author_once_and_tells_its_author(
    topic, asker, newcomer, moderator, held_reply, pushed, after_commit
):
    approve(moderator, held_reply, after_commit)

    assert received(asker) == [("reply", 2)]
    assert received(newcomer) == [("approved", 2)]
    assert received(moderator) == []
    assert Notification.objects.get(recipient=newcomer).actor == moderator
    assert sorted(group for group, _ in pushed) == sorted([f"forum.user.{asker.pk}", f"forum.user.{newcomer.pk}"])


def test_approving_twice_notifies_nobody_twice(topic, asker, newcomer, moderator, held_reply, after_commit):
    approve(moderator, held_reply, after_commit)
    with pytest.raises(ActionRefused), after_commit():
        moderation.approve_post(make_moderator(), held_reply)

    assert Notification.objects.filter(recipient__in=[asker, newcomer]).count() == 2


def test_approving_a_held_question_tells_its_author_and_nobody_else(held_question, newcomer, moderator, after_commit):
    approve(moderator, held_question.posts.get(position=1), after_commit)

    assert received(newcomer) == [("approved", 1)]
    assert Notification.objects.count() == 1


def test_the_author_of_a_held_question_hears_of_replies_to_it(held_question, newcomer, moderator, asker, after_commit):
    with after_commit():
        services.reply(moderator, held_question, "Which model is it?")  # a moderator asks before approving
    approve(moderator, held_question.posts.get(position=1), after_commit)
    make_topic(author=asker)  # an approved post of the asker's own: their replies are not held
    with after_commit():
        services.reply(asker, held_question, "The okapi kettle.")

    assert sorted(received(newcomer)) == [("approved", 1), ("reply", 2), ("reply", 3)]


def test_the_approval_is_emailed_to_an_author_who_opted_in(newcomer, moderator, held_reply, after_commit):
    NotificationPreference.objects.create(user=newcomer, email_on_activity=True)
    mail.outbox.clear()

    approve(moderator, held_reply, after_commit)

    assert [message.to for message in mail.outbox] == [[newcomer.email]]
    assert "was approved" in mail.outbox[0].subject
    assert "approved your reply to “Grinder settings”" in mail.outbox[0].body


def test_the_approval_reads_as_such_in_the_notification_list(newcomer, moderator, held_reply, after_commit):
    approve(moderator, held_reply, after_commit)

    page = browser(newcomer).get(reverse("forum:notifications")).content.decode()

    assert "Your reply to “Grinder settings” was approved" in page


# --- Rejection and hiding ----------------------------------------------------------------------


def test_rejecting_a_held_reply_notifies_nobody(topic, asker, newcomer, moderator, held_reply, pushed, after_commit):
    with after_commit():
        moderation.reject_post(moderator, held_reply, "Spam")

    assert Notification.objects.count() == 0
    assert pushed == []


def test_rejecting_a_held_question_notifies_nobody(held_question, moderator, pushed, after_commit):
    with after_commit():
        moderation.reject_post(moderator, held_question.posts.get(position=1))

    assert Notification.objects.count() == 0
    assert pushed == []


def test_a_held_post_hidden_before_approval_notifies_neither_the_topic_author_nor_its_author(
    topic, asker, newcomer, moderator, held_reply, after_commit
):
    with after_commit():
        moderation.hide_post(moderator, held_reply)
    approve(moderator, held_reply, after_commit)

    assert received(asker) == []
    assert received(newcomer) == []


# --- What the member sees ------------------------------------------------------------------------


def test_the_author_sees_their_held_reply_waiting_for_a_moderator(topic, newcomer, held_reply):
    page = browser(newcomer).get(topic.get_absolute_url()).content.decode()

    assert HELD_REPLY in page
    assert "Waiting for a moderator" in page


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_nobody_else_sees_anything_of_a_held_reply(topic, held_reply, who):
    page = browser(None if who == "anonymous" else make_member()).get(topic.get_absolute_url()).content.decode()

    assert HELD_REPLY not in page
    assert "Waiting for a moderator" not in page


def test_moderators_see_the_held_reply_waiting(topic, held_reply, moderator):
    page = browser(moderator).get(topic.get_absolute_url()).content.decode()

    assert HELD_REPLY in page
    assert "Waiting for a moderator" in page


def test_the_member_page_lists_the_members_own_held_posts_to_them(newcomer, held_reply, held_question):
    page = browser(newcomer).get(reverse("forum:member", args=[newcomer.pk])).content.decode()

    assert 'id="held-posts"' in page
    assert "Grinder settings" in page
    assert HELD_QUESTION in page


@pytest.mark.parametrize("who", ["anonymous", "member", "moderator"])
def test_nobody_else_sees_a_members_held_posts_on_their_page(newcomer, held_reply, held_question, who):
    reader = {"anonymous": None, "member": make_member(), "moderator": make_moderator()}[who]

    page = browser(reader).get(reverse("forum:member", args=[newcomer.pk])).content.decode()

    assert 'id="held-posts"' not in page
    assert HELD_QUESTION not in page


def test_an_approved_post_leaves_the_members_waiting_list(newcomer, moderator, held_reply, after_commit):
    approve(moderator, held_reply, after_commit)

    page = browser(newcomer).get(reverse("forum:member", args=[newcomer.pk])).content.decode()

    assert "None of your posts is waiting for a moderator." in page


def test_posting_a_held_reply_says_it_waits_for_a_moderator(topic, newcomer):
    client = browser(newcomer)

    response = client.post(reverse("forum:reply", args=[topic.pk]), {"body": HELD_REPLY}, follow=True)

    assert "is waiting for a moderator" in response.content.decode()
