"""WebSocket routes of the forum (mounted by config.websocket_urls)."""

from django.urls import path

from forum.consumers import TopicConsumer

websocket_urlpatterns: list = [
    path("ws/forum/topics/<int:topic_id>/", TopicConsumer.as_asgi()),
]
