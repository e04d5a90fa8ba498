from django.urls import include, path

from stories import consent_views
from stories.feeds import LatestStoriesAtomFeed, LatestStoriesRssFeed

app_name = "stories"
# Mounted under the language prefix before Wagtail's pages, so these win over the story index's
# own /<lang>/stories/ subtree.
urlpatterns = [
    path("stories/feed.rss", LatestStoriesRssFeed(), name="feed_rss"),
    path("stories/feed.atom", LatestStoriesAtomFeed(), name="feed_atom"),
    path("stories/approve/<str:token>/", consent_views.approve, name="approve"),
    path("stories/withdraw/<str:token>/", consent_views.withdraw, name="withdraw"),
    path("stories/share/", include("stories.urls_submissions")),
]
