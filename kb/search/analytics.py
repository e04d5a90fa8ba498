"""Recording searches and result clicks for the staff search reports (kb.reports).

The one place that writes SearchEvent and SearchClick rows. Recording is best effort: it skips
bots and empty queries, and a failure is logged and swallowed (inside its own savepoint), so
analytics can never break or slow down a search beyond one insert.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kb.models import SearchClick, SearchEvent
from kb.models.search_analytics import MAX_QUERY_LENGTH, MAX_URL_LENGTH, normalize_query
from kb.search.service import SearchResults, clean_query
from kb.search.visibility import touches_confidential
from sitewide.ids import parse_id
from sitewide.reader import Reader

logger = logging.getLogger(__name__)

#: Paging through or filtering a query's results within this time is the same search.
SEARCH_CONTINUES_FOR = timedelta(minutes=30)
#: Ranks beyond this are not links a search page shows (100 pages of 10 results).
MAX_RANK = 1000


def record_search(
    reader: Reader,
    results_or_query: SearchResults | str,
    *,
    source: str,
    language: str = "",
    result_count: int = 0,
    fell_back: bool = False,
    continues: bool = False,
    hits=(),
) -> SearchEvent | None:
    """Record one search by this visitor, or return None when it is not recorded.

    ``results_or_query`` is the search service's SearchResults (query, language, total and
    fell_back come from it) or a query string with ``language`` and ``result_count``.
    ``continues``: this request pages through or filters results already shown, so the visitor's
    recent event for the same query is returned instead of counting a second search.
    ``hits``: with a query string, the hits shown for it.

    A search that found confidential content (kb.search.visibility.touches_confidential: the
    council's) is not recorded at all: its words, count and clicks would show staff outside
    that audience what it searched for.
    """
    if reader.is_bot:
        return None
    if isinstance(results_or_query, SearchResults):
        query, language = results_or_query.query, results_or_query.language
        result_count, fell_back = results_or_query.total, results_or_query.fell_back
        if touches_confidential(results_or_query.hits, results_or_query.facets):
            return None
    else:
        query = results_or_query
        if touches_confidential(hits):
            return None
    query = clean_query(query)[:MAX_QUERY_LENGTH]
    if not query:
        return None
    try:
        with transaction.atomic():
            return _record_search(
                reader.get_or_create_visitor_id(),
                query=query,
                language=_language_code(language),
                source=source,
                result_count=max(0, int(result_count or 0)),
                fell_back=bool(fell_back),
                continues=continues,
            )
    except Exception:  # analytics must never break search
        logger.exception("Could not record a search")
        return None


def _record_search(visitor_id, *, query, language, source, result_count, fell_back, continues):
    normalized = normalize_query(query)
    if continues:
        recent = (
            SearchEvent.objects.filter(
                visitor_id=visitor_id,
                normalized_query=normalized,
                language=language,
                source=source,
                created_at__gte=timezone.now() - SEARCH_CONTINUES_FOR,
            )
            .order_by("-created_at")
            .first()
        )
        if recent:
            return recent
    return SearchEvent.objects.create(
        query=query,
        normalized_query=normalized,
        language=language,
        source=source,
        result_count=result_count,
        fell_back=fell_back,
        visitor_id=visitor_id,
    )


def record_click(reader: Reader, event_id, *, rank, url: str) -> SearchClick | None:
    """Record that the visitor opened the result at ``rank`` of their search ``event_id``.

    Only the visitor who searched can add a click to a search: a result link copied into a
    forum post or an email does not inflate the click-through rate. Returns None (and records
    nothing) for bots, unknown or foreign events and impossible ranks.
    """
    visitor_id = reader.visitor_id
    event_id, rank = parse_id(event_id), parse_id(rank, maximum=MAX_RANK)
    if not visitor_id or not event_id or not rank or reader.is_bot:
        return None
    try:
        with transaction.atomic():
            bumped = SearchEvent.objects.filter(pk=event_id, visitor_id=visitor_id).update(
                click_count=F("click_count") + 1
            )
            if not bumped:
                return None
            return SearchClick.objects.create(event_id=event_id, rank=rank, url=str(url)[:MAX_URL_LENGTH])
    except Exception:  # analytics must never break the way to the result
        logger.exception("Could not record a search result click")
        return None


def _language_code(value) -> str:
    return value if value in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
