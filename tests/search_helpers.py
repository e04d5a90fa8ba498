"""Helpers for search tests: publish articles so the index follows, and search as someone."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from tests.factories import make_article


def reader(user=None):
    """A request as the search service sees it: a user (anonymous by default) and a session."""
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    return request


def publish_article(capture, *args, **kwargs):
    """make_article, running the after-commit index update as a real commit would."""
    with capture(execute=True):
        return make_article(*args, **kwargs)
