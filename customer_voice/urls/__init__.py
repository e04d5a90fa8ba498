"""Customer voice pages under the language prefix (/<lang>/feedback/..., /<lang>/refer/, ...)."""

from django.urls import include, path

app_name = "voice"

urlpatterns = [
    path("feedback/", include("customer_voice.urls.surveys")),
    path("", include("customer_voice.urls.referrals")),
    path("", include("customer_voice.urls.digests")),
]
