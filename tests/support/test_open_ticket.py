"""support.tickets.open_ticket: all of a ticket or nothing, and mail only after the commit."""

import pytest
from django.core import mail
from django.db import DatabaseError

from support.models import Event, Ticket, TicketMessage
from support.tickets import open_ticket

pytestmark = pytest.mark.django_db

TICKET = {
    "subject": "Wi-Fi drops",
    "description": "It drops every few minutes.",
    "email": "customer@example.com",
    "language": "en",
    "visitor_id": "c" * 32,
    "visit_id": "d" * 32,
}


def test_a_failure_half_way_stores_nothing_and_sends_nothing(monkeypatch, django_capture_on_commit_callbacks):
    def broken_create(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(TicketMessage.objects, "create", broken_create)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DatabaseError):
        open_ticket(**TICKET)

    assert not Ticket.objects.exists() and not Event.objects.exists()
    assert mail.outbox == []


def test_mail_waits_for_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        open_ticket(**TICKET)

    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 2


def test_a_mail_failure_keeps_the_ticket(monkeypatch, django_capture_on_commit_callbacks, caplog):
    def broken_send(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("support.tickets.send_mail", broken_send)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = open_ticket(**TICKET)

    assert outcome.created and Ticket.objects.filter(pk=outcome.ticket.pk).exists()
    assert "Could not send" in caplog.text


def test_the_same_submission_returns_the_ticket_it_already_opened(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = open_ticket(**TICKET)
        second = open_ticket(**TICKET)

    assert first.created and not second.created and first.ticket == second.ticket
    assert Ticket.objects.count() == 1 and Event.objects.filter(kind=Event.Kind.TICKET_CREATED).count() == 1


def test_tickets_without_a_visit_are_each_their_own(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(**TICKET | {"visit_id": ""})
        open_ticket(**TICKET | {"visit_id": ""})

    assert Ticket.objects.count() == 2
    assert len(set(Ticket.objects.values_list("reference", flat=True))) == 2


def test_emails_have_one_recipient_and_a_one_line_subject(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(**TICKET)

    for message in mail.outbox:
        headers = message.message()
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert "\n" not in message.subject and headers["Bcc"] is None
