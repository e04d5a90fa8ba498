"""URLs: following a member's referral link, language-free (/r/<code>/), in namespace "voice_public"."""

from django.urls import path

from customer_voice.views import referrals

urlpatterns = [
    path("r/<str:code>/", referrals.follow_link, name="referral"),
]
