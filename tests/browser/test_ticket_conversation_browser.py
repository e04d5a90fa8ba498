"""A whole support conversation in two real browsers, as issue 13 asks: a signed-in customer opens a
ticket from the contact form, adds a reply from "My requests", an agent writes an internal note and
answers with "Submit as Solved" in the inbox, and the customer sees the answer and the solved status
on their request, never the note."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from support.models import Ticket
from tests.browser.helpers import log_in
from tests.factories import BROWSER_USER_AGENT, PASSWORD, UserFactory, ensure_help_centers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOTE = "Customer is on the old driver: check the firmware first."
ANSWER = "Please update the printer driver from the Settings app; it fixes the offline state."


@pytest.fixture
def agent_page(browser, live_server):
    agent = UserFactory(email="sam@example.com", display_name="Sam Support")
    agent.groups.add(Group.objects.get(name="Support agents"))
    context = browser.new_context(base_url=live_server.url, locale="en-US", user_agent=BROWSER_USER_AGENT)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/admin/login/")
    page.locator("input[name='username']").fill(agent.email)
    page.locator("input[name='password']").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    yield page
    context.close()


def test_customer_opens_replies_agent_submits_as_solved_customer_sees_it(reader, agent_page, artifacts_dir):
    ensure_help_centers()
    customer = UserFactory(email="dana@example.com")
    log_in(reader, customer.email)

    # The customer opens a ticket from the contact form ...
    reader.goto("/en/support/contact/")
    form = reader.locator("form[data-contact-form]")
    form.locator("input[name='subject']").fill("The printer says it is offline")
    form.locator("textarea[name='description']").fill("It prints from my phone but not from the laptop.")
    form.locator("button[type='submit']:not([name])").click()
    reader.wait_for_url(re.compile(r"/support/contact/thanks/"))
    ticket = Ticket.objects.get(requester=customer)

    # ... and adds a detail from My requests.
    reader.goto("/en/support/requests/")
    reader.locator(f"a[href='/en/support/requests/{ticket.reference}/']").first.click()
    reader.get_by_label("Your reply").fill("It started after Tuesday's update.")
    reader.get_by_role("button", name="Send reply").click()
    expect(reader.locator("[data-thread-message]").last).to_contain_text("It started after Tuesday's update.")

    # The agent finds it in the inbox's "Unassigned" view, sees both customer messages ...
    agent = agent_page
    agent.goto("/admin/")
    agent.get_by_role("button", name="Support").click()
    agent.get_by_role("link", name="Inbox").click()
    agent.get_by_role("link", name=re.compile(r"^Unassigned")).click()
    agent.get_by_role("link", name=ticket.reference).click()
    expect(agent.get_by_text("It started after Tuesday's update.")).to_be_visible()

    # ... writes an internal note (not sent) ...
    mail.outbox.clear()
    agent.get_by_label("Internal note").check()
    agent.get_by_label("Message").fill(NOTE)
    agent.get_by_role("button", name=re.compile(r"^Submit as Open")).click()
    expect(agent.get_by_text(NOTE)).to_be_visible()
    assert not [message for message in mail.outbox if NOTE in message.body], "a note is never emailed"

    # ... then answers and solves it in one submit.
    agent.get_by_label("Reply to the customer").check()
    agent.get_by_label("Message").fill(ANSWER)
    agent.get_by_role("button", name=re.compile(r"^Submit as Solved")).click()
    expect(agent.get_by_text(ANSWER)).to_be_visible()
    agent.screenshot(path=str(artifacts_dir / "ticket-submit-as-solved-agent.png"), full_page=True)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED
    assert ticket.first_response_at is not None and ticket.solved_at is not None
    assert [message for message in mail.outbox if ANSWER in message.body and message.to == [customer.email]]

    # The customer sees the answer and the solved status, never the note.
    reader.reload()
    expect(reader.locator("[data-thread-message]").last).to_contain_text(ANSWER)
    expect(reader.locator("[data-request-status='solved']").first).to_be_visible()
    expect(reader.get_by_text(NOTE)).to_have_count(0)
    reader.goto("/en/support/requests/")
    expect(reader.locator(f"[data-request='{ticket.reference}'] [data-request-status='solved']")).to_be_visible()
    reader.screenshot(path=str(artifacts_dir / "ticket-submit-as-solved-customer.png"), full_page=True)
