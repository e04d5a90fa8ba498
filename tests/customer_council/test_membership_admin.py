"""The council in the Wagtail admin: council managers invite, edit, renew and revoke memberships,
edit the agreements, and list and export every membership change; nobody else gets in."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.utils import timezone

from customer_council.models import Cohort, Membership, MembershipEvent
from tests.factories import UserFactory
from tests.factories.council import make_cohort, make_council_manager, make_membership

pytestmark = pytest.mark.django_db

MEMBERSHIPS = "/admin/council/memberships/"
REPORT = "/admin/council/membership-changes/"
AGREEMENTS = "/admin/snippets/customer_council/agreement/"
COHORTS = "/admin/snippets/customer_council/cohort/"


@pytest.fixture
def manager_client(client):
    client.force_login(make_council_manager())
    return client


def an_editor():
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    return editor


@pytest.mark.parametrize("url", [MEMBERSHIPS, f"{MEMBERSHIPS}new/", REPORT, AGREEMENTS, COHORTS])
def test_council_managers_open_every_council_admin_page(manager_client, url):
    assert manager_client.get(url).status_code == 200


@pytest.mark.parametrize("url", [MEMBERSHIPS, f"{MEMBERSHIPS}new/", REPORT, AGREEMENTS, COHORTS])
def test_other_staff_are_kept_out(client, url):
    client.force_login(an_editor())

    response = client.get(url)

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/admin/" in response["Location"] and "memberships" not in response["Location"]


def test_the_listing_filters_by_cohort_and_state_and_shows_staff_weighting(manager_client):
    spring, autumn = make_cohort("Spring"), make_cohort("Autumn")
    make_membership(UserFactory(email="in-spring@example.com"), cohort=spring, segment="Enterprise")
    make_membership(UserFactory(email="in-autumn@example.com"), cohort=autumn)
    make_membership(UserFactory(email="revoked@example.com"), cohort=spring, state=Membership.State.REVOKED)

    by_cohort = manager_client.get(MEMBERSHIPS, {"cohort": spring.pk}).content.decode()
    by_state = manager_client.get(MEMBERSHIPS, {"state": "revoked"}).content.decode()

    assert "in-spring@example.com" in by_cohort and "Enterprise" in by_cohort
    assert "in-autumn@example.com" not in by_cohort
    assert "revoked@example.com" in by_state and "in-spring@example.com" not in by_state


def test_inviting_from_the_admin_nominates_and_emails_the_invitee(manager_client):
    cohort = make_cohort()
    today = timezone.localdate()

    response = manager_client.post(
        f"{MEMBERSHIPS}new/",
        {
            "cohort": cohort.pk,
            "email": "new.member@example.com",
            "language": "fa",
            "term_start": today.isoformat(),
            "term_end": (today + timedelta(days=365)).isoformat(),
            "company": "Acme",
            "segment": "SMB",
        },
    )

    assert response.status_code == 302
    membership = Membership.objects.get(email="new.member@example.com")
    assert membership.state == Membership.State.INVITED and membership.segment == "SMB"
    assert mail.outbox[-1].to == ["new.member@example.com"] and "/fa/council/join/" in mail.outbox[-1].body


def test_a_refused_invitation_shows_the_reason_and_saves_nothing(manager_client):
    cohort = make_cohort()
    make_membership(UserFactory(email="taken@example.com"), cohort=cohort)
    today = timezone.localdate()

    response = manager_client.post(
        f"{MEMBERSHIPS}new/",
        {
            "cohort": cohort.pk,
            "email": "TAKEN@example.com",
            "language": "en",
            "term_start": today.isoformat(),
            "term_end": (today + timedelta(days=30)).isoformat(),
        },
    )

    assert response.status_code == 200
    assert "already has a seat" in response.content.decode()
    assert Membership.objects.filter(cohort=cohort).count() == 1 and not mail.outbox


def test_editing_a_membership_goes_through_the_service_and_is_audited(manager_client):
    membership = make_membership(segment="SMB")
    data = {
        "term_start": membership.term_start.isoformat(),
        "term_end": membership.term_end.isoformat(),
        "language": "en",
        "company": "Acme",
        "role": "",
        "region": "",
        "segment": "Enterprise",
        "plan": "Gold",
        "revenue_band": "1M+",
    }

    response = manager_client.post(f"{MEMBERSHIPS}edit/{membership.pk}/", data)

    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.segment, membership.plan, membership.revenue_band) == ("Enterprise", "Gold", "1M+")
    event = MembershipEvent.objects.get(membership=membership, kind="updated")
    assert set(event.detail["fields"]) == {"company", "segment", "plan", "revenue_band"}


def test_renew_and_revoke_actions(manager_client):
    membership = make_membership()
    new_end = membership.term_end + timedelta(days=365)

    renewed = manager_client.post(f"{MEMBERSHIPS}renew/{membership.pk}/", {"term_end": new_end.isoformat()})
    revoked = manager_client.post(f"{MEMBERSHIPS}revoke/{membership.pk}/", {"reason": '=HYPERLINK("x")'})

    assert renewed.status_code == 302 and revoked.status_code == 302
    membership.refresh_from_db()
    assert membership.term_end == new_end and membership.state == Membership.State.REVOKED
    again = manager_client.post(f"{MEMBERSHIPS}revoke/{membership.pk}/", {"reason": ""})
    assert again.status_code == 409
    assert "already" in again.content.decode(), "the refusal's reason is on the page"


def test_actions_refuse_other_staff_and_unknown_memberships(client, manager_client):
    membership = make_membership()
    # (Django's LocaleMiddleware first tries the 404'd admin path under /en/.)
    assert manager_client.post(f"{MEMBERSHIPS}revoke/999999/", {}, follow=True).status_code == 404
    client.force_login(an_editor())

    assert client.post(f"{MEMBERSHIPS}revoke/{membership.pk}/", {}).status_code in (302, 403)
    membership.refresh_from_db()
    assert membership.state == Membership.State.ACTIVE


def test_memberships_cannot_be_deleted_from_the_admin(manager_client):
    membership = make_membership()

    manager_client.post(f"{MEMBERSHIPS}delete/{membership.pk}/")

    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_report_lists_and_exports_every_change_spreadsheet_safe(manager_client):
    membership = make_membership(UserFactory(email="=cmd@example.com"))
    MembershipEvent.objects.create(membership=membership, kind="revoked", detail={"reason": "=cmd|' /C calc'!A0"})
    MembershipEvent.objects.create(membership=membership, kind="renewed", detail={"term_end": "2030-01-01"})

    listing = manager_client.get(REPORT).content.decode()
    export = manager_client.get(REPORT, {"export": "csv"})
    xlsx = manager_client.get(REPORT, {"export": "xlsx"})

    assert "=cmd@example.com" in listing and "Renewed" in listing
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert len(rows) == 3  # the heading and two changes
    assert all(not cell.startswith("=") for row in rows for cell in row)
    assert rows[1][1] == "'=cmd@example.com"
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_report_filters_by_kind(manager_client):
    membership = make_membership(UserFactory(email="filtered@example.com"))
    MembershipEvent.objects.create(membership=membership, kind="revoked")
    MembershipEvent.objects.create(membership=make_membership(UserFactory(email="other@example.com")), kind="renewed")

    body = manager_client.get(REPORT, {"kind": "revoked"}).content.decode()

    assert "filtered@example.com" in body and "other@example.com" not in body


def test_an_administrator_may_grant_the_pages_to_another_group_by_permissions(client):
    clerk = UserFactory()
    group = Group.objects.create(name="Council clerks")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_cohort"),
    )
    clerk.groups.add(group)
    client.force_login(clerk)

    assert client.get(COHORTS).status_code == 200
    assert Cohort  # the model the permission belongs to
