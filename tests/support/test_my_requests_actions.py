"""A requester replies to their ticket and marks it solved on the site; nobody else can."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone
from wagtail.models import ModelLogEntry

from customer_voice.models import SurveyInvitation
from sitewide.errors import ActionRefused
from support.actions import reply_to_ticket
from support.customer_tickets import CUSTOMER_REPLIED, mark_solved_by_customer, reply_as_customer
from support.models import Ticket, TicketMessage
from support.models.tickets import MAX_DESCRIPTION_LENGTH
from support.signals import ticket_solved
from tests.factories import BROWSER_HEADERS, UserFactory
from tests.support.admin_helpers import an_agent
from tests.support.test_my_requests import a_request, detail_url, logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    return UserFactory()


@pytest.fixture
def client(customer):
    return logged_in(customer)


def customer_replies(ticket):
    return list(ticket.messages.filter(is_from_customer=True).order_by("pk").values_list("body", flat=True))


@pytest.mark.parametrize("status", [Ticket.Status.PENDING, Ticket.Status.SOLVED])
def test_a_reply_is_stored_and_opens_a_pending_or_solved_ticket_again(client, customer, status):
    ticket = a_request(customer, status=status, solved_at=timezone.now())

    response = client.post(detail_url(ticket), {"body": "Still broken after the restart."})

    assert response.status_code == 302
    message = ticket.messages.order_by("pk").last()
    assert response["Location"] == f"{detail_url(ticket)}#message-{message.pk}"
    assert (message.body, message.author, message.is_from_customer, message.is_internal) == (
        "Still broken after the restart.",
        customer,
        True,
        False,
    )
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN and ticket.solved_at is None
    assert "Still broken after the restart." in client.get(response["Location"]).content.decode()


def test_a_reply_to_an_open_ticket_moves_it_to_the_top_of_my_requests(client, customer):
    ticket = a_request(customer, "Old one", updated_at=timezone.now() - timedelta(days=5))
    a_request(customer, "Recent one")

    client.post(detail_url(ticket), {"body": "Any news?"})

    html = client.get("/en/support/requests/").content.decode()
    assert html.index("Old one") < html.index("Recent one")


def test_a_closed_ticket_takes_no_reply_and_says_where_to_go(client, customer):
    ticket = a_request(customer, status=Ticket.Status.CLOSED)

    page = client.get(detail_url(ticket)).content.decode()
    response = client.post(detail_url(ticket), {"body": "Hello?"})

    assert 'name="body"' not in page and "This request is closed" in page and "/en/support/contact/" in page
    assert response.status_code == 400
    assert "can no longer be answered" in response.content.decode()
    assert customer_replies(ticket) == ["It stopped printing."]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write a message first."),
        (" \n\t ", "Write a message first."),
        ("x" * (MAX_DESCRIPTION_LENGTH + 1), "The message is too long"),
        ("nul\x00byte", "Null characters are not allowed."),
    ],
)
def test_an_invalid_reply_is_refused_with_the_form_shown_again(client, customer, body, error):
    ticket = a_request(customer)

    response = client.post(detail_url(ticket), {"body": body})

    assert response.status_code == 400
    html = response.content.decode()
    assert error in html and 'name="body"' in html and "Your reply was not sent." in html
    assert customer_replies(ticket) == ["It stopped printing."]


def test_control_and_bidi_characters_are_removed_and_html_is_shown_escaped(client, customer):
    ticket = a_request(customer)

    client.post(detail_url(ticket), {"body": "<img src=x onerror=alert(1)>\x07 see\u202e here"})

    assert customer_replies(ticket)[-1] == "<img src=x onerror=alert(1)> see here"
    html = client.get(detail_url(ticket)).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_same_reply_sent_twice_within_a_minute_is_stored_once(client, customer):
    ticket = a_request(customer)

    first = client.post(detail_url(ticket), {"body": "Twice?"})
    second = client.post(detail_url(ticket), {"body": "Twice?"})

    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert customer_replies(ticket) == ["It stopped printing.", "Twice?"]
    TicketMessage.objects.filter(body="Twice?").update(created_at=timezone.now() - timedelta(minutes=2))
    client.post(detail_url(ticket), {"body": "Twice?"})
    assert customer_replies(ticket) == ["It stopped printing.", "Twice?", "Twice?"], "later, the same words are new"


@override_settings(RATE_LIMITS={"support_reply": (2, 600)})
def test_replies_are_rate_limited(client, customer):
    ticket = a_request(customer)

    statuses = [client.post(detail_url(ticket), {"body": f"Reply {n}"}).status_code for n in range(3)]

    assert statuses == [302, 302, 429]
    assert len(customer_replies(ticket)) == 3


def test_a_reply_and_a_self_solve_are_in_the_audit_log_by_the_customer(client, customer):
    ticket = a_request(customer, status=Ticket.Status.PENDING)

    client.post(detail_url(ticket), {"body": "Here is the model: X200."})
    client.post(f"{detail_url(ticket)}solved/")

    entries = list(ModelLogEntry.objects.for_instance(ticket).order_by("pk"))
    assert [(entry.action, entry.user) for entry in entries] == [
        (CUSTOMER_REPLIED, customer),
        ("support.ticket.status", customer),
    ]
    assert entries[0].data["old"] == "pending" and entries[0].data["status"] == "open"
    assert entries[1].data == {"old": "open", "new": "solved", "by_requester": True}
    assert entries[0].message == "The customer replied on the site"


def test_marking_solved_sets_the_status_and_time_and_sends_the_signal_after_commit(
    client, customer, django_capture_on_commit_callbacks
):
    ticket = a_request(customer, status=Ticket.Status.PENDING)
    received = []
    ticket_solved.connect(lambda **kwargs: received.append(kwargs), weak=False, dispatch_uid="test-self-solve")
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post(f"{detail_url(ticket)}solved/")
    finally:
        ticket_solved.disconnect(dispatch_uid="test-self-solve")

    assert response.status_code == 302 and response["Location"] == detail_url(ticket)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED and ticket.solved_at is not None
    assert callbacks, "sent on commit"
    assert [(r["ticket"].pk, r["user"], r["by_requester"]) for r in received] == [(ticket.pk, customer, True)]
    page = client.get(detail_url(ticket)).content.decode()
    assert "Mark as solved" not in page and 'name="body"' in page, "a solved request can still be answered"


def test_marking_solved_twice_changes_nothing_and_a_closed_ticket_is_refused(client, customer):
    solved = a_request(customer, status=Ticket.Status.SOLVED)
    closed = a_request(customer, status=Ticket.Status.CLOSED)

    again = client.post(f"{detail_url(solved)}solved/")
    refused = client.post(f"{detail_url(closed)}solved/")

    assert again.status_code == 302 and not ModelLogEntry.objects.for_instance(solved).exists()
    assert refused.status_code == 400 and "This request is closed already." in refused.content.decode()
    closed.refresh_from_db()
    assert closed.status == Ticket.Status.CLOSED


def test_marking_solved_needs_a_post(client, customer):
    ticket = a_request(customer)

    assert client.get(f"{detail_url(ticket)}solved/").status_code == 405


def test_a_post_without_a_csrf_token_is_refused(customer):
    ticket = a_request(customer)
    strict = Client(enforce_csrf_checks=True, **BROWSER_HEADERS)
    strict.force_login(customer)

    assert strict.post(f"{detail_url(ticket)}solved/").status_code == 403
    assert strict.post(detail_url(ticket), {"body": "Hi"}).status_code == 403


def test_the_services_refuse_anybody_but_the_requester(customer):
    ticket = a_request(customer)
    stranger = UserFactory()

    with pytest.raises(ActionRefused):
        reply_as_customer(stranger, ticket, "Hello")
    with pytest.raises(ActionRefused):
        mark_solved_by_customer(stranger, ticket)


# --- CSAT after a self-solve ---------------------------------------------------------------------


def test_a_self_solve_before_any_answer_asks_no_satisfaction(client, customer, django_capture_on_commit_callbacks):
    ticket = a_request(customer)
    TicketMessage.objects.create(
        ticket=ticket, author=UserFactory(), body="Internal only.", is_from_customer=False, is_internal=True
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{detail_url(ticket)}solved/")

    assert not SurveyInvitation.objects.filter(ticket=ticket).exists()
    assert mail.outbox == []


def test_a_self_solve_after_an_answer_asks_satisfaction_once(client, customer, django_capture_on_commit_callbacks):
    ticket = a_request(customer, status=Ticket.Status.PENDING)
    TicketMessage.objects.create(ticket=ticket, author=UserFactory(), body="Try this.", is_from_customer=False)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{detail_url(ticket)}solved/")

    assert SurveyInvitation.objects.filter(ticket=ticket).count() == 1
    assert [message.to for message in mail.outbox] == [[customer.email]]


# --- Where the customer learns about it ------------------------------------------------------------


def test_the_agent_reply_email_says_replies_happen_on_the_site_and_links_the_request(
    customer, django_capture_on_commit_callbacks
):
    ticket = a_request(customer)
    Ticket.objects.filter(pk=ticket.pk).update(language="ru")

    with django_capture_on_commit_callbacks(execute=True):
        reply_to_ticket(an_agent(), Ticket.objects.get(pk=ticket.pk), "Restart the spooler.")

    (email,) = mail.outbox
    assert f"{settings.WAGTAILADMIN_BASE_URL}/ru/support/requests/{ticket.reference}/" in email.body
    assert "Answer this email" not in email.body


def test_the_thank_you_page_links_a_signed_in_customer_to_their_request(client, customer):
    contact = client.get("/en/support/contact/").content.decode()
    visit = re.search(r'name="visit" value="([^"]+)"', contact)[1]
    data = {"subject": "Printer", "description": "Offline.", "email": customer.email, "visit": visit}

    thanks = client.get(client.post("/en/support/contact/", data)["Location"]).content.decode()

    ticket = Ticket.objects.get(requester=customer)
    assert f'href="/en/support/requests/{ticket.reference}/"' in thanks


def test_the_account_menu_links_my_requests_and_sign_up_promises_nothing_more(client):
    assert 'href="/en/support/requests/"' in client.get("/en/support/contact/").content.decode()
    signup = Client(**BROWSER_HEADERS).get("/en/accounts/signup/").content.decode()
    assert "follow your support requests" in signup and "save articles" not in signup
