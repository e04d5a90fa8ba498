"""Writing in the forum: new topics, replies, edits and deletions.

Each function checks the rules, writes, keeps counters, reputation and the search index in step,
and announces the change with a forum signal after the transaction commits.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, IntegerField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from forum.markdown import MAX_TITLE_CHARACTERS, clean_body, clean_title, render
from forum.models import BadgeAward, Post, PostRevision, Tag, Topic, TopicWatch
from forum.models.moderation import suspension_of
from forum.permissions import can_view_category, can_view_topic, is_moderator
from forum.search import reindex_topic_after_commit
from forum.services.dispatch import send_after_commit
from forum.services.errors import ActionRefused, NotAllowed, TooManyPosts
from forum.services.mentions import mention_targets
from forum.services.reading import mark_read
from forum.services.reputation import ACCEPTED_ANSWER_POINTS, award_badges, change_stats, is_trusted
from forum.signals import post_created, post_edited, topic_changed

MAX_TAGS = 5
MIN_TITLE_CHARACTERS = 8


def require_member(user) -> None:
    """A logged-in, active member who is not suspended (a suspended member only reads)."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise NotAllowed(_("Log in to take part in the forum."))
    suspension = suspension_of(user)
    if suspension is not None:
        raise NotAllowed(suspension.refusal_message())


def checked_body(text: str) -> str:
    try:
        return clean_body(text)
    except ValidationError as error:
        raise ActionRefused(error.messages[0]) from None


def checked_title(title: str) -> str:
    title = clean_title(title)
    if len(title) < MIN_TITLE_CHARACTERS:
        raise ActionRefused(
            _("Give your topic a title of at least %(count)s characters.") % {"count": MIN_TITLE_CHARACTERS}
        )
    if len(title) > MAX_TITLE_CHARACTERS:
        raise ActionRefused(_("Titles can be at most %(count)s characters long.") % {"count": MAX_TITLE_CHARACTERS})
    return title


def render_body(text: str, author) -> str:
    try:
        return render(text, nofollow=not is_trusted(author), members=mention_targets(text))
    except ValidationError as error:
        raise ActionRefused(error.messages[0]) from None


def check_post_allowance(user) -> None:
    """New members may post FORUM_NEW_MEMBER_POSTS_PER_HOUR times an hour; trusted ones freely."""
    if is_trusted(user):
        return
    since = timezone.now() - timedelta(hours=1)
    if Post.objects.filter(author=user, created_at__gte=since).count() >= settings.FORUM_NEW_MEMBER_POSTS_PER_HOUR:
        raise TooManyPosts(
            _("New members can post %(count)s times an hour. Please wait a while and try again.")
            % {"count": settings.FORUM_NEW_MEMBER_POSTS_PER_HOUR}
        )


def must_hold(user) -> bool:
    """Whether the member's next post waits for a moderator's approval: until
    FORUM_HOLD_FIRST_POSTS of their posts have been approved, unless they are trusted."""
    needed = settings.FORUM_HOLD_FIRST_POSTS
    if needed <= 0 or is_trusted(user):
        return False
    return Post.objects.filter(author=user, is_approved=True)[:needed].count() < needed


def topic_slug(title: str) -> str:
    return slugify(title, allow_unicode=True)[:200].strip("-") or "topic"


def _set_tags(topic, names) -> None:
    tags = []
    for name in list(dict.fromkeys(name.strip() for name in names if name and name.strip()))[:MAX_TAGS]:
        slug = slugify(name, allow_unicode=True)[:60]
        if slug:
            tags.append(Tag.objects.get_or_create(slug=slug, defaults={"name": name[:60]})[0])
    topic.tags.set(tags)


