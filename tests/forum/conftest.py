"""Fixtures several forum test modules share."""

import pytest

from tests.factories.forum import make_member


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run what the forum does after a commit (signals, then notifications, push and email)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def asker():
    return make_member(display_name="Asha Asker")
