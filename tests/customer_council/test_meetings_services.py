"""The meetings service: scheduling and the iCalendar sequence, invitations to whom, RSVPs, read
receipts and action items; every refusal writes nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection

from customer_council.models import RSVP, ActionItem, Membership, PreReadReceipt
from customer_council.services import meetings
from sitewide.errors import ActionRefused
from tests.customer_council.area_helpers import make_council_document
from tests.customer_council.meeting_helpers import add_action_item, add_pre_read, make_meeting
from tests.factories import UserFactory
from tests.factories.council import (
    accept_agreements,
    make_agreements,
    make_cohort,
    make_council_manager,
    make_council_member,
    make_membership,
)

pytestmark = pytest.mark.django_db


def member_of(cohort, **user_fields):
    user = UserFactory(**user_fields)
    make_membership(user, cohort=cohort)
    return user


# --- Scheduling -----------------------------------------------------------------------------------


def test_a_manager_schedules_a_meeting_with_its_description_rendered():
    manager = make_council_manager()

    meeting = meetings.schedule(
        manager,
        title="  Quarterly   council ",
        starts_at=timezone.now() + timedelta(days=3),
        description="We review the **roadmap**.",
    )

    assert meeting.title == "Quarterly council"
    assert "<strong>roadmap</strong>" in meeting.description_html
    assert meeting.sequence == 0 and meeting.created_by == manager


def test_a_member_cannot_schedule_a_meeting():
    with pytest.raises(meetings.NotAllowed):
        meetings.schedule(make_council_member(), title="Mine", starts_at=timezone.now() + timedelta(days=1))


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "Bad\x00title"},
        {"title": "   "},
        {"title": "x" * 151},
        {"location": "Room\x00 1"},
        {"duration_minutes": 0},
        {"duration_minutes": "lots"},
        {"starts_at": "tomorrow"},
    ],
)
def test_hostile_meeting_details_are_refused_and_nothing_changes(fields):
    manager = make_council_manager()
    meeting = make_meeting()
    before = (meeting.title, meeting.location, meeting.duration_minutes, meeting.sequence)

    with pytest.raises(ActionRefused):
        meetings.update(meeting, manager, **fields)

    meeting.refresh_from_db()
    assert (meeting.title, meeting.location, meeting.duration_minutes, meeting.sequence) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Renamed council"),
        ("location", "Room 2"),
        ("duration_minutes", 45),
        ("starts_at", timezone.now() + timedelta(days=9)),
    ],
)
def test_changing_the_time_length_place_or_title_bumps_the_sequence(field, value):
    meeting = make_meeting()

    meetings.update(meeting, make_council_manager(), **{field: value})

    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_changing_only_the_description_keeps_the_sequence():
    meeting = make_meeting()

    meetings.update(meeting, make_council_manager(), description="New words")

    meeting.refresh_from_db()
    assert meeting.sequence == 0 and meeting.description_html.strip() == "<p>New words</p>"


def test_cancelling_bumps_the_sequence_and_cannot_happen_twice():
    manager, meeting = make_council_manager(), make_meeting()

    meetings.cancel(meeting, manager)

    meeting.refresh_from_db()
    assert meeting.cancelled_at is not None and meeting.sequence == 1
    with pytest.raises(meetings.Conflict):
        meetings.cancel(meeting, manager)


def test_publishing_empty_minutes_is_refused():
    meeting = make_meeting(minutes="<p> </p>")

    with pytest.raises(ActionRefused):
        meetings.publish_minutes(meeting, make_council_manager())

    meeting.refresh_from_db()
    assert meeting.minutes_published_at is None


# --- Who sees which meeting -----------------------------------------------------------------------


def test_members_see_the_whole_councils_meetings_and_their_own_cohorts_only():
    mine, other = make_cohort(), make_cohort()
    member = member_of(mine)
    whole = make_meeting("Whole council")
    ours = make_meeting("Ours", cohort=mine)
    theirs = make_meeting("Theirs", cohort=other)

    visible = set(meetings.visible_meetings(member))

    assert visible == {whole, ours}
    assert theirs not in visible
    assert set(meetings.visible_meetings(make_council_manager())) == {whole, ours, theirs}


@pytest.mark.parametrize("state", [Membership.State.INVITED, Membership.State.EXPIRED, Membership.State.REVOKED])
def test_former_and_would_be_members_see_no_meeting(state):
    user = UserFactory()
    make_membership(user, state=state)
    make_meeting()

    assert not meetings.visible_meetings(user).exists()
    assert not meetings.visible_meetings(UserFactory()).exists()


# --- Invitations ----------------------------------------------------------------------------------


def test_invitations_go_to_each_active_member_of_the_cohort_and_no_one_else():
    cohort, other = make_cohort(), make_cohort()
    invited = [member_of(cohort), member_of(cohort)]
    member_of(other)
    expired = UserFactory()
    make_membership(expired, cohort=cohort, state=Membership.State.EXPIRED)
    revoked = UserFactory()
    make_membership(revoked, cohort=cohort, state=Membership.State.REVOKED)
    manager = make_council_manager()
    meeting = make_meeting(cohort=cohort)

    sent = meetings.send_invitations(meeting, by=manager)

    assert {user.pk for user in sent} == {user.pk for user in invited}
    assert sorted(message.to[0] for message in mail.outbox) == sorted(user.email for user in invited)
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is not None


def test_a_member_whose_term_ended_since_the_list_was_made_gets_no_invitation():
    member = make_council_member()
    meeting = make_meeting()
    Membership.objects.filter(user=member).update(term_end=timezone.localdate() - timedelta(days=1))

    sent = meetings.send_invitations(meeting, by=make_council_manager())

    assert member not in sent and mail.outbox == []


def test_a_member_who_owes_the_new_agreements_or_is_deactivated_gets_no_invitation():
    make_agreements(1)
    owing, inactive, ready = make_council_member(), make_council_member(), make_council_member()
    inactive.is_active = False
    inactive.save()
    make_agreements(2)
    accept_agreements(ready)
    meeting = make_meeting()

    sent = meetings.send_invitations(meeting, by=make_council_manager())

    assert sent == [ready]
    assert [message.to for message in mail.outbox] == [[ready.email]]
    assert owing not in sent


def test_managers_are_invited_only_when_asked():
    member, manager = make_council_member(), make_council_manager()
    meeting = make_meeting()

    without = meetings.send_invitations(meeting, by=manager)
    with_managers = meetings.send_invitations(meeting, by=manager, include_managers=True)

    assert [user.pk for user in without] == [member.pk]
    assert {user.pk for user in with_managers} == {member.pk, manager.pk}


def test_an_invitation_is_in_the_recipients_language_and_time_zone():
    member = make_council_member(preferred_language="ru", time_zone="Asia/Tokyo")
    meeting = make_meeting(starts_in=timedelta(days=2))
    meeting.starts_at = meeting.starts_at.replace(hour=1, minute=0, second=0, microsecond=0)
    meeting.save()

    meetings.send_invitations(meeting, by=make_council_manager())

    assert mail.outbox[0].to == [member.email]
    body = mail.outbox[0].body
    assert "Asia/Tokyo" in body
    assert "10:00" in body  # 01:00 UTC is 10:00 in Tokyo
    assert "/ru/council/meetings/" in body


def test_without_a_time_zone_the_invitation_says_utc():
    make_council_member(time_zone="")
    meeting = make_meeting()

    meetings.send_invitations(meeting, by=make_council_manager())

    assert "(UTC)" in mail.outbox[0].body


def test_invitations_for_a_cancelled_or_past_meeting_are_refused():
    manager = make_council_manager()
    make_council_member()
    past = make_meeting(starts_in=timedelta(hours=-2))
    cancelled = make_meeting()
    meetings.cancel(cancelled, manager)

    for meeting in (past, cancelled):
        with pytest.raises(meetings.Conflict):
            meetings.send_invitations(meeting, by=manager)
    assert mail.outbox == []


def test_a_member_cannot_send_invitations():
    member = make_council_member()
    with pytest.raises(meetings.NotAllowed):
        meetings.send_invitations(make_meeting(), by=member)
    assert mail.outbox == []


def test_cancelling_after_invitations_tells_the_invitees():
    member, manager = make_council_member(), make_council_manager()
    meeting = make_meeting()
    meetings.send_invitations(meeting, by=manager)
    mail.outbox.clear()

    told = meetings.cancel(meeting, manager)

    assert told == [member]
    assert "Cancelled" in mail.outbox[0].subject


# --- RSVP -----------------------------------------------------------------------------------------


def test_answering_again_replaces_the_answer():
    member, meeting = make_council_member(), make_meeting()

    meetings.rsvp(member, meeting, "yes")
    meetings.rsvp(member, meeting, "no")

    assert list(RSVP.objects.filter(meeting=meeting).values_list("response", flat=True)) == ["no"]


@pytest.mark.parametrize("response", ["", "YES", "attending", "yes\x00", None, ["yes"], "x" * 1000])
def test_answers_outside_the_choices_are_refused(response):
    member, meeting = make_council_member(), make_meeting()

    with pytest.raises(ActionRefused):
        meetings.rsvp(member, meeting, response)

    assert not RSVP.objects.exists()


def test_a_past_or_cancelled_meeting_takes_no_answers():
    member, manager = make_council_member(), make_council_manager()
    past = make_meeting(starts_in=timedelta(hours=-1))
    cancelled = make_meeting()
    meetings.cancel(cancelled, manager)

    with pytest.raises(meetings.Conflict, match="already started or taken place"):
        meetings.rsvp(member, past, "yes")
    with pytest.raises(meetings.Conflict, match="cancelled"):
        meetings.rsvp(member, cancelled, "yes")
    assert not RSVP.objects.exists()


@pytest.mark.parametrize("state", [Membership.State.INVITED, Membership.State.EXPIRED, Membership.State.REVOKED])
def test_someone_who_may_not_enter_cannot_answer(state):
    user = UserFactory()
    make_membership(user, state=state)

    with pytest.raises(ActionRefused):
        meetings.rsvp(user, make_meeting(), "yes")

    assert not RSVP.objects.exists()


def test_a_member_cannot_answer_another_cohorts_meeting():
    member = make_council_member()
    theirs = make_meeting(cohort=make_cohort())

    with pytest.raises(meetings.NotFound):
        meetings.rsvp(member, theirs, "yes")


# --- Read receipts --------------------------------------------------------------------------------


def test_opening_a_pre_read_twice_records_one_receipt():
    member = make_council_member()
    pre_read = add_pre_read(make_meeting())

    first = meetings.record_read(member, pre_read)
    second = meetings.record_read(member, pre_read)

    assert first.pk == second.pk
    assert PreReadReceipt.objects.filter(pre_read=pre_read).count() == 1


def test_a_document_outside_the_council_collection_records_nothing():
    public = get_document_model().objects.create(
        title="Public", file=make_council_document().file.name, collection=Collection.get_first_root_node()
    )
    member = make_council_member()
    pre_read = add_pre_read(make_meeting(), document=public)

    with pytest.raises(meetings.NotFound):
        meetings.record_read(member, pre_read)

    assert not PreReadReceipt.objects.exists()


def test_an_expired_member_records_no_receipt():
    user = UserFactory()
    make_membership(user, state=Membership.State.EXPIRED)

    with pytest.raises(ActionRefused):
        meetings.record_read(user, add_pre_read(make_meeting()))

    assert not PreReadReceipt.objects.exists()


# --- Action items ---------------------------------------------------------------------------------


def test_the_owner_completes_and_reopens_their_action():
    owner = make_council_member()
    item = add_action_item(make_meeting(), owner)

    meetings.complete(item, owner)
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE and item.completed_at is not None

    meetings.reopen(item, owner)
    item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN and item.completed_at is None


def test_another_member_cannot_complete_someone_elses_action_but_a_manager_can():
    owner, other = make_council_member(), make_council_member()
    item = add_action_item(make_meeting(), owner)

    with pytest.raises(meetings.NotAllowed):
        meetings.complete(item, other)
    item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN

    meetings.complete(item, make_council_manager())
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE


def test_an_owner_who_left_the_council_cannot_change_their_action():
    owner = make_council_member()
    item = add_action_item(make_meeting(), owner)
    Membership.objects.filter(user=owner).update(state=Membership.State.REVOKED)

    with pytest.raises(meetings.NotAllowed):
        meetings.complete(item, owner)

    item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN
