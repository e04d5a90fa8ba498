"""Live updates across server processes: the Redis channel layer (REDIS_URL -> channels_redis).

A throwaway redis-server (Debian's package; `make test` installs it) listens on a free port for
this module. Without redis-server installed these tests are skipped, with the reason.
"""

import os
import runpy
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import channel_layers
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser

from forum import services
from forum.live import topic_group
from forum.routing import websocket_urlpatterns
from tests.factories.forum import make_category, make_member
from tests.redis_server import REDIS_SERVER, start_redis

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        REDIS_SERVER is None, reason="redis-server is not installed (`make test` installs Debian's redis-server)"
    ),
]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """redis-server on a free loopback port, no persistence, stopped after this module."""
    process, url = start_redis(tmp_path_factory.mktemp("redis"))
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(autouse=True)
def redis_channel_layer(redis_url, settings, tmp_path):
    """CHANNEL_LAYERS exactly as config/settings/base.py builds it when REDIS_URL is set."""
    with mock.patch.dict(os.environ, {"REDIS_URL": redis_url, "DATA_DIR": str(tmp_path)}):
        production = runpy.run_path(str(Path(django_settings.BASE_DIR) / "config" / "settings" / "base.py"))
    assert production["CHANNEL_LAYERS"]["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    settings.CHANNEL_LAYERS = production["CHANNEL_LAYERS"]
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def listener(topic, user=None):
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/forum/topics/{topic.pk}/")
    communicator.scope["user"] = user or AnonymousUser()
    return communicator


@pytest.fixture
def topic():
    return services.create_topic(make_member(), category=make_category("Coffee"), title="Descaling", body="How?")


def test_two_readers_get_a_reply_through_redis(topic):
    member, replier = make_member(), make_member()

    async def scenario():
        first, second = listener(topic, member), listener(topic)
        assert (await first.connect())[0] and (await second.connect())[0]
        post = await sync_to_async(services.reply)(replier, topic, "Citric acid.")
        expected = {"type": "post.created", "topic": topic.pk, "post": post.pk, "position": 2}
        assert await first.receive_json_from(timeout=3) == expected
        assert await second.receive_json_from(timeout=3) == expected
        await first.disconnect()
        await second.disconnect()

    async_to_sync(scenario)()


def test_an_event_sent_by_another_server_process_reaches_this_ones_readers(topic, redis_url):
    """What a reply posted on another daphne process does: group_send on the shared Redis."""
    sender = (
        "import asyncio, sys\n"
        "from channels_redis.core import RedisChannelLayer\n"
        "event = {'type': 'post.created', 'topic': int(sys.argv[3]), 'post': 99, 'position': 2}\n"
        "asyncio.run(RedisChannelLayer(hosts=[sys.argv[1]]).group_send(sys.argv[2], event))\n"
    )

    async def scenario():
        communicator = listener(topic)
        assert (await communicator.connect())[0]
        await sync_to_async(subprocess.run)(
            [sys.executable, "-c", sender, redis_url, topic_group(topic.pk), str(topic.pk)], check=True, timeout=30
        )
        event = await communicator.receive_json_from(timeout=3)
        assert event == {"type": "post.created", "topic": topic.pk, "post": 99, "position": 2}
        await communicator.disconnect()

    async_to_sync(scenario)()


def test_an_idle_reader_outlives_the_redis_clients_socket_timeout(topic):
    """channels_redis waits for messages with a blocking pop of up to 5 s; redis-py 8 cuts any
    read after 5 s by default, which crashed every reader left idle that long."""

    async def scenario():
        communicator = listener(topic)
        assert (await communicator.connect())[0]
        assert await communicator.receive_nothing(timeout=7)
        post = await sync_to_async(services.reply)(make_member(), topic, "Still there?")
        assert (await communicator.receive_json_from(timeout=3))["post"] == post.pk
        await communicator.disconnect()

    async_to_sync(scenario)()
