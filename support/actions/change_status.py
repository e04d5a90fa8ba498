"""Setting a ticket's status (open, pending, solved, closed)."""

from django.utils.translation import gettext as _

from support.actions.permissions import ActionRefused, require_agent
from support.models import Ticket


def change_status(user, ticket: Ticket, status: str) -> Ticket:
    """Move the ticket to ``status``; the article it was resolved with, if any, is kept."""
    require_agent(user)
    if status not in Ticket.Status.values:
        raise ActionRefused(_("Choose one of the listed statuses."))
    if ticket.status != status:
        ticket.status = status
        ticket.save(update_fields=["status", "updated_at"])
    return ticket
