"""The customer's side of their tickets ("My requests"): the one place for what a requester does.

A requester lists their tickets, reads a thread (never an agent's internal note), replies and
marks a ticket solved. Each check, write, audit entry and signal is here, so the views stay thin
and a test or a command can call the same functions.

Replies happen on the site: there is no inbound-mail processing, so the agent's reply email links
to the request page (templates/support/email/ticket_reply.txt).

A ticket joins an account only through a *verified* address (allauth's EmailAddress, verified):
one opened while logged out joins the account holding that address at once (support.tickets
calls :func:`verified_account`), and earlier tickets join when an address becomes verified
(:func:`join_tickets_of_verified_address`, on allauth's ``email_confirmed``). An unverified
address joins nothing: anyone may type any address on the contact form.
"""

from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import LogFormatter

from sitewide.errors import ActionRefused
from sitewide.text import clean_text, has_nul
from support.actions.audit import STATUS_CHANGED, log_ticket_action
from support.models import Ticket, TicketMessage
from support.models.tickets import MAX_DESCRIPTION_LENGTH
from support.signals import ticket_solved

#: Audit-log action of a reply the requester wrote on the site (registered in wagtail_hooks).
CUSTOMER_REPLIED = "support.ticket.customer_reply"
#: The same words sent again within this time are one reply (a double click, a resent form).
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=1)
#: Statuses the requester may mark solved.
SOLVABLE = (Ticket.Status.OPEN, Ticket.Status.PENDING)
#: Statuses a reply reopens (the customer is writing again, so support has something to do).
REOPENED_BY_A_REPLY = (Ticket.Status.PENDING, Ticket.Status.SOLVED)


@dataclass
class ReplyOutcome:
    message: TicketMessage
    #: False when the same words had just been sent (a double submit): nothing new was stored.
    created: bool


def customer_requests(user):
    """The user's tickets, the latest activity first (one query per page, whatever their number)."""
    if user is None or not user.is_authenticated:
        return Ticket.objects.none()
    return (
        Ticket.objects.filter(requester=user)
        .only("reference", "subject", "status", "created_at", "updated_at")
        .order_by("-updated_at", "-pk")
    )


def customer_request(user, reference: str) -> Ticket | None:
    """The user's own ticket with this reference; None for anyone else's, or for no such ticket.

    The caller answers both the same way (404), so references cannot be probed.
    """
    if user is None or not user.is_authenticated or not isinstance(reference, str) or len(reference) > 16:
        return None
    return Ticket.objects.filter(requester=user, reference=reference).first()


def customer_thread(ticket: Ticket) -> list[TicketMessage]:
    """What the customer may read of the thread, oldest first: never an internal note.

    The first message is the description (support.tickets.open_ticket writes it); a ticket made
    without one shows its description first all the same.
    """
    messages = list(ticket.messages.public().select_related("author").order_by("created_at", "pk"))
    if not messages or not (messages[0].is_from_customer and messages[0].body == ticket.description):
        opening = TicketMessage(
            ticket=ticket, author_id=ticket.requester_id, body=ticket.description, created_at=ticket.created_at
        )
        messages.insert(0, opening)
    return messages


def author_label(message: TicketMessage) -> str:
    """Who wrote a message, as the customer sees it: "You", or the agent's first name, or "Support team"."""
    if message.is_from_customer:
        return _("You")
    author = message.author
    if author is not None:
        first_name = (author.first_name or "").strip() or (getattr(author, "display_name", "") or "").strip()
        if first_name:
            return first_name.split()[0]
    return _("Support team")


def has_support_reply(ticket: Ticket) -> bool:
    """Whether support has answered the customer (an internal note is no answer)."""
    return ticket.messages.public().filter(is_from_customer=False).exists()


def _require_requester(user, ticket: Ticket) -> None:
    if user is None or not user.is_authenticated or ticket.requester_id != user.pk:
        raise ActionRefused(_("Only the person who opened this request can change it."), status=404)


def clean_reply(body) -> str:
    """The reply as stored, or ActionRefused with what to fix (the form shows the same messages)."""
    if has_nul(body):
        raise ActionRefused(_("The message contains a character that cannot be stored. Remove it and try again."))
    body = clean_text(body or "").strip()
    if not body:
        raise ActionRefused(_("Write a message first."))
    if len(body) > MAX_DESCRIPTION_LENGTH:
        raise ActionRefused(
            _("The message is too long: at most %(limit)s characters.") % {"limit": f"{MAX_DESCRIPTION_LENGTH:,}"}
        )
    return body


