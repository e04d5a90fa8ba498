"""WebSocket routes of the forum (mounted by config.websocket_urls)."""

websocket_urlpatterns: list = []
