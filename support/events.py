"""Recording support events: the only writer of support.models.Event.

Recording is best effort, like kb.search.analytics: it skips known bots, and a database failure
is logged and swallowed inside its own savepoint, so the event log can never break the page,
vote, ticket or forum answer that records it.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sitewide.reader import Reader
from support.models import Event
from support.models.events import MAX_QUERY_LENGTH

logger = logging.getLogger(__name__)

#: Visit ids are random hex strings made by support.visits; anything else is not stored.
MAX_VISIT_ID_LENGTH = 32

#: One suggested result, in SUGGESTIONS_SHOWN's "results" and SUGGESTION_OPENED's "result":
#: its search-index kind ("kb.articlepage", "forum.topic", …), id and the title the reader saw.
RESULT = {"kind": str, "id": int, "title": str}

#: The data each kind of event carries: key -> type (a dict: a nested shape; a list of one
#: shape: a list of those). Every key is optional; a key or a type not declared here is a bug in
#: the caller, so record_event raises ValueError instead of storing a shape no report reads.
DATA_SHAPES: dict[str, dict] = {
    Event.Kind.ARTICLE_VIEWED: {},
    Event.Kind.VOTED: {"helpful": bool, "reason": str, "revision": (int, type(None)), "changed": bool},
    Event.Kind.SUGGESTIONS_SHOWN: {"results": [RESULT]},
    Event.Kind.SUGGESTION_OPENED: {"result": RESULT},
    Event.Kind.SOLVED_CONFIRMED: {},
    Event.Kind.CONTACT_STARTED: {},
    Event.Kind.TICKET_CREATED: {},
    Event.Kind.TICKET_RESOLVED: {},
    Event.Kind.FORUM_ANSWER_ACCEPTED: {"topic": int, "post": int},
    Event.Kind.STORY_VIEWED: {},
    Event.Kind.SIGNED_UP: {},
}


def check_data(kind: str, data: dict) -> None:
    """Raise ValueError unless ``data`` has the declared shape of ``kind`` (see DATA_SHAPES)."""
    _check(DATA_SHAPES[kind], data, kind)


def _check(shape, value, where: str) -> None:
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            raise ValueError(f"{where}: expected an object, got {type(value).__name__}")
        for key, item in value.items():
            if key not in shape:
                raise ValueError(f"{where}: undeclared data key {key!r}")
            _check(shape[key], item, f"{where}.{key}")
    elif isinstance(shape, list):
        if not isinstance(value, list):
            raise ValueError(f"{where}: expected a list, got {type(value).__name__}")
        for item in value:
            _check(shape[0], item, f"{where}[]")
    elif not isinstance(value, shape) or (isinstance(value, bool) and shape is int):
        raise ValueError(f"{where}: expected {shape}, got {type(value).__name__}")


def record_event(
    kind: str,
    *,
    reader: Reader | None = None,
    visitor_id: str = "",
    user=None,
    flow: str = "",
    visit_id: str = "",
    article=None,
    ticket=None,
    query: str = "",
    rank: int | None = None,
    language: str = "",
    data: dict | None = None,
    at=None,
) -> Event | None:
    """Record one event, or return None when it is not recorded (a bot, or a database error).

    With ``reader`` (sitewide.reader), the visitor id (created if the browser has none yet), the
    logged-in user and the language default from it. ``article`` is a page or a page id; ``ticket`` a Ticket or
    its id. ``at`` backdates the event (imports and demo data); it defaults to now.
    """
    if kind not in Event.Kind.values:
        raise ValueError(f"Unknown support event kind: {kind!r}")
    check_data(kind, data or {})
    if reader is not None:
        if reader.is_bot:
            return None
        visitor_id = visitor_id or reader.get_or_create_visitor_id()
        user = user if user is not None else reader.authenticated_user
        language = language or reader.language
    try:
        with transaction.atomic():
            return Event.objects.create(
                kind=kind,
                visitor_id=str(visitor_id or "")[:32],
                user=user if user is not None and getattr(user, "pk", None) else None,
                flow=flow if flow in Event.Flow.values else "",
                visit_id=str(visit_id or "")[:MAX_VISIT_ID_LENGTH],
                article_id=getattr(article, "pk", article),
                ticket_id=getattr(ticket, "pk", ticket),
                query=" ".join(str(query or "").split())[:MAX_QUERY_LENGTH],
                rank=rank if isinstance(rank, int) and 0 < rank < 32768 else None,
                language=_language_code(language),
                data=data or {},
                created_at=at or timezone.now(),
            )
    except Exception:  # the event log must never break what it records
        logger.exception("Could not record a support event (%s)", kind)
        return None


def _language_code(value) -> str:
    return value if value in dict(settings.LANGUAGES) else ""
