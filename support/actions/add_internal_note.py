"""An agent's internal note: kept on the thread for other agents, never emailed or shown to the customer.

A note is not a response: it leaves ``first_response_at`` alone, and it changes the status only
when the agent submits it with one (a note alone never makes a ticket pending).
"""

from django.db import transaction

from support.actions.audit import NOTE_ADDED, log_ticket_action
from support.actions.change_status import apply_status
from support.actions.permissions import require_agent
from support.actions.thread import add_message
from support.models import Ticket, TicketMessage


def add_internal_note(
    user, ticket: Ticket, body: str, *, status: str | None = None, seen: int | None = None
) -> TicketMessage:
    require_agent(user)
    with transaction.atomic():
        message = add_message(user, ticket, body, internal=True, status=status, seen=seen)
        log_ticket_action(ticket, NOTE_ADDED, user, message=message.pk)
        if status is not None:
            apply_status(user, ticket, status)
    return message
