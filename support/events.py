"""Recording support events: the only writer of support.models.Event.

Recording is best effort, like kb.search.analytics: it skips known bots, and a database failure
is logged and swallowed inside its own savepoint, so the event log can never break the page,
vote, ticket or forum answer that records it.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kb.views_counter import is_probably_bot
from kb.visitor import get_or_create_visitor_id
from support.models import Event
from support.models.events import MAX_QUERY_LENGTH

logger = logging.getLogger(__name__)

#: Visit ids are random hex strings made by support.visits; anything else is not stored.
MAX_VISIT_ID_LENGTH = 32


def record_event(
    kind: str,
    *,
    request=None,
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

    With ``request``, the visitor id (created if the browser has none yet), the logged-in user
    and the language default from it. ``article`` is a page or a page id; ``ticket`` a Ticket or
    its id. ``at`` backdates the event (imports and demo data); it defaults to now.
    """
    if request is not None:
        if is_probably_bot(request):
            return None
        visitor_id = visitor_id or get_or_create_visitor_id(request)
        request_user = getattr(request, "user", None)
        if user is None and request_user is not None and request_user.is_authenticated:
            user = request_user
        language = language or getattr(request, "LANGUAGE_CODE", "")
    if kind not in Event.Kind.values:
        raise ValueError(f"Unknown support event kind: {kind!r}")
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
