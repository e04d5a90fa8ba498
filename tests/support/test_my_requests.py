"""My requests: a signed-in customer sees their own tickets and threads, and nobody else does."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from support.models import Ticket, TicketMessage
from support.tickets import open_ticket
from tests.factories import BROWSER_HEADERS, UserFactory
from tests.html_checks import html_problems

pytestmark = pytest.mark.django_db

LIST = "/en/support/requests/"


def a_request(requester, subject="Printer offline", *, description="It stopped printing.", **fields):
    ticket = open_ticket(
        subject=subject, description=description, email=requester.email, language="en", requester=requester,
        notify=False,
    ).ticket  # fmt: skip
    if fields:
        Ticket.objects.filter(pk=ticket.pk).update(**fields)
        ticket.refresh_from_db()
    return ticket


def detail_url(ticket) -> str:
    return f"/en/support/requests/{ticket.reference}/"


def logged_in(user) -> Client:
    client = Client(**BROWSER_HEADERS)
    client.force_login(user)
    return client


@pytest.fixture
def customer():
    return UserFactory()


@pytest.fixture
def other_customer():
    return UserFactory()


def test_a_logged_out_visitor_is_sent_to_log_in_and_back_to_my_requests():
    response = Client(**BROWSER_HEADERS).get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/") and "next=/en/support/requests/" in response[
        "Location"
    ].replace("%2F", "/")


def test_the_list_shows_only_my_tickets_latest_activity_first_with_reference_status_and_update(
    customer, other_customer
):
    older = a_request(customer, "Older question", updated_at=timezone.now() - timedelta(days=3))
    newer = a_request(customer, "Newer question", status=Ticket.Status.PENDING)
    a_request(other_customer, "Somebody else's secret")

    html = logged_in(customer).get(LIST).content.decode()

    assert html.index("Newer question") < html.index("Older question")
    assert older.reference in html and newer.reference in html
    assert "Somebody else" not in html
    badge = 'data-request-status="pending"><span class="visually-hidden">Status: </span>Pending</span>'
    assert badge in html, "the status is written, not only coloured"
    assert f'datetime="{newer.updated_at:%Y-%m-%d}' in html


def test_an_empty_list_says_so_and_links_to_the_contact_form(customer):
    html = logged_in(customer).get(LIST).content.decode()

    assert "You have no support requests yet." in html
    assert 'href="/en/support/contact/"' in html


def test_the_list_is_paginated(customer):
    for n in range(21):
        a_request(customer, f"Question {n}")

    client = logged_in(customer)
    first, second = client.get(LIST).content.decode(), client.get(LIST, {"page": 2}).content.decode()

    assert first.count("data-request=") == 20 and second.count("data-request=") == 1
    assert client.get(LIST, {"page": "nope"}).status_code == 200


@pytest.mark.parametrize("count", [1, 40])
def test_the_list_costs_the_same_queries_whatever_the_number_of_tickets(customer, count, django_assert_max_num_queries):
    for n in range(count):
        a_request(customer, f"Question {n}")
    client = logged_in(customer)
    client.get(LIST)  # warm the per-process caches (site root paths, ...)

    with django_assert_max_num_queries(12):
        response = client.get(LIST)

    assert response.content.decode().count("data-request=") == min(count, 20)


def test_the_requester_reads_the_thread_oldest_first_without_internal_notes(customer):
    agent = UserFactory(first_name="Sam", display_name="Sam Support")
    ticket = a_request(customer, description="First words.")
    now = timezone.now()
    TicketMessage.objects.create(
        ticket=ticket, author=agent, body="Agent answer.", is_from_customer=False, created_at=now + timedelta(minutes=1)
    )
    TicketMessage.objects.create(
        ticket=ticket,
        author=agent,
        body="INTERNAL: customer is on the old plan.",
        is_from_customer=False,
        is_internal=True,
        created_at=now + timedelta(minutes=2),
    )
    TicketMessage.objects.create(
        ticket=ticket,
        author=None,
        body="Unsigned reply.",
        is_from_customer=False,
        created_at=now + timedelta(minutes=3),
    )

    html = logged_in(customer).get(detail_url(ticket)).content.decode()

    assert html.index("First words.") < html.index("Agent answer.") < html.index("Unsigned reply.")
    assert "INTERNAL" not in html and "old plan" not in html
    assert "<bdi>You</bdi>" in html and "<bdi>Sam</bdi>" in html and "<bdi>Support team</bdi>" in html
    assert html.count("data-thread-message") == 3


def test_html_in_a_message_is_shown_escaped(customer):
    ticket = a_request(customer, subject="<b>bold</b> subject", description='<script>alert("x")</script>')

    html = logged_in(customer).get(detail_url(ticket)).content.decode()

    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "&lt;b&gt;bold&lt;/b&gt; subject" in html


@pytest.mark.parametrize("who", ["another customer", "anonymous"])
def test_anybody_but_the_requester_gets_the_same_404_as_for_an_unknown_reference(customer, other_customer, who):
    ticket = a_request(customer, subject="Secret subject", description="Secret words.")
    client = logged_in(other_customer) if who == "another customer" else Client(**BROWSER_HEADERS)

    real = client.get(detail_url(ticket))
    unknown = client.get("/en/support/requests/SUP-ZZZZZZ/")
    solve = client.post(f"{detail_url(ticket)}solved/")
    reply = client.post(detail_url(ticket), {"body": "Let me in."})

    assert real.status_code == unknown.status_code == solve.status_code == reply.status_code == 404
    for response in (real, solve, reply):
        assert b"Secret" not in response.content
    # The pages differ only by the address asked for (the language links repeat it).
    assert same_page(real, ticket.reference) == same_page(unknown, "SUP-ZZZZZZ")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN and ticket.messages.count() == 1
    if who == "anonymous":
        assert b"/en/accounts/login/?next=" in real.content, "the email's link offers to log in"


def same_page(response, reference) -> str:
    """The page with the reference of its address and the (per-response) CSRF token taken out."""
    html = response.content.decode().replace(reference, "REFERENCE")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_staff_do_not_read_customers_tickets_on_the_public_site(customer):
    ticket = a_request(customer)
    admin = UserFactory(is_staff=True, is_superuser=True)

    assert logged_in(admin).get(detail_url(ticket)).status_code == 404


@pytest.mark.parametrize("language", ["en", "ru", "fa", "he"])
def test_the_pages_parse_in_every_language(customer, language):
    agent = UserFactory(first_name='Sam "the agent"')
    ticket = a_request(customer, subject='A "quoted" & <odd> subject', status=Ticket.Status.SOLVED)
    TicketMessage.objects.create(ticket=ticket, author=agent, body="Answer & more", is_from_customer=False)
    closed = a_request(customer, subject="Old", status=Ticket.Status.CLOSED)
    client = logged_in(customer)

    pages = {
        "list": client.get(f"/{language}/support/requests/"),
        "detail": client.get(f"/{language}/support/requests/{ticket.reference}/"),
        "closed": client.get(f"/{language}/support/requests/{closed.reference}/"),
        "invalid reply": client.post(f"/{language}/support/requests/{ticket.reference}/", {"body": " "}),
        "logged out": Client(**BROWSER_HEADERS).get(f"/{language}/support/requests/{ticket.reference}/"),
        "empty list": logged_in(UserFactory()).get(f"/{language}/support/requests/"),
    }

    assert {name: response.status_code for name, response in pages.items()} == {
        "list": 200,
        "detail": 200,
        "closed": 200,
        "invalid reply": 400,
        "logged out": 404,
        "empty list": 200,
    }
    problems = [
        f"{name}: {problem}" for name, response in pages.items() for problem in html_problems(response.content.decode())
    ]
    assert problems == []
    assert f'dir="{"rtl" if language in ("fa", "he") else "ltr"}"' in pages["detail"].content.decode()
