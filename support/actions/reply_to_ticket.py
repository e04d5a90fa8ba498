"""An agent's reply: stored on the ticket's thread and emailed to the customer after the commit.

The email is in the ticket's language. Its subject is one line built from the reference and
the subject (whitespace and control characters collapsed), so a customer-typed subject can never
add a mail header; the recipient is the ticket's validated address. ``emailed_at`` is set only
once the mail has gone: a mail failure is logged and leaves the reply stored but not emailed.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sitewide.text import clean_text
from support.actions.audit import REPLIED, log_ticket_action
from support.actions.permissions import ActionRefused, require_agent
from support.models import Ticket, TicketMessage
from support.models.tickets import MAX_DESCRIPTION_LENGTH

logger = logging.getLogger(__name__)


def reply_to_ticket(user, ticket: Ticket, body: str) -> TicketMessage:
    """Add the agent's reply to the thread; an open ticket then waits for the customer (pending)."""
    require_agent(user)
    body = clean_text(body or "").strip()
    if not body:
        raise ActionRefused(_("Write a reply first."))
    if len(body) > MAX_DESCRIPTION_LENGTH:
        raise ActionRefused(_("The reply is too long."))
    with transaction.atomic():
        message = TicketMessage.objects.create(ticket=ticket, author=user, body=body, is_from_customer=False)
        if ticket.status == Ticket.Status.OPEN:
            ticket.status = Ticket.Status.PENDING
            ticket.save(update_fields=["status", "updated_at"])
        log_ticket_action(ticket, REPLIED, user, message=message.pk, status=ticket.status)
        transaction.on_commit(partial(send_reply_email, message.pk))
    return message


def one_line(text: str) -> str:
    """Text safe for a mail header: every run of whitespace or control characters becomes one space."""
    return " ".join("".join(char if char.isprintable() else " " for char in str(text)).split())


def send_reply_email(message_id: int) -> None:
    message = TicketMessage.objects.select_related("ticket", "author").get(pk=message_id)
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
