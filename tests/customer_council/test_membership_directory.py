"""The member directory: for members only, showing each member's public name and only the
details they opted in to show; never another customer's commercial data."""

import pytest

from customer_council.models import Membership, MembershipEvent
from tests.factories import UserFactory
from tests.factories.council import make_agreements, make_council_manager, make_membership

pytestmark = pytest.mark.django_db

MEMBERS_PAGE = "/en/council/members/"


@pytest.fixture
def colleague():
    user = UserFactory(display_name="Clara Colleague")
    make_membership(
        user,
        company="Acme Rockets",
        role="CTO",
        region="Patagonia",
        show_company=True,
        show_role=False,
        show_region=False,
        segment="SEGMENT-SECRET",
        plan="PLAN-SECRET",
        revenue_band="BAND-SECRET",
    )
    return user


def test_members_see_names_and_only_the_opted_in_details(client, help_centers, colleague):
    make_agreements()
    member = UserFactory()
    make_membership(member)
    client.force_login(member)

    body = client.get(MEMBERS_PAGE).content.decode()

    assert "Clara Colleague" in body and "Acme Rockets" in body
    for hidden in ["CTO", "Patagonia", "SEGMENT-SECRET", "PLAN-SECRET", "BAND-SECRET", colleague.email]:
        assert hidden not in body


@pytest.mark.parametrize("state", [Membership.State.INVITED, Membership.State.EXPIRED, Membership.State.REVOKED])
def test_the_directory_is_a_404_for_former_and_future_members(client, help_centers, colleague, state):
    user = UserFactory()
    make_membership(user, state=state)
    client.force_login(user)

    response = client.get(MEMBERS_PAGE)

    assert response.status_code == 404 and "Clara Colleague" not in response.content.decode()


def test_the_directory_is_a_404_for_outsiders_and_a_login_for_anonymous_visitors(client, help_centers, colleague):
    assert client.get(MEMBERS_PAGE).status_code == 302
    client.force_login(UserFactory())
    assert client.get(MEMBERS_PAGE).status_code == 404
    assert client.post(MEMBERS_PAGE, {"company": "x"}).status_code == 404


def test_members_who_left_are_not_listed(client, help_centers, colleague):
    Membership.objects.filter(user=colleague).update(state=Membership.State.EXPIRED)
    member = UserFactory()
    make_membership(member)
    client.force_login(member)

    assert "Clara Colleague" not in client.get(MEMBERS_PAGE).content.decode()


def test_a_member_edits_their_own_entry_and_choices(client, help_centers):
    member = UserFactory(display_name="Mo Member")
    membership = make_membership(member)
    client.force_login(member)

    response = client.post(MEMBERS_PAGE, {"company": "  Widgets\u202e Inc ", "show_company": "on", "role": "Buyer"})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.company == "Widgets Inc" and membership.show_company
    assert membership.role == "Buyer" and not membership.show_role
    assert MembershipEvent.objects.filter(membership=membership, kind="updated", actor=member).exists()
    assert "Widgets Inc" in client.get(MEMBERS_PAGE).content.decode()


@pytest.mark.parametrize("company", ["x" * 5000, "nul\x00byte"])
def test_hostile_entries_are_a_400_and_change_nothing(client, help_centers, company):
    member = UserFactory()
    membership = make_membership(member, company="Before")
    client.force_login(member)

    response = client.post(MEMBERS_PAGE, {"company": company, "show_company": "on"})

    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.company == "Before" and not membership.show_company


def test_script_in_an_entry_is_shown_as_text(client, help_centers):
    author = UserFactory()
    make_membership(author, company="<script>alert(1)</script>", show_company=True)
    client.force_login(author)

    body = client.get(MEMBERS_PAGE).content.decode()

    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_managers_see_the_directory_without_an_entry_of_their_own(client, help_centers, colleague):
    client.force_login(make_council_manager())

    response = client.get(MEMBERS_PAGE)

    assert response.status_code == 200 and "Clara Colleague" in response.content.decode()
    assert response.context["form"] is None
