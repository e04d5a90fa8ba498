"""URLs: the email preferences page (see customer_voice.urls), under /<lang>/."""

from django.urls import path

from customer_voice.views import digests

urlpatterns = [
    path("email-preferences/", digests.email_preferences, name="email_preferences"),
    path("email-preferences/<str:token>/", digests.email_preferences_signed, name="email_preferences_signed"),
]
