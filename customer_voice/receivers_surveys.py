"""Signal receivers: surveys (connected in CustomerVoiceConfig.ready).

A solved ticket asks its requester for CSAT. support sends ``ticket_solved`` after its
transaction commits, so the invitation is made (and the email sent) only for a solved state that
was really saved.
"""

from django.db import transaction

from customer_voice.services.surveys import ask_csat
from support.customer_tickets import has_support_reply
from support.signals import ticket_solved


def ask_satisfaction_on_solved(sender, ticket, user=None, by_requester=False, **kwargs):
    """The transactional "Your request is solved" email with its good/bad question; every
    requester gets it, no feedback opt-in is needed (see ask_csat).

    A requester who marked the request solved themselves before anyone from support answered
    is not asked: there was no support to rate.
    """
    if by_requester and not has_support_reply(ticket):
        return
    transaction.on_commit(lambda: ask_csat(ticket))


ticket_solved.connect(ask_satisfaction_on_solved, dispatch_uid="customer_voice.csat_on_solved")
