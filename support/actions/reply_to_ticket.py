"""An agent's reply: stored on the ticket's thread and emailed to the customer after the commit.

The email is in the ticket's language. Its subject is one line built from the reference and
the subject (whitespace and control characters collapsed), so a customer-typed subject can never
add a mail header; the recipient is the ticket's validated address. ``emailed_at`` is set once the
mail is in the outbox, which is committed to the database and sent, retried while the mail server
is down, by `manage.py run_outbox` (sitewide.outbox): from then on the mail cannot be lost. A failure
to build or queue it is logged and leaves the reply stored but not emailed.

The first reply sets the ticket's ``first_response_at``; internal notes
(support.actions.add_internal_note) never do.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from support.actions.audit import REPLIED, log_ticket_action
from support.actions.change_status import apply_status
from support.actions.permissions import require_agent
from support.actions.thread import add_message
from support.models import Ticket, TicketMessage

logger = logging.getLogger(__name__)


def reply_to_ticket(user, ticket: Ticket, body: str, *, status: str | None = None, seen: int | None = None):
    """Add the agent's reply to the thread, and submit the ticket as ``status`` in the same transaction.

    Without ``status`` an open ticket waits for the customer (pending), as after any reply.
    ``seen``: the newest message id the agent read (support.actions.thread.add_message).
    """
    require_agent(user)
    if status is None and ticket.status == Ticket.Status.OPEN:
        status = Ticket.Status.PENDING
    with transaction.atomic():
        message = add_message(user, ticket, body, internal=False, status=status, seen=seen)
        log_ticket_action(ticket, REPLIED, user, message=message.pk, status=status or ticket.status)
        if status is not None:
            apply_status(user, ticket, status)
        transaction.on_commit(partial(send_reply_email, message.pk))
    return message


def one_line(text: str) -> str:
    """Text safe for a mail header: every run of whitespace or control characters becomes one space."""
    return " ".join("".join(char if char.isprintable() else " " for char in str(text)).split())


def send_reply_email(message_id: int) -> None:
    message = TicketMessage.objects.select_related("ticket", "author").get(pk=message_id)
    if message.is_internal or message.is_from_customer:  # an internal note never leaves the admin
        return
    ticket = message.ticket
    context = {
        "ticket": ticket,
        "message": message,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
    }
    try:
        with translation.override(ticket.language):
            subject = one_line(render_to_string("support/email/ticket_reply_subject.txt", context))
            body = render_to_string("support/email/ticket_reply.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [ticket.requester_email])
    except Exception:  # the reply is stored; the inbox shows it as not emailed
        logger.exception("Could not email the reply %s on ticket %s", message.pk, ticket.reference)
        return
    TicketMessage.objects.filter(pk=message.pk).update(emailed_at=timezone.now())
