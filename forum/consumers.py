"""The forum's websocket: a topic page listens here for what changes while it is open.

Thin on purpose: it authenticates in ``connect`` (forum.permissions), joins one group for the
topic and, for a member, one for their notifications, and forwards each event type with its own
handler. Events carry ids only (see forum.live for the contract); the page fetches the HTML
through forum.views.live, which checks permissions again.
"""

import time

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


class TopicConsumer(AsyncJsonWebsocketConsumer):
    """``ws/forum/topics/<topic_id>/``: events of one topic, and the reader's notifications."""

    #: A permission check holds this long; the next event after it checks again. A topic.changed
    #: event (moved, hidden, deleted) always checks at once.
    recheck_seconds = 5.0

    async def connect(self):
        self.topic_id = self.scope["url_route"]["kwargs"]["topic_id"]
        user = self.scope.get("user")
        self.user_id = user.pk if user is not None and user.is_authenticated else None
        self.refused = False
        if not await self.still_allowed(force=True):
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
        now = time.monotonic()
        if force or now >= getattr(self, "checked_until", 0.0):
            self.allowed = await may_view_topic(self.user_id, self.topic_id)
            self.checked_until = now + self.recheck_seconds
        return self.allowed

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