def reply_as_customer(user, ticket: Ticket, body: str) -> ReplyOutcome:
    """Add the requester's reply; a pending or solved ticket is open again (support's turn).

    A closed ticket takes no reply (the customer opens a new request). The same words sent again
    within DOUBLE_SUBMIT_WINDOW return the first reply instead of storing a second.
    """
    _require_requester(user, ticket)
    body = clean_reply(body)
    with transaction.atomic():
        # Locks the ticket's row (on databases that can), so two submits of one form are checked one after the other.
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.status == Ticket.Status.CLOSED:
            raise ActionRefused(_("This request is closed and can no longer be answered. Please open a new request."))
        recent = ticket.messages.filter(
            author=user,
            is_from_customer=True,
            body=body,
            created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
        ).first()
        if recent is not None:
            return ReplyOutcome(recent, created=False)
        message = TicketMessage.objects.create(ticket=ticket, author=user, body=body, is_from_customer=True)
        old = ticket.status
        if old in REOPENED_BY_A_REPLY:
            ticket.status = Ticket.Status.OPEN
            ticket.solved_at = None
        # Saved whatever the status: updated_at is the request's last activity in "My requests".
        ticket.save(update_fields=["status", "solved_at", "updated_at"])
        log_ticket_action(ticket, CUSTOMER_REPLIED, user, message=message.pk, old=old, status=ticket.status)
    return ReplyOutcome(message, created=True)


def mark_solved_by_customer(user, ticket: Ticket) -> Ticket:
    """The requester says their problem is solved: status solved, solved_at now.

    ``ticket_solved`` is sent after the commit with ``by_requester=True``: its CSAT receiver
    (customer_voice) then asks only when support had answered, since "How would you rate the
    support you received?" makes no sense about a request nobody answered. Marking a solved
    ticket solved again changes nothing; a closed one is refused.
    """
    _require_requester(user, ticket)
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.status == Ticket.Status.CLOSED:
            raise ActionRefused(_("This request is closed already."))
        if ticket.status not in SOLVABLE:
            return ticket
        old = ticket.status
        ticket.status = Ticket.Status.SOLVED
        ticket.solved_at = timezone.now()
        ticket.save(update_fields=["status", "solved_at", "updated_at"])
        log_ticket_action(ticket, STATUS_CHANGED, user, old=old, new=ticket.status, by_requester=True)
        transaction.on_commit(partial(ticket_solved.send, sender=Ticket, ticket=ticket, user=user, by_requester=True))
    return ticket


# --- Joining tickets to accounts ----------------------------------------------------------------


def verified_account(email: str):
    """The active account that has verified ``email`` (compared case-insensitively), or None."""
    if not email:
        return None
    addresses = list(
        EmailAddress.objects.filter(email__iexact=email, verified=True, user__is_active=True).select_related("user")[:2]
    )
    if len({address.user_id for address in addresses}) != 1:  # nobody, or (against ACCOUNT_UNIQUE_EMAIL) two
        return None
    return addresses[0].user


def join_tickets_of_verified_address(email_address) -> int:
    """Tickets opened without an account from a now verified address join its account.

    Only tickets with no requester: a ticket already in an account stays there. Returns how many joined.
    """
    if not email_address.verified or not email_address.user.is_active:
        return 0
    return Ticket.objects.filter(requester=None, requester_email__iexact=email_address.email).update(
        requester=email_address.user
    )


def on_email_confirmed(sender, request=None, email_address=None, **kwargs):
    """allauth's ``email_confirmed`` receiver (connected in support.receivers)."""
    if email_address is not None:
        join_tickets_of_verified_address(email_address)


# --- Audit log ----------------------------------------------------------------------------------


class CustomerReplied(LogFormatter):
    label = gettext_lazy("Customer reply on the site")
    message = gettext_lazy("The customer replied on the site")


def register_log_actions(actions) -> None:
    """For Wagtail's register_log_actions hook."""
    actions.register_action(CUSTOMER_REPLIED)(CustomerReplied)
