"""A double submit opens one ticket; a visit id in someone else's hands opens theirs.

The visit id travels in links (``?from_contact=``), so it says nothing about who is posting: two
submits are "the same" only with the same visit, the same submitter and the same words. The
thank-you page shows the reference and address to the browser that sent the form, and to no one
else (an anonymous reader, another visitor, a logged-in outsider).
"""

import copy

import pytest
from django.core.signing import b64_decode
from django.test import Client

from sitewide.visitor import VISITOR_COOKIE
from support import tickets
from support.models import Event, Ticket, TicketMessage
from support.tickets import open_ticket
from tests.factories import BROWSER_HEADERS, UserFactory
from tests.support.helpers import a_reader
from tests.support.test_contact_form import start_visit, submit
from tests.support.test_open_ticket import TICKET

pytestmark = pytest.mark.django_db


def thanks_page(client, response) -> str:
    return client.get(response["Location"]).content.decode()


# --- Who gets which ticket -------------------------------------------------------------------


def test_another_visitor_posting_someone_elses_visit_id_gets_their_own_ticket(
    help_centers, django_capture_on_commit_callbacks
):
    first, second = a_reader(), a_reader()
    visit = start_visit(first)
    start_visit(second)
    submit(first, visit, django_capture_on_commit_callbacks, email="first@example.com")

    response = submit(second, visit, django_capture_on_commit_callbacks, email="second@example.com", subject="Mine")

    assert Ticket.objects.count() == 2
    theirs = Ticket.objects.get(requester_email="second@example.com")
    page = thanks_page(second, response)
    assert theirs.reference in page and "second@example.com" in page
    original = Ticket.objects.get(requester_email="first@example.com")
    assert original.reference not in page and "first@example.com" not in page


def test_another_visitor_with_the_same_visit_words_and_address_still_gets_their_own_ticket(
    help_centers, django_capture_on_commit_callbacks
):
    first, second = a_reader(), a_reader()
    visit = start_visit(first)
    start_visit(second)
    submit(first, visit, django_capture_on_commit_callbacks)

    response = submit(second, visit, django_capture_on_commit_callbacks)

    assert Ticket.objects.count() == 2 and TicketMessage.objects.count() == 2
    original, theirs = Ticket.objects.order_by("pk")
    assert theirs.reference in thanks_page(second, response)
    assert original.reference not in thanks_page(second, response)


def test_the_same_visitor_sending_other_words_in_the_same_visit_opens_a_second_ticket(
    help_centers, django_capture_on_commit_callbacks
):
    reader = a_reader()
    visit = start_visit(reader)
    submit(reader, visit, django_capture_on_commit_callbacks)

    submit(reader, visit, django_capture_on_commit_callbacks, description="And the printer stopped too.")

    assert Ticket.objects.count() == 2


def test_a_logged_in_member_reusing_a_visit_id_does_not_get_the_first_visitors_ticket(
    help_centers, django_capture_on_commit_callbacks
):
    first = a_reader()
    visit = start_visit(first)
    submit(first, visit, django_capture_on_commit_callbacks)
    member = Client(**BROWSER_HEADERS)
    member.force_login(UserFactory(email="member@example.com"))
    start_visit(member)

    response = submit(member, visit, django_capture_on_commit_callbacks)

    assert Ticket.objects.count() == 2
    original = Ticket.objects.get(requester__isnull=True)
    assert original.reference not in thanks_page(member, response)


def test_a_double_submit_from_a_form_reloaded_without_the_visitor_cookie_opens_one_ticket(
    help_centers, django_capture_on_commit_callbacks
):
    reader = a_reader()
    visit = start_visit(reader)
    del reader.cookies[VISITOR_COOKIE]
    start_visit(reader)
    # A double click sends both requests with the cookies of the form, before either answer.
    second_click = a_reader()
    second_click.cookies = copy.deepcopy(reader.cookies)

    first = submit(reader, visit, django_capture_on_commit_callbacks)
    second = submit(second_click, visit, django_capture_on_commit_callbacks)

    ticket = Ticket.objects.get()
    assert ticket.reference in thanks_page(reader, first) and ticket.reference in thanks_page(second_click, second)


