"""Watching topics and notifying members: in-site rows, a live push and, if they opted in, email.

Rules:

* A topic's author and every member who replies watch it automatically; anyone who can see a
  topic may watch or stop watching it.
* A reply notifies the topic's watchers ("reply"); a post that @mentions members notifies them
  ("mention", which wins over "reply"; an edit that adds a mention notifies the newly mentioned);
  accepting an answer notifies its author ("accepted").
* A post held for approval notifies nobody until a moderator approves it: then it notifies
  exactly as it would have when written, and its author hears that it was approved
  ("approved"). A rejected post notifies nobody, ever. Its author watches the topic from the
  start, so the author of a held question hears of the replies moderators write meanwhile.
* Nobody is notified about their own action.
* Permission is checked when sending, not only when watching: a member who can no longer see the
  topic (its category restricted later, the topic hidden or deleted) or the post (hidden, held)
  gets nothing.
* Rows are pushed live to ``forum.user.<id>`` and emailed, in the member's preferred language,
  only to members who opted in (NotificationPreference, off by default), after the rows commit.

The receivers here listen to forum.signals, which are sent only after the write commits.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forum.live import member_group, send_event
from forum.models import Notification, NotificationPreference, Post, Topic, TopicWatch
from forum.permissions import can_see_post, can_view_topic, visible_posts, visible_topics
from forum.services.errors import NotAllowed
from forum.services.mentions import mention_targets
from forum.services.posting import require_member
from forum.signals import answer_accepted, post_approved, post_created, post_edited

logger = logging.getLogger(__name__)

Kind = Notification.Kind


# --- Watching ---------------------------------------------------------------------------------


def watch(user, topic) -> TopicWatch:
    """Follow ``topic`` (watching twice changes nothing)."""
    require_member(user)
    if not can_view_topic(user, topic):
        raise NotAllowed(_("You cannot open this topic."))
    return TopicWatch.objects.get_or_create(user=user, topic=topic)[0]


def unwatch(user, topic) -> None:
    """Stop following ``topic`` (a no-op when not watching)."""
    require_member(user)
    TopicWatch.objects.filter(user=user, topic=topic).delete()


def is_watching(user, topic) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return TopicWatch.objects.filter(user=user, topic=topic).exists()


# --- Reading ----------------------------------------------------------------------------------


def visible_notifications(user) -> QuerySet:
    """The member's notifications they may open now: the topic still visible to them and the
    post, if any, still shown to them (not since hidden, deleted, held or moved out of reach).

    The bell, its live updates, the list and opening one all read this, so they agree.
    """
    return Notification.objects.filter(recipient=user, topic__in=visible_topics(user)).filter(
        Q(post__isnull=True) | Q(post__in=visible_posts(user))
    )


def unread_count(user) -> int:
    """The bell's number (one query, from the partial index of unread rows)."""
    return visible_notifications(user).filter(read_at__isnull=True).count()


def mark_read(user, ids=None) -> int:
    """Mark this member's notifications read: those in ``ids``, or all of them."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def wants_email(user) -> bool:
    return NotificationPreference.objects.filter(user=user, email_on_activity=True).exists()


def set_email_preference(user, email_on_activity: bool) -> None:
    require_member(user)
    NotificationPreference.objects.update_or_create(user=user, defaults={"email_on_activity": email_on_activity})


# --- Sending ----------------------------------------------------------------------------------


def notify_about_post(post) -> list[Notification]:
    """A post was created: its author watches the topic; watchers and mentioned members hear of it."""
    topic = post.topic
    if post.author_id is not None:
        TopicWatch.objects.bulk_create([TopicWatch(user_id=post.author_id, topic=topic)], ignore_conflicts=True)
    recipients = {}
    if post.position > 1:
        watchers = TopicWatch.objects.filter(topic=topic).values_list("user_id", flat=True)
        recipients.update(dict.fromkeys(watchers, Kind.REPLY))
    for target in mention_targets(post.body_markdown).values():
        recipients[target["user_id"]] = Kind.MENTION
    return send_notifications(recipients, topic=topic, post=post, actor=post.author)


def notify_about_edit(post) -> list[Notification]:
    """An edit that adds @mentions notifies the newly mentioned (once per post and member).

    Not while the post is held: its approval notifies everyone it mentions then, once."""
    if post.deleted_at is not None or not post.is_approved:
        return []
    mentioned = {target["user_id"] for target in mention_targets(post.body_markdown).values()}
    if not mentioned:
        return []
    told = Notification.objects.filter(post=post, kind=Kind.MENTION, recipient_id__in=mentioned)
    new = mentioned - set(told.values_list("recipient_id", flat=True))
    return send_notifications(dict.fromkeys(new, Kind.MENTION), topic=post.topic, post=post, actor=post.author)


def notify_about_accepted_answer(topic, post, by) -> list[Notification]:
    """The answer's author hears that it was accepted (unless they accepted it themselves)."""
    post = Post.objects.select_related("topic").get(pk=post.pk)
    if post.author_id is None:
        return []
    return send_notifications({post.author_id: Kind.ACCEPTED}, topic=post.topic, post=post, actor=by)


