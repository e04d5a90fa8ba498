"""The websocket origin check (config.websocket_origin) through the site's ASGI application.

A page may open a socket only to the origin it was served from: scheme, host and port, with 80 and
443 implied. Another port of the same host, another host, a missing or "null" Origin, and a Host
outside ALLOWED_HOSTS are refused at the handshake (the socket never opens); settings'
CSRF_TRUSTED_ORIGINS are let in, as for forms.
"""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from config.asgi import application
from forum import services
from tests.factories.forum import make_category, make_member

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SITE = "127.0.0.1:8000"


@pytest.fixture(autouse=True)
def _empty_channel_layer():
    async_to_sync(get_channel_layer().flush)()
    yield
    async_to_sync(get_channel_layer().flush)()


@pytest.fixture
def topic():
    return services.create_topic(make_member(), category=make_category("Coffee"), title="Descaling", body="How?")


def handshake(topic, *, host=SITE, origin=None, scheme="ws", extra=()) -> bool:
    """Whether the site's application opens the topic's socket for these handshake headers."""
    headers = [(b"host", host.encode())] if host else []
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    headers.extend(extra)

    async def scenario():
        communicator = WebsocketCommunicator(application, f"/ws/forum/topics/{topic.pk}/", headers=headers)
        communicator.scope["scheme"] = scheme
        connected, _detail = await communicator.connect()
        if connected:
            await communicator.disconnect()
        return connected

    return async_to_sync(scenario)()


# --- Refused ---------------------------------------------------------------------------------


def test_a_page_on_another_port_of_the_same_host_is_refused(topic):
    assert not handshake(topic, origin="http://127.0.0.1:9999")


def test_a_page_on_the_same_host_without_the_sites_port_is_refused(topic):
    assert not handshake(topic, origin="http://127.0.0.1")


def test_a_plain_http_page_may_not_open_a_secure_socket(topic):
    assert not handshake(topic, host="support.example.com", origin="http://support.example.com", scheme="wss")


def test_a_handshake_without_an_origin_is_refused(topic):
    """Browsers always send Origin; only a non-browser client leaves it out, so failing closed costs nothing."""
    assert not handshake(topic, origin=None)


def test_a_null_origin_is_refused(topic):
    assert not handshake(topic, origin="null")


def test_a_page_of_another_host_is_refused(topic):
    assert not handshake(topic, origin="http://attacker.example")


@override_settings(ALLOWED_HOSTS=["support.example.com"])
def test_a_host_outside_allowed_hosts_is_refused_even_from_its_own_origin(topic):
    """A DNS-rebinding page is same-origin with itself; ALLOWED_HOSTS still keeps it out."""
    assert not handshake(topic, host="attacker.example", origin="http://attacker.example")


# --- Let in ------------------------------------------------------------------------------------


def test_a_page_of_the_site_on_its_port_may_open_a_socket(topic):
    assert handshake(topic, origin=f"http://{SITE}")


@pytest.mark.parametrize(
    ("host", "origin", "scheme"),
    [
        ("support.example.com", "http://support.example.com", "ws"),
        ("support.example.com:80", "http://support.example.com", "ws"),
        ("support.example.com", "https://support.example.com", "wss"),
        ("support.example.com", "https://support.example.com:443", "wss"),
    ],
)
def test_the_default_ports_need_not_be_written(topic, host, origin, scheme):
    assert handshake(topic, host=host, origin=origin, scheme=scheme)


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_a_tls_proxy_the_site_is_its_https_origin(topic):
    forwarded = [(b"x-forwarded-proto", b"https")]

    assert handshake(topic, host="support.example.com", origin="https://support.example.com", extra=forwarded)
    assert not handshake(topic, host="support.example.com", origin="http://support.example.com", extra=forwarded)


@override_settings(CSRF_TRUSTED_ORIGINS=["https://help.example.com", "https://*.example.org"])
def test_an_origin_the_settings_trust_may_open_a_socket_on_its_own_port_only(topic):
    assert handshake(topic, host="support.example.com", origin="https://help.example.com", scheme="wss")
    assert handshake(topic, host="support.example.com", origin="https://docs.example.org", scheme="wss")
    assert not handshake(topic, host="support.example.com", origin="https://help.example.com:8443", scheme="wss")
    assert not handshake(topic, host="support.example.com", origin="http://help.example.com", scheme="wss")
