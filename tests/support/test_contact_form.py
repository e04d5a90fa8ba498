"""Contact support: the form, the ticket it opens, the emails, and every kind of bad input."""

import pytest
from django.core import mail
from django.test import Client, override_settings

from support.models import Event, Ticket, TicketMessage
from support.visits import VISIT_COOKIE
from tests.factories import BROWSER_HEADERS, UserFactory
from tests.support.helpers import a_reader

pytestmark = pytest.mark.django_db

CONTACT = "/en/support/contact/"


def start_visit(client, url=CONTACT) -> str:
    """Open the contact form; the visit id it carries."""
    response = client.get(url)
    assert response.status_code == 200
    return response.context["visit_id"]


def valid_form(visit, **overrides) -> dict:
    data = {
        "subject": "Wi-Fi drops every few minutes",
        "description": "Since the update my laptop loses the wireless network every few minutes.",
        "email": "customer@example.com",
        "visit": visit,
        "website": "",
    }
    return data | overrides


def submit(client, visit, capture, **overrides):
    with capture(execute=True):
        return client.post(CONTACT, valid_form(visit, **overrides))


def test_the_contact_form_asks_for_a_subject_a_description_and_an_email(help_centers):
    response = a_reader().get(CONTACT)

    html = response.content.decode()
    for name in ("subject", "description", "email"):
        assert f'name="{name}"' in html
    assert 'aria-live="polite"' in html
    assert "Leave this field empty" in html


def test_showing_the_form_starts_one_visit_however_often_it_is_reloaded(help_centers):
    reader = a_reader()

    first = start_visit(reader)
    again = start_visit(reader)

    assert first == again
    assert Event.objects.filter(kind=Event.Kind.CONTACT_STARTED, visit_id=first, flow="contact").count() == 1


def test_a_logged_in_customer_finds_their_email_filled_in(help_centers):
    user = UserFactory(email="ada@example.com")
    client = Client(**BROWSER_HEADERS)
    client.force_login(user)

    response = client.get(CONTACT)

    assert 'value="ada@example.com"' in response.content.decode()


def test_submitting_opens_a_ticket_with_its_first_message_and_a_reference(
    help_centers, django_capture_on_commit_callbacks
):
    reader = a_reader()
    visit = start_visit(reader)

    response = submit(reader, visit, django_capture_on_commit_callbacks)

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    thanks = reader.get(response["Location"])
    assert ticket.reference in thanks.content.decode()
    assert ticket.reference.startswith("SUP-") and len(ticket.reference) == 10
    assert (ticket.status, ticket.language, ticket.requester_email) == ("open", "en", "customer@example.com")
    assert ticket.visit_id == visit
    message = TicketMessage.objects.get()
    assert message.ticket == ticket and message.is_from_customer and message.body == ticket.description
    created = Event.objects.get(kind=Event.Kind.TICKET_CREATED)
    assert (created.ticket, created.visit_id, created.flow) == (ticket, visit, "contact")
    assert VISIT_COOKIE in response.cookies and response.cookies[VISIT_COOKIE].value == ""


def test_a_logged_in_customer_is_the_requester(help_centers, django_capture_on_commit_callbacks):
    user = UserFactory(email="ada@example.com")
    client = Client(**BROWSER_HEADERS)
    client.force_login(user)
    visit = start_visit(client)

    submit(client, visit, django_capture_on_commit_callbacks, email="ada@example.com")

    ticket = Ticket.objects.get()
    assert ticket.requester == user and Event.objects.get(kind=Event.Kind.TICKET_CREATED).user == user


def test_the_customer_gets_a_confirmation_and_support_a_notification(
    help_centers, django_capture_on_commit_callbacks, settings
):
    settings.SUPPORT_EMAIL = "team@example.com"
    reader = a_reader()
    visit = start_visit(reader)

    submit(reader, visit, django_capture_on_commit_callbacks)

    ticket = Ticket.objects.get()
    confirmation, notification = mail.outbox
    assert confirmation.to == ["customer@example.com"] and ticket.reference in confirmation.subject
    assert "We received your request" in confirmation.subject and ticket.description in confirmation.body
    assert notification.to == ["team@example.com"] and ticket.reference in notification.subject


def test_the_confirmation_is_in_the_customers_language(help_centers, django_capture_on_commit_callbacks):
    reader = a_reader()
    visit = start_visit(reader, "/ru/support/contact/")

    with django_capture_on_commit_callbacks(execute=True):
        reader.post("/ru/support/contact/", valid_form(visit, subject="Не работает Wi-Fi"))

    ticket = Ticket.objects.get()
    confirmation, notification = mail.outbox
    assert ticket.language == "ru"
    # Rendered with Russian active (its links lead to the Russian pages); support's in English.
    assert "/ru/support/contact/" in confirmation.body and "/en/" not in confirmation.body
    assert "New ticket" in notification.subject and "/en/support/contact/" not in notification.body


