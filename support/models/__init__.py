"""The support app's models. Submodules by concern; this module only re-exports."""

from support.models.events import Event
from support.models.tickets import Ticket, TicketMessage
from support.models.votes import ArticleVote

__all__ = ["ArticleVote", "Event", "Ticket", "TicketMessage"]
