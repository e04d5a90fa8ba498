"""Moderation: members flag posts; moderators review flags, hide, lock, pin, move and merge topics,
approve held posts and suspend members.

Each function is the one place for its mutation: it checks who may do it, writes, records a
ModerationAction row (the audit log), keeps the search index in step after commit and announces
the change with a forum signal after commit. Refusals raise ActionRefused (400/409/429) or
NotAllowed (403) with a message for the person.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.markdown import clean_title
from forum.models import Category, Flag, MemberRestriction, ModerationAction, Post, Topic, TopicRedirect
from forum.models.moderation import MAX_NOTE_CHARACTERS
from forum.permissions import can_see_post, can_view_topic, categories_by_membership, is_moderator
from forum.search import reindex_topic_after_commit
from forum.services.dispatch import send_after_commit
from forum.services.errors import ActionRefused, NotAllowed
from forum.services.posting import (
    change_reply_count,
    count_reply,
    counts_as_reply,
    recount_topics,
    require_member,
)
from forum.services.reputation import change_stats
from forum.signals import post_approved, post_created, post_edited, topic_changed

Action = ModerationAction.Action


def require_moderator(user) -> None:
    require_member(user)
    if not is_moderator(user):
        raise NotAllowed(_("Only moderators can do this."))


def checked_note(text, *, required=False) -> str:
    """A reason or note as stored: one line, control characters removed, at most 500 characters."""
    note = clean_title(text)
    if len(note) > MAX_NOTE_CHARACTERS:
        raise ActionRefused(
            _("Keep it to %(limit)s characters; this has %(count)s.")
            % {"limit": MAX_NOTE_CHARACTERS, "count": len(note)}
        )
    if required and not note:
        raise ActionRefused(_("Give a reason."))
    return note


def record(moderator, action, *, topic=None, post=None, member=None, reason="", **data) -> ModerationAction:
    """Add a row to the audit log (``moderator`` None: the site acted by itself)."""
    return ModerationAction.objects.create(
        moderator=moderator, action=action, topic=topic, post=post, member=member, reason=reason, data=data
    )


def _resolve_flags(post, moderator, resolution) -> int:
    return Flag.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator, resolution=resolution
    )


def _set_topic_hidden(topic, hidden: bool) -> None:
    Topic.objects.filter(pk=topic.pk).update(is_hidden=hidden)
    topic.is_hidden = hidden
    reindex_topic_after_commit(topic)
    send_after_commit(topic_changed, topic=topic)


def _set_post_hidden(post, hidden: bool) -> None:
    counted = counts_as_reply(post)
    changed = Post.objects.filter(pk=post.pk, is_hidden=not hidden).update(is_hidden=hidden)
    post.is_hidden = hidden
    if changed and counted != counts_as_reply(post):
        change_reply_count(post, -1 if counted else 1)
    reindex_topic_after_commit(post.topic_id)
    send_after_commit(post_edited, post=post)


# --- Flags --------------------------------------------------------------------------------------


def flag_post(user, post, reason, note="") -> Flag:
    """A member reports ``post``; FORUM_AUTO_HIDE_FLAGS different members flagging it hide it
    until a moderator reviews it (an opening post hides its topic too: a spam topic's title
    should leave listings and search as well)."""
    require_member(user)
    if post.deleted_at is not None or not can_view_topic(user, post.topic) or not can_see_post(user, post):
        raise NotAllowed(_("You cannot flag this post."))
    if post.author_id == user.pk:
        raise ActionRefused(_("You cannot flag your own post."))
    if reason not in Flag.Reason.values:
        raise ActionRefused(_("Choose why you are flagging this post."))
    note = checked_note(note)
    if Flag.objects.filter(post=post, flagger=user, resolved_at__isnull=True).exists():
        raise ActionRefused(_("You have already flagged this post. A moderator will look at it."), status=409)
    since = timezone.now() - timedelta(hours=1)
    if (
        not is_moderator(user)
        and Flag.objects.filter(flagger=user, created_at__gte=since).count() >= settings.FORUM_FLAGS_PER_HOUR
    ):
        raise ActionRefused(
            _("You can flag %(count)s posts an hour. Please wait a while and try again.")
            % {"count": settings.FORUM_FLAGS_PER_HOUR},
            status=429,
        )
    try:
        with transaction.atomic():
            flag = Flag.objects.create(post=post, flagger=user, reason=reason, note=note)
            flaggers = Flag.objects.filter(post=post, resolved_at__isnull=True).values("flagger").distinct().count()
            if flaggers >= settings.FORUM_AUTO_HIDE_FLAGS and not post.is_hidden:
                _set_post_hidden(post, True)
                with_topic = post.position == 1 and not post.topic.is_hidden
                if with_topic:
                    _set_topic_hidden(post.topic, True)
                record(
                    None, Action.AUTO_HIDE_POST, topic=post.topic, post=post, member=post.author,
                    flags=flaggers, topic_hidden=with_topic,
                )  # fmt: skip
    except IntegrityError:  # the same member's second flag, sent at the same moment
        raise ActionRefused(_("You have already flagged this post. A moderator will look at it."), status=409) from None
    return flag


def reviewable_posts(moderator) -> QuerySet:
    """The posts ``moderator`` may review: those in the categories they read as a member
    (forum.permissions.categories_by_membership), none for anyone who is not a moderator.

    The one rule for the review queue: its lists, its counts, the header's pending number and
    every post action read it, so a moderator outside the council never sees, counts or acts on
    a post of the council's private categories (the filter is a subquery of the listing's own
    query: it costs no query of its own).
    """
    if not is_moderator(moderator):
        return Post.objects.none()
    return Post.objects.filter(topic__category__in=categories_by_membership(moderator))


def require_reviewable(moderator, post) -> None:
    """Refuse a moderator's action on a post outside the categories they read as a member."""
    require_moderator(moderator)
    if not reviewable_posts(moderator).filter(pk=post.pk).exists():
        raise NotAllowed(_("Only moderators who can read this category can do this."))


