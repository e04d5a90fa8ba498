"""Language-free addresses: referral links (/r/<code>/) and one-click unsubscribe, which mail
clients POST to without a language (RFC 8058)."""

from django.urls import include, path

app_name = "voice_public"

urlpatterns = [
    path("", include("customer_voice.urls.public_referrals")),
    path("", include("customer_voice.urls.public_digests")),
]
