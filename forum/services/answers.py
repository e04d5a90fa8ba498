"""Accepting and clearing a question's answer.

An accepted answer that links help articles counts as a resolution for each of them: one
support event FORUM_ANSWER_ACCEPTED per linked live article, with
``data={"topic": <topic id>, "post": <post id>}``. Changing or clearing the answer records
nothing new, so reports apply this rule: per topic, only the latest FORUM_ANSWER_ACCEPTED
events count, and only while their ``post`` is still the topic's accepted answer.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from forum.models import BadgeAward, Post, Topic
from forum.permissions import can_view_topic, is_moderator
from forum.search import reindex_topic_after_commit
from forum.services.dispatch import send_after_commit
from forum.services.errors import ActionRefused, NotAllowed
from forum.services.posting import require_member
from forum.services.reputation import ACCEPTED_ANSWER_POINTS, award_badges, change_stats
from forum.signals import answer_accepted, topic_changed
from kb.article_links import linked_articles
from support.events import record_event
from support.models import Event


def can_choose_answer(user, topic) -> bool:
    if user is None or not user.is_authenticated or not topic.is_question:
        return False
    return topic.author_id == user.pk or is_moderator(user)


def _check(user, topic) -> None:
    require_member(user)
    if not can_view_topic(user, topic):
        raise NotAllowed(_("You cannot open this topic."))
    if not topic.is_question:
        raise ActionRefused(_("Only questions have an accepted answer."))
    if not can_choose_answer(user, topic):
        raise NotAllowed(_("Only the person who asked, or a moderator, can choose the accepted answer."))


def _credit(post, topic, sign: int) -> None:
    """Reputation for an accepted answer; accepting your own answer earns nothing."""
    if post.author_id and post.author_id != topic.author_id:
        change_stats(post.author_id, reputation=sign * ACCEPTED_ANSWER_POINTS, accepted_count=sign)
        if sign > 0:
            award_badges(post.author_id, BadgeAward.Badge.FIRST_ACCEPTED)


def accept_answer(user, post) -> Topic:
    """Make ``post`` the accepted answer of its question (replacing any other)."""
    topic = post.topic
    _check(user, topic)
    if post.position == 1:
        raise ActionRefused(_("The question itself cannot be its answer."))
    if post.deleted_at is not None or post.is_hidden or not post.is_approved:
        raise ActionRefused(_("This post cannot be the accepted answer."))
    if topic.accepted_answer_id == post.pk:
        return topic
    with transaction.atomic():
        previous = Post.objects.filter(pk=topic.accepted_answer_id).first() if topic.accepted_answer_id else None
        Topic.objects.filter(pk=topic.pk).update(accepted_answer=post)
        topic.accepted_answer = post
        if previous is not None:
            _credit(previous, topic, -1)
        _credit(post, topic, +1)
        for article in linked_articles(post.body_html):
            record_event(
                Event.Kind.FORUM_ANSWER_ACCEPTED,
                user=user,
                flow=Event.Flow.FORUM,
                article=article,
                language=topic.language,
                data={"topic": topic.pk, "post": post.pk},
            )
        reindex_topic_after_commit(topic)
        send_after_commit(answer_accepted, topic=topic, post=post, by=user)
    return topic


def clear_answer(user, topic) -> Topic:
    """The question has no accepted answer any more."""
    _check(user, topic)
    if topic.accepted_answer_id is None:
        return topic
    with transaction.atomic():
        previous = Post.objects.filter(pk=topic.accepted_answer_id).first()
        Topic.objects.filter(pk=topic.pk).update(accepted_answer=None)
        topic.accepted_answer = None
        if previous is not None:
            _credit(previous, topic, -1)
        reindex_topic_after_commit(topic)
        send_after_commit(topic_changed, topic=topic)
    return topic
