"""The agent inbox in a real browser: an agent logs in, finds a customer's ticket, resolves it with
a help article chosen in Wagtail's page chooser, and the article's resolutions rise in the report;
the deflection report counts a visit the contact flow confirmed as solved."""

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from support.events import record_event
from support.models import Event, Ticket
from tests.factories import UserFactory, ensure_help_centers, make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def agent():
    user = UserFactory(email="sam@example.com", display_name="Sam Support")
    user.groups.add(Group.objects.get(name="Support agents"))
    return user


@pytest.fixture
def paper_jam():
    ensure_help_centers()
    article = make_article("Clear a paper jam", body="Open the tray and pull the sheet out gently.")
    record_event(Event.Kind.ARTICLE_VIEWED, article=article, visitor_id="r" * 32)
    return article


def log_in(page, user):
    page.goto("/admin/login/")
    page.locator("input[name='username']").fill(user.email)
    page.locator("input[name='password']").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")


def resolutions_in_report(page, title) -> str:
    page.goto("/admin/support/reports/articles/")
    # The report's own listing, not the data table under its chart.
    row = page.locator("table.listing:not([data-chart-table]) tbody tr", has_text=title)
    return row.locator("td").nth(6).inner_text().strip()


def support_report_for_today(title) -> dict:
    output = io.StringIO()
    call_command("support_report", "--since", timezone.localdate().isoformat(), "--format", "json", stdout=output)
    return next(row for row in json.loads(output.getvalue())["articles"] if row["title"] == title)


def test_a_customer_ticket_resolved_with_an_article_counts_in_the_report_and_support_report(
    page, agent, paper_jam, artifacts_dir
):
    # The customer writes through the public contact form.
    page.goto("/en/support/contact/")
    page.get_by_label("Subject").fill("The printer jams on every page")
    page.get_by_label("Describe").fill("Paper gets stuck halfway.")
    page.get_by_label("Your email address").fill("customer@example.com")
    page.get_by_role("button", name="Send to support").click()
    expect(page.locator(".ticket-reference strong")).to_contain_text("SUP-")
    ticket = Ticket.objects.get()
    assert support_report_for_today("Clear a paper jam")["tickets_resolved"] == 0

    log_in(page, agent)
    assert resolutions_in_report(page, "Clear a paper jam") == "0"

    page.goto("/admin/")
    page.get_by_role("button", name="Support").click()
    page.get_by_role("link", name="Inbox").click()
    page.get_by_role("link", name=ticket.reference).click()
    expect(page.get_by_role("heading", name="The printer jams on every page", exact=True)).to_be_visible()
    expect(page.get_by_text("Paper gets stuck halfway.")).to_be_visible()

    resolve = page.locator("[data-resolve-form]")
    resolve.get_by_role("button", name="Choose a page").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("textbox", name="Search term").fill("paper jam")
    modal.get_by_role("link", name="Clear a paper jam").click()
    expect(resolve.get_by_text("Clear a paper jam")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "support-inbox-ticket.png"), full_page=True)
    resolve.get_by_role("button", name="Resolve with this article").click()

    expect(page.locator("[data-ticket-status]")).to_have_text("Solved")
    expect(page.locator("[data-ticket-resolved-with]")).to_contain_text("Clear a paper jam")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolved_with_id) == (Ticket.Status.SOLVED, paper_jam.pk)
    assert resolutions_in_report(page, "Clear a paper jam") == "1"
    assert support_report_for_today("Clear a paper jam")["tickets_resolved"] == 1


def test_the_deflection_report_counts_a_visit_confirmed_solved_in_the_contact_flow(page, agent, paper_jam):
    for visit in ("solved-visit", "other-visit"):
        record_event(Event.Kind.SUGGESTIONS_SHOWN, flow="contact", visit_id=visit, visitor_id=visit.ljust(32, "_"))
    record_event(Event.Kind.SOLVED_CONFIRMED, flow="contact", visit_id="solved-visit", article=paper_jam)
    log_in(page, agent)

    page.goto("/admin/support/reports/deflection/")

    summary = page.locator("[data-support-summary]")
    expect(summary).to_contain_text("Contact visits shown suggestions")
    figures = summary.locator("[data-figure]").all_inner_texts()
    assert figures[:3] == ["2", "100%", "50%"]
    expect(page.locator("[data-support-chart] svg > title").first).to_have_text(
        "Contact visits without a ticket, per period (bar height: 0–100%)"
    )
