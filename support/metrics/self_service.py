"""Self-service score: how many people helped themselves for each one who wrote to support.

Rules, as implemented:

* **Help-center visitors** of a bucket: the distinct non-empty visitor ids of ARTICLE_VIEWED
  events (support.models.Event) and of searches (kb SearchEvent) in that bucket, counted once
  even when they did both.
* **Ticket visitors**: the distinct visitors of TICKET_CREATED events in the bucket; a ticket
  without a visitor id (opened by a browser without the cookie) counts as one visitor of its own.
* **Score** = help-center visitors ÷ ticket visitors; none (shown as "–") without tickets.

The figure for the whole period counts distinct visitors over the period (so it is not the sum
of the buckets: a visitor seen on two days is one visitor of the week).
"""

from dataclasses import dataclass, field

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Coalesce, Concat, NullIf

from kb.models import SearchEvent
from support.metrics.period import Period, bucket_start, check_bucket, ratio, truncate
from support.models import Event


@dataclass
class SelfServiceRow:
    start: object = None
    help_center_visitors: int = 0
    ticket_visitors: int = 0

    @property
    def score(self) -> float | None:
        return ratio(self.help_center_visitors, self.ticket_visitors)


@dataclass
class SelfService:
    period: Period
    total: SelfServiceRow
    buckets: list[SelfServiceRow] = field(default_factory=list)


def _ticket_visitor():
    """The visitor id, or "ticket:<id>" for a ticket opened without one."""
    return Coalesce(
        NullIf("visitor_id", Value("")),
        Concat(Value("ticket:"), Cast("ticket_id", CharField())),
        Concat(Value("event:"), Cast("pk", CharField())),
        output_field=CharField(),
    )


def self_service(period: Period, *, bucket: str = "week") -> SelfService:
    """Help-center visitors ÷ ticket visitors per bucket and for the whole period (two queries)."""
    check_bucket(bucket)
    # Each query returns distinct (bucket, visitor) pairs: the database does the de-duplication.
    readers = (
        Event.objects.filter(kind=Event.Kind.ARTICLE_VIEWED, **period.filter())
        .exclude(visitor_id="")
        .annotate(bucket=truncate(bucket))
        .values_list("bucket", "visitor_id")
        .distinct()
        .order_by()
    )
    searchers = (
        SearchEvent.objects.filter(**period.filter())
        .exclude(visitor_id="")
        .annotate(bucket=truncate(bucket))
        .values_list("bucket", "visitor_id")
        .distinct()
        .order_by()
    )
    writers = (
        Event.objects.filter(kind=Event.Kind.TICKET_CREATED, **period.filter())
        .annotate(bucket=truncate(bucket), who=_ticket_visitor())
        .values_list("bucket", "who")
        .distinct()
        .order_by()
    )
    seen, wrote = _visitors_by_bucket(readers.union(searchers), bucket), _visitors_by_bucket(writers, bucket)
    starts = sorted(set(seen) | set(wrote))
    rows = [SelfServiceRow(start, len(seen.get(start, ())), len(wrote.get(start, ()))) for start in starts]
    total = SelfServiceRow(
        None,
        len(set().union(*seen.values())) if seen else 0,
        len(set().union(*wrote.values())) if wrote else 0,
    )
    return SelfService(period=period, total=total, buckets=rows)


def _visitors_by_bucket(rows, bucket: str) -> dict:
    """{first day of bucket: {visitor ids}} from (bucket-truncated time, visitor) rows."""
    visitors = {}
    for moment, visitor in rows:
        visitors.setdefault(bucket_start(moment, bucket), set()).add(visitor)
    return visitors
