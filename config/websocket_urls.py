"""WebSocket routes: each feature app lists its consumers in its own routing module."""

from forum.routing import websocket_urlpatterns as forum_websocket_urlpatterns

websocket_urlpatterns: list = [*forum_websocket_urlpatterns]
