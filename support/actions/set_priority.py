"""Setting a ticket's priority (low, normal, high, urgent)."""

from django.db import transaction
from django.utils.translation import gettext as _

from support.actions.audit import PRIORITY_CHANGED, log_ticket_action
from support.actions.permissions import ActionRefused, require_agent
from support.models import Ticket


def set_priority(user, ticket: Ticket, priority: str) -> Ticket:
    require_agent(user)
    if priority not in Ticket.Priority.values:
        raise ActionRefused(_("Choose one of the listed priorities."))
    if ticket.priority != priority:
        old = ticket.priority
        with transaction.atomic():
            ticket.priority = priority
            ticket.save(update_fields=["priority", "updated_at"])
            log_ticket_action(ticket, PRIORITY_CHANGED, user, old=old, new=priority)
    return ticket
