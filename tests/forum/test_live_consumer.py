"""The topic websocket: who may listen, what arrives after a commit, and what never arrives.

Consumers run through channels' WebsocketCommunicator on the in-memory layer. The tests are
transactional (``transaction=True``): the consumer reads the database from its own helpers, and
the forum's signals are sent by ``transaction.on_commit``, as in production.
"""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client

from config.asgi import application as site_application
from forum import services
from forum.consumers import CLOSE_NOT_ALLOWED, TopicConsumer
from forum.models import Topic
from forum.routing import websocket_urlpatterns
from forum.services import moderation
from tests.factories.forum import make_category, make_group, make_member, make_moderator

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: Long enough for an event to cross the in-memory layer, short enough to keep "nothing came" fast.
QUIET = 0.3


@pytest.fixture(autouse=True)
def _empty_channel_layer():
    """Groups and queues of earlier tests (and their event loops) must not leak into this one."""
    async_to_sync(get_channel_layer().flush)()
    yield
    async_to_sync(get_channel_layer().flush)()


def listener(topic, user=None):
    """A communicator on the topic's websocket, as ``user`` (AuthMiddlewareStack's scope user)."""
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/forum/topics/{topic.pk}/")
    communicator.scope["user"] = user or AnonymousUser()
    return communicator


async def is_refused(communicator) -> bool:
    """Accepted, then closed with 4403 (a browser can tell that from a network failure)."""
    connected, _subprotocol = await communicator.connect()
    closing = await communicator.receive_output(timeout=1)
    await communicator.wait()
    return connected and closing == {"type": "websocket.close", "code": CLOSE_NOT_ALLOWED}


async def is_listening(communicator) -> bool:
    connected, _subprotocol = await communicator.connect()
    return connected and await communicator.receive_nothing(timeout=QUIET)


def run(scenario):
    return async_to_sync(scenario)()


@pytest.fixture
def insiders():
    return make_group("Insiders")


@pytest.fixture
def public_topic():
    return services.create_topic(make_member(), category=make_category("Coffee"), title="Descaling", body="How?")


@pytest.fixture
def restricted_topic(insiders):
    author = make_member(insiders)
    category = make_category("Council", restricted_to=[insiders])
    return services.create_topic(author, category=category, title="Roadmap thoughts", body="Ideas?")


# --- Who may listen ------------------------------------------------------------------------------


def test_an_anonymous_visitor_may_watch_a_public_topic(public_topic):
    async def scenario():
        communicator = listener(public_topic)
        assert await is_listening(communicator)
        await communicator.disconnect()

    run(scenario)


def test_an_outsider_is_refused_a_restricted_topic_with_4403(restricted_topic):
    outsider = make_member()

    async def scenario():
        assert await is_refused(listener(restricted_topic, outsider))
        assert await is_refused(listener(restricted_topic))

    run(scenario)


def test_a_member_of_the_categorys_group_may_watch_a_restricted_topic(restricted_topic, insiders):
    insider = make_member(insiders)

    async def scenario():
        communicator = listener(restricted_topic, insider)
        assert await is_listening(communicator)
        await communicator.disconnect()

    run(scenario)


def test_a_hidden_topic_is_refused_to_members_but_not_to_moderators(public_topic):
    Topic.objects.filter(pk=public_topic.pk).update(is_hidden=True)
    member, moderator = make_member(), make_moderator()

    async def scenario():
        assert await is_refused(listener(public_topic, member))
        communicator = listener(public_topic, moderator)
        assert await is_listening(communicator)
        await communicator.disconnect()

    run(scenario)


def test_a_topic_that_does_not_exist_is_refused():
    async def scenario():
        communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/forum/topics/999999/")
        communicator.scope["user"] = AnonymousUser()
        assert await is_refused(communicator)

    run(scenario)


def test_the_site_application_reads_the_member_from_the_session_cookie(restricted_topic, insiders):
    """Through config.asgi as daphne serves it: origin check, session and auth middleware."""
    client = Client()
    client.force_login(make_member(insiders))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver"), (b"cookie", cookie.encode())]

    async def scenario():
        member = WebsocketCommunicator(site_application, f"/ws/forum/topics/{restricted_topic.pk}/", headers=headers)
        assert await is_listening(member)
        await member.disconnect()
        anonymous = WebsocketCommunicator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns)), f"/ws/forum/topics/{restricted_topic.pk}/"
        )
        assert await is_refused(anonymous)

    run(scenario)


# --- What arrives ------------------------------------------------------------------------------


def test_a_reply_arrives_as_an_event_with_ids_only(public_topic):
    replier = make_member()

    async def scenario():
        communicator = listener(public_topic)
        await communicator.connect()
        post = await sync_to_async(services.reply)(replier, public_topic, "Citric acid, every two months.")
        event = await communicator.receive_json_from(timeout=2)
        assert event == {"type": "post.created", "topic": public_topic.pk, "post": post.pk, "position": 2}
        await communicator.disconnect()

    run(scenario)


