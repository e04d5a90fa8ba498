"""Signals the support app sends, for apps above it (customer_voice asks for CSAT on a solved ticket)."""

from django.dispatch import Signal

#: A ticket became solved (by an agent's status change or a resolution with an article, or by
#: its requester on "My requests"). Sent after the transaction commits, so a rolled-back change
#: never reaches a receiver.
#: provides args: ticket, user (the agent, or the requester), by_requester (True when the
#: requester marked it solved themselves; absent otherwise)
ticket_solved = Signal()
