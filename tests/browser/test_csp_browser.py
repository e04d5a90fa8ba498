"""The public site works under its Content-Security-Policy, enforced, in a real browser.

Chromium reports every blocked inline script, inline handler, eval, style or connection in the
console as a "Content Security Policy" message. A council member walks the pages whose scripts do
the most (typeahead suggestions, the contact form's suggestions and draft, a live forum topic, the
council's live idea board) and the console must stay free of them: nothing depends on inline
script. Served by daphne (HTTP and websockets), the one daphne of the forum's live tests.
"""

import pytest
from playwright.sync_api import expect

from forum import services
from tests.browser.test_forum_live_browser import asgi_server, open_as  # noqa: F401
from tests.factories import ensure_help_centers, make_article
from tests.factories.council import make_council_member
from tests.factories.forum import make_category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SUGGESTION_DEADLINE_MS = 5_000


def watch_for_csp_violations(page) -> list[str]:
    """The console messages about the policy that ``page`` will print, collected as they come."""
    violations = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: violations.append(f"page error: {error}"))
    return violations


def visit(page, path) -> None:
    response = page.goto(path)
    assert response.status == 200, path
    assert "script-src 'self'" in response.headers["content-security-policy"], path


def test_home_article_search_contact_forum_and_council_run_without_a_csp_violation(browser, asgi_server):  # noqa: F811
    ensure_help_centers()
    article = make_article(
        "Check the battery status",
        category="power",
        category_title="Power & battery",
        body="Open the Power settings to see how much charge is left in the battery.",
    )
    member = make_council_member(email="csp-member@example.com", display_name="Cleo Council")
    topic = services.create_topic(member, category=make_category("Batteries"), title="Battery drains", body="Why?")
    context, page = open_as(browser, asgi_server, member.email)
    violations = watch_for_csp_violations(page)
    try:
        visit(page, "/en/")
        box = page.get_by_role("combobox", name="Search help articles")
        box.focus()
        page.keyboard.type("check my battery", delay=20)
        suggestion = page.get_by_role("option", name="Check the battery status")
        expect(suggestion).to_be_visible(timeout=SUGGESTION_DEADLINE_MS)

        visit(page, article.url)
        visit(page, "/en/search/?q=battery")

        visit(page, "/en/support/contact/")
        page.get_by_label("Subject").press_sequentially("battery status", delay=20)
        suggestion = page.get_by_role("link", name="Check the battery status")
        expect(suggestion).to_be_visible(timeout=SUGGESTION_DEADLINE_MS)

        visit(page, topic.get_absolute_url())
        # The websocket opened: live updates connect under connect-src.
        page.locator("[data-forum-live][data-live-state=open]").wait_for(state="attached")
        page.get_by_label("Your reply").fill("Calibrate it once a month.")
        page.get_by_role("button", name="Post reply").click()
        page.locator("#post-2").get_by_text("Calibrate it once a month.").wait_for()

        visit(page, "/en/council/")
        visit(page, "/en/council/ideas/")
        page.wait_for_load_state("networkidle")
    finally:
        context.close()

    assert violations == []


def test_an_inline_handler_is_blocked_and_reported(browser, asgi_server):  # noqa: F811
    """The watch above can fail: an inline event handler, as a template might once add, is refused."""
    ensure_help_centers()
    context = browser.new_context(base_url=asgi_server, locale="en-US")
    page = context.new_page()
    violations = watch_for_csp_violations(page)
    try:
        visit(page, "/en/")
        page.evaluate(
            """() => {
                window.handlerRan = false;
                const image = document.createElement("img");
                image.setAttribute("onerror", "window.handlerRan = true");
                image.src = "data:,not-an-image";
                document.body.append(image);
            }"""
        )
        page.wait_for_timeout(500)
        handler_ran = page.evaluate("() => window.handlerRan")
    finally:
        context.close()

    assert handler_ran is False
    assert any("Content Security Policy" in violation for violation in violations)
