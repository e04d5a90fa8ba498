"""A council meeting in a real browser: a member opens the upcoming meeting, sees its time in
their time zone, answers the invitation and opens a pre-read; a council manager (in a second
browser, whose account has no time zone, so the page's script shows the browser's) sees the
answer and the read receipt."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from customer_council.models import RSVP, PreReadReceipt
from tests.browser.test_forum_live_browser import PASSWORD
from tests.customer_council.area_helpers import make_council_document
from tests.customer_council.meeting_helpers import add_pre_read, make_meeting
from tests.factories import ensure_help_centers
from tests.factories.council import make_council_manager, make_council_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(browser, base_url, email, *, timezone_id):
    context = browser.new_context(base_url=base_url, locale="en-US", timezone_id=timezone_id)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/en/$"))
    return context, page


def test_a_member_answers_and_reads_and_the_manager_sees_both(browser, live_server, artifacts_dir):
    ensure_help_centers()
    member = make_council_member(email="meeting-member@example.com", display_name="Mina Member", time_zone="Asia/Tokyo")
    manager = make_council_manager(email="meeting-manager@example.com", display_name="Max Manager")
    starts_at = (timezone.now() + timedelta(days=5)).replace(hour=1, minute=0, second=0, microsecond=0)
    meeting = make_meeting("Spring council", starts_in=starts_at - timezone.now())
    pre_read = add_pre_read(meeting, make_council_document("Roadmap pre-read", "roadmap.txt", b"The plan"))

    member_context, member_page = log_in(browser, live_server.url, member.email, timezone_id="Europe/London")
    manager_context, manager_page = log_in(browser, live_server.url, manager.email, timezone_id="America/New_York")
    try:
        member_page.goto("/en/council/meetings/")
        member_page.get_by_role("link", name="Spring council").click()
        member_page.wait_for_url(re.compile(rf"/en/council/meetings/{meeting.pk}/$"))
        when = member_page.locator("[data-meeting-when]").inner_text()
        assert "Asia/Tokyo" in when and "10 a.m." in when  # 01:00 UTC, in the member's chosen zone

        member_page.get_by_label("Attending", exact=True).check()
        member_page.get_by_role("button", name="Send my answer").click()
        member_page.locator("[data-my-rsvp]", has_text="Attending").wait_for()

        with member_page.expect_response(re.compile(r"/documents/")) as seen:
            member_page.get_by_role("link", name="Roadmap pre-read").click()
        assert seen.value.status == 200
        member_page.goto(f"/en/council/meetings/{meeting.pk}/")
        member_page.locator(f"[data-pre-read='{pre_read.pk}']", has_text="You opened it").wait_for()
        member_page.screenshot(path=str(artifacts_dir / "council-meeting-member.png"), full_page=True)

        manager_page.goto(f"/en/council/meetings/{meeting.pk}/")
        manager_when = manager_page.locator("time[data-local-time]").first
        manager_page.wait_for_function("() => document.querySelector('time[data-local-zone]') !== null")
        assert manager_when.get_attribute("data-local-zone") == "America/New_York"
        assert "(UTC)" not in manager_when.inner_text()
        assert "Attending: 1" in manager_page.locator("[data-rsvp-counts]").inner_text()
        assert "Mina Member" in manager_page.locator("[data-rsvps]").inner_text()
        assert "Mina Member" in manager_page.locator(f"[data-pre-read='{pre_read.pk}'] .council-read-by").inner_text()
        manager_page.screenshot(path=str(artifacts_dir / "council-meeting-manager.png"), full_page=True)
    finally:
        member_context.close()
        manager_context.close()

    assert RSVP.objects.get(meeting=meeting).response == "yes"
    assert PreReadReceipt.objects.filter(pre_read=pre_read, user=member).count() == 1