def flagged_posts(moderator):
    """The review queue: posts with open flags that ``moderator`` may review, most flagged
    first, each with its open flags (``open_flags``, flagger included) and counts, in a
    constant number of queries."""
    open_flag = Q(flags__resolved_at__isnull=True)
    return (
        reviewable_posts(moderator)
        .annotate(
            open_flag_count=Count("flags", filter=open_flag),
            flagger_count=Count("flags__flagger", filter=open_flag, distinct=True),
            first_flagged_at=Min("flags__created_at", filter=open_flag),
        )
        .filter(open_flag_count__gt=0)
        .select_related("topic", "topic__category", "author")
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.filter(resolved_at__isnull=True).select_related("flagger"),
                to_attr="open_flags",
            )
        )
        .order_by("-open_flag_count", "first_flagged_at", "pk")
    )


def held_posts(moderator):
    """Posts waiting for approval that ``moderator`` may review, oldest first."""
    return (
        reviewable_posts(moderator)
        .filter(is_approved=False, deleted_at__isnull=True, topic__deleted_at__isnull=True)
        .select_related("topic", "topic__category", "author")
        .order_by("created_at", "pk")
    )


def pending_count(moderator) -> int:
    """How many posts wait in the review queue (open flags or held for approval), for the site
    header's link: 0 without a query for anyone who is not a moderator, one COUNT for a moderator.

    Only posts in categories the moderator reads as a member count: the council's private
    categories add nothing to the number a moderator outside the council sees.
    """
    if not is_moderator(moderator):
        return 0
    open_flags = Flag.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True)
    held = Q(is_approved=False, deleted_at__isnull=True, topic__deleted_at__isnull=True)
    return reviewable_posts(moderator).filter(held | Q(Exists(open_flags))).count()


def dismiss_flags(moderator, post, reason="") -> int:
    """The post is fine: close its open flags, and show it again if the flags alone hid it."""
    require_reviewable(moderator, post)
    reason = checked_note(reason)
    with transaction.atomic():
        dismissed = _resolve_flags(post, moderator, Flag.Resolution.DISMISSED)
        if not dismissed:
            raise ActionRefused(_("This post has no open flags."))
        last_hiding = ModerationAction.objects.filter(
            post=post, action__in=[Action.AUTO_HIDE_POST, Action.HIDE_POST, Action.UNHIDE_POST]
        ).first()
        restored = post.is_hidden and last_hiding is not None and last_hiding.action == Action.AUTO_HIDE_POST
        if restored:
            _set_post_hidden(post, False)
            if last_hiding.data.get("topic_hidden") and post.topic.is_hidden:
                _set_topic_hidden(post.topic, False)
        record(
            moderator,
            Action.DISMISS_FLAGS,
            topic=post.topic,
            post=post,
            member=post.author,
            reason=reason,
            flags=dismissed,
            unhidden=restored,
        )
    return dismissed


