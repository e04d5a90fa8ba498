"""URLs: surveys (see customer_voice.urls)."""

urlpatterns = []
