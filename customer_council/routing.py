"""WebSocket routes of the council (mounted by config.websocket_urls)."""

from django.urls import path

from customer_council.consumers import CouncilConsumer

websocket_urlpatterns: list = [
    path("ws/council/", CouncilConsumer.as_asgi()),
]
