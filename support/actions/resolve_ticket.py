"""Resolving a ticket with a help article: the one place that records TICKET_RESOLVED.

The ticket becomes solved and remembers the article and the time (``resolved_at``, and
``solved_at`` when it was not solved yet); the event log gets a
TICKET_RESOLVED event naming the article, which the resolution reports count. Resolving again
with the same article changes nothing; with another article, the newer event is the one that
counts (support.metrics.articles keeps the latest per ticket).
"""

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kb.models import ArticlePage
from support.actions.audit import RESOLVED, log_ticket_action
from support.actions.permissions import ActionRefused, require_agent
from support.events import record_event
from support.models import Event, Ticket
from support.signals import ticket_solved


def resolve_ticket(user, ticket: Ticket, article) -> Ticket:
    """Mark ``ticket`` solved with ``article`` (a live help article, or its page id)."""
    require_agent(user)
    article_id = getattr(article, "pk", article)
    article = ArticlePage.objects.live().filter(pk=article_id).first() if isinstance(article_id, int) else None
    if article is None:
        raise ActionRefused(_("Choose a published help article."))
    if ticket.resolved_with_id == article.pk and ticket.status == Ticket.Status.SOLVED:
        return ticket
    was_solved = ticket.status == Ticket.Status.SOLVED
    with transaction.atomic():
        ticket.resolved_with = article
        ticket.resolved_at = timezone.now()
        ticket.status = Ticket.Status.SOLVED
        fields = ["resolved_with", "resolved_at", "status", "updated_at"]
        if not was_solved:
            ticket.solved_at = ticket.resolved_at
            fields.append("solved_at")
        ticket.save(update_fields=fields)
        record_event(
            Event.Kind.TICKET_RESOLVED,
            user=user,
            ticket=ticket,
            article=article,
            language=ticket.language,
            at=ticket.resolved_at,
        )
        log_ticket_action(ticket, RESOLVED, user, article=article.pk, title=article.title)
        if not was_solved:
            transaction.on_commit(partial(ticket_solved.send, sender=Ticket, ticket=ticket, user=user))
    return ticket
