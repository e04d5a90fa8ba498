"""The charter and confidentiality agreement: accepted on the agreements page before the council
opens, and again whenever a higher version is published."""

import pytest
from django.utils import timezone

from customer_council.access import access_group_id, may_enter
from customer_council.models import AgreementAcceptance, MembershipEvent
from customer_council.services import membership as services
from sitewide.errors import ActionRefused
from tests.factories import UserFactory
from tests.factories.council import make_agreements, make_membership

pytestmark = pytest.mark.django_db

AGREEMENTS_PAGE = "/en/council/agreements/"
MEMBERS_PAGE = "/en/council/members/"


def revisions_field(response) -> str:
    return response.context["revisions"]


def test_a_new_version_sends_members_to_the_agreements_page_until_they_accept(client, help_centers):
    make_agreements(version=1)
    member = UserFactory()
    membership = make_membership(member)
    client.force_login(member)
    assert client.get(MEMBERS_PAGE).status_code == 200

    make_agreements(version=2)  # published: the signal re-checks every member

    assert not member.groups.filter(pk=access_group_id()).exists()
    response = client.get(MEMBERS_PAGE)
    assert response.status_code == 302 and response["Location"] == AGREEMENTS_PAGE
    page = client.get(AGREEMENTS_PAGE)
    assert page.status_code == 200 and "Council charter v2." in page.content.decode()

    unticked = client.post(AGREEMENTS_PAGE, {"revisions": revisions_field(page)})
    assert unticked.status_code == 400 and not may_enter(member)

    accepted = client.post(AGREEMENTS_PAGE, {"accept": "on", "revisions": revisions_field(page)})

    assert accepted.status_code == 302 and accepted["Location"] == "/en/council/"
    assert may_enter(member) and client.get(MEMBERS_PAGE).status_code == 200
    assert set(AgreementAcceptance.objects.filter(user=member, version=2).values_list("kind", flat=True)) == {
        "charter",
        "confidentiality",
    }
    assert MembershipEvent.objects.filter(membership=membership, kind="agreement_accepted").count() == 2


def test_publishing_the_same_version_again_asks_nobody_again(help_centers):
    make_agreements(version=1)
    member = UserFactory()
    make_membership(member)

    make_agreements(version=1)

    assert may_enter(member)


def test_a_version_published_while_reading_is_not_accepted_unseen(client, help_centers):
    make_agreements(version=1)
    member = UserFactory()
    make_membership(member)
    make_agreements(version=2)
    client.force_login(member)
    page = client.get(AGREEMENTS_PAGE)
    make_agreements(version=3)

    response = client.post(AGREEMENTS_PAGE, {"accept": "on", "revisions": revisions_field(page)})

    assert response.status_code == 409
    assert not AgreementAcceptance.objects.filter(user=member, version__gte=2).exists()


def test_a_forged_revisions_field_is_a_400(client, help_centers):
    make_agreements(version=1)
    member = UserFactory()
    make_membership(member)
    make_agreements(version=2)
    client.force_login(member)

    response = client.post(AGREEMENTS_PAGE, {"accept": "on", "revisions": "1,<script>\x00"})

    assert response.status_code == 400 and not may_enter(member)


def test_the_agreement_is_shown_in_the_readers_language_or_else_in_another(client, help_centers):
    make_agreements(version=1, language="en")
    member = UserFactory()
    make_membership(member)
    make_agreements(version=2, language="en")
    client.force_login(member)

    response = client.get("/he/council/agreements/")

    assert response.status_code == 200 and "Council charter v2." in response.content.decode()


def test_a_member_with_nothing_pending_goes_to_council_home(client, help_centers):
    make_agreements()
    member = UserFactory()
    make_membership(member)
    client.force_login(member)

    response = client.get(AGREEMENTS_PAGE)

    assert response.status_code == 302 and response["Location"] == "/en/council/"


def test_outsiders_get_a_404_and_anonymous_visitors_the_login(client, help_centers):
    make_agreements()
    assert client.get(AGREEMENTS_PAGE).status_code == 302

    client.force_login(UserFactory())
    assert client.get(AGREEMENTS_PAGE).status_code == 404
    assert client.post(AGREEMENTS_PAGE, {"accept": "on"}).status_code == 404


def test_only_members_accept_agreements():
    make_agreements()

    with pytest.raises(ActionRefused):
        services.accept_agreements(UserFactory(), "en")
    assert not AgreementAcceptance.objects.exists()


def test_the_acceptance_keeps_the_revision_and_language_shown(help_centers):
    make_agreements(version=1)
    member = UserFactory()
    make_membership(member)
    charter, _confidentiality = make_agreements(version=2)
    charter.refresh_from_db()

    before = timezone.now()
    services.accept_agreements(member, "en")

    acceptance = AgreementAcceptance.objects.get(user=member, kind="charter", version=2)
    assert acceptance.revision_id == charter.live_revision_id and acceptance.language == "en"
    assert acceptance.accepted_at >= before
