"""The demo gives member@example.com requests in several states, once."""

import pytest
from django.core import mail

from support.demo import load_demo_support
from support.models import Ticket
from tests.factories import UserFactory
from tests.support.test_my_requests import detail_url, logged_in

pytestmark = pytest.mark.django_db


def test_the_demo_member_has_an_open_a_pending_and_a_solved_request_and_a_second_run_adds_none(
    help_centers, django_capture_on_commit_callbacks
):
    member = UserFactory(email="member@example.com")
    UserFactory(email="agent@example.com", first_name="Sam")

    with django_capture_on_commit_callbacks(execute=True):
        load_demo_support()
    first = sorted(Ticket.objects.filter(requester=member).values_list("reference", "status", "updated_at"))
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_support()

    assert sorted(Ticket.objects.filter(requester=member).values_list("reference", "status", "updated_at")) == first
    assert sorted(status for _reference, status, _at in first) == ["open", "pending", "solved"]
    assert mail.outbox == []
    pending = Ticket.objects.get(requester=member, status="pending")
    assert pending.first_response_at is not None and pending.messages.filter(is_internal=True).exists()
    html = logged_in(member).get(detail_url(pending)).content.decode()
    assert "<bdi>Sam</bdi>" in html and "power-saving regression" not in html, "the internal note stays hidden"
    listing = logged_in(member).get("/en/support/requests/").content.decode()
    assert listing.index("Printer shows as offline") < listing.index("Export my calendar")
