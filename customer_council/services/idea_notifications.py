"""Telling voters and followers that an idea's status changed: in the site, live, and by email.

No notification rows of its own (the council adds no models for it, and the forum's
``Notification`` belongs to a topic): the :class:`~customer_council.models.IdeaStatusChange` *is*
the notification. A member's "status changes" list is the changes of ideas they vote for or
follow, newer than ``Membership.last_visit_at`` (:func:`status_updates_for`), read through the
same visibility as the board, so it cannot show what they may no longer open.

Sending happens after the change commits, and permission is checked then, per recipient: an
account that is inactive or may no longer enter the council (term ended, agreements owed) gets
neither the live event nor the email. Council managers may always enter, so a manager who
follows an idea is told too. The actor is never told of their own change.

Live event, to ``council.user.<id>`` (customer_council.consumers forwards it after checking
access again): ``{"type": "idea.status_changed", "idea": 7, "change": 31}``.
Email goes only to those who opted in to activity email (the forum's preference, off by
default), in their preferred language.
"""

from __future__ import annotations

import logging
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from customer_council.access import current_membership, is_manager, may_enter
from customer_council.models import IdeaFollow, IdeaStatusChange, IdeaVote
from forum.services.notifications import wants_email

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    """Every open council page of one member."""
    return f"council.user.{user_id}"


def audience_ids(idea_id: int) -> set[int]:
    """The user ids of the idea's voters and followers."""
    voters = IdeaVote.objects.filter(idea_id=idea_id).values_list("user_id", flat=True)
    followers = IdeaFollow.objects.filter(idea_id=idea_id).values_list("user_id", flat=True)
    return set(voters) | set(followers)


def notify_status_change(change: IdeaStatusChange, *, recipient_ids=None) -> None:
    """After the change commits, tell the idea's voters and followers (or ``recipient_ids``,
    gathered before a merge moved them) who may still enter."""
    ids = set(recipient_ids) if recipient_ids is not None else None
    transaction.on_commit(partial(send_status_change, change.pk, ids))


def allowed_recipients(user_ids, *, actor_id=None) -> list:
    """The accounts among ``user_ids`` who may enter the council *now* (or manage it)."""
    ids = [user_id for user_id in set(user_ids) if user_id != actor_id]
    users = get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")
    return [user for user in users if may_enter(user) or is_manager(user)]


def send_status_change(change_id: int, recipient_ids: set[int] | None = None) -> list:
    """Push the change to each allowed recipient's open pages and email those who opted in.
    Returns the accounts told (for tests and logs)."""
    change = IdeaStatusChange.objects.select_related("idea", "status", "previous").filter(pk=change_id).first()
    if change is None or change.idea.hidden:
        return []
    ids = recipient_ids if recipient_ids is not None else audience_ids(change.idea_id)
    recipients = allowed_recipients(ids, actor_id=change.changed_by_id)
    layer = get_channel_layer()
    for user in recipients:
        if layer is not None:
            async_to_sync(layer.group_send)(
                user_group(user.pk), {"type": "idea.status_changed", "idea": change.idea_id, "change": change.pk}
            )
        if wants_email(user):
            email_status_change(change, user)
    return recipients


def email_status_change(change: IdeaStatusChange, recipient) -> None:
    """One email in the recipient's language; a failure is logged (the site still shows it)."""
    try:
        with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
            base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            context = {
                "change": change,
                "idea": change.idea,
                "recipient": recipient,
                "url": base + reverse("customer_council:idea", args=[change.idea_id]),
                "settings_url": base + reverse("forum:notifications"),
                "site_name": settings.WAGTAIL_SITE_NAME,
            }
            subject = " ".join(render_to_string("customer_council/emails/idea_status_subject.txt", context).split())
            body = render_to_string("customer_council/emails/idea_status.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    except Exception:  # the change is stored and shown in the site; mail is a bonus
        logger.exception("Could not email idea status change %s to %s", change.pk, recipient.pk)


def status_updates_for(user, ideas: QuerySet, *, since=None) -> QuerySet:
    """Status changes (not the first status) of ``ideas`` (the reader's visible ideas) that
    ``user`` votes for or follows, newest first; since ``since``, or their last council visit."""
    if since is None:
        membership = current_membership(user)
        since = membership.last_visit_at if membership is not None else None
    mine = Q(idea__votes__user=user) | Q(idea__follows__user=user)
    changes = (
        IdeaStatusChange.objects.filter(mine, previous__isnull=False, idea__in=ideas)
        .exclude(changed_by=user)
        .select_related("idea", "status")
        .distinct()
        .order_by("-at", "-pk")
    )
    if since is not None:
        changes = changes.filter(at__gt=since)
    return changes
