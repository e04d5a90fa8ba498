"""The admin lists digest issues with how their deliveries went, to superusers and to staff with
the "view digest" permission only."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from customer_voice.models import DigestDelivery, DigestIssue
from customer_voice.services.digest import period_bounds
from tests.factories import BROWSER_USER_AGENT, UserFactory

pytestmark = pytest.mark.django_db
State = DigestDelivery.State
URL = "/admin/customer-voice/digests/"


@pytest.fixture
def issues():
    for n, period in enumerate(["2026-W40", "2026-W41", "2026-W42"]):
        starts_at, ends_at = period_bounds(period)
        issue = DigestIssue.objects.create(period=period, starts_at=starts_at, ends_at=ends_at)
        states = [State.SENT] * (n + 2) + [State.SKIPPED, State.FAILED]
        DigestDelivery.objects.bulk_create(
            [DigestDelivery(issue=issue, user=UserFactory(), state=state) for state in states]
        )


def admin_client(user) -> Client:
    client = Client(HTTP_USER_AGENT=BROWSER_USER_AGENT)
    client.force_login(user)
    return client


def test_a_superuser_sees_every_issue_with_its_counts(issues, django_assert_max_num_queries):
    client = admin_client(UserFactory(is_staff=True, is_superuser=True))

    with django_assert_max_num_queries(25):
        response = client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert all(period in page for period in ["2026-W40", "2026-W41", "2026-W42"])
    rows = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.findall(r"<tr.*?</tr>", page, re.S)]
    assert any(row.startswith("2026-W42") and " 4 1 1 0 0 " in f" {row} " for row in rows), rows


def test_staff_with_the_view_permission_see_the_list(issues):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_digestissue")
    )

    assert admin_client(editor).get(URL).status_code == 200


def test_staff_without_the_permission_are_turned_away(issues):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))

    response = admin_client(editor).get(URL)

    assert response.status_code in (302, 403)
    assert "2026-W40" not in response.content.decode()


def test_issues_cannot_be_added_or_edited_in_the_admin(issues):
    client = admin_client(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(URL + "new/", follow=True).status_code == 404
