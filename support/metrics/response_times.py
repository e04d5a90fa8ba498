"""First-response and resolution times: how long customers wait for an agent, and for a solution.

Rules, as implemented:

* **First-response time** of a ticket: ``first_response_at − created_at``, where
  ``first_response_at`` is the first agent reply that the customer received (internal notes never
  count; support.actions.reply_to_ticket). A ticket counts in the period its first response falls in.
* **Resolution time**: ``solved_at − created_at``, ``solved_at`` being the last time the ticket
  became solved (cleared when it is reopened). A ticket counts in the period it was solved in;
  a reopened ticket that is not solved again does not count.
* **Median** is the middle value (the mean of the two middle ones for an even count);
  **90th percentile** is the nearest-rank value: the smallest time that at least 90 % of the
  tickets reached. None (shown as "–") without tickets. A negative time (data imported with
  clocks out of step) counts as zero.

Two queries whatever the number of tickets; the percentiles are computed in Python, the same on
every database.
"""

import datetime
import math
import statistics
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from support.metrics.period import Period
from support.models import Ticket


@dataclass(frozen=True)
class Durations:
    count: int
    median: datetime.timedelta | None
    p90: datetime.timedelta | None

    @classmethod
    def of(cls, durations) -> "Durations":
        seconds = sorted(max(duration.total_seconds(), 0) for duration in durations)
        if not seconds:
            return cls(0, None, None)
        p90 = seconds[math.ceil(0.9 * len(seconds)) - 1]
        return cls(
            len(seconds),
            datetime.timedelta(seconds=statistics.median(seconds)),
            datetime.timedelta(seconds=p90),
        )


@dataclass(frozen=True)
class ResponseTimes:
    period: Period
    first_response: Durations
    resolution: Durations


def response_times(period: Period) -> ResponseTimes:
    responded = Ticket.objects.filter(**period.filter("first_response_at")).values_list(
        "created_at", "first_response_at"
    )
    solved = Ticket.objects.filter(**period.filter("solved_at")).values_list("created_at", "solved_at")
    return ResponseTimes(
        period=period,
        first_response=Durations.of(end - start for start, end in responded),
        resolution=Durations.of(end - start for start, end in solved),
    )


def ticket_durations(ticket: Ticket) -> dict:
    """The ticket's own first-response and resolution times (None until they happen)."""

    def since_opened(moment):
        return max(moment - ticket.created_at, datetime.timedelta(0)) if moment else None

    return {"first_response": since_opened(ticket.first_response_at), "resolution": since_opened(ticket.solved_at)}


def format_duration(duration: datetime.timedelta | None) -> str:
    """A wait in words, to the two largest units: "45 min", "2 h 5 min", "1 day 3 h"; "–" for none."""
    if duration is None:
        return "–"
    minutes = int(duration.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(days)d day", "%(days)d days", days) % {"days": days})
    if hours:
        parts.append(gettext("%(hours)d h") % {"hours": hours})
    if minutes and not days:
        parts.append(gettext("%(minutes)d min") % {"minutes": minutes})
    return " ".join(parts[:2]) or gettext("under a minute")
