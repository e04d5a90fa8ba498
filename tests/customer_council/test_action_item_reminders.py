"""Overdue action items: their owners are emailed at most once a day, and only while they may
still enter the council (or manage it); the command reports what it did."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from customer_council.models import ActionItem, Membership
from customer_council.services import meetings
from tests.customer_council.meeting_helpers import add_action_item, make_meeting
from tests.factories.council import make_cohort, make_council_manager, make_council_member

pytestmark = pytest.mark.django_db


def test_the_owner_of_an_overdue_action_is_reminded_once_a_day():
    owner = make_council_member(preferred_language="ru")
    item = add_action_item(make_meeting(), owner, "Send the survey", due_in_days=-3)
    now = timezone.now()

    first = meetings.remind_overdue(now)
    again = meetings.remind_overdue(now + timedelta(hours=6))
    next_day = meetings.remind_overdue(now + timedelta(days=1, minutes=1))

    assert first == [item] and again == [] and next_day == [item]
    assert [message.to for message in mail.outbox] == [[owner.email], [owner.email]]
    assert "Send the survey" in mail.outbox[0].subject
    assert "/ru/council/meetings/" in mail.outbox[0].body


def test_actions_not_yet_due_done_or_dropped_are_not_reminded():
    owner = make_council_member()
    meeting = make_meeting()
    add_action_item(meeting, owner, "Due today", due_in_days=0)
    add_action_item(meeting, owner, "No due date", due_in_days=None)
    add_action_item(meeting, owner, "Done", status=ActionItem.Status.DONE)
    add_action_item(meeting, owner, "Dropped", status=ActionItem.Status.DROPPED)

    assert meetings.remind_overdue() == []
    assert mail.outbox == []


@pytest.mark.parametrize("state", [Membership.State.EXPIRED, Membership.State.REVOKED])
def test_an_owner_who_may_no_longer_enter_is_not_reminded(state):
    owner = make_council_member()
    item = add_action_item(make_meeting("Secret council"), owner)
    Membership.objects.filter(user=owner).update(state=state)

    assert meetings.remind_overdue() == []

    assert mail.outbox == []
    item.refresh_from_db()
    assert item.reminded_at is None


def test_an_owner_who_no_longer_sits_on_the_meetings_cohort_is_not_reminded():
    owner = make_council_member()
    add_action_item(make_meeting(cohort=make_cohort()), owner)

    assert meetings.remind_overdue() == []
    assert mail.outbox == []


def test_an_inactive_account_is_not_reminded():
    owner = make_council_member()
    add_action_item(make_meeting(), owner)
    owner.is_active = False
    owner.save()

    assert meetings.remind_overdue() == []
    assert mail.outbox == []


def test_a_manager_who_owns_an_action_is_reminded():
    manager = make_council_manager()
    add_action_item(make_meeting(cohort=make_cohort()), manager)

    assert len(meetings.remind_overdue()) == 1
    assert mail.outbox[0].to == [manager.email]


def test_the_command_reminds_and_says_how_many():
    owner = make_council_member()
    add_action_item(make_meeting(), owner, "Write the summary")
    out = StringIO()

    call_command("council_action_items", "--remind", stdout=out)
    call_command("council_action_items", "--remind", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"reminded: {owner.email}")
    assert lines[1] == "1 overdue reminder(s) sent."
    assert lines[2] == "0 overdue reminder(s) sent."
    assert len(mail.outbox) == 1


def test_the_command_needs_to_be_told_what_to_do():
    with pytest.raises(CommandError):
        call_command("council_action_items")
    with pytest.raises(CommandError):
        call_command("council_action_items", "--remind", "--now", "yesterday")
