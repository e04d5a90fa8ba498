"""Listening to a member's council group on the real in-memory channel layer, as an open council
page would (customer_council.services.idea_notifications.user_group)."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from customer_council.services import idea_notifications


@pytest.fixture
def empty_channel_layer():
    """An empty layer before and after the test (use it with ``pytestmark`` or autouse)."""
    async_to_sync(get_channel_layer().flush)()
    yield
    async_to_sync(get_channel_layer().flush)()


def listen(user):
    """A new channel in the user's council group."""
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(idea_notifications.user_group(user.pk), channel)
    return channel


def received(channel) -> list:
    """Every event waiting on the channel (none arrives within 50 ms: done)."""

    async def drain():
        events = []
        while True:
            try:
                events.append(await asyncio.wait_for(get_channel_layer().receive(channel), timeout=0.05))
            except TimeoutError:
                return events

    return async_to_sync(drain)()