# --- Posts --------------------------------------------------------------------------------------


def _check_post(moderator, post) -> None:
    require_reviewable(moderator, post)
    if post.deleted_at is not None:
        raise ActionRefused(_("This post was deleted."))


def hide_post(moderator, post, reason="") -> Post:
    """Only moderators see the post any more; its open flags are resolved."""
    _check_post(moderator, post)
    reason = checked_note(reason)
    with transaction.atomic():
        if not post.is_hidden:
            _set_post_hidden(post, True)
        _resolve_flags(post, moderator, Flag.Resolution.POST_HIDDEN)
        record(moderator, Action.HIDE_POST, topic=post.topic, post=post, member=post.author, reason=reason)
    return post


def unhide_post(moderator, post, reason="") -> Post:
    _check_post(moderator, post)
    reason = checked_note(reason)
    if not post.is_hidden:
        return post
    with transaction.atomic():
        _set_post_hidden(post, False)
        record(moderator, Action.UNHIDE_POST, topic=post.topic, post=post, member=post.author, reason=reason)
    return post


def approve_post(moderator, post) -> Post:
    """A held post becomes visible: counted, indexed and announced after commit, as post_created
    (what its creation would have announced: watchers and mentioned members are notified now)
    and post_approved (its author hears that it was approved)."""
    _check_post(moderator, post)
    if post.is_approved:
        raise ActionRefused(_("This post is not waiting for approval."))
    topic = post.topic
    with transaction.atomic():
        # Conditional, so a second approval sent at the same moment counts nothing twice.
        if not Post.objects.filter(pk=post.pk, is_approved=False, deleted_at__isnull=True).update(is_approved=True):
            raise ActionRefused(_("This post is not waiting for approval."))
        post.is_approved = True
        # Its page now exists for everyone, and a reply (unless a moderator hid it meanwhile) counts.
        Topic.objects.filter(pk=topic.pk).update(
            last_approved_position=Greatest(F("last_approved_position"), post.position)
        )
        if counts_as_reply(post):
            change_reply_count(post, 1)
        if post.position == 1:
            change_stats(post.author_id, post_count=1)
        else:
            count_reply(post.author_id, topic)
            Topic.objects.filter(pk=topic.pk, last_posted_at__lt=post.created_at).update(last_posted_at=post.created_at)
        record(moderator, Action.APPROVE_POST, topic=topic, post=post, member=post.author)
        reindex_topic_after_commit(topic)
        send_after_commit(post_created, post=post)
        send_after_commit(post_approved, post=post, by=moderator)
    return post


def reject_post(moderator, post, reason="") -> Post:
    """A held post is deleted unseen (a held opening post takes its topic with it); nobody is
    notified of it, as nobody but its author and the moderators ever saw it."""
    _check_post(moderator, post)
    if post.is_approved:
        raise ActionRefused(_("This post is not waiting for approval."))
    reason = checked_note(reason)
    now = timezone.now()
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(deleted_at=now)
        post.deleted_at = now
        if post.position == 1:
            Topic.objects.filter(pk=post.topic_id).update(deleted_at=now)
        record(moderator, Action.REJECT_POST, topic=post.topic, post=post, member=post.author, reason=reason)
    return post


# --- Topics -------------------------------------------------------------------------------------

#: tool -> (Topic field, value, audit action)
TOPIC_TOOLS = {
    "hide": ("is_hidden", True, Action.HIDE_TOPIC),
    "unhide": ("is_hidden", False, Action.UNHIDE_TOPIC),
    "lock": ("is_locked", True, Action.LOCK_TOPIC),
    "unlock": ("is_locked", False, Action.UNLOCK_TOPIC),
    "pin": ("is_pinned", True, Action.PIN_TOPIC),
    "unpin": ("is_pinned", False, Action.UNPIN_TOPIC),
}