def test_a_double_submit_opens_one_ticket_and_shows_the_same_reference(
    help_centers, django_capture_on_commit_callbacks
):
    reader = a_reader()
    visit = start_visit(reader)

    first = submit(reader, visit, django_capture_on_commit_callbacks)
    second = submit(reader, visit, django_capture_on_commit_callbacks)

    assert Ticket.objects.count() == 1 and TicketMessage.objects.count() == 1
    reference = Ticket.objects.get().reference
    for response in (first, second):
        assert f'<strong dir="ltr">{reference}</strong>' in reader.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 2, "one confirmation and one notification, not two of each"


def test_the_next_visit_after_a_ticket_is_a_new_one(help_centers, django_capture_on_commit_callbacks):
    reader = a_reader()
    first = start_visit(reader)
    submit(reader, first, django_capture_on_commit_callbacks)

    second = start_visit(reader)

    assert second != first


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("subject", "x" * 201, "at most 200 characters"),
        ("description", "x" * 10_001, "at most 10000 characters"),
        ("subject", "", "This field is required"),
        ("description", "   ", "This field is required"),
        ("email", "not-an-email", "valid email address"),
        ("email", "a@example.com\nBcc: victim@example.com", "valid email address"),
        ("email", "a@example.com, b@example.com", "valid email address"),
        ("subject", "Hello\r\nBcc: victim@example.com", "single line"),
        ("subject", "Hello\x00", "Null characters are not allowed"),
        ("description", "NUL\x00inside", "Null characters are not allowed"),
        ("subject", "\u202e\u2066", "Please write a subject"),
    ],
)
def test_a_bad_submission_gets_a_clear_error_and_stores_nothing(
    help_centers, django_capture_on_commit_callbacks, field, value, message
):
    reader = a_reader()
    visit = start_visit(reader)

    response = submit(reader, visit, django_capture_on_commit_callbacks, **{field: value})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing has been sent yet" in response.content.decode()
    assert not Ticket.objects.exists() and not TicketMessage.objects.exists()
    assert not Event.objects.filter(kind=Event.Kind.TICKET_CREATED).exists()
    assert mail.outbox == []


def test_a_form_with_a_forged_visit_id_asks_to_send_again_with_a_fresh_one(
    help_centers, django_capture_on_commit_callbacks
):
    reader = a_reader()

    response = submit(reader, "../../etc/passwd", django_capture_on_commit_callbacks)

    assert response.status_code == 400 and "This form has expired" in response.content.decode()
    assert len(response.context["visit_id"]) == 32
    assert not Ticket.objects.exists()


def test_bidi_and_control_characters_are_stripped_from_what_is_stored(help_centers, django_capture_on_commit_callbacks):
    reader = a_reader()
    visit = start_visit(reader)

    submit(
        reader,
        visit,
        django_capture_on_commit_callbacks,
        subject="Invoice\u202e fdp.exe\x07",
        description="Line one\r\nLine\u2066 two\x1b[31m\nمی\u200cخواهم",
    )

    ticket = Ticket.objects.get()
    assert ticket.subject == "Invoice fdp.exe"
    assert ticket.description == "Line one\nLine two[31m\nمی\u200cخواهم", "ZWNJ stays: Persian needs it"


def test_the_honeypot_silently_stops_a_bot(help_centers, django_capture_on_commit_callbacks):
    reader = a_reader()
    visit = start_visit(reader)

    response = submit(reader, visit, django_capture_on_commit_callbacks, website="http://spam.example")

    assert response.status_code == 302
    assert reader.get(response["Location"]).status_code == 200
    assert not Ticket.objects.exists() and mail.outbox == []


@override_settings(RATE_LIMITS={"search": (60, 60), "suggest": (120, 60), "vote": (30, 60), "contact": (2, 600)})
def test_submissions_are_rate_limited_per_client(help_centers, django_capture_on_commit_callbacks):
    reader = a_reader()

    responses = [submit(reader, start_visit(reader), django_capture_on_commit_callbacks) for _ in range(3)]

    assert [response.status_code for response in responses] == [302, 302, 429]
    assert Ticket.objects.count() == 2
    assert a_reader().get(CONTACT).status_code == 200, "showing the form is not limited"


def test_the_contact_form_needs_the_csrf_token(help_centers):
    strict = Client(enforce_csrf_checks=True, **BROWSER_HEADERS)
    visit = start_visit(strict)

    response = strict.post(CONTACT, valid_form(visit))

    assert response.status_code == 403 and not Ticket.objects.exists()


def test_a_forged_thank_you_link_shows_no_ticket(help_centers, django_capture_on_commit_callbacks):
    reader = a_reader()
    submit(reader, start_visit(reader), django_capture_on_commit_callbacks)
    reference = Ticket.objects.get().reference

    response = a_reader().get(f"/en/support/contact/thanks/{reference}/")

    assert response.status_code == 200 and "Your reference number" not in response.content.decode()


def test_the_contact_page_runs_a_bounded_number_of_queries(help_centers, django_assert_max_num_queries):
    reader = a_reader()
    reader.get(CONTACT)

    with django_assert_max_num_queries(8):
        reader.get(CONTACT)


def test_a_submit_runs_a_bounded_number_of_queries(
    help_centers, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    reader = a_reader()
    visit = start_visit(reader)

    with django_assert_max_num_queries(25):
        submit(reader, visit, django_capture_on_commit_callbacks)