def notify_about_approval(post, by) -> list[Notification]:
    """The author of a held post hears that a moderator approved it (and everyone can read it)."""
    if post.author_id is None:
        return []
    return send_notifications({post.author_id: Kind.APPROVED}, topic=post.topic, post=post, actor=by)


def send_notifications(recipients: dict, *, topic: Topic, post: Post | None, actor) -> list[Notification]:
    """Write one notification per ``{user id: kind}`` for those who may see ``topic`` and ``post``
    now, never the actor; then push them live and email those who opted in, after commit."""
    actor_id = getattr(actor, "pk", None)
    ids = [user_id for user_id in recipients if user_id != actor_id]
    if not ids:
        return []
    members = get_user_model().objects.filter(pk__in=ids, is_active=True)
    allowed = [
        member for member in members if can_view_topic(member, topic) and (post is None or can_see_post(member, post))
    ]
    if not allowed:
        return []
    with transaction.atomic():
        rows = Notification.objects.bulk_create(
            [
                Notification(recipient=member, kind=recipients[member.pk], topic=topic, post=post, actor=actor)
                for member in allowed
            ]
        )
        transaction.on_commit(partial(push_notifications, rows))
        transaction.on_commit(partial(email_notifications, rows))
    return rows


def push_notifications(rows: list[Notification]) -> None:
    """Tell each recipient's open pages: the notification's id and kind, and their unread count
    (the bell's number: one count per recipient, since what each may see differs)."""
    for row in rows:
        send_event(
            member_group(row.recipient_id),
            {
                "type": "notification.created",
                "notification": row.pk,
                "kind": row.kind,
                "unread": unread_count(row.recipient),
            },
        )


def email_notifications(rows: list[Notification]) -> None:
    """Email the recipients who opted in, each in their preferred language; a failure is logged."""
    wanted = set(
        NotificationPreference.objects.filter(
            user_id__in=[row.recipient_id for row in rows], email_on_activity=True
        ).values_list("user_id", flat=True)
    )
    for row in rows:
        if row.recipient_id not in wanted:
            continue
        recipient = row.recipient
        try:
            with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
                context = {
                    "notification": row,
                    "recipient": recipient,
                    "actor_name": row.actor.public_name if row.actor else _("Someone"),
                    "topic": row.topic,
                    "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
                    + (row.post.get_absolute_url() if row.post else row.topic.get_absolute_url()),
                    "settings_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("forum:notifications"),
                    "site_name": settings.WAGTAIL_SITE_NAME,
                }
                subject = " ".join(render_to_string("email/forum_notification_subject.txt", context).split())
                body = render_to_string("email/forum_notification.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
        except Exception:  # the notification is stored and shown in the site; mail is a bonus
            logger.exception("Could not email forum notification %s", row.pk)


# --- Receivers (connected in ForumConfig.ready) -------------------------------------------------


def on_post_created(sender, post, **kwargs):
    notify_about_post(post)


def on_post_edited(sender, post, **kwargs):
    notify_about_edit(post)


def on_answer_accepted(sender, topic, post, by=None, **kwargs):
    notify_about_accepted_answer(topic, post, by)


def on_post_approved(sender, post, by=None, **kwargs):
    notify_about_approval(post, by)


def connect_receivers() -> None:
    post_created.connect(on_post_created, dispatch_uid="forum.notifications.post_created")
    post_edited.connect(on_post_edited, dispatch_uid="forum.notifications.post_edited")
    answer_accepted.connect(on_answer_accepted, dispatch_uid="forum.notifications.answer_accepted")
    post_approved.connect(on_post_approved, dispatch_uid="forum.notifications.post_approved")
