"""Giving a ticket to an agent (or to nobody: the inbox's "Unassigned" view)."""

from django.db import transaction
from django.utils.translation import gettext as _

from support.actions.audit import ASSIGNED, log_ticket_action
from support.actions.permissions import ActionRefused, agent_name, can_handle_tickets, require_agent
from support.models import Ticket


def assign_ticket(user, ticket: Ticket, assignee) -> Ticket:
    """Make ``assignee`` (a user who can handle tickets, or None) the ticket's owner."""
    require_agent(user)
    if assignee is not None and not can_handle_tickets(assignee):
        raise ActionRefused(_("Only a support agent can be assigned a ticket."))
    new_id = assignee.pk if assignee is not None else None
    if ticket.assignee_id == new_id:
        return ticket
    old = ticket.assignee
    with transaction.atomic():
        ticket.assignee = assignee
        ticket.save(update_fields=["assignee", "updated_at"])
        log_ticket_action(
            ticket,
            ASSIGNED,
            user,
            old=old.pk if old else None,
            old_name=agent_name(old),
            new=new_id,
            new_name=agent_name(assignee),
        )
    return ticket
