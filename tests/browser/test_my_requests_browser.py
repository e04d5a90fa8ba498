"""My requests in a real browser: a signed-in customer sends a request from the contact form,
finds it under "My requests" in the account menu, replies and marks it solved; on a desktop in
English and on a 390px phone in Hebrew (right to left)."""

import re

import pytest
from playwright.sync_api import expect

from support.models import Ticket
from tests.browser.helpers import log_in
from tests.factories import UserFactory, ensure_help_centers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LAYOUTS = {
    "desktop-en": ("en", {"width": 1280, "height": 900}),
    "phone-he": ("he", {"width": 390, "height": 844}),
}


def open_my_requests(page, language, *, phone):
    """Through the header: on a phone the site menu holds the account links, on a desktop the account menu."""
    page.locator(".menu-button" if phone else ".account-button").click()
    link = page.locator(f"#account-menu a[href='/{language}/support/requests/']")
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(f"**/{language}/support/requests/")


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_a_customer_follows_replies_to_and_solves_their_request(reader, layout, artifacts_dir):
    language, viewport = LAYOUTS[layout]
    phone = viewport["width"] < 500
    ensure_help_centers()
    customer = UserFactory()
    reader.set_viewport_size(viewport)
    log_in(reader, customer.email)

    # A request sent from the contact form while logged in ...
    reader.goto(f"/{language}/support/contact/")
    form = reader.locator("form[data-contact-form]")
    form.locator("input[name='subject']").fill("The printer says it is offline")
    form.locator("textarea[name='description']").fill("It prints from my phone but not from the laptop.")
    form.locator("button[type='submit']:not([name])").click()
    reader.wait_for_url(re.compile(r"/support/contact/thanks/"))
    ticket = Ticket.objects.get(requester=customer)
    expect(reader.locator(f"a[href='/{language}/support/requests/{ticket.reference}/']")).to_be_visible()

    # ... is in My requests, open, with its reference ...
    open_my_requests(reader, language, phone=phone)
    card = reader.locator(f"[data-request='{ticket.reference}']")
    expect(card).to_contain_text("The printer says it is offline")
    expect(card.locator("[data-request-status='open']")).to_be_visible()
    if language == "he":
        assert reader.evaluate("getComputedStyle(document.querySelector('.request-card')).direction") == "rtl"
    assert reader.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "nothing overflows"
    reader.screenshot(path=str(artifacts_dir / f"my-requests-list-{layout}.png"), full_page=True)

    # ... where the customer replies ...
    card.get_by_role("link").click()
    reader.wait_for_url(f"**/support/requests/{ticket.reference}/")
    reader.locator("textarea[name='body']").fill("It is a LaserJet 1020, connected by Wi-Fi.")
    reader.locator(".request-reply button[type='submit']").click()
    expect(reader.locator(".thread-message.from-customer").last).to_contain_text("LaserJet 1020")
    assert reader.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "nothing overflows"
    reader.screenshot(path=str(artifacts_dir / f"my-requests-thread-{layout}.png"), full_page=True)

    # ... and marks it solved.
    reader.locator(".request-solve button[type='submit']").click()
    expect(reader.locator(".request-facts [data-request-status='solved']")).to_be_visible()
    expect(reader.locator(".request-solve")).to_have_count(0)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED and ticket.solved_at is not None
    assert list(ticket.messages.values_list("body", flat=True)) == [
        "It prints from my phone but not from the laptop.",
        "It is a LaserJet 1020, connected by Wi-Fi.",
    ]
