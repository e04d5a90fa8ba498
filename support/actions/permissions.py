"""Who may work on tickets: the one check every inbox view and ticket action makes."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from sitewide.errors import ActionRefused

__all__ = ["ActionRefused", "can_handle_tickets", "can_read_tickets", "require_agent"]

#: Granted to the "Support agents" group by support's migrations; superusers have every permission.
HANDLE_TICKETS = "support.change_ticket"
READ_TICKETS = "support.view_ticket"


def can_read_tickets(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_perm(READ_TICKETS))


def can_handle_tickets(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_perm(HANDLE_TICKETS))


def require_agent(user) -> None:
    if not can_handle_tickets(user):
        raise PermissionDenied(_("Only support agents can work on tickets."))
