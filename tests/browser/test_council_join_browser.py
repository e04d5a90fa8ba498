"""Joining the council in a real browser: the invitation link, logging in, accepting the seat and
the charter, and landing in the council."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from customer_council.access import may_enter
from customer_council.models import Membership
from customer_council.services import membership as services
from tests.customer_council.area_helpers import make_idea
from tests.factories import PASSWORD, UserFactory, ensure_help_centers
from tests.factories.council import make_agreements, make_cohort, make_council_manager, make_council_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LINK = re.compile(r"https?://[^/\s]+(/\S+/council/join/[^/\s]+/)")


def test_invitation_link_login_accept_charter_and_land_on_council_home(reader):
    ensure_help_centers()
    make_agreements()
    manager = make_council_manager()
    invitee = UserFactory(email="invitee@example.com")
    today = timezone.localdate()
    membership = services.nominate(
        make_cohort("Spring cohort"), invitee.email, "en", today, today + timedelta(days=365), by=manager
    )
    services.invite(membership, by=manager)
    link = LINK.search(mail.outbox[-1].body).group(1)

    reader.goto(link)
    expect(reader.get_by_role("heading", name="You are invited to the customer advisory council")).to_be_visible()
    expect(reader.get_by_text("Spring cohort")).to_be_visible()
    reader.locator(".council-join-login").get_by_role("link", name="Log in").click()
    reader.get_by_label("Email").fill(invitee.email)
    reader.get_by_label("Password").fill(PASSWORD)
    reader.get_by_role("button", name="Log in").click()

    reader.wait_for_url(f"**{link}")
    reader.get_by_role("button", name="Accept the invitation").click()

    reader.wait_for_url("**/en/council/agreements/")
    expect(reader.get_by_role("heading", name="Before the council opens")).to_be_visible()
    reader.get_by_label("I have read and accept these agreements").check()
    reader.get_by_role("button", name="Accept and enter the council").click()

    reader.wait_for_url(re.compile(r"/en/council/$"))
    assert may_enter(invitee)
    # The link was used up: opening it again says so.
    reader.goto(link)
    expect(reader.get_by_role("alert")).to_contain_text("already been used")


def test_a_member_whose_term_ends_is_shut_out_at_the_next_click(reader):
    """Logged in and inside the council, the member's term ends (as at midnight): the next page
    they open says the area is for members, and an idea's address is a plain 404."""
    ensure_help_centers()
    make_agreements()
    member = make_council_member(email="leaving@example.com")
    idea = make_idea("Periwinkle exports", author=member)  # written directly: no live announcement
    reader.goto("/en/accounts/login/")
    reader.get_by_label("Email").fill(member.email)
    reader.get_by_label("Password").fill(PASSWORD)
    reader.get_by_role("button", name="Log in").click()
    reader.goto(f"/en/council/ideas/{idea.pk}/")
    expect(reader.get_by_role("heading", name="Periwinkle exports")).to_be_visible()

    Membership.objects.filter(user=member).update(term_end=timezone.localdate() - timedelta(days=1))

    reader.goto("/en/council/")
    expect(reader.get_by_text("This area is for members of the customer advisory council")).to_be_visible()
    expect(reader.get_by_text("Periwinkle exports")).to_have_count(0)
    response = reader.goto(f"/en/council/ideas/{idea.pk}/")
    assert response.status == 404
    expect(reader.get_by_text("Periwinkle exports")).to_have_count(0)
