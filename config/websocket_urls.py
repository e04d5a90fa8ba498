"""WebSocket routes. Each feature app adds its consumers here (the forum's live topics come later)."""

websocket_urlpatterns: list = []
