"""URLs: referrals (see customer_voice.urls)."""

urlpatterns = []
