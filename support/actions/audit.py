"""Ticket actions in Wagtail's audit log, beside page actions (Reports → Site history).

Every action in support.actions that changes a ticket records one log entry here, in the same
transaction as the change: who did it, when, and what changed (``data``). The entries are
Wagtail's ModelLogEntry rows, so the admin's site history lists and filters them with page
actions, and they are exported with it.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import log as wagtail_log

#: Action names, as stored in the log.
STATUS_CHANGED = "support.ticket.status"
REPLIED = "support.ticket.reply"
RESOLVED = "support.ticket.resolve"


def log_ticket_action(ticket, action: str, user, **data) -> None:
    wagtail_log(ticket, action, user=user, data=data)


class StatusChanged(LogFormatter):
    label = _("Change ticket status")

    def format_message(self, log_entry):
        return _("Status changed from “%(old)s” to “%(new)s”") % {
            "old": log_entry.data.get("old", ""),
            "new": log_entry.data.get("new", ""),
        }


class Replied(LogFormatter):
    label = _("Reply to a ticket")
    message = _("Replied to the customer")


class Resolved(LogFormatter):
    label = _("Resolve a ticket with an article")

    def format_message(self, log_entry):
        return _("Resolved with the article “%(title)s”") % {"title": log_entry.data.get("title", "")}


def register(actions) -> None:
    """For Wagtail's register_log_actions hook."""
    actions.register_action(STATUS_CHANGED)(StatusChanged)
    actions.register_action(REPLIED)(Replied)
    actions.register_action(RESOLVED)(Resolved)
