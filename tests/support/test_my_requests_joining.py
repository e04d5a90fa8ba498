"""A ticket opened while logged out joins the account whose verified address matches, never an unverified one."""

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.test import RequestFactory

from support.tickets import open_ticket
from tests.factories import UserFactory
from tests.support.test_my_requests import detail_url, logged_in

pytestmark = pytest.mark.django_db


def logged_out_ticket(email, subject="Printer offline"):
    return open_ticket(subject=subject, description="It stopped.", email=email, language="en", notify=False).ticket


def confirm(address):
    address.verified = True
    address.save()
    email_confirmed.send(sender=EmailAddress, request=RequestFactory().get("/"), email_address=address)


def test_a_ticket_opened_while_logged_in_belongs_to_the_user_whatever_address_was_typed():
    customer = UserFactory()
    ticket = open_ticket(
        subject="Hi", description="Hello.", email="other@example.com", language="en", requester=customer, notify=False
    ).ticket

    assert ticket.requester == customer


def test_a_logged_out_ticket_joins_the_account_that_verified_the_address_ignoring_case():
    customer = UserFactory(email="casey@example.com")

    ticket = logged_out_ticket("Casey@Example.COM")

    assert ticket.requester == customer
    assert logged_in(customer).get(detail_url(ticket)).status_code == 200


def test_an_unverified_address_joins_nothing_until_it_is_confirmed():
    customer = UserFactory(verified=False)
    address = customer.emailaddress_set.create(email=customer.email, verified=False, primary=True)
    earlier = logged_out_ticket(customer.email.upper(), "Earlier")

    assert earlier.requester is None
    assert logged_in(customer).get(detail_url(earlier)).status_code == 404

    confirm(address)

    earlier.refresh_from_db()
    assert earlier.requester == customer
    assert logged_in(customer).get(detail_url(earlier)).status_code == 200


def test_confirming_an_address_leaves_tickets_of_other_accounts_and_addresses_alone():
    owner, customer = UserFactory(), UserFactory(verified=False)
    address = customer.emailaddress_set.create(email=customer.email, verified=False, primary=True)
    someone_elses = open_ticket(
        subject="Mine", description="x", email=customer.email, language="en", requester=owner, notify=False
    ).ticket
    other_address = logged_out_ticket("stranger@example.com")

    confirm(address)

    someone_elses.refresh_from_db()
    other_address.refresh_from_db()
    assert someone_elses.requester == owner and other_address.requester is None


def test_a_secondary_unverified_address_of_an_account_joins_nothing():
    customer = UserFactory()
    customer.emailaddress_set.create(email="second@example.com", verified=False)

    assert logged_out_ticket("second@example.com").requester is None


def test_an_inactive_account_gets_no_tickets():
    customer = UserFactory(is_active=False)

    assert logged_out_ticket(customer.email).requester is None
