"""Content gaps: what customers looked for and did not find.

Rules, as implemented:

* **Queries with no results**: kb SearchEvent rows of the period with ``result_count = 0``,
  grouped by normalised query (searches, distinct visitors, last searched).
* **Dead-end queries**: a search of the period that showed results but had no click
  (``click_count = 0``), after which the same visitor opened a ticket (TICKET_CREATED) within
  DEAD_END_WINDOW without reading any article (no ARTICLE_VIEWED or SUGGESTION_OPENED from that
  visitor between the search and the ticket). Grouped by normalised query.
* **Ticket subjects without an article**: the latest MAX_GAP_TICKETS tickets of the period; each
  subject is searched with the site's search service (kb.search.service.search) as an anonymous
  reader in the ticket's language, and it is a gap when the top hits hold no help article in
  that language. Each answer is cached for GAP_CACHE_SECONDS (searching is the slow part).
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Subquery

from kb.models import SearchEvent
from kb.search.service import SearchUnavailable, search
from sitewide.reader import Reader
from support.journey import JOURNEY_LOOKBACK
from support.metrics.period import Period
from support.models import Event, Ticket

#: A ticket this long after a search without a click makes that search a dead end.
DEAD_END_WINDOW = JOURNEY_LOOKBACK
#: At most this many of the period's latest tickets are searched for a matching article.
MAX_GAP_TICKETS = 200
#: How many top hits are looked at for an article in the ticket's language.
TOP_HITS = 3
GAP_CACHE_SECONDS = 60 * 60
#: Rows of each list kept for a report.
MAX_ROWS = 100


def queries_without_results(period: Period, *, limit: int = MAX_ROWS) -> list[dict]:
    """[{"query", "searches", "visitors", "last_searched"}], most searched first."""
    rows = (
        SearchEvent.objects.filter(result_count=0, **period.filter())
        .values("normalized_query")
        .annotate(searches=Count("pk"), visitors=Count("visitor_id", distinct=True), last_searched=Max("created_at"))
        .order_by("-searches", "normalized_query")[:limit]
    )
    return [{"query": row.pop("normalized_query"), **row} for row in rows]


def dead_end_searches(period: Period):
    """The searches of the period that showed results, got no click, and were followed by a ticket."""
    tickets_after = Event.objects.filter(
        kind=Event.Kind.TICKET_CREATED,
        visitor_id=OuterRef("visitor_id"),
        created_at__gte=OuterRef("created_at"),
        created_at__lte=OuterRef("created_at") + DEAD_END_WINDOW,
    ).order_by("created_at")
    read_in_between = Event.objects.filter(
        kind__in=(Event.Kind.ARTICLE_VIEWED, Event.Kind.SUGGESTION_OPENED),
        visitor_id=OuterRef("visitor_id"),
        created_at__gte=OuterRef("created_at"),
        created_at__lte=OuterRef("ticket_at"),
    )
    return (
        SearchEvent.objects.filter(result_count__gt=0, click_count=0, **period.filter())
        .exclude(visitor_id="")
        .annotate(ticket_at=Subquery(tickets_after.values("created_at")[:1]))
        .filter(ticket_at__isnull=False)
        .filter(~Exists(read_in_between))
    )


def dead_end_queries(period: Period, *, limit: int = MAX_ROWS) -> list[dict]:
    """[{"query", "searches", "visitors", "last_searched"}] of dead-end searches, most first."""
    rows = (
        dead_end_searches(period)
        .values("normalized_query")
        .annotate(searches=Count("pk"), visitors=Count("visitor_id", distinct=True), last_searched=Max("created_at"))
        .order_by("-searches", "normalized_query")[:limit]
    )
    return [{"query": row.pop("normalized_query"), **row} for row in rows]


@dataclass
class SubjectGaps:
    tickets: list
    #: How many tickets were searched (at most MAX_GAP_TICKETS).
    searched: int
    #: True when the search engine could not answer: the list is then incomplete.
    unavailable: bool = False


def has_matching_article(subject: str, language: str) -> bool:
    """Whether the top hits for this subject include a help article in ``language`` (cached)."""
    key = "support:gap:" + hashlib.sha256(f"{language}\0{subject}".encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        # An anonymous reader: a gap is an article the customer could not have found.
        results = search(Reader.anonymous(language), subject, language=language, per_page=TOP_HITS)
        found = any(hit.type == "article" and hit.language == language for hit in results.hits[:TOP_HITS])
        cache.set(key, found, GAP_CACHE_SECONDS)
    return found


def subjects_without_article(period: Period, *, limit: int = MAX_GAP_TICKETS) -> SubjectGaps:
    """The period's latest tickets whose subject finds no help article in their language."""
    tickets = list(
        Ticket.objects.filter(**period.filter())
        .order_by("-created_at", "-pk")
        .only("pk", "reference", "subject", "language", "created_at", "status")[:limit]
    )
    gaps = []
    for ticket in tickets:
        try:
            if not has_matching_article(ticket.subject, ticket.language):
                gaps.append(ticket)
        except SearchUnavailable:
            return SubjectGaps(gaps, len(tickets), unavailable=True)
    return SubjectGaps(gaps, len(tickets))