def _check_topic(moderator, topic) -> None:
    require_moderator(moderator)
    if topic.deleted_at is not None:
        raise ActionRefused(_("This topic was deleted."))


def set_topic_state(moderator, topic, tool: str, reason="") -> Topic:
    """Hide/unhide, lock/unlock or pin/unpin ``topic``; doing what is already done changes nothing.

    Hiding takes the topic out of search and resolves the open flags on its posts.
    """
    if tool not in TOPIC_TOOLS:
        raise ActionRefused(_("Unknown moderation tool."))
    _check_topic(moderator, topic)
    field, value, action = TOPIC_TOOLS[tool]
    reason = checked_note(reason)
    if getattr(topic, field) == value:
        return topic
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(**{field: value})
        setattr(topic, field, value)
        if tool == "hide":
            Flag.objects.filter(post__topic=topic, resolved_at__isnull=True).update(
                resolved_at=timezone.now(), resolved_by=moderator, resolution=Flag.Resolution.TOPIC_HIDDEN
            )
        record(moderator, action, topic=topic, member=topic.author, reason=reason)
        if field == "is_hidden":
            reindex_topic_after_commit(topic)
        send_after_commit(topic_changed, topic=topic)
    return topic


def hide_topic(moderator, topic, reason="") -> Topic:
    return set_topic_state(moderator, topic, "hide", reason)


def unhide_topic(moderator, topic, reason="") -> Topic:
    return set_topic_state(moderator, topic, "unhide", reason)


def lock_topic(moderator, topic, reason="") -> Topic:
    return set_topic_state(moderator, topic, "lock", reason)


def unlock_topic(moderator, topic, reason="") -> Topic:
    return set_topic_state(moderator, topic, "unlock", reason)


def pin_topic(moderator, topic, reason="") -> Topic:
    return set_topic_state(moderator, topic, "pin", reason)


def unpin_topic(moderator, topic, reason="") -> Topic:
    return set_topic_state(moderator, topic, "unpin", reason)


def move_topic(moderator, topic, category, reason="") -> Topic:
    """Move ``topic`` into ``category``. Who may see it follows the new category at once (the
    permission re-check), and the search index is updated after commit so its audience follows."""
    _check_topic(moderator, topic)
    if not isinstance(category, Category) or category.pk is None:
        raise ActionRefused(_("Choose the category to move the topic to."))
    if category.pk == topic.category_id:
        raise ActionRefused(_("The topic is already in this category."))
    reason = checked_note(reason)
    previous = topic.category
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(category=category)
        topic.category = category
        record(
            moderator,
            Action.MOVE_TOPIC,
            topic=topic,
            member=topic.author,
            reason=reason,
            from_category=previous.pk,
            from_name=previous.name,
            to_category=category.pk,
            to_name=category.name,
        )
        reindex_topic_after_commit(topic)
        send_after_commit(topic_changed, topic=topic)
    return topic


