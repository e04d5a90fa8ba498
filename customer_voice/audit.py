"""Detractor follow-up changes in Wagtail's audit log, beside ticket and page actions.

customer_voice.services.followup_actions writes one entry per change, in the same transaction as
the change: who did it, when, and what changed (``data``). The entries are Wagtail's
ModelLogEntry rows, so Reports › Site history lists and filters them.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import log as wagtail_log

#: Action names, as stored in the log.
FOLLOW_UP_STATE = "customer_voice.follow_up.state"
FOLLOW_UP_ASSIGNED = "customer_voice.follow_up.assign"
FOLLOW_UP_NOTE = "customer_voice.follow_up.note"


def log_follow_up_action(follow_up, action: str, user, **data) -> None:
    wagtail_log(follow_up, action, user=user, data=data)


class StateChanged(LogFormatter):
    label = _("Change a detractor follow-up's state")

    def format_message(self, log_entry):
        return _("State changed from “%(old)s” to “%(new)s”") % {
            "old": log_entry.data.get("old", ""),
            "new": log_entry.data.get("new", ""),
        }


class Assigned(LogFormatter):
    label = _("Assign a detractor follow-up")

    def format_message(self, log_entry):
        assignee = log_entry.data.get("assignee")
        if not assignee:
            return _("Unassigned")
        return _("Assigned to %(name)s") % {"name": assignee}


class NoteChanged(LogFormatter):
    label = _("Note what was done for a detractor")
    message = _("Changed the note of what was done")


def register(actions) -> None:
    """For Wagtail's register_log_actions hook."""
    actions.register_action(FOLLOW_UP_STATE)(StateChanged)
    actions.register_action(FOLLOW_UP_ASSIGNED)(Assigned)
    actions.register_action(FOLLOW_UP_NOTE)(NoteChanged)
