"""Members flag posts with a reason; one open flag per member and post, a few an hour; enough
different members hide a post until a moderator reviews it; moderators dismiss or act, and every
decision lands in the audit log."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from forum import services
from forum.models import Flag, ModerationAction, Post
from forum.services import moderation
from kb.search.service import search
from tests.factories.forum import make_category, make_member, make_moderator, make_topic
from tests.search_helpers import reader

pytestmark = pytest.mark.django_db

Action = ModerationAction.Action


@pytest.fixture
def reply():
    """A reply by a member in a public topic."""
    topic = make_topic(posts=1)
    return services.reply(make_member(), topic, "Buy cheap watches at example.com")


def test_a_member_flags_a_post_with_a_reason_and_a_note(reply):
    member = make_member()
    flag = moderation.flag_post(member, reply, Flag.Reason.SPAM, "  Selling   watches  ")
    assert (flag.post, flag.flagger, flag.reason, flag.note, flag.is_open) == (
        reply,
        member,
        "spam",
        "Selling watches",
        True,
    )


def test_flagging_the_same_post_twice_says_it_is_already_flagged(reply):
    member = make_member()
    moderation.flag_post(member, reply, Flag.Reason.SPAM)
    with pytest.raises(services.ActionRefused) as refused:
        moderation.flag_post(member, reply, Flag.Reason.ABUSE)
    assert refused.value.status == 409 and "already flagged" in str(refused.value.message)
    assert Flag.objects.count() == 1


def test_a_member_may_flag_again_after_a_moderator_reviewed_the_first_flag(reply):
    member = make_member()
    moderation.flag_post(member, reply, Flag.Reason.SPAM)
    moderation.dismiss_flags(make_moderator(), reply)
    moderation.flag_post(member, reply, Flag.Reason.OFF_TOPIC)
    assert Flag.objects.filter(post=reply, resolved_at__isnull=True).count() == 1


@pytest.mark.parametrize("reason", ["", "nonsense", None])
def test_a_flag_needs_a_known_reason(reply, reason):
    with pytest.raises(services.ActionRefused):
        moderation.flag_post(make_member(), reply, reason)


def test_a_note_longer_than_500_characters_is_refused(reply):
    with pytest.raises(services.ActionRefused) as refused:
        moderation.flag_post(make_member(), reply, Flag.Reason.OTHER, "x" * 501)
    assert "500" in str(refused.value.message)
    moderation.flag_post(make_member(), reply, Flag.Reason.OTHER, "x" * 500)


def test_nobody_flags_their_own_post(reply):
    with pytest.raises(services.ActionRefused):
        moderation.flag_post(reply.author, reply, Flag.Reason.SPAM)


def test_anonymous_visitors_cannot_flag(reply):
    with pytest.raises(services.NotAllowed):
        moderation.flag_post(AnonymousUser(), reply, Flag.Reason.SPAM)


def test_a_post_the_member_cannot_see_cannot_be_flagged(reply):
    moderation.hide_post(make_moderator(), reply)
    reply.refresh_from_db()
    with pytest.raises(services.NotAllowed):
        moderation.flag_post(make_member(), reply, Flag.Reason.SPAM)


@override_settings(FORUM_FLAGS_PER_HOUR=2)
def test_members_may_flag_only_so_many_posts_an_hour():
    member = make_member()
    posts = list(make_topic(posts=3, author=make_member()).posts.all())
    moderation.flag_post(member, posts[0], Flag.Reason.SPAM)
    moderation.flag_post(member, posts[1], Flag.Reason.SPAM)
    with pytest.raises(services.ActionRefused) as refused:
        moderation.flag_post(member, posts[2], Flag.Reason.SPAM)
    assert refused.value.status == 429


@override_settings(FORUM_AUTO_HIDE_FLAGS=3)
def test_a_post_flagged_by_three_members_is_hidden_until_reviewed(reply, django_capture_on_commit_callbacks):
    moderation.flag_post(make_member(), reply, Flag.Reason.SPAM)
    moderation.flag_post(make_member(), reply, Flag.Reason.ABUSE)
    assert not Post.objects.get(pk=reply.pk).is_hidden
    with django_capture_on_commit_callbacks(execute=True):
        moderation.flag_post(make_member(), reply, Flag.Reason.SPAM)
    assert Post.objects.get(pk=reply.pk).is_hidden
    logged = ModerationAction.objects.get()
    assert (logged.action, logged.moderator, logged.post, logged.member) == (
        Action.AUTO_HIDE_POST,
        None,
        reply,
        reply.author,
    )


@override_settings(FORUM_AUTO_HIDE_FLAGS=2)
def test_dismissing_the_flags_of_an_auto_hidden_post_shows_it_again(reply):
    moderation.flag_post(make_member(), reply, Flag.Reason.SPAM)
    moderation.flag_post(make_member(), reply, Flag.Reason.SPAM)
    reply.refresh_from_db()
    moderator = make_moderator()
    assert moderation.dismiss_flags(moderator, reply, "Not spam, a real shop") == 2
    reply.refresh_from_db()
    assert not reply.is_hidden
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    assert set(Flag.objects.values_list("resolution", "resolved_by")) == {(Flag.Resolution.DISMISSED, moderator.pk)}
    logged = ModerationAction.objects.filter(moderator=moderator).get()
    assert (logged.action, logged.reason, logged.data["unhidden"]) == (
        Action.DISMISS_FLAGS,
        "Not spam, a real shop",
        True,
    )


def test_dismissing_leaves_a_post_a_moderator_hid_hidden(reply):
    moderator = make_moderator()
    moderation.hide_post(moderator, reply)
    Flag.objects.create(post=reply, flagger=make_member(), reason=Flag.Reason.SPAM)
    moderation.dismiss_flags(moderator, reply)
    reply.refresh_from_db()
    assert reply.is_hidden


def test_dismissing_a_post_without_open_flags_is_refused(reply):
    with pytest.raises(services.ActionRefused):
        moderation.dismiss_flags(make_moderator(), reply)


def test_hiding_a_flagged_post_resolves_its_flags_and_logs_the_moderator(reply, django_capture_on_commit_callbacks):
    topic = reply.topic
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(make_member(), topic, "Ordinary words about grinders")
    assert [hit.title for hit in search(reader(), "watches", language="en").hits] == [topic.title]
    moderation.flag_post(make_member(), reply, Flag.Reason.SPAM)
    moderator = make_moderator()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.hide_post(moderator, reply, "Advertising")
    reply.refresh_from_db()
    assert reply.is_hidden
    assert Flag.objects.get().resolution == Flag.Resolution.POST_HIDDEN
    logged = ModerationAction.objects.get()
    assert (logged.moderator, logged.action, logged.topic, logged.post, logged.member, logged.reason) == (
        moderator, Action.HIDE_POST, topic, reply, reply.author, "Advertising"
    )  # fmt: skip
    assert logged.created_at is not None
    assert search(reader(), "watches", language="en").hits == []


def test_hiding_the_topic_resolves_the_flags_on_all_its_posts(reply):
    other = reply.topic.posts.get(position=1)
    moderation.flag_post(make_member(), reply, Flag.Reason.SPAM)
    moderation.flag_post(make_member(), other, Flag.Reason.OFF_TOPIC)
    moderation.hide_topic(make_moderator(), reply.topic)
    assert set(Flag.objects.values_list("resolution", flat=True)) == {Flag.Resolution.TOPIC_HIDDEN}


def test_members_cannot_review_flags(reply):
    moderation.flag_post(make_member(), reply, Flag.Reason.SPAM)
    for act in (moderation.dismiss_flags, moderation.hide_post):
        with pytest.raises(services.NotAllowed):
            act(make_member(), reply)
    assert not ModerationAction.objects.exists()


def test_the_queue_groups_open_flags_by_post_most_flagged_first():
    topic = make_topic(posts=3)
    first, second, third = topic.posts.order_by("position")
    moderation.flag_post(make_member(), second, Flag.Reason.SPAM)
    for reason in (Flag.Reason.SPAM, Flag.Reason.ABUSE):
        moderation.flag_post(make_member(), third, reason)
    moderation.flag_post(make_member(), first, Flag.Reason.OTHER)
    moderation.dismiss_flags(make_moderator(), first)
    queue = list(moderation.flagged_posts(make_moderator()))
    assert [(post.pk, post.open_flag_count, post.flagger_count) for post in queue] == [
        (third.pk, 2, 2),
        (second.pk, 1, 1),
    ]
    assert sorted(flag.reason for flag in queue[0].open_flags) == ["abuse", "spam"]


@override_settings(FORUM_AUTO_HIDE_FLAGS=2)
def test_an_opening_post_flagged_by_enough_members_hides_its_topic_until_the_flags_are_dismissed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = services.create_topic(make_member(), category=make_category(), title="Replica watches sale", body="Buy")
    opening = topic.posts.get()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.flag_post(make_member(), opening, Flag.Reason.SPAM)
        moderation.flag_post(make_member(), opening, Flag.Reason.SPAM)
    topic.refresh_from_db()
    assert topic.is_hidden and Post.objects.get(pk=opening.pk).is_hidden
    assert search(reader(), "replica watches", language="en").hits == []
    opening.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.dismiss_flags(make_moderator(), opening)
    topic.refresh_from_db()
    assert not topic.is_hidden and not Post.objects.get(pk=opening.pk).is_hidden
    assert [hit.title for hit in search(reader(), "replica watches", language="en").hits] == ["Replica watches sale"]