def merge_topics(moderator, source, target, reason="") -> Topic:
    """Move every post of ``source`` into ``target``; ``source`` is hidden and its address leads
    to ``target``.

    ``target``'s opening post stays first; every other post of both topics follows in the order
    it was written (created_at), renumbered 2..n. Positions are unique per topic, so the
    renumbering runs in two passes: first every post moves above the final range, then each
    takes its final position, and no statement ever meets a position still in use.
    """
    _check_topic(moderator, source)
    _check_topic(moderator, target)
    if source.pk == target.pk:
        raise ActionRefused(_("A topic cannot be merged into itself."))
    reason = checked_note(reason)
    with transaction.atomic():
        # Re-read both rows inside the transaction (a reply may have landed since the page loaded);
        # the first update takes the write lock, so no reply slips in while positions move.
        Topic.objects.filter(pk__in=[source.pk, target.pk]).update(view_count=F("view_count"))
        source.refresh_from_db()
        target.refresh_from_db()
        posts = list(Post.objects.filter(topic__in=[source, target]).only("pk", "topic_id", "position", "created_at"))
        opening = [post for post in posts if post.topic_id == target.pk and post.position == 1]
        others = sorted(
            (post for post in posts if post not in opening),
            key=lambda post: (post.created_at, post.topic_id != target.pk, post.position, post.pk),
        )
        ordered = opening + others
        total = len(ordered)
        moved = sum(1 for post in posts if post.topic_id == source.pk)
        # Pass 1: above the final range 1..total (target's posts to total+position, source's
        # beyond those), so nothing collides with a position still taken.
        Post.objects.filter(topic=target).update(position=F("position") + total)
        Post.objects.filter(topic=source).update(topic=target, position=F("position") + total + target.post_count)
        # Pass 2: the final positions, which nothing holds any more.
        for number, post in enumerate(ordered, start=1):
            post.topic_id, post.position = target.pk, number
        Post.objects.bulk_update(ordered, ["position"], batch_size=500)
        visible = Post.objects.filter(topic=target, deleted_at__isnull=True, is_hidden=False, is_approved=True)
        last_posted_at = visible.aggregate(last=Max("created_at"))["last"] or max(
            source.last_posted_at, target.last_posted_at
        )
        changes = {"post_count": total, "last_posted_at": last_posted_at}
        if target.accepted_answer_id is None and source.accepted_answer_id is not None:
            changes["accepted_answer_id"] = source.accepted_answer_id
        Topic.objects.filter(pk=target.pk).update(**changes)
        for field, value in changes.items():
            setattr(target, field, value)
        Topic.objects.filter(pk=source.pk).update(is_hidden=True, post_count=0, accepted_answer=None)
        source.is_hidden, source.post_count, source.accepted_answer_id = True, 0, None
        recount_topics(source.pk, target.pk)
        source.refresh_from_db(fields=["reply_count", "last_approved_position"])
        target.refresh_from_db(fields=["reply_count", "last_approved_position"])
        TopicRedirect.objects.update_or_create(topic=source, defaults={"target": target})
        TopicRedirect.objects.filter(target=source).update(target=target)
        record(
            moderator,
            Action.MERGE_TOPIC,
            topic=source,
            member=source.author,
            reason=reason,
            into=target.pk,
            into_title=target.title,
            posts_moved=moved,
        )
        reindex_topic_after_commit(source, target)
        send_after_commit(topic_changed, topic=source)
        send_after_commit(topic_changed, topic=target)
    return target


def merged_into(topic_id) -> Topic | None:
    """The topic that topic ``topic_id`` was merged into, if it was."""
    redirect = TopicRedirect.objects.select_related("target").filter(topic_id=topic_id).first()
    return redirect.target if redirect else None


# --- Members ------------------------------------------------------------------------------------


def suspend_member(moderator, member, *, reason, until=None) -> MemberRestriction:
    """From now until ``until`` (None: until lifted) the member reads but cannot take part.
    A new suspension replaces one in force."""
    require_moderator(moderator)
    if member.pk == moderator.pk:
        raise ActionRefused(_("You cannot suspend yourself."))
    if is_moderator(member):
        raise ActionRefused(_("Moderators cannot be suspended; remove them from the moderators first."))
    reason = checked_note(reason, required=True)
    now = timezone.now()
    if until is not None and until <= now:
        raise ActionRefused(_("The end of a suspension must be in the future."))
    with transaction.atomic():
        MemberRestriction.objects.in_force().filter(user=member).update(lifted_at=now, lifted_by=moderator)
        suspension = MemberRestriction.objects.create(
            user=member, until=until, reason=reason, created_by=moderator, created_at=now
        )
        record(
            moderator,
            Action.SUSPEND_MEMBER,
            member=member,
            reason=reason,
            until=until.isoformat() if until else None,
        )
    return suspension


def unsuspend_member(moderator, member, reason="") -> int:
    """Lift the member's suspension now."""
    require_moderator(moderator)
    reason = checked_note(reason)
    with transaction.atomic():
        lifted = (
            MemberRestriction.objects.in_force()
            .filter(user=member)
            .update(lifted_at=timezone.now(), lifted_by=moderator)
        )
        if not lifted:
            raise ActionRefused(_("This member is not suspended."))
        record(moderator, Action.UNSUSPEND_MEMBER, member=member, reason=reason)
    return lifted
