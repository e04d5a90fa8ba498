"""Members: a suspended member reads but cannot take part anywhere; new members' first posts wait
for a moderator's approval and are invisible at every exit until then; new members' links are
rel="nofollow ugc" and their posts per hour are limited."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from forum import services
from forum.models import Flag, MemberRestriction, MemberStats, ModerationAction, Notification, Post
from forum.permissions import can_view_topic
from forum.search import index_topics
from forum.services import moderation
from forum.services.notifications import watch
from forum.signals import post_created
from kb.search.service import search, suggest
from tests.factories.forum import make_category, make_member, make_moderator, make_topic
from tests.search_helpers import reader

pytestmark = pytest.mark.django_db

Action = ModerationAction.Action


def found(user, query) -> list[str]:
    return [hit.title for hit in search(reader(user), query, language="en").hits]


@pytest.fixture
def moderator():
    return make_moderator()


@pytest.fixture
def suspended(moderator):
    member = make_member()
    moderation.suspend_member(moderator, member, reason="Spamming links")
    return member


@pytest.fixture
def created_posts():
    """Posts announced with post_created during the test."""
    posts = []

    def receiver(sender, post, **kwargs):
        posts.append(post.pk)

    post_created.connect(receiver, weak=False)
    yield posts
    post_created.disconnect(receiver)


# --- Suspension -------------------------------------------------------------------------------


def test_a_suspension_is_logged_with_its_reason_and_end(moderator):
    member = make_member()
    until = timezone.now() + timedelta(days=7)
    moderation.suspend_member(moderator, member, reason="Insults", until=until)
    logged = ModerationAction.objects.get()
    assert (logged.moderator, logged.action, logged.member, logged.reason) == (
        moderator,
        Action.SUSPEND_MEMBER,
        member,
        "Insults",
    )
    assert logged.data["until"] == until.isoformat()


def test_a_suspended_member_cannot_post_reply_edit_vote_or_flag(suspended):
    topic = make_topic(posts=2)
    own_post = services.reply(make_member(), topic, "Before")  # someone else's post to vote on and flag
    Post.objects.filter(pk=own_post.pk).update(author=suspended)
    others = topic.posts.get(position=2)
    attempts = [
        lambda: services.create_topic(suspended, category=make_category(), title="Cheap watches here", body="x"),
        lambda: services.reply(suspended, topic, "More spam"),
        lambda: services.edit_post(suspended, Post.objects.get(pk=own_post.pk), "Edited spam"),
        lambda: services.vote(suspended, others),
        lambda: moderation.flag_post(suspended, others, Flag.Reason.SPAM),
    ]
    for attempt in attempts:
        with pytest.raises(services.NotAllowed) as refused:
            attempt()
        assert refused.value.status == 403
        assert "suspended" in str(refused.value.message) and "Spamming links" in str(refused.value.message)


def test_a_suspended_member_still_reads_the_forum_and_is_told_why_there_is_no_reply_box(suspended, client):
    topic = make_topic()
    client.force_login(suspended)
    assert can_view_topic(suspended, topic)
    response = client.get(topic.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your account is suspended" in html and "Spamming links" in html and 'id="reply-form"' not in html


def test_a_suspended_member_is_refused_at_every_form_with_a_403(suspended, client):
    topic = make_topic(posts=2)
    post = topic.posts.get(position=2)
    client.force_login(suspended)
    responses = [
        client.post(
            reverse("forum:new_topic"), {"category": topic.category.pk, "title": "Cheap watches here", "body": "x"}
        ),
        client.post(reverse("forum:reply", args=[topic.pk]), {"body": "spam"}),
        client.post(reverse("forum:vote", args=[post.pk]), {"action": "vote"}),
        client.post(reverse("forum:flag", args=[post.pk]), {"reason": "spam"}),
    ]
    for response in responses:
        assert response.status_code == 403
        assert "suspended" in response.content.decode()
    assert Post.objects.count() == 2


def test_a_suspension_ends_on_its_date(moderator):
    member = make_member()
    moderation.suspend_member(moderator, member, reason="Cool down", until=timezone.now() + timedelta(days=1))
    with pytest.raises(services.NotAllowed):
        services.reply(member, make_topic(), "Hello")
    MemberRestriction.objects.update(until=timezone.now() - timedelta(seconds=1))
    assert services.reply(member, make_topic(), "Hello again").pk


def test_lifting_a_suspension_lets_the_member_take_part_again(moderator, suspended):
    moderation.unsuspend_member(moderator, suspended, "Apologised")
    assert services.reply(suspended, make_topic(), "Sorry").pk
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        Action.SUSPEND_MEMBER,
        Action.UNSUSPEND_MEMBER,
    ]


def test_lifting_when_there_is_no_suspension_is_refused(moderator):
    with pytest.raises(services.ActionRefused):
        moderation.unsuspend_member(moderator, make_member())


def test_a_new_suspension_replaces_the_one_in_force(moderator, suspended):
    moderation.suspend_member(moderator, suspended, reason="Again", until=timezone.now() + timedelta(days=3))
    assert MemberRestriction.objects.in_force().filter(user=suspended).count() == 1


@pytest.mark.parametrize("case", ["no reason", "past end", "self", "a moderator", "by a member"])
def test_bad_suspensions_are_refused(case, moderator):
    member, reason, until, by = make_member(), "Reason", None, moderator
    if case == "no reason":
        reason = "   "
    elif case == "past end":
        until = timezone.now() - timedelta(days=1)
    elif case == "self":
        member = moderator
    elif case == "a moderator":
        member = make_moderator()
    else:
        by = make_member()
    with pytest.raises(services.ActionRefused):
        moderation.suspend_member(by, member, reason=reason, until=until)
    assert not MemberRestriction.objects.exists()


# --- New members: held posts --------------------------------------------------------------------


@pytest.fixture
def holding(settings):
    settings.FORUM_HOLD_FIRST_POSTS = 2


@pytest.fixture
def newcomer():
    return make_member(display_name="Newcomer")


def test_a_new_members_first_posts_are_held_until_enough_are_approved(holding, newcomer, moderator):
    topic = make_topic()
    first = services.reply(newcomer, topic, "First")
    second = services.reply(newcomer, topic, "Second")
    assert (first.is_approved, second.is_approved) == (False, False)
    moderation.approve_post(moderator, first)
    assert not services.reply(newcomer, topic, "Third").is_approved
    moderation.approve_post(moderator, second)
    assert services.reply(newcomer, topic, "Fourth").is_approved


def test_trusted_members_and_moderators_are_never_held(holding, moderator):
    assert services.reply(moderator, make_topic(), "Moderator note").is_approved
    veteran = make_member()
    veteran.date_joined = timezone.now() - timedelta(days=30)
    veteran.save()
    MemberStats.objects.create(user=veteran, reputation=100)
    assert services.reply(veteran, make_topic(), "Veteran advice").is_approved


def test_a_held_reply_is_invisible_to_others_on_the_topic_page(holding, newcomer, moderator, client):
    topic = make_topic()
    services.reply(newcomer, topic, "Held wombat words")
    assert "Held wombat words" not in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(make_member())
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Held wombat words" not in html and "post-2" not in html
    client.force_login(newcomer)
    assert "Held wombat words" in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(moderator)
    assert "Held wombat words" in client.get(topic.get_absolute_url()).content.decode()


def test_a_held_topic_is_invisible_to_others_everywhere(
    holding, newcomer, moderator, client, django_capture_on_commit_callbacks
):
    category = make_category("Brewing")
    with django_capture_on_commit_callbacks(execute=True):
        topic = services.create_topic(newcomer, category=category, title="Capybara cold brew ratio", body="Held words")
    assert found(None, "capybara cold brew") == [] and found(make_member(), "capybara") == []
    assert suggest(reader(), "capybara", language="en") == []
    assert client.get(topic.get_absolute_url()).status_code == 404
    index = client.get(reverse("forum:index")).content.decode()
    assert "Capybara cold brew ratio" not in index
    assert "Capybara cold brew ratio" not in client.get(category.get_absolute_url()).content.decode()
    assert "0 topics" in client.get(category.get_absolute_url()).content.decode()
    client.force_login(newcomer)
    assert client.get(topic.get_absolute_url()).status_code == 200
    client.force_login(moderator)
    assert client.get(topic.get_absolute_url()).status_code == 200


def test_a_held_post_is_not_counted_announced_or_indexed(
    holding, newcomer, created_posts, django_capture_on_commit_callbacks
):
    topic = make_topic(title="Grinder settings")
    index_topics([topic.pk])  # the topic itself is in the index; the held reply must not join it
    before = topic.last_posted_at
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(newcomer, topic, "Try the okapi setting")
    topic.refresh_from_db()
    assert created_posts == []
    assert topic.last_posted_at == before
    assert not MemberStats.objects.filter(user=newcomer, post_count__gt=0).exists()
    assert found(make_moderator(), "okapi") == []


def test_the_member_page_lists_only_approved_posts(holding, newcomer, client):
    services.reply(newcomer, make_topic(title="Kettle temperatures"), "Held kettle advice")
    assert "Kettle temperatures" not in client.get(reverse("forum:member", args=[newcomer.pk])).content.decode()


def test_approving_a_post_shows_counts_indexes_and_announces_it(
    holding, newcomer, moderator, created_posts, django_capture_on_commit_callbacks, client
):
    topic = make_topic(title="Grinder settings")
    held = services.reply(newcomer, topic, "Try the okapi setting")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve_post(moderator, held)
    assert created_posts == [held.pk]
    assert found(None, "okapi") == ["Grinder settings"]
    assert MemberStats.objects.get(user=newcomer).post_count == 1
    topic.refresh_from_db()
    assert topic.last_posted_at == Post.objects.get(pk=held.pk).created_at
    assert "Try the okapi setting" in client.get(topic.get_absolute_url()).content.decode()
    logged = ModerationAction.objects.get()
    assert (logged.moderator, logged.action, logged.post, logged.member) == (
        moderator,
        Action.APPROVE_POST,
        held,
        newcomer,
    )


def test_approving_a_held_topic_makes_it_public(holding, newcomer, moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        topic = services.create_topic(
            newcomer, category=make_category(), title="Tamarin tamping pressure", body="Words"
        )
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve_post(moderator, topic.posts.get())
    assert can_view_topic(AnonymousUser(), topic)
    assert found(None, "tamarin tamping") == ["Tamarin tamping pressure"]


def test_rejecting_a_held_post_deletes_it_unseen(holding, newcomer, moderator, created_posts):
    held = services.reply(newcomer, make_topic(), "Spam spam")
    moderation.reject_post(moderator, held, "Spam")
    held.refresh_from_db()
    assert held.deleted_at is not None and created_posts == []
    assert ModerationAction.objects.get().action == Action.REJECT_POST


def test_approving_a_post_that_is_not_held_is_refused(moderator):
    with pytest.raises(services.ActionRefused):
        moderation.approve_post(moderator, make_topic().posts.get())


def test_members_cannot_approve_posts(holding, newcomer):
    held = services.reply(newcomer, make_topic(), "Held")
    with pytest.raises(services.NotAllowed):
        moderation.approve_post(make_member(), held)


# --- New members: hourly allowance and links ----------------------------------------------------


@override_settings(FORUM_NEW_MEMBER_POSTS_PER_HOUR=2)
def test_new_members_are_told_to_wait_after_their_hourly_posts(client):
    member = make_member()
    topic = make_topic()
    client.force_login(member)
    for n in range(2):
        assert client.post(reverse("forum:reply", args=[topic.pk]), {"body": f"Reply {n}"}).status_code == 302
    response = client.post(reverse("forum:reply", args=[topic.pk]), {"body": "One too many"})
    assert response.status_code == 429 and "times an hour" in response.content.decode()


def test_links_from_new_members_are_nofollow_ugc():
    post = services.reply(make_member(), make_topic(), "See [my site](https://example.com)")
    assert 'rel="nofollow ugc noopener"' in post.body_html


def test_links_from_trusted_members_are_ugc_only():
    veteran = make_member()
    veteran.date_joined = timezone.now() - timedelta(days=30)
    veteran.save()
    MemberStats.objects.create(user=veteran, reputation=100)
    post = services.reply(veteran, make_topic(), "See [the manual](https://example.com)")
    assert 'rel="ugc noopener"' in post.body_html


def test_watchers_are_notified_of_a_held_reply_only_once_it_is_approved(
    holding, newcomer, moderator, django_capture_on_commit_callbacks
):
    topic = make_topic()
    watcher = make_member()
    watch(watcher, topic)
    with django_capture_on_commit_callbacks(execute=True):
        held = services.reply(newcomer, topic, "Held advice")
    assert not Notification.objects.filter(recipient=watcher).exists()
    with django_capture_on_commit_callbacks() as callbacks:
        moderation.approve_post(moderator, held)
    assert not Notification.objects.filter(recipient=watcher).exists()
    for callback in callbacks:
        callback()
    assert Notification.objects.filter(recipient=watcher, post=held).exists()
