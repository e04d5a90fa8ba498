"""URLs: public_digests (see customer_voice.urls)."""

urlpatterns = []
