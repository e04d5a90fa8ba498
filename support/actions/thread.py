"""Adding an agent's message to a ticket's thread: shared by the reply and the internal note.

One transaction locks the ticket, checks that the thread is still the one the agent read (a
double submit, or a customer's message that arrived meanwhile, is refused before anything is
written), adds the message and bumps the ticket's last activity (``updated_at``). The reply and
note actions then log it and apply the status the agent submitted with it
(support.actions.change_status.apply_status), in the same transaction.
"""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from sitewide.text import clean_text
from support.actions.change_status import check_status
from support.actions.permissions import ActionRefused
from support.models import Ticket, TicketMessage
from support.models.tickets import MAX_DESCRIPTION_LENGTH


class ThreadChanged(ActionRefused):
    """The thread has a message the agent had not seen when writing (or this very one, sent twice)."""


def clean_body(body: str) -> str:
    body = clean_text(body or "").strip()
    if not body:
        raise ActionRefused(_("Write a message first."))
    if len(body) > MAX_DESCRIPTION_LENGTH:
        raise ActionRefused(_("The message is too long."))
    return body


def add_message(user, ticket: Ticket, body: str, *, internal: bool, status: str | None, seen: int | None):
    """Write the message; the caller holds the transaction, logs it, then applies ``status``
    (checked here, before anything is written) with apply_status.

    ``seen`` is the id of the newest message the agent's page showed (None: do not check).
    """
    body = clean_body(body)
    if status is not None:
        check_status(status)
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().filter(pk=ticket.pk).values_list("pk", flat=True)
        if not list(locked):
            raise ActionRefused(_("This ticket no longer exists."))
        if seen is not None:
            newest = ticket.messages.aggregate(newest=Max("pk"))["newest"] or 0
            if newest != seen:
                raise ThreadChanged(
                    _(
                        "The conversation changed since this page was opened (or this was already sent). "
                        "Read it, then send again."
                    )
                )
        message = TicketMessage.objects.create(
            ticket=ticket, author=user, body=body, is_from_customer=False, is_internal=internal
        )
        fields = ["updated_at"]
        if not internal and ticket.first_response_at is None:
            ticket.first_response_at = message.created_at
            fields.append("first_response_at")
        ticket.save(update_fields=fields)
    return message
