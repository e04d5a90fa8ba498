"""A live topic page in a real browser: two members on one topic, one replies, the other sees the
reply appear without reloading; accepting it updates the other member's page too.

pytest-django's live_server speaks WSGI only, so these tests serve the site with daphne (the
ASGI server `make run` uses: HTTP and websockets through config.asgi) in a thread of the test
process, on the test database, with the in-memory channel layer. Every write during a test comes
through the browser, hence through that server, as in production.
"""

import re
import threading
import time
from contextlib import contextmanager

import pytest

from forum import services
from tests.factories import UserFactory, ensure_help_centers
from tests.factories.forum import make_category, make_topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"
#: What "live" means here: the other member's page shows the reply within this many seconds.
LIVE_WITHIN_MS = 2_000


#: The one daphne of this test process (Twisted's reactor cannot be started twice in a process).
_server = {}


def start_daphne() -> str:
    """daphne serving config.asgi on a free port in a daemon thread; returns its base URL."""
    # Imported on first use: the non-browser test run collects this module too, and importing
    # daphne.server installs Twisted's reactor in the process.
    from daphne.endpoints import build_endpoint_description_strings
    from daphne.server import Server

    from config.asgi import application

    server = Server(
        application=application,
        endpoints=build_endpoint_description_strings(host="127.0.0.1", port=0),
        signal_handlers=False,
        verbosity=0,
    )
    thread = threading.Thread(target=server.run, name="daphne", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not getattr(server, "listening_addresses", None):
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("daphne did not start")
        time.sleep(0.05)
    host, port = server.listening_addresses[0]
    return f"http://{host}:{port}"


@pytest.fixture
def asgi_server():
    """The base URL of daphne serving the site (started on first use, kept for the process:
    pytest-xdist may run this module's tests apart, and the reactor runs only once)."""
    if "url" not in _server:
        _server["url"] = start_daphne()
    return _server["url"]


def open_as(browser, base_url, email):
    """A logged-in browser context (through the login form) and its page."""
    context = browser.new_context(base_url=base_url, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/en/$"))
    return context, page


def open_live_topic(page, url):
    page.goto(url)
    page.locator("[data-forum-live][data-live-state=open]").wait_for(state="attached")
    # Gone after a reload: proves an update came without one.
    page.evaluate("() => { window.notReloaded = true; }")


@contextmanager
def asker_and_helper_on_a_live_topic(browser, base_url, email_prefix=""):
    """A new topic in Coffee, open live in two logged-in browsers: its asker's and a helper's.

    Yields (the topic's URL, the asker's page, the helper's page); both contexts close after.
    """
    ensure_help_centers()
    asker = UserFactory(email=f"{email_prefix}asker@example.com", display_name="Asha Asker")
    helper = UserFactory(email=f"{email_prefix}helper@example.com", display_name="Hugo Helper")
    topic = services.create_topic(asker, category=make_category("Coffee"), title="Descaling the machine", body="How?")
    url = topic.get_absolute_url()
    asking_context, asking = open_as(browser, base_url, asker.email)
    helping_context, helping = open_as(browser, base_url, helper.email)
    try:
        open_live_topic(asking, url)
        open_live_topic(helping, url)
        yield url, asking, helping
    finally:
        asking_context.close()
        helping_context.close()


def not_reloaded(page) -> bool:
    return page.evaluate("() => window.notReloaded === true")


def test_a_reply_appears_on_the_other_members_page_and_accepting_it_updates_both(browser, asgi_server, artifacts_dir):
    with asker_and_helper_on_a_live_topic(browser, asgi_server) as (url, asking, helping):
        helping.get_by_label("Your reply").fill("Every two months, with citric acid.")
        helping.get_by_role("button", name="Post reply").click()
        started = time.monotonic()
        asking.locator("#post-2").get_by_text("Every two months, with citric acid.").wait_for(timeout=LIVE_WITHIN_MS)
        appeared_ms = (time.monotonic() - started) * 1000

        assert appeared_ms < LIVE_WITHIN_MS
        assert not_reloaded(asking)
        assert asking.locator("[data-live-status]").inner_text() == "New reply from Hugo Helper"
        # The asker's bell counts the reply (pushed to forum.user.<id> on the same socket).
        asking.locator("[data-notification-bell] [data-unread-count]", has_text="1").wait_for()
        asking.screenshot(path=str(artifacts_dir / "forum-live-reply.png"), full_page=True)

        # The fragment was rendered for the asker: it offers to accept the answer.
        helping.locator("#post-2").wait_for()
        open_live_topic(helping, url)
        asking.locator("#post-2").get_by_role("button", name="Accept this answer").click()
        asking.get_by_role("region", name="Accepted answer").get_by_text("citric acid").wait_for()

        accepted = helping.get_by_role("region", name="Accepted answer")
        accepted.get_by_text("Every two months, with citric acid.").wait_for(timeout=LIVE_WITHIN_MS)
        assert not_reloaded(helping)
        assert "Solved" in helping.locator(".topic-header").inner_text()
        assert "is-accepted" in helping.locator("#post-2").get_attribute("class")
        order = helping.evaluate("() => [...document.querySelectorAll('article.post')].map(a => a.id)")
        assert order == ["post-1", "accepted-2", "post-2"]
        helping.screenshot(path=str(artifacts_dir / "forum-live-accepted.png"), full_page=True)


def test_a_reader_on_an_earlier_page_gets_a_notice_instead_of_the_reply(browser, asgi_server):
    ensure_help_centers()
    asker = UserFactory(email="asker2@example.com", display_name="Asha Asker")
    helper = UserFactory(email="helper2@example.com", display_name="Hugo Helper")
    topic = make_topic("A long thread", category=make_category("Coffee"), author=asker, posts=20)

    reading_context, reading = open_as(browser, asgi_server, asker.email)
    writing_context, writing = open_as(browser, asgi_server, helper.email)
    try:
        open_live_topic(reading, topic.get_absolute_url())
        writing.goto(topic.get_absolute_url())
        writing.get_by_label("Your reply").fill("The twenty-first message starts page two.")
        writing.get_by_role("button", name="Post reply").click()

        notice = reading.locator("[data-live-notice-link]")
        notice.wait_for(timeout=LIVE_WITHIN_MS)
        assert notice.inner_text() == "New replies: 1. Load them"
        assert notice.get_attribute("href") == "?page=2#post-21"
        assert reading.locator("#post-21").count() == 0
        notice.click()
        reading.locator("#post-21").get_by_text("starts page two").wait_for()
    finally:
        reading_context.close()
        writing_context.close()