def create_topic(user, *, category, title, body, is_question=True, language="en", tags=()) -> Topic:
    """Open a topic with its first post; returns the topic."""
    require_member(user)
    if not can_view_category(user, category):
        raise NotAllowed(_("You cannot post in this category."))
    title, body = checked_title(title), checked_body(body)
    check_post_allowance(user)
    html = render_body(body, user)
    held = must_hold(user)
    now = timezone.now()
    with transaction.atomic():
        topic = Topic.objects.create(
            category=category,
            title=title,
            slug=topic_slug(title),
            author=user,
            language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
            is_question=is_question,
            post_count=1,
            last_approved_position=0 if held else 1,
            created_at=now,
            last_posted_at=now,
        )
        post = Post.objects.create(
            topic=topic, author=user, position=1, body_markdown=body, body_html=html, is_approved=not held
        )
        if tags:
            _set_tags(topic, tags)
        mark_read(user, topic, 1, state=False)
        if held:
            watch_own_held_post(post)
        else:  # a held post is counted, indexed and announced when approved (forum.services.moderation)
            change_stats(user.pk, post_count=1)
            reindex_topic_after_commit(topic)
            send_after_commit(post_created, post=post)
    return topic


def reply(user, topic, body) -> Post:
    """Add a post at the next position of ``topic``; returns the post."""
    require_member(user)
    if not can_view_topic(user, topic):
        raise NotAllowed(_("You cannot reply to this topic."))
    if topic.is_locked and not is_moderator(user):
        raise NotAllowed(_("This topic is locked: it takes no new replies."))
    body = checked_body(body)
    check_post_allowance(user)
    html = render_body(body, user)
    held = must_hold(user)
    now = timezone.now()
    with transaction.atomic():
        # The update takes the topic row's write lock before the read, so concurrent replies
        # queue here and each gets the next position. A held post takes its position but does
        # not make the topic look active, nor add to its replies and pages for other readers.
        visible = {
            "last_posted_at": now,
            "reply_count": F("reply_count") + 1,
            "last_approved_position": F("post_count") + 1,
        }
        Topic.objects.filter(pk=topic.pk).update(post_count=F("post_count") + 1, **({} if held else visible))
        position, topic.reply_count, topic.last_approved_position = (
            Topic.objects.filter(pk=topic.pk).values_list("post_count", "reply_count", "last_approved_position").get()
        )
        post = Post.objects.create(
            topic=topic,
            author=user,
            position=position,
            body_markdown=body,
            body_html=html,
            created_at=now,
            is_approved=not held,
        )
        topic.post_count = position
        mark_read(user, topic, position)
        if held:
            watch_own_held_post(post)
        else:  # a held post is counted, indexed and announced when approved (forum.services.moderation)
            topic.last_posted_at = now
            count_reply(user.pk, topic)
            reindex_topic_after_commit(topic)
            send_after_commit(post_created, post=post)
    return post


def watch_own_held_post(post) -> None:
    """The author of a held post watches its topic at once, as after a post that is not held
    (forum.services.notifications does that when the post is announced): the author of a held
    question hears of the replies moderators write before approving it."""
    TopicWatch.objects.bulk_create([TopicWatch(user_id=post.author_id, topic_id=post.topic_id)], ignore_conflicts=True)


def count_reply(author_id, topic) -> None:
    """A visible reply counts for its author: a post, and an answer when it answers someone's question."""
    is_answer = topic.is_question and topic.author_id != author_id
    change_stats(author_id, post_count=1, **({"answer_count": 1} if is_answer else {}))
    if is_answer:
        award_badges(author_id, BadgeAward.Badge.FIRST_ANSWER)


def counts_as_reply(post) -> bool:
    """Whether ``post`` is in its topic's ``reply_count``: a reply everyone who opens the topic reads."""
    return post.position > 1 and post.is_approved and not post.is_hidden and post.deleted_at is None


def change_reply_count(post, delta: int) -> None:
    """``post`` enters (+1) or leaves (-1) its topic's reply count; callers check counts_as_reply
    before and after the change, so the counter follows the posts' states."""
    Topic.objects.filter(pk=post.topic_id).update(reply_count=F("reply_count") + delta)


