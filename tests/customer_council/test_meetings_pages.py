"""The meetings' pages: who gets in (and what everyone else is told), what a member and a manager
see, RSVP and pre-read links, bad input answered with a 4xx, and a constant number of queries."""

from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection

from customer_council.models import RSVP, ActionItem, Membership, PreReadReceipt
from customer_council.services import meetings
from tests.customer_council.area_helpers import make_council_document, make_idea
from tests.customer_council.meeting_helpers import add_action_item, add_agenda_item, add_pre_read, make_meeting
from tests.factories import UserFactory
from tests.factories.council import make_cohort, make_council_manager, make_council_member, make_membership

pytestmark = pytest.mark.django_db

SECRET = "Pricing council secret"


@pytest.fixture
def world():
    meeting = make_meeting(SECRET)
    pre_read = add_pre_read(meeting, make_council_document("Secret pre-read"))
    item = add_action_item(meeting, make_council_member(), "Secret action")
    return {"meeting": meeting, "pre_read": pre_read, "item": item}


def urls(world):
    meeting, pre_read, item = world["meeting"], world["pre_read"], world["item"]
    return [
        ("get", reverse("customer_council:meetings")),
        ("get", reverse("customer_council:meeting", args=[meeting.pk])),
        ("get", reverse("customer_council:meeting_ics", args=[meeting.pk])),
        ("get", reverse("customer_council:meeting_pre_read", args=[meeting.pk, pre_read.pk])),
        ("post", reverse("customer_council:meeting_rsvp", args=[meeting.pk])),
        ("post", reverse("customer_council:meeting_action_item", args=[meeting.pk, item.pk])),
    ]


def user_in_state(state):
    user = UserFactory()
    make_membership(user, state=state)
    return user


def outsiders():
    return {
        "logged-in non-member": UserFactory(),
        "invited, not accepted": user_in_state(Membership.State.INVITED),
        "expired member": user_in_state(Membership.State.EXPIRED),
        "revoked member": user_in_state(Membership.State.REVOKED),
        "staff outside the council": UserFactory(is_staff=True),
    }


# --- Who gets in ----------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in_from_every_meetings_url(client, world):
    for method, url in urls(world):
        response = getattr(client, method)(url, {"response": "yes", "action": "complete"})
        assert response.status_code == 302, url
        assert "login" in response["Location"], url
        assert SECRET.encode() not in response.content
        assert "no-store" in response["Cache-Control"]


def test_everyone_who_may_not_enter_gets_a_404_that_says_nothing(client, world):
    for role, user in outsiders().items():
        client.force_login(user)
        for method, url in urls(world):
            response = getattr(client, method)(url, {"response": "yes", "action": "complete"})
            assert response.status_code == 404, (role, url)
            assert SECRET.encode() not in response.content, (role, url)
            assert b"Secret pre-read" not in response.content
            assert "no-store" in response["Cache-Control"]
    assert not RSVP.objects.exists() and not PreReadReceipt.objects.exists()
    assert ActionItem.objects.get().status == ActionItem.Status.OPEN


