"""URLs: one-click unsubscribe, without a language prefix (RFC 8058 POSTs from mail clients)."""

from django.urls import path

from customer_voice.views import digests

urlpatterns = [
    path("email/unsubscribe/<str:token>/", digests.unsubscribe, name="unsubscribe"),
]
