"""Who may work on tickets: the one check every inbox view and ticket action makes."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from sitewide.errors import ActionRefused

__all__ = ["ActionRefused", "agent_name", "can_handle_tickets", "can_read_tickets", "require_agent", "ticket_handlers"]

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


def ticket_handlers():
    """Active users who pass can_handle_tickets, in one query: the people a ticket can be assigned to.

    The same rule as Django's ModelBackend: superusers, and users given the permission directly
    or through a group.
    """
    app_label, codename = HANDLE_TICKETS.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(user_permissions__in=permission) | Q(groups__permissions__in=permission))
        .distinct()
        .order_by("display_name", "email", "pk")
    )


def agent_name(user) -> str:
    """How the admin names an agent: display name, else full name, else email address."""
    if user is None:
        return ""
    return user.display_name or user.get_full_name() or user.email
