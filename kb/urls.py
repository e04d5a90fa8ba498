from django.urls import path

from kb import page_passwords, views
from kb.feeds import LatestArticlesAtomFeed, LatestArticlesRssFeed

app_name = "kb"
urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/click/", views.search_click, name="search_click"),
    path("feeds/articles.rss", LatestArticlesRssFeed(), name="feed_rss"),
    path("feeds/articles.atom", LatestArticlesAtomFeed(), name="feed_atom"),
    # Wagtail's own path for its page-password form (which reverses Wagtail's URL name), matched
    # here first because config.urls includes kb.urls before wagtail.urls: see kb.page_passwords.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        page_passwords.authenticate_with_password,
        name="authenticate_with_password",
    ),
]

#: Language-neutral endpoints (the language is a parameter), mounted outside i18n_patterns.
api_urlpatterns = [
    path("api/suggest/", views.suggest_api, name="suggest"),
]
