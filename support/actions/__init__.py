"""Everything an agent does to a ticket, one function each: the inbox views and tests call these.

Each action checks the agent's permission, writes, and records what the reports need.
"""

from support.actions.add_internal_note import add_internal_note
from support.actions.assign_ticket import assign_ticket
from support.actions.change_status import change_status
from support.actions.draft_article import draft_article_from_ticket, existing_draft
from support.actions.permissions import (
    ActionRefused,
    agent_name,
    can_handle_tickets,
    can_read_tickets,
    require_agent,
    ticket_handlers,
)
from support.actions.reply_to_ticket import reply_to_ticket, send_reply_email
from support.actions.resolve_ticket import resolve_ticket
from support.actions.set_priority import set_priority
from support.actions.thread import ThreadChanged

__all__ = [
    "ActionRefused",
    "ThreadChanged",
    "add_internal_note",
    "agent_name",
    "assign_ticket",
    "can_handle_tickets",
    "can_read_tickets",
    "change_status",
    "draft_article_from_ticket",
    "existing_draft",
    "reply_to_ticket",
    "require_agent",
    "resolve_ticket",
    "send_reply_email",
    "set_priority",
    "ticket_handlers",
]
