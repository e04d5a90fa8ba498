"""Writing in the forum: topics, replies at the next position, edits with history, deletion rules,
locked topics, the new members' hourly allowance, and signals only after commit."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from forum import services
from forum.models import MemberStats, Post, PostRevision
from forum.signals import post_created, post_edited, topic_changed
from tests.factories.forum import make_category, make_group, make_member, make_moderator, make_topic

pytestmark = pytest.mark.django_db

SIGNALS = {"post_created": post_created, "post_edited": post_edited, "topic_changed": topic_changed}


@pytest.fixture
def received():
    """Every forum signal sent during the test, as (signal name, kwargs)."""
    calls = []
    receivers = {}
    for name, signal in SIGNALS.items():
        receivers[name] = lambda sender, name=name, **kwargs: calls.append((name, kwargs))
        signal.connect(receivers[name], weak=False)
    yield calls
    for name, signal in SIGNALS.items():
        signal.disconnect(receivers[name])


def test_a_new_topic_has_its_opening_post_at_position_one():
    member = make_member()
    topic = services.create_topic(member, category=make_category(), title="How do I descale?", body="Details **here**")
    post = topic.posts.get()
    assert (post.position, topic.post_count, post.author) == (1, 1, member)
    assert post.body_html == "<p>Details <strong>here</strong></p>"


def test_replies_take_the_next_positions():
    topic = make_topic(posts=3)
    first = services.reply(make_member(), topic, "Fourth")
    second = services.reply(make_member(), topic, "Fifth")
    assert (first.position, second.position) == (4, 5)
    topic.refresh_from_db()
    assert topic.post_count == 5 and topic.reply_count == 4


def test_anonymous_visitors_cannot_post():
    with pytest.raises(services.NotAllowed):
        services.reply(AnonymousUser(), make_topic(), "Hello")


def test_an_outsider_cannot_post_in_a_restricted_category():
    category = make_category(restricted_to=[make_group()])
    with pytest.raises(services.NotAllowed):
        services.create_topic(make_member(), category=category, title="Secret plans here", body="x")
    with pytest.raises(services.NotAllowed):
        services.reply(make_member(), make_topic(category=category), "x")


def test_a_locked_topic_takes_replies_only_from_moderators():
    topic = make_topic(is_locked=True)
    with pytest.raises(services.NotAllowed):
        services.reply(make_member(), topic, "Me too")
    assert services.reply(make_moderator(), topic, "Closing note").position == 2


@pytest.mark.parametrize(
    ("title", "body"), [("Short", "Fine body"), ("A good long title", ""), ("A good long title", "x\x00y")]
)
def test_bad_input_is_refused_with_a_message(title, body):
    with pytest.raises(services.ActionRefused) as refused:
        services.create_topic(make_member(), category=make_category(), title=title, body=body)
    assert refused.value.status == 400 and str(refused.value.message)


def test_editing_keeps_the_original_and_every_version():
    topic = make_topic(posts=1, body="Original")
    post = topic.posts.get()
    author = topic.author
    services.edit_post(author, post, "Second version")
    services.edit_post(author, post, "Third version")
    versions = list(PostRevision.objects.filter(post=post).values_list("body_markdown", flat=True))
    assert versions == ["Original (1)", "Second version", "Third version"]
    post.refresh_from_db()
    assert post.body_html == "<p>Third version</p>" and post.edited_at is not None


def test_an_edit_that_changes_nothing_records_nothing():
    post = make_topic().posts.get()
    services.edit_post(post.author, post, post.body_markdown)
    assert not PostRevision.objects.exists()


def test_editing_the_opening_post_can_retitle_the_topic():
    topic = make_topic(title="Old title here")
    services.edit_post(topic.author, topic.posts.get(), "Body", title="A better title")
    topic.refresh_from_db()
    assert (topic.title, topic.slug) == ("A better title", "a-better-title")


def test_members_cannot_edit_other_peoples_posts_but_moderators_can():
    post = make_topic().posts.get()
    with pytest.raises(services.NotAllowed):
        services.edit_post(make_member(), post, "Vandalism")
    services.edit_post(make_moderator(), post, "Tidied")
    assert PostRevision.objects.filter(post=post).count() == 2


def test_an_author_may_delete_a_reply_within_the_window():
    topic = make_topic(posts=1)
    reply = services.reply(topic.author, topic, "Oops")
    services.delete_post(topic.author, reply)
    reply.refresh_from_db()
    assert reply.deleted_at is not None and reply.position == 2


def test_an_author_may_not_delete_after_the_window():
    topic = make_topic(posts=2)
    old = topic.posts.get(position=2)
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    old.refresh_from_db()
    with pytest.raises(services.NotAllowed):
        services.delete_post(old.author, old)


def test_the_opening_post_can_be_deleted_by_its_author_only_before_replies():
    topic = make_topic(posts=2)
    with pytest.raises(services.NotAllowed):
        services.delete_post(topic.author, topic.posts.get(position=1))
    lonely = make_topic(posts=1)
    services.delete_post(lonely.author, lonely.posts.get())
    lonely.refresh_from_db()
    assert lonely.deleted_at is not None


def test_moderators_can_always_delete():
    topic = make_topic(posts=2)
    services.delete_post(make_moderator(), topic.posts.get(position=1))
    topic.refresh_from_db()
    assert topic.deleted_at is not None


def test_deleting_the_accepted_answer_clears_it_and_its_reputation():
    topic = make_topic(posts=1)
    answerer = make_member()
    answer = services.reply(answerer, topic, "Try this")
    services.accept_answer(topic.author, answer)
    services.delete_post(answerer, answer)
    topic.refresh_from_db()
    assert topic.accepted_answer is None
    assert MemberStats.objects.get(user=answerer).reputation == 0


@override_settings(FORUM_NEW_MEMBER_POSTS_PER_HOUR=3)
def test_new_members_may_post_only_so_often_an_hour():
    member = make_member()
    topic = make_topic()
    for n in range(3):
        services.reply(member, topic, f"Reply {n}")
    with pytest.raises(services.TooManyPosts) as refused:
        services.reply(member, topic, "One too many")
    assert refused.value.status == 429


@override_settings(FORUM_NEW_MEMBER_POSTS_PER_HOUR=1)
def test_moderators_have_no_hourly_allowance():
    moderator = make_moderator()
    topic = make_topic()
    services.reply(moderator, topic, "One")
    services.reply(moderator, topic, "Two")


def test_signals_are_sent_after_the_transaction_commits(received, django_capture_on_commit_callbacks):
    topic = make_topic()
    with django_capture_on_commit_callbacks() as callbacks:
        post = services.reply(make_member(), topic, "Hello")
        assert received == []
    for callback in callbacks:
        callback()
    assert ("post_created", {"signal": post_created, "post": post}) in received


def test_a_rolled_back_reply_sends_nothing(received, django_capture_on_commit_callbacks):
    topic = make_topic()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.reply(make_member(), topic, "Never happened")
                raise RuntimeError
        except RuntimeError:
            pass
    assert received == []
    assert topic.posts.count() == 1


def test_edit_and_delete_announce_the_post(received, django_capture_on_commit_callbacks):
    topic = make_topic(posts=1)
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.reply(topic.author, topic, "First")
        services.edit_post(topic.author, reply, "Changed")
        services.delete_post(topic.author, reply)
    assert [name for name, _kwargs in received] == ["post_created", "post_edited", "post_edited"]


def test_a_failing_receiver_does_not_break_the_reply(django_capture_on_commit_callbacks):
    def broken(sender, **kwargs):
        raise RuntimeError("receiver down")

    post_created.connect(broken, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            post = services.reply(make_member(), make_topic(), "Still posted")
    finally:
        post_created.disconnect(broken)
    assert Post.objects.filter(pk=post.pk).exists()


def test_a_mention_of_a_member_links_their_forum_page():
    mentioned = make_member(display_name="Casey Customer")
    post = services.reply(make_member(), make_topic(), "Thanks @[Casey Customer], and @Nobody too")
    assert f'href="/en/forum/u/{mentioned.pk}/"' in post.body_html
    assert "@Nobody" in post.body_html and post.body_html.count("<a") == 1
