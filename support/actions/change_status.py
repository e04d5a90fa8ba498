"""Setting a ticket's status (open, pending, solved, closed)."""

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from support.actions.audit import STATUS_CHANGED, log_ticket_action
from support.actions.permissions import ActionRefused, require_agent
from support.models import Ticket
from support.signals import ticket_solved


def change_status(user, ticket: Ticket, status: str) -> Ticket:
    """Move the ticket to ``status``; the article it was resolved with, if any, is kept."""
    require_agent(user)
    if status not in Ticket.Status.values:
        raise ActionRefused(_("Choose one of the listed statuses."))
    if ticket.status != status:
        old = ticket.status
        with transaction.atomic():
            ticket.status = status
            ticket.save(update_fields=["status", "updated_at"])
            log_ticket_action(ticket, STATUS_CHANGED, user, old=old, new=status)
            if status == Ticket.Status.SOLVED:
                transaction.on_commit(partial(ticket_solved.send, sender=Ticket, ticket=ticket, user=user))
    return ticket
