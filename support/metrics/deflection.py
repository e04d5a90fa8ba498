"""Deflection: how many visits that were shown suggested articles did not need to write to support.

Rules, as implemented (all queries over support.models.Event):

* A **visit** of a flow is a distinct non-empty ``visit_id`` with at least one SUGGESTIONS_SHOWN
  event of that flow in the period. It belongs to the bucket of its first suggestions shown in
  the period.
* **Contact flow** (flow "contact"): a visit is *implicitly deflected* when no TICKET_CREATED
  event carries its visit id (whenever that ticket came), and *explicitly deflected* when a
  SOLVED_CONFIRMED event carries it ("This solved my problem").
* **Forum flow** (flow "forum"): the forum records no event when a topic is posted, so a posted
  question cannot be told apart from an abandoned one. The forum signal is therefore
  *opened without posting*: a visit is implicitly deflected when a SUGGESTION_OPENED event of
  the forum flow carries its visit id (the member read a similar topic or article first), and
  explicitly deflected when a SOLVED_CONFIRMED carries it.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, Min, OuterRef

from support.metrics.period import Period, bucket_start, check_bucket, ratio
from support.models import Event


@dataclass
class DeflectionRow:
    """The visits of one flow in one bucket (or the whole period)."""

    visits: int = 0
    #: Visits implicitly deflected (contact: no ticket; forum: a suggestion opened).
    deflected: int = 0
    #: Visits that confirmed "This solved my problem".
    confirmed: int = 0
    #: Visits that opened a ticket (contact flow only; 0 for the forum).
    tickets: int = 0
    start: object = None

    @property
    def implicit_rate(self) -> float | None:
        return ratio(self.deflected, self.visits)

    @property
    def explicit_rate(self) -> float | None:
        return ratio(self.confirmed, self.visits)


@dataclass
class Deflection:
    flow: str
    period: Period
    total: DeflectionRow
    #: One row per bucket with visits, oldest first.
    buckets: list[DeflectionRow] = field(default_factory=list)


def _carries_visit(kind, flow=None):
    events = Event.objects.filter(kind=kind, visit_id=OuterRef("visit_id"))
    return Exists(events.filter(flow=flow) if flow else events)


def deflection(period: Period, *, flow: str = Event.Flow.CONTACT, bucket: str = "day") -> Deflection:
    """Visits shown suggestions in ``period`` for ``flow``, and how many were deflected (one query)."""
    if flow not in (Event.Flow.CONTACT, Event.Flow.FORUM):
        raise ValueError(f"Deflection is measured for the contact and forum flows, not {flow!r}")
    visits = (
        Event.objects.filter(kind=Event.Kind.SUGGESTIONS_SHOWN, flow=flow, **period.filter())
        .exclude(visit_id="")
        .values("visit_id")
        .annotate(
            first_shown=Min("created_at"),
            ticketed=_carries_visit(Event.Kind.TICKET_CREATED),
            confirmed=_carries_visit(Event.Kind.SOLVED_CONFIRMED),
            opened=_carries_visit(Event.Kind.SUGGESTION_OPENED, flow=flow),
        )
        .order_by()
    )
    check_bucket(bucket)
    total, buckets = DeflectionRow(), {}
    for visit in visits:
        start = bucket_start(visit["first_shown"], bucket)
        row = buckets.setdefault(start, DeflectionRow(start=start))
        deflected = visit["opened"] if flow == Event.Flow.FORUM else not visit["ticketed"]
        for counted in (total, row):
            counted.visits += 1
            counted.deflected += int(deflected)
            counted.confirmed += int(visit["confirmed"])
            counted.tickets += int(visit["ticketed"] and flow == Event.Flow.CONTACT)
    return Deflection(flow=flow, period=period, total=total, buckets=[buckets[key] for key in sorted(buckets)])
