"""The iCalendar invitation: attached to each email and downloadable, the same event every time
(UID), updated in calendars by its SEQUENCE, in UTC, and cancelled with STATUS:CANCELLED."""

from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from customer_council.services import meetings
from tests.customer_council.meeting_helpers import make_meeting
from tests.factories.council import make_council_manager, make_council_member

pytestmark = pytest.mark.django_db


def attached_event(message):
    """The VEVENT of the .ics attached to ``message`` (and the calendar's METHOD)."""
    ((name, content, mimetype),) = message.attachments
    assert name == "invite.ics" and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_the_invitation_email_carries_the_meeting_as_an_ics():
    member = make_council_member()
    meeting = make_meeting("Roadmap council", location="Room 5", description="We review the **plan**.")

    meetings.send_invitations(meeting, by=make_council_manager())

    calendar, event = attached_event(mail.outbox[0])
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]).startswith(str(meeting.uid))
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == meeting.starts_at.astimezone(UTC).replace(microsecond=0)
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=meeting.duration_minutes)
    assert str(event["SUMMARY"]) == "Roadmap council"
    assert str(event["LOCATION"]) == "Room 5"
    assert "We review the plan." in str(event["DESCRIPTION"])
    assert "<" not in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(reverse("customer_council:meeting", args=[meeting.pk]))
    assert member.email in str(event["ATTENDEE"])


def test_a_changed_meeting_is_sent_as_the_same_event_with_a_higher_sequence():
    make_council_member()
    manager = make_council_manager()
    meeting = make_meeting()
    meetings.send_invitations(meeting, by=manager)
    meetings.update(meeting, manager, starts_at=meeting.starts_at + timedelta(hours=1))
    meeting.refresh_from_db()

    meetings.send_invitations(meeting, by=manager)

    (_, first), (_, second) = attached_event(mail.outbox[0]), attached_event(mail.outbox[1])
    assert str(first["UID"]) == str(second["UID"])
    assert int(second["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert second.decoded("DTSTART") - first.decoded("DTSTART") == timedelta(hours=1)


def test_a_cancellation_carries_status_cancelled():
    make_council_member()
    manager = make_council_manager()
    meeting = make_meeting()
    meetings.send_invitations(meeting, by=manager)
    mail.outbox.clear()

    meetings.cancel(meeting, manager)

    calendar, event = attached_event(mail.outbox[0])
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


def test_a_member_downloads_the_ics_with_confidential_headers(client):
    member = make_council_member()
    meeting = make_meeting("Downloaded council")
    client.force_login(member)

    response = client.get(reverse("customer_council:meeting_ics", args=[meeting.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Downloaded council"
    assert str(event["UID"]).startswith(str(meeting.uid))
