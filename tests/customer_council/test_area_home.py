"""The council home: who gets in, what is new since the last visit, and at a constant cost."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customer_council.models import IdeaStatus, IdeaStatusChange, Membership
from customer_council.services import roadmap
from tests.customer_council.area_helpers import make_council_document, make_council_page, make_idea
from tests.customer_council.meeting_helpers import add_action_item, make_meeting
from tests.factories import UserFactory
from tests.factories.council import (
    make_agreements,
    make_cohort,
    make_council_manager,
    make_council_member,
    make_membership,
)

pytestmark = pytest.mark.django_db

HOME = "/en/council/"


@pytest.fixture
def agreements(db):
    return make_agreements()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(HOME)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]


def test_a_logged_in_outsider_is_told_what_the_area_is_and_sees_no_content(client, help_centers, agreements):
    make_council_page(help_centers["en"], "Nebula pricing preview", "zircon")
    make_idea("Obsidian export idea")
    client.force_login(UserFactory())

    response = client.get(HOME)

    body = response.content.decode()
    assert response.status_code == 403
    assert "This area is for members of the customer advisory council" in body
    assert "Nebula" not in body and "Obsidian" not in body and "zircon" not in body
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_a_member_who_owes_a_new_agreement_is_sent_to_accept_it_first(client, agreements):
    member = make_council_member()
    make_agreements(version=2)
    client.force_login(member)

    response = client.get(HOME)

    assert response.status_code == 302 and response["Location"] == "/en/council/agreements/"


def test_a_member_sees_whats_new_the_council_pages_and_their_own_ideas(client, help_centers, agreements):
    member = make_council_member()
    membership = Membership.objects.get(user=member)
    Membership.objects.filter(pk=membership.pk).update(last_visit_at=timezone.now() - timedelta(days=3))
    make_council_page(help_centers["en"], "Nebula pricing preview", "zircon")
    make_council_page(help_centers["ru"], "Russian only page", "basalt")
    make_idea("Obsidian export idea")
    old = make_idea("Quartz dashboards", created_at=timezone.now() - timedelta(days=30))
    IdeaStatusChange.objects.create(
        idea=old, status=IdeaStatus.objects.get(name="Planned"), previous=old.status, at=timezone.now()
    )
    make_idea("Hidden garnet idea", hidden=True)
    make_idea("My own topaz idea", author=member)
    make_council_document("Topaz pre-read")
    client.force_login(member)

    response = client.get(HOME)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Obsidian export idea" in body, "an idea posted since the last visit"
    assert "Quartz dashboards" in body and "Planned" in body, "a status change since the last visit"
    assert "Nebula pricing preview" in body, "a council page of the reader's language"
    assert "Russian only page" not in body
    assert "Topaz pre-read" in body, "a document added since the last visit"
    assert "My own topaz idea" in body
    assert "garnet" not in body, "a hidden idea is for managers only"
    assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]


def test_the_visit_moves_last_visit_on_so_the_next_one_shows_nothing_new(client, help_centers, agreements):
    member = make_council_member()
    make_idea("Obsidian export idea")
    client.force_login(member)

    client.get(HOME)
    membership = Membership.objects.get(user=member)
    assert membership.last_visit_at is not None
    second = client.get(HOME).content.decode()

    assert "Nothing new since your last visit." in second
    assert "Obsidian export idea" not in second


def test_a_manager_without_a_seat_sees_the_home(client, help_centers):
    make_idea("Obsidian export idea")
    client.force_login(make_council_manager())

    response = client.get(HOME)

    assert response.status_code == 200 and "Obsidian export idea" in response.content.decode()


@pytest.mark.parametrize("state", [Membership.State.EXPIRED, Membership.State.REVOKED, Membership.State.INVITED])
def test_a_former_or_invited_member_gets_the_outsiders_page(client, agreements, state):
    user = UserFactory()
    make_membership(user, state=state)
    make_idea("Obsidian export idea")
    client.force_login(user)

    response = client.get(HOME)

    assert response.status_code == 403 and "Obsidian" not in response.content.decode()


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_the_home_costs_the_same_however_much_is_new(client, help_centers, agreements):
    member = make_council_member()
    client.force_login(member)
    make_idea("First idea", author=member)
    make_council_page(help_centers["en"], "First page", "alpha")
    make_council_document("First document")
    client.get(HOME)  # warm the caches (Wagtail's site root paths)
    Membership.objects.filter(user=member).update(last_visit_at=timezone.now() - timedelta(days=1))
    few = _home_queries(client)

    for n in range(8):
        idea = make_idea(f"Idea number {n}", author=member if n % 2 else None)
        IdeaStatusChange.objects.create(
            idea=idea, status=IdeaStatus.objects.get(name="Planned"), previous=idea.status, at=timezone.now()
        )
        make_council_page(help_centers["en"], f"Page number {n}", f"word{n}")
        make_council_document(f"Document {n}", filename=f"doc{n}.txt")
    Membership.objects.filter(user=member).update(last_visit_at=timezone.now() - timedelta(days=1))
    many = _home_queries(client)

    assert many == few, f"{few} queries with little news, {many} with a lot"


@pytest.mark.parametrize("language", ["ru", "fa", "he"])
def test_the_home_lists_the_council_pages_of_the_readers_language_right_to_left_where_it_reads_so(
    client, help_centers, agreements, language
):
    make_council_page(help_centers[language], "Local briefing", "saffron")
    make_council_page(help_centers["en"], "English briefing", "cobalt")
    client.force_login(make_council_member())

    response = client.get(f"/{language}/council/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Local briefing" in body and "English briefing" not in body
    assert ('dir="rtl"' in body) == (language in ("fa", "he"))


def test_the_home_shows_the_next_meeting_of_the_members_cohort_their_action_items_and_new_previews(
    client, help_centers, agreements
):
    member, manager = make_council_member(), make_council_manager()
    make_meeting("Past review", starts_in=timedelta(days=-30))
    make_meeting("Other cohort's workshop", starts_in=timedelta(days=2), cohort=make_cohort("Council 2030"))
    upcoming = make_meeting("Quarterly council", starts_in=timedelta(days=9))
    make_meeting("Later council", starts_in=timedelta(days=40))
    add_action_item(upcoming, member, "Send the usage survey", due_in_days=-3)
    add_action_item(upcoming, manager, "Book the room")
    roadmap.create_item(
        manager, "Ultramarine planner", "Plan the quarter.", embargo_until=timezone.now() + timedelta(days=9)
    )
    client.force_login(member)

    body = client.get(HOME).content.decode()

    assert "Quarterly council" in body and "Other cohort" not in body
    assert f"/en/council/meetings/{upcoming.pk}/invite.ics" in body
    assert "Send the usage survey" in body and "Overdue since" in body and "Book the room" not in body
    assert "Ultramarine planner" in body and "Confidential" in body


def test_the_home_costs_the_same_with_many_meetings_action_items_and_previews(client, help_centers, agreements):
    member, manager = make_council_member(), make_council_manager()
    client.force_login(member)
    first = make_meeting("First", starts_in=timedelta(days=3))
    add_action_item(first, member)
    roadmap.create_item(manager, "First preview", "Plan.", embargo_until=timezone.now() + timedelta(days=9))
    client.get(HOME)
    Membership.objects.filter(user=member).update(last_visit_at=timezone.now() - timedelta(days=1))
    few = _home_queries(client)

    for n in range(8):
        meeting = make_meeting(f"Meeting {n}", starts_in=timedelta(days=4 + n))
        add_action_item(meeting, member, f"Action {n}")
        roadmap.create_item(manager, f"Preview {n}", "Plan.", embargo_until=timezone.now() + timedelta(days=9))
    Membership.objects.filter(user=member).update(last_visit_at=timezone.now() - timedelta(days=1))
    many = _home_queries(client)

    assert many == few, f"{few} queries with little news, {many} with a lot"
