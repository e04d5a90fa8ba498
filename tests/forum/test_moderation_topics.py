"""Moderator tools on topics: hide, lock and pin (and back), move to another category with
search and notifications following the new audience, and merge one topic into another with
positions renumbered in the order the posts were written."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from haystack.query import SearchQuerySet

from forum import services
from forum.models import ModerationAction, Notification, Post, Topic, TopicRedirect
from forum.permissions import can_view_topic
from forum.search import index_topics
from forum.services import moderation
from forum.services.notifications import watch
from forum.signals import topic_changed
from kb.search.service import search, suggest
from tests.factories.forum import make_category, make_group, make_member, make_moderator, make_topic
from tests.search_helpers import reader

pytestmark = pytest.mark.django_db

Action = ModerationAction.Action


def found(user, query) -> list[str]:
    return [hit.title for hit in search(reader(user), query, language="en").hits]


def suggested(user, query) -> list[str]:
    return [hit.title for hit in suggest(reader(user), query, language="en")]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service call with its after-commit work (index updates, signals) done at the end."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


@pytest.fixture
def changed_topics():
    """Topics announced with topic_changed during the test."""
    topics = []

    def receiver(sender, topic, **kwargs):
        topics.append(topic.pk)

    topic_changed.connect(receiver, weak=False)
    yield topics
    topic_changed.disconnect(receiver)


@pytest.fixture
def moderator():
    return make_moderator()


@pytest.fixture
def asked(committed):
    def ask(title, *, category=None, author=None):
        return committed(
            services.create_topic,
            author or make_member(),
            category=category or make_category(),
            title=title,
            body="Details.",
        )

    return ask


@pytest.mark.parametrize(
    ("tool", "field", "before", "after", "action"),
    [
        ("hide", "is_hidden", False, True, Action.HIDE_TOPIC),
        ("unhide", "is_hidden", True, False, Action.UNHIDE_TOPIC),
        ("lock", "is_locked", False, True, Action.LOCK_TOPIC),
        ("unlock", "is_locked", True, False, Action.UNLOCK_TOPIC),
        ("pin", "is_pinned", False, True, Action.PIN_TOPIC),
        ("unpin", "is_pinned", True, False, Action.UNPIN_TOPIC),
    ],
)
def test_each_topic_tool_changes_the_topic_logs_it_and_announces_it(
    tool, field, before, after, action, moderator, committed, changed_topics
):
    topic = make_topic(**{field: before})
    committed(moderation.set_topic_state, moderator, topic, tool, "Because")
    assert getattr(Topic.objects.get(pk=topic.pk), field) is after
    logged = ModerationAction.objects.get()
    assert (logged.moderator, logged.action, logged.topic, logged.reason) == (moderator, action, topic, "Because")
    assert changed_topics == [topic.pk]


def test_using_a_tool_twice_changes_and_logs_nothing_the_second_time(moderator):
    topic = make_topic()
    moderation.lock_topic(moderator, topic)
    moderation.lock_topic(moderator, topic)
    assert ModerationAction.objects.count() == 1


def test_members_cannot_use_topic_tools():
    topic = make_topic()
    for tool in moderation.TOPIC_TOOLS:
        with pytest.raises(services.NotAllowed):
            moderation.set_topic_state(make_member(), topic, tool)
    with pytest.raises(services.NotAllowed):
        moderation.set_topic_state(AnonymousUser(), topic, "lock")
    assert not ModerationAction.objects.exists()


def test_a_locked_topic_refuses_replies_with_a_clear_message(moderator):
    topic = make_topic()
    moderation.lock_topic(moderator, topic)
    with pytest.raises(services.NotAllowed) as refused:
        services.reply(make_member(), topic, "Me too")
    assert refused.value.status == 403 and "locked" in str(refused.value.message)


def test_a_pinned_topic_is_listed_first_in_its_category(moderator, client):
    category = make_category()
    older = make_topic("Older topic", category=category)
    make_topic("Newer topic", category=category)
    Topic.objects.filter(pk=older.pk).update(last_posted_at=timezone.now() - timedelta(days=3))
    moderation.pin_topic(moderator, older)
    html = client.get(category.get_absolute_url()).content.decode()
    assert html.index("Older topic") < html.index("Newer topic")


def test_a_hidden_topic_leaves_search_and_pages_for_members_but_not_for_moderators(moderator, asked, committed, client):
    topic = asked("Pangolin miracle beans")
    committed(moderation.hide_topic, moderator, topic)
    assert found(None, "pangolin") == [] and found(make_member(), "pangolin") == []
    assert client.get(topic.get_absolute_url()).status_code == 404
    client.force_login(moderator)
    assert client.get(topic.get_absolute_url()).status_code == 200
    committed(moderation.unhide_topic, moderator, topic)
    assert found(None, "pangolin") == ["Pangolin miracle beans"]


def test_a_topic_moved_into_a_restricted_category_disappears_for_outsiders(moderator, asked, committed, changed_topics):
    insiders = make_group("Insiders")
    topic = asked("Lemur roasting schedule", category=make_category("Public"))
    assert found(None, "lemur roasting") == ["Lemur roasting schedule"]
    secret = make_category("Council", restricted_to=[insiders])
    committed(moderation.move_topic, moderator, topic, secret, "Council business")
    outsider, insider = make_member(), make_member(insiders)
    assert found(None, "lemur roasting") == [] and suggested(None, "lemur") == []
    assert found(outsider, "lemur roasting") == [] and suggested(outsider, "lemur") == []
    assert found(insider, "lemur roasting") == ["Lemur roasting schedule"]
    assert suggested(insider, "lemur") == ["Lemur roasting schedule"]
    assert not can_view_topic(outsider, topic) and can_view_topic(insider, topic)
    assert changed_topics == [topic.pk]
    logged = ModerationAction.objects.get()
    assert (logged.action, logged.data["from_name"], logged.data["to_name"]) == (Action.MOVE_TOPIC, "Public", "Council")


def test_the_search_index_itself_narrows_a_moved_topic_to_the_new_audience(moderator, asked, committed):
    insiders = make_group("Insiders")
    topic = asked("Quoll espresso budget")
    committed(moderation.move_topic, moderator, topic, make_category(restricted_to=[insiders]))
    documents = list(SearchQuerySet().filter(django_id=str(topic.pk)))
    assert [document.audience for document in documents] == [[f"group:{insiders.pk}"]]


def test_moving_to_the_same_category_is_refused(moderator):
    topic = make_topic()
    with pytest.raises(services.ActionRefused):
        moderation.move_topic(moderator, topic, topic.category)


def test_members_cannot_move_topics():
    topic = make_topic()
    with pytest.raises(services.NotAllowed):
        moderation.move_topic(make_member(), topic, make_category())


def test_an_outsider_watching_a_topic_is_not_notified_after_it_moves_into_a_restricted_category(moderator, committed):
    insiders = make_group("Insiders")
    topic = make_topic()
    outsider, insider = make_member(), make_member(insiders)
    watch(outsider, topic)
    watch(insider, topic)
    committed(moderation.move_topic, moderator, topic, make_category(restricted_to=[insiders]))
    committed(services.reply, make_member(insiders), topic, "News for the council")
    assert list(Notification.objects.values_list("recipient", flat=True)) == [insider.pk]


# --- Merging ----------------------------------------------------------------------------------


def written(topic, minutes_ago, *texts):
    """Posts added to ``topic`` at the next positions, each written ``minutes_ago`` (a list)."""
    posts = []
    for text, ago in zip(texts, minutes_ago, strict=True):
        post = services.reply(make_member(), topic, text)
        Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(minutes=ago))
        posts.append(post)
    return posts


@pytest.fixture
def two_topics():
    """B (the target: opened 100 minutes ago, replies at 90 and 30) and A (opened 80 minutes ago, replies 60 and 10)."""
    target = make_topic("Target topic B", body="B opening")
    source = make_topic("Source topic A", body="A opening")
    Post.objects.filter(topic=target, position=1).update(created_at=timezone.now() - timedelta(minutes=100))
    Post.objects.filter(topic=source, position=1).update(created_at=timezone.now() - timedelta(minutes=80))
    written(target, [90, 30], "B reply early", "B reply late")
    written(source, [60, 10], "A reply early", "A reply late")
    target.refresh_from_db()
    source.refresh_from_db()
    return source, target


def test_merged_posts_follow_the_targets_opening_post_in_the_order_they_were_written(two_topics, moderator):
    source, target = two_topics
    moderation.merge_topics(moderator, source, target, "Same question")
    bodies = list(Post.objects.filter(topic=target).order_by("position").values_list("position", "body_markdown"))
    assert bodies == [
        (1, "B opening (1)"),
        (2, "B reply early"),
        (3, "A opening (1)"),
        (4, "A reply early"),
        (5, "B reply late"),
        (6, "A reply late"),
    ]
    assert not Post.objects.filter(topic=source).exists()


def test_after_a_merge_the_counts_and_last_post_time_are_the_targets_new_ones(two_topics, moderator):
    source, target = two_topics
    moderation.merge_topics(moderator, source, target)
    target.refresh_from_db()
    source.refresh_from_db()
    newest = Post.objects.filter(body_markdown="A reply late").get()
    assert (target.post_count, target.reply_count, target.last_posted_at) == (6, 5, newest.created_at)
    assert (source.is_hidden, source.post_count) == (True, 0)


def test_a_merge_renumbers_a_big_topic_without_position_collisions(moderator):
    target = make_topic(posts=120)
    source = make_topic(posts=130)
    moderation.merge_topics(moderator, source, target)
    positions = list(Post.objects.filter(topic=target).order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, 251))


def test_the_merged_topics_address_leads_to_the_target(two_topics, moderator, client):
    source, target = two_topics
    moderation.merge_topics(moderator, source, target)
    response = client.get(source.get_absolute_url())
    assert response.status_code == 302 and response.url == target.get_absolute_url()
    assert client.get(f"/en/forum/t/{source.pk}/").url == target.get_absolute_url()
    client.force_login(moderator)
    assert client.get(source.get_absolute_url()).url == target.get_absolute_url()


def test_a_topic_merged_twice_leads_to_the_last_target(moderator):
    first, second, third = make_topic(), make_topic(), make_topic()
    moderation.merge_topics(moderator, first, second)
    moderation.merge_topics(moderator, second, third)
    assert set(TopicRedirect.objects.values_list("topic", "target")) == {(first.pk, third.pk), (second.pk, third.pk)}


def test_a_merge_updates_the_search_index(two_topics, moderator, committed):
    source, target = two_topics
    index_topics([source.pk, target.pk])
    assert "Source topic A" in found(None, "reply early")
    committed(moderation.merge_topics, moderator, source, target)
    assert found(None, "reply early") == ["Target topic B"]


def test_a_merge_is_logged_and_announced_for_both_topics(two_topics, moderator, committed, changed_topics):
    source, target = two_topics
    committed(moderation.merge_topics, moderator, source, target, "Duplicate")
    logged = ModerationAction.objects.get()
    assert (logged.action, logged.topic_id, logged.data["into"], logged.data["posts_moved"], logged.reason) == (
        Action.MERGE_TOPIC, source.pk, target.pk, 3, "Duplicate"
    )  # fmt: skip
    assert sorted(changed_topics) == sorted([source.pk, target.pk])


def test_the_accepted_answer_of_the_merged_question_carries_over_when_the_target_has_none(moderator):
    source, target = make_topic(), make_topic()
    answer = services.reply(make_member(), source, "The answer")
    services.accept_answer(source.author, answer)
    source.refresh_from_db()
    moderation.merge_topics(moderator, source, target)
    target.refresh_from_db()
    assert target.accepted_answer_id == answer.pk


@pytest.mark.parametrize("case", ["itself", "member"])
def test_bad_merges_are_refused(case, moderator):
    source, target = make_topic(), make_topic()
    with pytest.raises(services.ActionRefused):
        if case == "itself":
            moderation.merge_topics(moderator, source, source)
        else:
            moderation.merge_topics(make_member(), source, target)
    assert not ModerationAction.objects.exists()
