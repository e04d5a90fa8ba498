"""Reputation and badges: +10 for each upvote a post receives, +15 for an accepted answer.

Kept in MemberStats rows with F() updates by the services that cause them (votes, answers), so
reading a member's standing is one row. Badges are awarded once, when a counter first reaches
its threshold.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from forum.models import BadgeAward, MemberStats
from forum.permissions import is_moderator

UPVOTE_POINTS = 10
ACCEPTED_ANSWER_POINTS = 15
#: badge -> (MemberStats counter, threshold)
BADGE_RULES = {
    BadgeAward.Badge.FIRST_ANSWER: ("answer_count", 1),
    BadgeAward.Badge.FIRST_ACCEPTED: ("accepted_count", 1),
    BadgeAward.Badge.TEN_UPVOTES: ("upvotes_received", 10),
}


def stats_for(user) -> MemberStats:
    """The member's stats, unsaved zeros when they have none yet."""
    return MemberStats.objects.filter(user=user).first() or MemberStats(user=user)


def is_trusted(user) -> bool:
    """Whether links from this member lose rel="nofollow" and they skip the new-member post limit:
    moderators, and members with enough reputation whose account is old enough."""
    if user is None or not user.is_authenticated:
        return False
    if is_moderator(user):
        return True
    old_enough = user.date_joined <= timezone.now() - timedelta(days=settings.FORUM_TRUSTED_AFTER_DAYS)
    return old_enough and stats_for(user).reputation >= settings.FORUM_TRUSTED_REPUTATION


def change_stats(user_id, **deltas) -> None:
    """Add ``deltas`` to the member's counters (no-op for a post without an author)."""
    if user_id is None or not deltas:
        return
    changes = {name: F(name) + delta for name, delta in deltas.items()}
    if not MemberStats.objects.filter(user_id=user_id).update(**changes):
        # A member's first counted action: make their row (ignoring a concurrent twin), then count.
        MemberStats.objects.bulk_create([MemberStats(user_id=user_id)], ignore_conflicts=True)
        MemberStats.objects.filter(user_id=user_id).update(**changes)


def award_badges(user_id, *badges) -> None:
    """Award those of ``badges`` whose threshold the member has reached (each at most once)."""
    if user_id is None:
        return
    stats = MemberStats.objects.filter(user_id=user_id).first()
    if stats is None:
        return
    earned = [
        BadgeAward(user_id=user_id, badge=badge)
        for badge in badges
        if getattr(stats, BADGE_RULES[badge][0]) >= BADGE_RULES[badge][1]
    ]
    if earned:
        BadgeAward.objects.bulk_create(earned, ignore_conflicts=True)