def test_a_member_of_another_cohort_gets_a_404(client):
    meeting = make_meeting(SECRET, cohort=make_cohort())
    client.force_login(make_council_member())

    for name in ("customer_council:meeting", "customer_council:meeting_ics"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 404
    assert SECRET.encode() not in client.get(reverse("customer_council:meetings")).content


@pytest.mark.parametrize("who", ["member", "manager"])
def test_members_and_managers_open_the_list_the_meeting_and_the_ics(client, world, who):
    client.force_login(make_council_member() if who == "member" else make_council_manager())

    for name, args in (
        ("customer_council:meetings", []),
        ("customer_council:meeting", [world["meeting"].pk]),
        ("customer_council:meeting_ics", [world["meeting"].pk]),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert SECRET.encode() in response.content
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_list_shows_upcoming_meetings_first_then_past_ones(client):
    make_meeting("Long ago", starts_in=timedelta(days=-60))
    make_meeting("Last week", starts_in=timedelta(days=-7))
    make_meeting("Next month", starts_in=timedelta(days=30))
    make_meeting("Tomorrow", starts_in=timedelta(days=1))
    client.force_login(make_council_member())

    text = client.get(reverse("customer_council:meetings")).content.decode()

    order = [text.index(title) for title in ("Tomorrow", "Next month", "Last week", "Long ago")]
    assert order == sorted(order)


# --- The meeting's page ---------------------------------------------------------------------------


def test_a_member_with_a_time_zone_sees_the_time_in_it(client):
    meeting = make_meeting()
    meeting.starts_at = (timezone.now() + timedelta(days=3)).replace(hour=1, minute=0, second=0, microsecond=0)
    meeting.save()
    client.force_login(make_council_member(time_zone="Asia/Tokyo"))

    text = client.get(reverse("customer_council:meeting", args=[meeting.pk])).content.decode()

    assert "Asia/Tokyo" in text
    assert "10 a.m." in text  # 01:00 UTC
    assert "data-local-time" not in text


def test_a_member_without_a_time_zone_sees_utc_for_the_browser_to_rewrite(client):
    meeting = make_meeting()
    client.force_login(make_council_member(time_zone=""))

    text = client.get(reverse("customer_council:meeting", args=[meeting.pk])).content.decode()

    assert "data-local-time" in text
    assert "(UTC)" in text
    assert f'datetime="{meeting.starts_at.astimezone(UTC).isoformat()}"' in text


def test_agenda_items_link_only_ideas_the_reader_may_see(client):
    meeting = make_meeting()
    shown = make_idea("Visible idea")
    hidden = make_idea("Hidden idea", hidden=True)
    add_agenda_item(meeting, "About the visible one", idea=shown)
    add_agenda_item(meeting, "About the hidden one", idea=hidden)
    client.force_login(make_council_member())

    text = client.get(reverse("customer_council:meeting", args=[meeting.pk])).content.decode()

    assert reverse("customer_council:idea", args=[shown.pk]) in text
    assert reverse("customer_council:idea", args=[hidden.pk]) not in text
    assert "Hidden idea" not in text
    assert "About the hidden one" in text


def test_a_pre_read_outside_the_council_collection_is_neither_listed_nor_served(client):
    meeting = make_meeting()
    public = get_document_model().objects.create(
        title="Public brochure", file=make_council_document().file.name, collection=Collection.get_first_root_node()
    )
    outside = add_pre_read(meeting, public)
    client.force_login(make_council_member())

    text = client.get(reverse("customer_council:meeting", args=[meeting.pk])).content.decode()
    response = client.get(reverse("customer_council:meeting_pre_read", args=[meeting.pk, outside.pk]))

    assert "Public brochure" not in text
    assert response.status_code == 404
    assert not PreReadReceipt.objects.exists()


def test_opening_a_pre_read_records_the_receipt_and_leads_to_the_document(client):
    meeting = make_meeting()
    pre_read = add_pre_read(meeting)
    member = make_council_member()
    client.force_login(member)
    url = reverse("customer_council:meeting_pre_read", args=[meeting.pk, pre_read.pk])

    first, second = client.get(url), client.get(url)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == pre_read.document.url
    assert PreReadReceipt.objects.filter(pre_read=pre_read, user=member).count() == 1


def test_minutes_show_only_once_published(client):
    meeting = make_meeting(starts_in=timedelta(days=-1), minutes="<p>We agreed on dark mode.</p>")
    client.force_login(make_council_member())
    url = reverse("customer_council:meeting", args=[meeting.pk])

    assert b"We agreed on dark mode." not in client.get(url).content
    meetings.publish_minutes(meeting, make_council_manager())
    assert b"We agreed on dark mode." in client.get(url).content


def test_overdue_actions_are_marked(client):
    meeting = make_meeting()
    owner = make_council_member()
    add_action_item(meeting, owner, "Late action", due_in_days=-1)
    client.force_login(owner)

    text = client.get(reverse("customer_council:meeting", args=[meeting.pk])).content.decode()

    assert "Late action" in text and "Overdue" in text
    assert "Mark done" in text


def test_a_manager_sees_the_answers_and_who_read_each_pre_read(client):
    meeting = make_meeting()
    pre_read = add_pre_read(meeting, make_council_document("Plan"))
    reader = make_council_member(display_name="Rita Reader")
    meetings.rsvp(reader, meeting, "yes")
    meetings.record_read(reader, pre_read)
    client.force_login(make_council_manager())

    text = client.get(reverse("customer_council:meeting", args=[meeting.pk])).content.decode()

    assert "Attending: 1" in text
    assert "Read by 1 person" in text
    assert text.count("Rita Reader") >= 2


def test_a_member_sees_neither_the_answers_nor_the_readers(client):
    meeting = make_meeting()
    pre_read = add_pre_read(meeting)
    other = make_council_member(display_name="Olga Other")
    meetings.rsvp(other, meeting, "yes")
    meetings.record_read(other, pre_read)
    client.force_login(make_council_member())

    text = client.get(reverse("customer_council:meeting", args=[meeting.pk])).content.decode()

    assert "Olga Other" not in text and "Read by" not in text and "Attending: 1" not in text


# --- Forms and bad input --------------------------------------------------------------------------


def test_rsvp_works_without_javascript_and_a_second_answer_replaces_the_first(client):
    meeting = make_meeting()
    member = make_council_member()
    client.force_login(member)
    url = reverse("customer_council:meeting_rsvp", args=[meeting.pk])

    first = client.post(url, {"response": "maybe"})
    second = client.post(url, {"response": "yes"})

    assert first.status_code == second.status_code == 302
    assert list(RSVP.objects.values_list("user_id", "response")) == [(member.pk, "yes")]


@pytest.mark.parametrize("value", ["", "absolutely", "yes\x00", "YES", "x" * 5000])
def test_rsvp_values_outside_the_choices_are_refused(client, value):
    meeting = make_meeting()
    client.force_login(make_council_member())

    response = client.post(reverse("customer_council:meeting_rsvp", args=[meeting.pk]), {"response": value})

    assert response.status_code == 400
    assert not RSVP.objects.exists()


def test_rsvp_to_a_past_meeting_says_why(client):
    meeting = make_meeting(starts_in=timedelta(days=-2))
    client.force_login(make_council_member())

    response = client.post(reverse("customer_council:meeting_rsvp", args=[meeting.pk]), {"response": "yes"})

    assert response.status_code == 409
    assert b"already started or taken place" in response.content
    assert not RSVP.objects.exists()


def test_forged_ids_are_404(client, world):
    other = make_meeting("Other")
    other_pre_read = add_pre_read(other)
    client.force_login(make_council_member())
    meeting = world["meeting"]

    for url in (
        reverse("customer_council:meeting", args=[999999]),
        reverse("customer_council:meeting_ics", args=[2**63]),
        reverse("customer_council:meeting_pre_read", args=[meeting.pk, other_pre_read.pk]),
        reverse("customer_council:meeting_pre_read", args=[meeting.pk, 999999]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("customer_council:meeting_action_item", args=[other.pk, world["item"].pk]), {"action": "complete"}
    )
    assert response.status_code == 404
    assert not PreReadReceipt.objects.exists()


def test_the_owner_marks_an_action_done_and_others_cannot(client):
    meeting = make_meeting()
    owner = make_council_member()
    item = add_action_item(meeting, owner)
    url = reverse("customer_council:meeting_action_item", args=[meeting.pk, item.pk])

    client.force_login(make_council_member())
    assert client.post(url, {"action": "complete"}).status_code == 403
    client.force_login(owner)
    assert client.post(url, {"action": "explode"}).status_code == 400
    item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN

    assert client.post(url, {"action": "complete"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE


def test_get_on_a_form_url_is_refused(client, world):
    client.force_login(make_council_member())
    response = client.get(reverse("customer_council:meeting_rsvp", args=[world["meeting"].pk]))
    assert response.status_code == 405


# --- Queries --------------------------------------------------------------------------------------


def _fill(meeting, count):
    for index in range(count):
        idea = make_idea(f"Idea {meeting.pk}-{index}")
        add_agenda_item(meeting, f"Item {index}", idea=idea)
        pre_read = add_pre_read(
            meeting, make_council_document(f"Doc {meeting.pk}-{index}", f"d{meeting.pk}{index}.txt")
        )
        member = make_council_member()
        meetings.rsvp(member, meeting, "yes")
        meetings.record_read(member, pre_read)
        add_action_item(meeting, member, f"Action {index}")


@pytest.mark.parametrize("who", ["member", "manager"])
def test_a_meetings_page_costs_the_same_queries_whatever_its_size(client, django_assert_max_num_queries, who):
    small, large = make_meeting("Small"), make_meeting("Large")
    _fill(small, 1)
    _fill(large, 8)
    client.force_login(make_council_member() if who == "member" else make_council_manager())
    client.get(reverse("customer_council:meeting", args=[small.pk]))  # warm the per-process caches

    with CaptureQueriesContext(connection) as counted:
        client.get(reverse("customer_council:meeting", args=[small.pk]))
    with django_assert_max_num_queries(len(counted)):
        response = client.get(reverse("customer_council:meeting", args=[large.pk]))
    assert response.status_code == 200
    assert response.content.count(b"data-action-item=") == 8


# --- Profile ----------------------------------------------------------------------------------------


def test_the_profile_saves_a_known_time_zone_and_refuses_an_unknown_one(client):
    user = UserFactory()
    client.force_login(user)

    bad = client.post(reverse("profile"), {"preferred_language": "en", "time_zone": "Mars/Olympus"})
    user.refresh_from_db()
    assert bad.status_code in (200, 400) and user.time_zone == ""

    client.post(reverse("profile"), {"preferred_language": "en", "time_zone": "Europe/Berlin"})
    user.refresh_from_db()
    assert user.time_zone == "Europe/Berlin"

    client.post(reverse("profile"), {"preferred_language": "en", "time_zone": ""})
    user.refresh_from_db()
    assert user.time_zone == ""
