from django.urls import path

from stories.feeds import LatestStoriesAtomFeed, LatestStoriesRssFeed

app_name = "stories"
# Mounted under the language prefix before Wagtail's pages, so these win over the story index's
# own /<lang>/stories/ subtree.
urlpatterns = [
    path("stories/feed.rss", LatestStoriesRssFeed(), name="feed_rss"),
    path("stories/feed.atom", LatestStoriesAtomFeed(), name="feed_atom"),
]
