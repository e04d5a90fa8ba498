"""Fixtures of the browser tests."""

import pytest

from tests.factories import BROWSER_USER_AGENT


@pytest.fixture
def reader(browser, live_server):
    """A person's browser (headless Chromium's own user agent counts as a bot and records nothing)."""
    context = browser.new_context(base_url=live_server.url, locale="en-US", user_agent=BROWSER_USER_AGENT)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
