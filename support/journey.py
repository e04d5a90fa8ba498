"""The customer's journey in one contact visit, captured on the ticket when it is opened.

A JSON snapshot (not a live query) so the agent inbox shows what the customer did before writing,
even after events are pruned or articles renamed: the searches they ran (kb SearchEvent), the
articles they read, their votes, the suggestions shown beside the form and the ones they opened.

Suggestions come from every flow that suggests while typing (the contact form and the forum's
ask page): a customer who asked the forum first and then wrote to support shows both.

The visit's window starts JOURNEY_LOOKBACK before the contact form was first shown for that
visit (the reading that led the customer to support) and ends now; everything is matched by the
visitor's cookie id, so nothing identifies a person beyond what the ticket already says.
"""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import Page

from kb.models import SearchEvent
from support.models import Event

#: Reading and searching this long before the contact form was opened belongs to the visit.
JOURNEY_LOOKBACK = timedelta(hours=2)
#: At most this many entries of each kind are kept on a ticket.
MAX_ENTRIES = 50
JOURNEY_KINDS = (
    Event.Kind.ARTICLE_VIEWED,
    Event.Kind.VOTED,
    Event.Kind.SUGGESTIONS_SHOWN,
    Event.Kind.SUGGESTION_OPENED,
    Event.Kind.SOLVED_CONFIRMED,
)


def visit_started_at(visit_id: str):
    started = (
        Event.objects.filter(kind=Event.Kind.CONTACT_STARTED, visit_id=visit_id)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return started or timezone.now()


def capture_journey(*, visitor_id: str, visit_id: str) -> dict:
    """The snapshot: {"since", "searches", "articles_read", "votes", "suggestions_shown", "suggestions_opened",
    "solved_confirmed"}, each a list of small dicts in time order."""
    since = visit_started_at(visit_id) - JOURNEY_LOOKBACK if visit_id else timezone.now() - JOURNEY_LOOKBACK
    journey = {
        "since": since.isoformat(),
        "searches": [],
        "articles_read": [],
        "votes": [],
        "suggestions_shown": [],
        "suggestions_opened": [],
        "solved_confirmed": [],
    }
    if not visitor_id:
        return journey
    searches = SearchEvent.objects.filter(visitor_id=visitor_id, created_at__gte=since).order_by("created_at")
    journey["searches"] = [
        {"at": search.created_at.isoformat(), "query": search.query, "results": search.result_count}
        for search in searches[:MAX_ENTRIES]
    ]
    events = list(
        Event.objects.filter(visitor_id=visitor_id, created_at__gte=since, kind__in=JOURNEY_KINDS).order_by(
            "created_at", "pk"
        )[: MAX_ENTRIES * len(JOURNEY_KINDS)]
    )
    page_ids = {event.article_id for event in events if event.article_id}
    titles = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "title")) if page_ids else {}

    def article(page_id):
        return {"id": page_id, "title": titles.get(page_id, "")}

    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        entry = {"at": event.created_at.isoformat()}
        if event.kind == Event.Kind.ARTICLE_VIEWED:
            bucket, entry = "articles_read", entry | {"article": article(event.article_id)}
        elif event.kind == Event.Kind.VOTED:
            bucket = "votes"
            entry |= {
                "article": article(event.article_id),
                "helpful": data.get("helpful"),
                "reason": data.get("reason", ""),
            }
        elif event.kind == Event.Kind.SUGGESTIONS_SHOWN:
            # The contact form's and the forum's suggestions alike (support.suggestions).
            bucket = "suggestions_shown"
            entry |= {"query": event.query, "flow": event.flow, "results": _results(data.get("results"))}
        elif event.kind == Event.Kind.SUGGESTION_OPENED:
            bucket = "suggestions_opened"
            entry |= {"query": event.query, "flow": event.flow, "rank": event.rank}
            entry |= {"result": (_results([data.get("result")]) or [None])[0]}
            if event.article_id:
                entry["article"] = article(event.article_id)
        else:
            bucket, entry = "solved_confirmed", entry | {"article": article(event.article_id)}
        if len(journey[bucket]) < MAX_ENTRIES:
            journey[bucket].append(entry)
    return journey


def _results(results) -> list[dict]:
    """The suggested results as the event recorded them: [{"kind", "id", "title"}]."""
    return [
        {"kind": result["kind"], "id": result["id"], "title": result.get("title", "")}
        for result in results or []
        if isinstance(result, dict) and isinstance(result.get("kind"), str) and isinstance(result.get("id"), int)
    ]
