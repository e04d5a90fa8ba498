"""The council websocket: who may listen, what arrives after a commit, and when it closes.

Consumers run through channels' WebsocketCommunicator on the real in-memory layer. The tests are
transactional: the consumer reads the database from its own helpers, and the services announce
with ``transaction.on_commit``, as in production.
"""

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client
from django.utils import timezone

from config.asgi import application as site_application
from customer_council.access import sync_access
from customer_council.consumers import CLOSE_NOT_ALLOWED
from customer_council.models import IdeaStatus, Membership
from customer_council.routing import websocket_urlpatterns
from customer_council.services import ideas
from tests.factories import UserFactory
from tests.factories.council import make_council_manager, make_council_member, make_membership

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: Long enough for an event to cross the in-memory layer, short enough to keep "nothing came" fast.
QUIET = 0.3


@pytest.fixture(autouse=True)
def _empty_channel_layer():
    async_to_sync(get_channel_layer().flush)()
    yield
    async_to_sync(get_channel_layer().flush)()


def listener(user=None):
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/council/")
    communicator.scope["user"] = user or AnonymousUser()
    return communicator


async def is_refused(communicator) -> bool:
    connected, _subprotocol = await communicator.connect()
    closing = await communicator.receive_output(timeout=1)
    await communicator.wait()
    return connected and closing == {"type": "websocket.close", "code": CLOSE_NOT_ALLOWED}


async def is_closed(communicator) -> bool:
    closing = await communicator.receive_output(timeout=1)
    return closing == {"type": "websocket.close", "code": CLOSE_NOT_ALLOWED}


def run(scenario):
    return async_to_sync(scenario)()


def end_term_quietly(user):
    """The term ends without anything telling the sockets (as at midnight, before any request)."""
    Membership.objects.filter(user=user).update(term_end=timezone.localdate() - timedelta(days=1))


def test_a_member_hears_of_a_status_change_of_an_idea_they_vote_for():
    member, manager = make_council_member(), make_council_manager()
    idea = ideas.post_idea(make_council_member(), "Dark mode", "Bright screens")
    ideas.vote(member, idea)
    planned = IdeaStatus.objects.get(name="Planned")

    async def scenario():
        communicator = listener(member)
        connected, _ = await communicator.connect()
        assert connected
        change = await sync_to_async(ideas.change_status)(idea, planned, "Soon", by=manager)
        events = [await communicator.receive_json_from(timeout=2), await communicator.receive_json_from(timeout=2)]
        assert {"type": "idea.status_changed", "idea": idea.pk, "change": change.pk} in events
        assert {"type": "idea.changed", "idea": idea.pk} in events
        assert await communicator.receive_nothing(timeout=QUIET)
        await communicator.disconnect()

    run(scenario)


@pytest.mark.parametrize("kind", ["anonymous", "non-member", "expired", "invited"])
def test_outsiders_are_refused_with_4403(kind):
    user = None
    if kind != "anonymous":
        user = UserFactory()
        if kind != "non-member":
            make_membership(user, state=Membership.State.EXPIRED if kind == "expired" else Membership.State.INVITED)

    async def scenario():
        assert await is_refused(listener(user))

    run(scenario)


def test_a_manager_without_a_seat_may_listen():
    manager = make_council_manager()

    async def scenario():
        communicator = listener(manager)
        connected, _ = await communicator.connect()
        assert connected and await communicator.receive_nothing(timeout=QUIET)
        await communicator.disconnect()

    run(scenario)


def test_a_member_whose_access_ends_has_the_open_socket_closed_at_once():
    member = make_council_member()

    def revoke():
        with transaction.atomic():
            Membership.objects.filter(user=member).update(state=Membership.State.REVOKED)
            sync_access(member)

    async def scenario():
        communicator = listener(member)
        connected, _ = await communicator.connect()
        assert connected
        await sync_to_async(revoke)()
        assert await is_closed(communicator)

    run(scenario)


def test_an_idea_event_is_not_forwarded_to_a_member_whose_term_has_ended_since_connecting():
    member, manager = make_council_member(), make_council_manager()
    idea = ideas.post_idea(member, "Dark mode", "Bright screens")
    planned = IdeaStatus.objects.get(name="Planned")

    async def scenario():
        communicator = listener(member)
        connected, _ = await communicator.connect()
        assert connected
        await sync_to_async(end_term_quietly)(member)
        await sync_to_async(ideas.change_status)(idea, planned, "", by=manager)
        assert await is_closed(communicator)

    run(scenario)


def test_a_rolled_back_change_announces_nothing():
    member, manager = make_council_member(), make_council_manager()
    idea = ideas.post_idea(member, "Dark mode", "Bright screens")
    planned = IdeaStatus.objects.get(name="Planned")

    def change_then_fail():
        with pytest.raises(RuntimeError), transaction.atomic():
            ideas.change_status(idea, planned, "", by=manager)
            raise RuntimeError

    async def scenario():
        communicator = listener(member)
        await communicator.connect()
        await sync_to_async(change_then_fail)()
        assert await communicator.receive_nothing(timeout=QUIET)
        await communicator.disconnect()

    run(scenario)


def test_the_site_application_serves_the_council_socket_with_the_session_cookie():
    """Through config.asgi as daphne serves it: origin check, session and auth middleware."""
    client = Client()
    client.force_login(make_council_member())
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver"), (b"cookie", cookie.encode())]

    async def scenario():
        member = WebsocketCommunicator(site_application, "/ws/council/", headers=headers)
        connected, _ = await member.connect()
        assert connected and await member.receive_nothing(timeout=QUIET)
        await member.disconnect()

    run(scenario)
