"""Helpers shared by the support tests."""

from django.test import Client

from tests.factories import BROWSER_HEADERS

CRAWLER = "Googlebot/2.1 (+http://www.google.com/bot.html)"
#: What the inline script sends: django-htmx then treats the request as an htmx one.
INLINE = {"HTTP_HX_REQUEST": "true"}


def a_reader() -> Client:
    """A browser with no cookies yet (a first-time anonymous reader)."""
    return Client(**BROWSER_HEADERS)


def vote_url(article) -> str:
    return f"/en/support/articles/{article.pk}/vote/"
