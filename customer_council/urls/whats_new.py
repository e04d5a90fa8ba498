"""The public "What's new" page: roadmap items a manager published after their embargo
(mounted at /<lang>/whats-new/ by config.urls; the only public URLs of the council app)."""

from django.urls import path

from customer_council.views import whats_new

app_name = "whats_new"

urlpatterns = [
    path("", whats_new.index, name="index"),
    path("feed/", whats_new.WhatsNewFeed(), name="feed"),
    path("<int:pk>/", whats_new.entry, name="entry"),
]
