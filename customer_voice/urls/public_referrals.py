"""URLs: public_referrals (see customer_voice.urls)."""

urlpatterns = []
