"""Support tickets and their message threads."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_SUBJECT_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 10_000
#: Letters and digits that cannot be misread for each other when read out on the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_PREFIX = "SUP-"
REFERENCE_LENGTH = 6


def new_reference() -> str:
    """A random, human-friendly reference such as "SUP-7K3Q9D" (not guessable from the id)."""
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class Ticket(models.Model):
    """A customer's request to support, opened from the contact form (support.tickets.open_ticket)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PENDING = "pending", _("Pending")
        SOLVED = "solved", _("Solved")
        CLOSED = "closed", _("Closed")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    reference = models.CharField(_("reference"), max_length=16, unique=True, default=new_reference, editable=False)
    subject = models.CharField(_("subject"), max_length=MAX_SUBJECT_LENGTH)
    description = models.TextField(_("description"), max_length=MAX_DESCRIPTION_LENGTH)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    requester_email = models.EmailField(_("requester email"))
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_tickets",
        verbose_name=_("requester"),
    )
    #: The agent who owns the ticket (None: unassigned; the inbox's "Unassigned" view).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_support_tickets",
        verbose_name=_("assignee"),
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL, db_index=True
    )
    #: The language the customer wrote in: their emails are sent in it.
    language = models.CharField(_("language"), max_length=12)
    visitor_id = models.CharField(_("visitor"), max_length=32, blank=True, db_index=True)
    #: The contact-form visit that opened it. A visit id travels in links (``?from_contact=``), so
    #: it says nothing about who submitted: several tickets may name the same visit.
    visit_id = models.CharField(_("visit"), max_length=32, blank=True, db_index=True)
    #: A digest of the visit, the submitter and what they wrote (support.tickets.submission_digest);
    #: unique when set, so a double submit makes one ticket while anyone else gets their own.
    submission_digest = models.CharField(_("submission digest"), max_length=64, blank=True, editable=False)
    #: The customer's journey in that visit (searches, articles read, votes, suggestions shown and
    #: opened), captured when the ticket was opened; see support.journey.
    journey = models.JSONField(_("journey"), default=dict, blank=True)
    resolved_with = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved with article"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    #: The first reply an agent sent to the customer (internal notes do not count).
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    #: The last time the ticket moved to "solved" (cleared if it is reopened).
    solved_at = models.DateTimeField(_("solved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission_digest"],
                condition=~Q(submission_digest=""),
                name="support_one_ticket_per_submission",
            )
        ]

    def __str__(self):
        return f"{self.reference}: {self.subject}"


class TicketMessageQuerySet(models.QuerySet):
    def public(self):
        """The messages the customer may see: all but agents' internal notes. Every customer-facing
        listing (pages, emails, exports) starts here: ``ticket.messages.public()``."""
        return self.filter(is_internal=False)


class TicketMessage(models.Model):
    """One message of a ticket's thread: the customer's description, a reply from an agent, ..."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=MAX_DESCRIPTION_LENGTH)
    is_from_customer = models.BooleanField(_("from the customer"), default=True)
    #: An agent's internal note: never emailed, never shown to the customer.
    is_internal = models.BooleanField(_("internal note"), default=False)
    #: When the message was emailed to the other side (None: not emailed).
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    objects = TicketMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket message")
        verbose_name_plural = _("ticket messages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.ticket_id} message {self.pk}"
