"""The council's feedback board in a real browser: a member posts an idea, a council manager (in
a second browser) changes its status, and the member's open idea page shows the new status
without reloading.

Served by daphne (HTTP and websockets through config.asgi), as the forum's live browser tests
do; the one daphne of the process is theirs (Twisted's reactor starts only once per process).
"""

import re
import time

import pytest

from tests.browser.test_forum_live_browser import asgi_server, not_reloaded, open_as  # noqa: F401
from tests.factories import ensure_help_centers
from tests.factories.council import make_council_manager, make_council_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: What "live" means here: the member's page shows the new status within this many seconds.
LIVE_WITHIN_MS = 3_000


def test_a_member_sees_the_status_of_their_idea_change_without_reloading(browser, asgi_server, artifacts_dir):  # noqa: F811
    ensure_help_centers()
    member = make_council_member(email="council-member@example.com", display_name="Mina Member")
    manager = make_council_manager(email="council-manager@example.com", display_name="Max Manager")

    member_context, member_page = open_as(browser, asgi_server, member.email)
    manager_context, manager_page = open_as(browser, asgi_server, manager.email)
    try:
        member_page.goto("/en/council/ideas/new/")
        member_page.get_by_label("Title").fill("Dark mode for reports")
        member_page.get_by_label("The problem it solves").fill("Bright screens at night hurt.")
        member_page.get_by_label("Details").fill("Please add a **dark** theme.")
        member_page.get_by_role("button", name="Post the idea").click()
        member_page.wait_for_url(re.compile(r"/en/council/ideas/\d+/$"))
        idea_url = member_page.url
        member_page.locator("[data-council-live][data-live-state=open]").wait_for(state="attached")
        member_page.evaluate("() => { window.notReloaded = true; }")
        assert "Open" in member_page.locator("[data-current-status]").inner_text()

        manager_page.goto(idea_url)
        manager_page.get_by_label("New status").select_option(label="Planned")
        manager_page.get_by_label("Note to members").fill("Coming in the **third quarter**.")
        manager_page.get_by_role("button", name="Change status").click()
        manager_page.wait_for_url(idea_url)
        started = time.monotonic()

        member_page.locator("[data-current-status]", has_text="Planned").wait_for(timeout=LIVE_WITHIN_MS)
        appeared_ms = (time.monotonic() - started) * 1000

        assert appeared_ms < LIVE_WITHIN_MS
        assert not_reloaded(member_page)
        member_page.locator(".council-status-note strong", has_text="third quarter").wait_for()
        assert member_page.locator("[data-live-status]").inner_text() == "This idea has a new status: Planned"
        member_page.screenshot(path=str(artifacts_dir / "council-idea-live-status.png"), full_page=True)
    finally:
        member_context.close()
        manager_context.close()
