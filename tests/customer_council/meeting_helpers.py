"""Helpers of the meetings tests: a meeting with its agenda, pre-reads and action items."""

from datetime import timedelta

from django.utils import timezone

from customer_council.models import ActionItem, AgendaItem, Meeting, PreRead
from tests.customer_council.area_helpers import make_council_document


def make_meeting(title="Quarterly council", *, starts_in=timedelta(days=7), cohort=None, **fields) -> Meeting:
    return Meeting.objects.create(
        title=title,
        starts_at=timezone.now() + starts_in,
        duration_minutes=fields.pop("duration_minutes", 90),
        location=fields.pop("location", "Video call"),
        description=fields.pop("description", "We go through the **roadmap**."),
        cohort=cohort,
        **fields,
    )


def add_agenda_item(meeting, title="Roadmap review", idea=None, **fields) -> AgendaItem:
    return AgendaItem.objects.create(meeting=meeting, title=title, idea=idea, **fields)


def add_pre_read(meeting, document=None) -> PreRead:
    return PreRead.objects.create(meeting=meeting, document=document or make_council_document())


def add_action_item(meeting, owner, title="Send the survey", *, due_in_days=-2, **fields) -> ActionItem:
    due_on = timezone.localdate() + timedelta(days=due_in_days) if due_in_days is not None else None
    return ActionItem.objects.create(meeting=meeting, owner=owner, title=title, due_on=due_on, **fields)
