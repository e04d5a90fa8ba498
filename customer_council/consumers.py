"""The council's websocket: an open council page listens here for idea events.

Thin on purpose (like forum.consumers): it authenticates in ``connect`` (a member who may enter
now, or a council manager), joins the member's own group and the board's group, and forwards
each event type with its own handler. Events carry ids only; the page fetches the HTML from
permission-checked views. Access is checked again, against the database, before any idea event
is forwarded, and ``council.access_ended`` (customer_council.access.sync_access) closes the
socket at once.

Groups: ``council.user.<id>`` (``idea.status_changed``, ``council.access_ended``) and
``council.ideas`` (``idea.changed``).
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model

from customer_council.access import is_manager, may_enter
from customer_council.services.idea_notifications import user_group
from customer_council.services.ideas import IDEAS_GROUP

#: The close code of a reader who may not (or may no longer) enter the council.
CLOSE_NOT_ALLOWED = 4403


@database_sync_to_async
def may_listen(user_id: int | None) -> bool:
    """Whether this account may enter the council now (read afresh: a term that ended or an
    agreement now owed since the socket opened counts)."""
    if user_id is None:
        return False
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return user is not None and (is_manager(user) or may_enter(user))


class CouncilConsumer(AsyncJsonWebsocketConsumer):
    """``ws/council/``: idea events for one member's open council pages."""

    async def connect(self):
        user = self.scope.get("user")
        self.user_id = user.pk if user is not None and user.is_authenticated else None
        self.refused = False
        if not await may_listen(self.user_id):
            # Accept, then close: a browser sees the 4403 (a refused handshake is only a 1006).
            await self.accept()
            await self.refuse()
            return
        self.groups = [user_group(self.user_id), IDEAS_GROUP]
        for group in self.groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def receive_json(self, content, **kwargs):
        """Members only listen; anything they send is ignored."""

    async def refuse(self):
        self.refused = True
        await self.close(code=CLOSE_NOT_ALLOWED)

    async def forward(self, event):
        if self.refused:
            return
        if not await may_listen(self.user_id):
            await self.refuse()
            return
        await self.send_json(event)

    # One handler per event type (the group message's "type" with "." as "_").

    async def idea_changed(self, event):
        await self.forward(event)

    async def idea_status_changed(self, event):
        await self.forward(event)

    async def council_access_ended(self, event):
        if not self.refused:
            await self.refuse()
