"""The forum's websocket: a topic page listens here for what changes while it is open.

Thin on purpose: it authenticates in ``connect`` (forum.permissions), joins one group for the
topic and, for a member, one for their notifications, and forwards each event type with its own
handler. Events carry ids only (see forum.live for the contract); the page fetches the HTML
through forum.views.live, which checks permissions again.
"""

import asyncio
import time
import weakref
from dataclasses import dataclass

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from forum.live import member_group, topic_group
from forum.permissions import visible_topics

#: The close code of a reader who may not (or may no longer) see the topic.
CLOSE_NOT_ALLOWED = 4403


@database_sync_to_async
def may_view_topic(user_id: int | None, topic_id: int) -> bool:
    """Whether this reader may see the topic now: the member is read afresh, so a member who was
    deactivated or left a group since they connected is judged as they are now."""
    user = AnonymousUser()
    if user_id is not None:
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first() or AnonymousUser()
    return visible_topics(user).filter(pk=topic_id).exists()


@dataclass
class _Check:
    started: float
    task: asyncio.Future


#: Answers of may_view_topic shared by the consumers of one event loop (one server process):
#: {loop: {(user id or None, topic id): _Check}}. When a reply reaches 200 anonymous readers of a
#: topic, one query answers them all instead of 200 queued one after another.
_recent_checks: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]" = weakref.WeakKeyDictionary()


async def recent_permission(user_id, topic_id, *, max_age: float, fresh_after: float | None = None) -> bool:
    """may_view_topic, answered by a check started at most ``max_age`` seconds ago (and, with
    ``fresh_after``, started no earlier than that moment: after the event that asked for it)."""
    checks = _recent_checks.setdefault(asyncio.get_running_loop(), {})
    now = time.monotonic()
    check = checks.get((user_id, topic_id))
    if check is None or now - check.started > max_age or (fresh_after is not None and check.started < fresh_after):
        if len(checks) > 10_000:  # forget the stale ones now and then
            for key in [key for key, old in checks.items() if now - old.started > max_age]:
                del checks[key]
        check = _Check(started=now, task=asyncio.ensure_future(may_view_topic(user_id, topic_id)))
        checks[(user_id, topic_id)] = check
    return await asyncio.shield(check.task)


class TopicConsumer(AsyncJsonWebsocketConsumer):
    """``ws/forum/topics/<topic_id>/``: events of one topic, and the reader's notifications."""

    #: A permission check holds this long (shared by the readers of one process); the next event
    #: after it checks again. A topic.changed event (moved, hidden, deleted) always checks afresh.
    recheck_seconds = 5.0

    async def connect(self):
        self.topic_id = self.scope["url_route"]["kwargs"]["topic_id"]
        user = self.scope.get("user")
        self.user_id = user.pk if user is not None and user.is_authenticated else None
        self.refused = False
        if not await self.still_allowed():
            # Accept, then close: a browser sees the 4403 (a refused handshake is only a 1006).
            await self.accept()
            await self.refuse()
            return
        self.groups = [topic_group(self.topic_id)]
        if self.user_id is not None:
            self.groups.append(member_group(self.user_id))
        for group in self.groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def receive_json(self, content, **kwargs):
        """Readers only listen; anything they send is ignored."""

    async def still_allowed(self, *, force: bool = False) -> bool:
        """Whether the reader may still see the topic; ``force``: judged after this moment."""
        fresh_after = time.monotonic() if force else None
        return await recent_permission(
            self.user_id, self.topic_id, max_age=self.recheck_seconds, fresh_after=fresh_after
        )

    async def refuse(self):
        self.refused = True
        await self.close(code=CLOSE_NOT_ALLOWED)

    async def forward(self, event, *, recheck: bool = False):
        if self.refused:
            return
        if not await self.still_allowed(force=recheck):
            await self.refuse()
            return
        await self.send_json(event)

    # One handler per event type (the group message's "type" with "." as "_").

    async def post_created(self, event):
        await self.forward(event)

    async def post_edited(self, event):
        await self.forward(event)

    async def post_voted(self, event):
        await self.forward(event)

    async def answer_accepted(self, event):
        await self.forward(event)

    async def topic_changed(self, event):
        await self.forward(event, recheck=True)

    async def notification_created(self, event):
        # Checked against forum.permissions when the notification was made for this member.
        if not self.refused:
            await self.send_json(event)
