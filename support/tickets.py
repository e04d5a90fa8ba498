"""Opening a support ticket: the one place that creates tickets from the contact form.

One transaction creates the ticket, its first message and the TICKET_CREATED event, with the
customer's journey in that visit captured on the ticket (support.journey). The confirmation to
the customer (in their language) and the notification to support (settings.SUPPORT_EMAIL) are
sent after the commit, so a rolled-back ticket never sends mail and a mail failure never loses a
ticket.

A double submit (the same visit, the same submitter, the same words) finds the ticket it already
made. A visit id alone proves nothing: it travels in links, so someone else posting with it opens
their own ticket and never learns anything about the first one.
"""

import hashlib
import json
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from support.customer_tickets import verified_account
from support.events import record_event
from support.journey import capture_journey
from support.models import Event, Ticket, TicketMessage
from support.models.tickets import new_reference

logger = logging.getLogger(__name__)

#: Attempts at a fresh random reference before giving up (collisions are ~1 in 10^9 each).
REFERENCE_ATTEMPTS = 5


@dataclass
class TicketOutcome:
    ticket: Ticket
    #: False when the same submission had already opened this ticket (a double submit).
    created: bool


def submission_digest(*, visit_id: str, visitor_id: str, requester, email: str, subject: str, description: str) -> str:
    """What makes two submits "the same": the visit, who sent it (browser, account, address) and
    what they wrote. "" without a visit: then nothing ties two submits together."""
    if not visit_id:
        return ""
    parts = [visit_id, visitor_id, requester.pk if requester else None, email.casefold(), subject, description]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def open_ticket(
    *,
    subject: str,
    description: str,
    email: str,
    language: str,
    requester=None,
    visitor_id: str = "",
    visit_id: str = "",
    notify: bool = True,
    at=None,
) -> TicketOutcome:
    """Open a ticket, or return the one this very submission already opened (see submission_digest).

    The caller has validated the input (support.forms.ContactForm): one-line subject, bounded
    lengths, a valid email address. ``notify=False`` sends no email and ``at``
    backdates the ticket (demo data). Without a ``requester`` (logged out), the ticket joins the
    account that has verified ``email``, if any (support.customer_tickets.verified_account).
    """
    if requester is None:
        requester = verified_account(email)
    digest = submission_digest(
        visit_id=visit_id,
        visitor_id=visitor_id,
        requester=requester,
        email=email,
        subject=subject,
        description=description,
    )
    if digest:
        existing = Ticket.objects.filter(submission_digest=digest).first()
        if existing:
            return TicketOutcome(existing, created=False)
    journey = capture_journey(visitor_id=visitor_id, visit_id=visit_id)
    attempts_left = REFERENCE_ATTEMPTS
    while True:
        try:
            with transaction.atomic():
                ticket = Ticket.objects.create(
                    reference=new_reference(),
                    subject=subject,
                    description=description,
                    requester_email=email,
                    requester=requester,
                    language=language,
                    visitor_id=visitor_id,
                    visit_id=visit_id,
                    submission_digest=digest,
                    journey=journey,
                    created_at=at or timezone.now(),
                )
                TicketMessage.objects.create(
                    ticket=ticket,
                    author=requester,
                    body=description,
                    is_from_customer=True,
                    created_at=ticket.created_at,
                )
                record_event(
                    Event.Kind.TICKET_CREATED,
                    visitor_id=visitor_id,
                    user=requester,
                    flow=Event.Flow.CONTACT,
                    visit_id=visit_id,
                    ticket=ticket,
                    query=subject,
                    language=language,
                    at=ticket.created_at,
                )
                if notify:
                    transaction.on_commit(partial(send_ticket_emails, ticket))
                return TicketOutcome(ticket, created=True)
        except IntegrityError:
            # Either the same submission's other request got there first, or the reference collided.
            existing = Ticket.objects.filter(submission_digest=digest).first() if digest else None
            if existing:
                return TicketOutcome(existing, created=False)
            attempts_left -= 1
            if not attempts_left:
                raise


def send_ticket_emails(ticket: Ticket) -> None:
    """The customer's confirmation (in the ticket's language) and support's notification."""
    context = {"ticket": ticket, "site_name": settings.WAGTAIL_SITE_NAME, "base_url": settings.WAGTAILADMIN_BASE_URL}
    messages = [
        (ticket.language, "support/email/ticket_confirmation", [ticket.requester_email]),
        (settings.LANGUAGE_CODE, "support/email/ticket_notification", [settings.SUPPORT_EMAIL]),
    ]
    for language, template, recipients in messages:
        try:
            with translation.override(language):
                subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
                body = render_to_string(f"{template}.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception:  # the ticket is stored; a mail failure is logged for the admins
            logger.exception("Could not send %s for ticket %s", template, ticket.reference)
