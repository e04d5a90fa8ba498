"""Steps several browser tests take."""

import re

from playwright.sync_api import expect

from tests.factories import PASSWORD


def log_in(page, email):
    """Log in on the public site as a factory-made user; lands on the English home page."""
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/en/$"))


def approve_by_link(page, approve_path):
    """The customer opens the emailed approval link, allows their company's name and approves."""
    page.goto(approve_path)
    expect(page.get_by_title("The story as it will be published")).to_be_visible()
    # The preview is a sandboxed frame, which Chromium runs in a process of its own; a click sent
    # in the same frame as the scroll that brought the checkbox into view is routed by the
    # pre-scroll layout, into that frame, and is lost. Scroll first, let two frames paint, click.
    company_name = page.get_by_label("Our company's name")
    company_name.scroll_into_view_if_needed()
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    company_name.check()
    page.get_by_label("Your name").fill("Dana Customer")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".story-approval")).to_be_visible()
