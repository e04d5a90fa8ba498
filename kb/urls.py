from django.urls import path

from kb import views
from kb.feeds import LatestArticlesAtomFeed, LatestArticlesRssFeed

app_name = "kb"
urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/click/", views.search_click, name="search_click"),
    path("feeds/articles.rss", LatestArticlesRssFeed(), name="feed_rss"),
    path("feeds/articles.atom", LatestArticlesAtomFeed(), name="feed_atom"),
]

#: Language-neutral endpoints (the language is a parameter), mounted outside i18n_patterns.
api_urlpatterns = [
    path("api/suggest/", views.suggest_api, name="suggest"),
]
