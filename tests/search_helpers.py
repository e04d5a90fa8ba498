"""Helpers for search tests: publish articles so the index follows, and search as someone."""

from django.contrib.sessions.backends.db import SessionStore

from sitewide.reader import Reader
from tests.factories import make_article


def reader(user=None, language="en"):
    """Who the search service serves: a user (anonymous by default) with a session of their own."""
    return Reader(user=user, language=language, session=SessionStore())


def publish_article(capture, *args, **kwargs):
    """make_article, running the after-commit index update as a real commit would."""
    with capture(execute=True):
        return make_article(*args, **kwargs)
