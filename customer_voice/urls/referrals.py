"""URLs: a member's own referral link (/<lang>/refer/), in namespace "voice"."""

from django.urls import path

from customer_voice.views import referrals

urlpatterns = [
    path("refer/", referrals.refer, name="refer"),
]
