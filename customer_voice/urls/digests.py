"""URLs: digests (see customer_voice.urls)."""

urlpatterns = []
