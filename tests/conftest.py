"""Shared fixtures: help centers in every language, article factories, and the browser layer.

Browser tests drive Debian's /usr/bin/chromium through Playwright (never a downloaded browser)
against pytest-django's live server. The Whoosh index lives in a temporary DATA_DIR made by
config.settings.test, so a test run never touches ./data.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from haystack import connections as search_connections

from tests.factories import ensure_help_centers

# Playwright's sync API runs an event loop in the test thread; the ORM calls our tests make beside
# it are ordinary synchronous calls, which Django would otherwise refuse in that thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request, a consumer or an email rendered in
    Hebrew by an earlier test in the same thread must not change the language of the next one."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (rate-limit counters, Wagtail's site root paths)."""
    cache.clear()


@pytest.fixture(autouse=True)
def _empty_search_index():
    """Every test starts with an empty Whoosh index (in this worker's temporary DATA_DIR).

    Cleared through the backend rather than by deleting files behind its back, so the
    backend's open index stays valid.
    """
    search_connections["default"].get_backend().clear()


@pytest.fixture
def help_centers(db):
    """The help-center home of every site language, keyed by language code."""
    return ensure_help_centers()


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """Debian's chromium, driven by Playwright's sync API.

    Playwright's sync API leaves an event loop registered in the test thread, which breaks
    async_to_sync for every later test in that process; `make test` therefore runs the browser
    tests (marked ``browser``) in a pytest process of their own.

    It also moves the test thread into a greenlet with its own context, and Django keeps database
    connections per context: the connection that holds the serialized database copy, which
    ``serialized_rollback`` restores after each flush, would be replaced by a fresh one without
    it. The copy is handed over to the new connection here.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    driver = sync_playwright().start()
    for alias, contents in serialized.items():
        if not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents
    browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    driver.stop()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) on the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def pytest_collection_modifyitems(items):
    """A test that drives the browser is a browser test, marked or not (see ``browser``)."""
    # A transactional test without serialized_rollback re-creates content types and groups when
    # it flushes the database (post_migrate), and the next serialized_rollback test then fails
    # to load its snapshot over them: every transactional test here restores the snapshot.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)")
    for item in items:
        if {"page", "browser"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
