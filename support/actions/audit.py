"""Ticket actions in Wagtail's audit log, beside page actions (Reports → Site history).

Every action in support.actions that changes a ticket records one log entry here, in the same
transaction as the change: who did it, when, and what changed (``data``). The entries are
Wagtail's ModelLogEntry rows, so the admin's site history lists and filters them with page
actions, and they are exported with it. One submit that changes two things (a reply sent as
"solved") writes one entry for each.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import log as wagtail_log

#: Action names, as stored in the log.
STATUS_CHANGED = "support.ticket.status"
REPLIED = "support.ticket.reply"
NOTE_ADDED = "support.ticket.note"
RESOLVED = "support.ticket.resolve"
ASSIGNED = "support.ticket.assign"
PRIORITY_CHANGED = "support.ticket.priority"


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


class NoteAdded(LogFormatter):
    label = _("Add an internal note to a ticket")
    message = _("Added an internal note")


class Resolved(LogFormatter):
    label = _("Resolve a ticket with an article")

    def format_message(self, log_entry):
        return _("Resolved with the article “%(title)s”") % {"title": log_entry.data.get("title", "")}


class Assigned(LogFormatter):
    label = _("Assign a ticket")

    def format_message(self, log_entry):
        new = log_entry.data.get("new_name") or _("nobody")
        old = log_entry.data.get("old_name") or _("nobody")
        return _("Assignee changed from “%(old)s” to “%(new)s”") % {"old": old, "new": new}


class PriorityChanged(LogFormatter):
    label = _("Change ticket priority")

    def format_message(self, log_entry):
        return _("Priority changed from “%(old)s” to “%(new)s”") % {
            "old": log_entry.data.get("old", ""),
            "new": log_entry.data.get("new", ""),
        }


def register(actions) -> None:
    """For Wagtail's register_log_actions hook."""
    actions.register_action(STATUS_CHANGED)(StatusChanged)
    actions.register_action(REPLIED)(Replied)
    actions.register_action(NOTE_ADDED)(NoteAdded)
    actions.register_action(RESOLVED)(Resolved)
    actions.register_action(ASSIGNED)(Assigned)
    actions.register_action(PRIORITY_CHANGED)(PriorityChanged)
