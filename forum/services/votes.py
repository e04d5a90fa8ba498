"""Upvotes: one per member per post, never on your own post; +10 reputation to the author."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from forum.models import BadgeAward, Post, PostVote
from forum.permissions import can_see_post, can_view_topic
from forum.services.dispatch import send_after_commit
from forum.services.errors import ActionRefused, NotAllowed
from forum.services.posting import require_member
from forum.services.reputation import UPVOTE_POINTS, award_badges, change_stats
from forum.signals import post_voted


def _check(user, post) -> None:
    require_member(user)
    if not can_view_topic(user, post.topic) or not can_see_post(user, post):
        raise NotAllowed(_("You cannot vote on this post."))
    if post.author_id == user.pk:
        raise ActionRefused(_("You cannot vote for your own post."))


def vote(user, post) -> Post:
    """Upvote ``post`` (voting twice changes nothing); returns the post with its new score."""
    _check(user, post)
    with transaction.atomic():
        _vote, created = PostVote.objects.get_or_create(post=post, user=user)
        if created:
            Post.objects.filter(pk=post.pk).update(score=F("score") + 1)
            change_stats(post.author_id, reputation=UPVOTE_POINTS, upvotes_received=1)
            award_badges(post.author_id, BadgeAward.Badge.TEN_UPVOTES)
            send_after_commit(post_voted, post=post)
    post.score = Post.objects.filter(pk=post.pk).values_list("score", flat=True).get()
    return post


def unvote(user, post) -> Post:
    """Take back an upvote (a no-op without one)."""
    require_member(user)
    with transaction.atomic():
        deleted, _details = PostVote.objects.filter(post=post, user=user).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(score=F("score") - 1)
            change_stats(post.author_id, reputation=-UPVOTE_POINTS, upvotes_received=-1)
            send_after_commit(post_voted, post=post)
    post.score = Post.objects.filter(pk=post.pk).values_list("score", flat=True).get()
    return post
