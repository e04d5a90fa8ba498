"""WebSocket routes: each feature app lists its consumers in its own routing module."""

from customer_council.routing import websocket_urlpatterns as council_websocket_urlpatterns
from forum.routing import websocket_urlpatterns as forum_websocket_urlpatterns

websocket_urlpatterns: list = [*forum_websocket_urlpatterns, *council_websocket_urlpatterns]