def recount_topics(*topic_ids) -> None:
    """Recompute ``reply_count`` and ``last_approved_position`` from the posts (after a merge moved
    many posts at once)."""
    approved = Post.objects.filter(topic=OuterRef("pk"), is_approved=True).order_by().values("topic")
    replies = approved.filter(position__gt=1, is_hidden=False, deleted_at__isnull=True).annotate(n=Count("pk"))
    Topic.objects.filter(pk__in=topic_ids).update(
        reply_count=Coalesce(Subquery(replies.values("n")), 0, output_field=IntegerField()),
        last_approved_position=Coalesce(
            Subquery(approved.annotate(last=Max("position")).values("last")), 0, output_field=IntegerField()
        ),
    )


def can_edit_post(user, post) -> bool:
    if user is None or not user.is_authenticated or post.deleted_at is not None:
        return False
    if is_moderator(user):
        return True
    return post.author_id == user.pk and not post.is_hidden and not post.topic.is_locked


def edit_post(user, post, body, *, title=None) -> Post:
    """Change a post's text (and, for an opening post, its topic's title), keeping the history.

    The first edit records the original text as a revision too, so moderators see every version.
    """
    require_member(user)
    if not can_edit_post(user, post) or not can_view_topic(user, post.topic):
        raise NotAllowed(_("You cannot edit this post."))
    body = checked_body(body)
    topic = post.topic
    new_title = checked_title(title) if title is not None and post.position == 1 else topic.title
    if body == post.body_markdown and new_title == topic.title:
        return post
    html = render_body(body, post.author)
    now = timezone.now()
    with transaction.atomic():
        if body != post.body_markdown:
            if not post.revisions.exists():
                PostRevision.objects.create(
                    post=post, editor=post.author, body_markdown=post.body_markdown, created_at=post.created_at
                )
            PostRevision.objects.create(post=post, editor=user, body_markdown=body, created_at=now)
            post.body_markdown, post.body_html, post.edited_at = body, html, now
            post.save(update_fields=["body_markdown", "body_html", "edited_at"])
            send_after_commit(post_edited, post=post)
        if new_title != topic.title:
            topic.title, topic.slug = new_title, topic_slug(new_title)
            topic.save(update_fields=["title", "slug"])
            send_after_commit(topic_changed, topic=topic)
        reindex_topic_after_commit(topic)
    return post


def can_delete_post(user, post) -> bool:
    """Moderators always; authors within FORUM_DELETE_WINDOW_HOURS of posting, and an opening
    post (which deletes the topic) only while nobody has replied."""
    if user is None or not user.is_authenticated or post.deleted_at is not None:
        return False
    if is_moderator(user):
        return True
    if post.author_id != user.pk or post.is_hidden or post.topic.is_locked:
        return False
    if timezone.now() - post.created_at > timedelta(hours=settings.FORUM_DELETE_WINDOW_HOURS):
        return False
    return post.position != 1 or post.topic.post_count <= 1


def delete_post(user, post) -> Post:
    """Soft-delete a post: its position stays as a placeholder. Deleting the opening post
    deletes the topic; deleting the accepted answer clears it."""
    require_member(user)
    if not can_delete_post(user, post) or not can_view_topic(user, post.topic):
        raise NotAllowed(_("You cannot delete this post."))
    topic = post.topic
    now = timezone.now()
    with transaction.atomic():
        # Only the first of two deletions at once takes the post out of the reply count.
        if Post.objects.filter(pk=post.pk, deleted_at__isnull=True).update(deleted_at=now) and counts_as_reply(post):
            change_reply_count(post, -1)
        post.deleted_at = now
        changed = []
        if topic.accepted_answer_id == post.pk:
            topic.accepted_answer = None
            changed.append("accepted_answer")
            if post.author_id != topic.author_id:
                change_stats(post.author_id, reputation=-ACCEPTED_ANSWER_POINTS, accepted_count=-1)
        if post.position == 1:
            topic.deleted_at = now
            changed.append("deleted_at")
        if changed:
            topic.save(update_fields=changed)
            send_after_commit(topic_changed, topic=topic)
        reindex_topic_after_commit(topic)
        send_after_commit(post_edited, post=post)
    return post
