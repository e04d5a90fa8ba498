from django.urls import path

from kb.feeds import LatestArticlesAtomFeed, LatestArticlesRssFeed

app_name = "kb"
urlpatterns = [
    path("feeds/articles.rss", LatestArticlesRssFeed(), name="feed_rss"),
    path("feeds/articles.atom", LatestArticlesAtomFeed(), name="feed_atom"),
]
