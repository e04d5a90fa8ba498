"""Setting a ticket's status (open, pending, solved, closed), and the times that follow it.

``apply_status`` is the one place a status moves: the reply and note actions call it inside
their own transaction, so "Submit as solved" is one transaction with one audit-log entry per
change (the reply, then the status).
"""

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from support.actions.audit import STATUS_CHANGED, log_ticket_action
from support.actions.permissions import ActionRefused, require_agent
from support.models import Ticket
from support.signals import ticket_solved

#: Statuses in which the customer's request is done: the ticket keeps (or gets) its solved time.
DONE = {Ticket.Status.SOLVED, Ticket.Status.CLOSED}


def check_status(status) -> str:
    if status not in Ticket.Status.values:
        raise ActionRefused(_("Choose one of the listed statuses."))
    return status


def change_status(user, ticket: Ticket, status: str) -> Ticket:
    """Move the ticket to ``status``; the article it was resolved with, if any, is kept."""
    require_agent(user)
    check_status(status)
    if ticket.status != status:
        with transaction.atomic():
            apply_status(user, ticket, status)
    return ticket


def apply_status(user, ticket: Ticket, status: str) -> bool:
    """Write a status change with its times and its audit-log entry; False when nothing changed.

    The caller has checked the agent and the status and holds a transaction. ``solved_at`` is
    the last time the ticket became solved (closing an unsolved ticket counts as solving it), and
    is cleared when the ticket is reopened (open or pending again).
    """
    old = ticket.status
    if old == status:
        return False
    fields = ["status", "updated_at"]
    ticket.status = status
    if status == Ticket.Status.SOLVED or (status in DONE and ticket.solved_at is None):
        ticket.solved_at = timezone.now()
        fields.append("solved_at")
    elif status not in DONE and ticket.solved_at is not None:
        ticket.solved_at = None
        fields.append("solved_at")
    ticket.save(update_fields=fields)
    log_ticket_action(ticket, STATUS_CHANGED, user, old=old, new=status)
    if status == Ticket.Status.SOLVED:
        transaction.on_commit(partial(ticket_solved.send, sender=Ticket, ticket=ticket, user=user))
    return True