def test_open_ticket_tells_a_different_visitor_in_the_same_visit_apart(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = open_ticket(**TICKET)
        second = open_ticket(**TICKET | {"visitor_id": "e" * 32})

    assert first.created and second.created and first.ticket != second.ticket
    assert Event.objects.filter(kind=Event.Kind.TICKET_CREATED).count() == 2


def test_a_double_submit_racing_another_visitors_ticket_in_the_same_visit_still_opens_its_own(
    monkeypatch, django_capture_on_commit_callbacks
):
    real_capture = tickets.capture_journey

    def another_visitor_commits_first(**kwargs):
        monkeypatch.setattr(tickets, "capture_journey", real_capture)
        open_ticket(**TICKET | {"visitor_id": "e" * 32})
        return real_capture(**kwargs)

    monkeypatch.setattr(tickets, "capture_journey", another_visitor_commits_first)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = open_ticket(**TICKET)

    assert outcome.created and outcome.ticket.visitor_id == "c" * 32
    assert Ticket.objects.count() == 2 and TicketMessage.objects.count() == 2


def test_a_double_submit_racing_itself_stores_one_whole_ticket(monkeypatch, django_capture_on_commit_callbacks):
    """The other request of a double click commits between this one's look-up and its insert:
    the unique digest turns the insert into "found it", and nothing of the second is kept."""
    real_capture = tickets.capture_journey

    def the_other_click_commits_first(**kwargs):
        monkeypatch.setattr(tickets, "capture_journey", real_capture)
        open_ticket(**TICKET)
        return real_capture(**kwargs)

    monkeypatch.setattr(tickets, "capture_journey", the_other_click_commits_first)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = open_ticket(**TICKET)

    assert not outcome.created
    assert Ticket.objects.count() == 1 and TicketMessage.objects.count() == 1
    assert Event.objects.filter(kind=Event.Kind.TICKET_CREATED).count() == 1


# --- Who sees the confirmation -----------------------------------------------------------------


def an_anonymous_reader():
    return a_reader()


def another_visitor():
    """A browser with its own visitor cookie (it opened the contact form too)."""
    reader = a_reader()
    start_visit(reader)
    return reader


def a_logged_in_outsider():
    client = Client(**BROWSER_HEADERS)
    client.force_login(UserFactory(email="outsider@example.com"))
    start_visit(client)
    return client


@pytest.mark.parametrize("someone_else", [an_anonymous_reader, another_visitor, a_logged_in_outsider])
def test_the_thank_you_link_shows_no_reference_or_address_to_anyone_but_the_submitter(
    help_centers, django_capture_on_commit_callbacks, someone_else
):
    submitter = a_reader()
    response = submit(submitter, start_visit(submitter), django_capture_on_commit_callbacks)
    ticket = Ticket.objects.get()

    page = someone_else().get(response["Location"])

    html = page.content.decode()
    assert page.status_code == 200
    assert ticket.reference not in html and ticket.requester_email not in html
    assert "Your reference number" not in html


def test_the_submitter_sees_their_reference_and_address_on_the_thank_you_page(
    help_centers, django_capture_on_commit_callbacks
):
    submitter = a_reader()

    response = submit(submitter, start_visit(submitter), django_capture_on_commit_callbacks)

    ticket = Ticket.objects.get()
    page = submitter.get(response["Location"])
    assert ticket.reference in page.content.decode() and ticket.requester_email in page.content.decode()
    assert "no-cache" in page["Cache-Control"] and "Cookie" in page["Vary"]


def test_the_thank_you_link_does_not_carry_the_reference(help_centers, django_capture_on_commit_callbacks):
    submitter = a_reader()

    response = submit(submitter, start_visit(submitter), django_capture_on_commit_callbacks)

    # A signed value is readable (base64), so the URL must not hold the reference at all.
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    payload = b64_decode(token.split(":")[0].encode()).decode(errors="replace")
    assert Ticket.objects.get().reference not in payload
