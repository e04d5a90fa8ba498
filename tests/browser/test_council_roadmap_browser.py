"""The roadmap in a real browser: a member sees a confidential preview; once its embargo has
passed a council manager publishes it in the admin with public wording and marks it shipped; an
anonymous visitor reads the public entry on "What's new" and never the preview's text; the member
finds the shipped item on "You said, we did"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customer_council.models import RoadmapItem
from customer_council.services import roadmap
from tests.browser.helpers import log_in
from tests.customer_council.area_helpers import make_idea
from tests.factories import ensure_help_centers
from tests.factories.council import make_council_manager, make_council_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PREVIEW_TITLE = "Obsidian quarterly planner"
PREVIEW_SECRET = "launch partner Kestrel Corp"


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_a_preview_is_confidential_for_members_then_published_and_shipped_by_a_manager(
    browser, live_server, artifacts_dir
):
    ensure_help_centers()
    member = make_council_member(email="roadmap-member@example.com", display_name="Rhea Member")
    manager = make_council_manager(email="roadmap-manager@example.com", display_name="Rory Manager")
    # Written straight to the tables: the idea service announces over channels, which cannot run in
    # the test's thread once Playwright has started (see tests/conftest.py, ``browser``).
    idea = make_idea("A planner for the quarter", author=member, problem="Planning is manual.")
    item = roadmap.create_item(
        manager,
        PREVIEW_TITLE,
        f"Ships with our {PREVIEW_SECRET}.",
        embargo_until=timezone.now() + timedelta(days=7),
        ideas=[idea],
    )

    member_context, member_page = new_page(browser, live_server)
    manager_context, manager_page = new_page(browser, live_server)
    visitor_context, visitor_page = new_page(browser, live_server)
    try:
        # The member sees the preview, marked confidential, with the idea it answers.
        log_in(member_page, member.email)
        member_page.goto("/en/council/roadmap/")
        row = member_page.locator(".council-roadmap-item", has_text=PREVIEW_TITLE)
        assert "Confidential until" in row.inner_text()
        assert "A planner for the quarter" in row.inner_text()
        member_page.get_by_role("link", name=PREVIEW_TITLE).click()
        assert PREVIEW_SECRET in member_page.locator(".council-roadmap-summary").inner_text()
        member_page.screenshot(path=str(artifacts_dir / "council-roadmap-preview.png"), full_page=True)

        # Before the embargo, nothing of it is public.
        visitor_page.goto("/en/whats-new/")
        assert PREVIEW_TITLE not in visitor_page.content()

        # The embargo passes; the manager publishes it in the admin with public wording.
        RoadmapItem.objects.filter(pk=item.pk).update(embargo_until=timezone.now() - timedelta(minutes=1))
        log_in(manager_page, manager.email)
        manager_page.goto(f"/admin/council/roadmap/publish/{item.pk}/")
        assert manager_page.get_by_label("Public title").input_value() == ""
        manager_page.get_by_label("Public title").fill("Plan your quarter")
        manager_page.get_by_label("Public summary").fill("A **planner** for everyone.")
        manager_page.get_by_role("button", name="Publish").click()
        manager_page.wait_for_url("**/admin/council/roadmap/")
        manager_page.goto(f"/admin/council/roadmap/ship/{item.pk}/")
        manager_page.get_by_label("Note to the ideas' voters").fill("Thank you for asking!")
        manager_page.get_by_role("button", name="Mark as shipped").click()
        manager_page.wait_for_url("**/admin/council/roadmap/")

        # An anonymous visitor reads the public entry, never the preview.
        visitor_page.goto("/en/whats-new/")
        entry = visitor_page.locator(".whats-new-entry", has_text="Plan your quarter")
        assert entry.locator("strong", has_text="planner").count() == 1
        assert entry.locator("time").get_attribute("datetime")
        page_text = visitor_page.content()
        assert PREVIEW_TITLE not in page_text and PREVIEW_SECRET not in page_text
        visitor_page.screenshot(path=str(artifacts_dir / "whats-new.png"), full_page=True)

        # The member's cohort page shows the idea shipped with the item.
        member_page.goto("/en/council/roadmap/you-said-we-did/")
        shipped = member_page.locator(".council-yswd-item-shipped", has_text=PREVIEW_TITLE)
        assert shipped.count() == 1
        assert "Shipped" in member_page.locator(".council-yswd-idea", has_text="A planner for the quarter").inner_text()
        member_page.get_by_role("link", name="Printable view").click()
        assert member_page.locator(".council-nav").count() == 0
        member_page.emulate_media(media="print")
        member_page.screenshot(path=str(artifacts_dir / "council-you-said-we-did-print.png"), full_page=True)
    finally:
        member_context.close()
        manager_context.close()
        visitor_context.close()