def test_edits_votes_and_the_accepted_answer_arrive_as_events(public_topic):
    replier, voter = make_member(), make_member()
    asker = public_topic.author
    post = services.reply(replier, public_topic, "Citric acid.")

    async def scenario():
        communicator = listener(public_topic, voter)
        await communicator.connect()
        await sync_to_async(services.edit_post)(replier, post, "Citric acid, every two months.")
        assert await communicator.receive_json_from(timeout=2) == {
            "type": "post.edited",
            "topic": public_topic.pk,
            "post": post.pk,
            "position": 2,
        }
        await sync_to_async(services.vote)(voter, post)
        assert await communicator.receive_json_from(timeout=2) == {
            "type": "post.voted",
            "topic": public_topic.pk,
            "post": post.pk,
            "position": 2,
            "score": 1,
        }
        await sync_to_async(services.accept_answer)(asker, post)
        assert await communicator.receive_json_from(timeout=2) == {
            "type": "answer.accepted",
            "topic": public_topic.pk,
            "post": post.pk,
            "position": 2,
        }
        await communicator.disconnect()

    run(scenario)


def test_a_rolled_back_reply_sends_nothing(public_topic):
    replier = make_member()

    def reply_then_fail():
        with pytest.raises(RuntimeError), transaction.atomic():
            services.reply(replier, public_topic, "This never happened.")
            raise RuntimeError("rolled back")

    async def scenario():
        communicator = listener(public_topic)
        await communicator.connect()
        await sync_to_async(reply_then_fail)()
        assert await communicator.receive_nothing(timeout=QUIET)
        await communicator.disconnect()

    run(scenario)
    assert Topic.objects.get(pk=public_topic.pk).post_count == 1


def test_events_of_another_topic_do_not_arrive(public_topic):
    other = services.create_topic(make_member(), category=public_topic.category, title="Grinders", body="Burr?")

    async def scenario():
        communicator = listener(public_topic)
        await communicator.connect()
        await sync_to_async(services.reply)(make_member(), other, "Conical burrs.")
        assert await communicator.receive_nothing(timeout=QUIET)
        await communicator.disconnect()

    run(scenario)


# --- Losing sight of a topic while connected -----------------------------------------------------


def test_a_topic_moved_into_a_restricted_category_closes_an_outsiders_socket(public_topic, insiders):
    outsider, insider, moderator = make_member(), make_member(insiders), make_moderator()
    council = make_category("Council", restricted_to=[insiders])

    async def scenario():
        outside = listener(public_topic, outsider)
        inside = listener(public_topic, insider)
        await outside.connect()
        await inside.connect()
        await sync_to_async(moderation.move_topic)(moderator, public_topic, council, reason="Council only")
        assert await outside.receive_output(timeout=1) == {"type": "websocket.close", "code": CLOSE_NOT_ALLOWED}
        assert await inside.receive_json_from(timeout=1) == {"type": "topic.changed", "topic": public_topic.pk}
        await sync_to_async(services.reply)(insider, public_topic, "Members only now.")
        assert (await inside.receive_json_from(timeout=2))["type"] == "post.created"
        assert await outside.receive_nothing(timeout=QUIET)
        await inside.disconnect()

    run(scenario)


def test_hiding_a_topic_closes_a_members_socket_but_not_a_moderators(public_topic):
    member, moderator = make_member(), make_moderator()

    async def scenario():
        reading = listener(public_topic, member)
        moderating = listener(public_topic, moderator)
        await reading.connect()
        await moderating.connect()
        await sync_to_async(moderation.hide_topic)(moderator, public_topic, reason="Spam")
        assert await reading.receive_output(timeout=1) == {"type": "websocket.close", "code": CLOSE_NOT_ALLOWED}
        assert await moderating.receive_json_from(timeout=1) == {"type": "topic.changed", "topic": public_topic.pk}
        await moderating.disconnect()

    run(scenario)


def test_a_category_restricted_later_stops_events_at_the_next_permission_check(public_topic, insiders, monkeypatch):
    """No topic.changed here (the admin restricted the category): the cached check runs out."""
    monkeypatch.setattr(TopicConsumer, "recheck_seconds", 0)
    outsider, insider = make_member(), make_member(insiders)

    async def scenario():
        outside = listener(public_topic, outsider)
        await outside.connect()
        await sync_to_async(public_topic.category.restricted_to.set)([insiders])
        await sync_to_async(services.reply)(insider, public_topic, "Members only now.")
        assert await outside.receive_output(timeout=1) == {"type": "websocket.close", "code": CLOSE_NOT_ALLOWED}

    run(scenario)


def test_a_member_hears_of_their_notifications_on_the_topic_socket(public_topic):
    """Members also join forum.user.<id>: a reply to the topic they asked reaches their bell."""
    asker = public_topic.author

    async def scenario():
        communicator = listener(public_topic, asker)
        await communicator.connect()
        post = await sync_to_async(services.reply)(make_member(), public_topic, "Try citric acid.")
        received = [await communicator.receive_json_from(timeout=2) for _ in range(2)]
        by_type = {event["type"]: event for event in received}
        assert by_type["post.created"]["post"] == post.pk
        assert by_type["notification.created"]["kind"] == "reply"
        assert by_type["notification.created"]["unread"] == 1
        await communicator.disconnect()

    run(scenario)


def test_what_a_reader_sends_is_ignored(public_topic):
    async def scenario():
        communicator = listener(public_topic)
        await communicator.connect()
        await communicator.send_json_to({"type": "post.created", "post": 1})
        assert await communicator.receive_nothing(timeout=QUIET)
        await communicator.disconnect()

    run(scenario)
