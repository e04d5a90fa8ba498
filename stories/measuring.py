"""Measuring stories: views, what readers did next, and sign-ups after reading.

Everything is a row of support's event log (support.events.record_event), never a counter on
the page:

* **A view** is a STORY_VIEWED event whose ``article`` is the story page. It is recorded by a
  ``before_serve_page`` hook (stories.wagtail_hooks), like kb counts article views, so
  ``StoryPage.serve`` stays free of bookkeeping. Bots, previews and non-GET requests are skipped,
  and a reader who opens the same story again within VIEW_WINDOW counts once (the same
  cache-window approach as the forum's topic views).
* **A sign-up** is a SIGNED_UP event, recorded from allauth's ``user_signed_up`` signal with the
  browser's visitor id, so a sign-up can be matched with the stories that browser read before.
* **What readers did next** reuses the event kinds the site already records, by the same visitor
  id, within ACTION_WINDOW after a view: the contact form opened (CONTACT_STARTED), a ticket
  opened (TICKET_CREATED), a forum question started (suggestions shown or opened in the forum's
  ask flow: the forum records no event for a posted question) and a sign-up (SIGNED_UP).

:func:`story_figures` and :func:`sign_ups_by_referral` compute the figures of a period in a
fixed number of queries, however many stories and events there are; stories.reports shows them.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.signals import user_signed_up
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Subquery

from sitewide.reader import Reader, reader_of
from support.events import record_event
from support.metrics.period import Period
from support.models import Event

#: The same reader opening the same story again within this long is one view (a reload, "back").
VIEW_WINDOW = timedelta(minutes=30)
#: What a reader does this long after reading a story is attributed to that story.
ACTION_WINDOW = timedelta(days=7)

#: The next actions the report counts: key -> the events that mean it.
NEXT_ACTIONS = {
    "contact_started": Q(kind=Event.Kind.CONTACT_STARTED),
    "ticket_created": Q(kind=Event.Kind.TICKET_CREATED),
    "forum_started": Q(kind__in=(Event.Kind.SUGGESTIONS_SHOWN, Event.Kind.SUGGESTION_OPENED), flow=Event.Flow.FORUM),
    "signed_up": Q(kind=Event.Kind.SIGNED_UP),
}


# --- Recording ------------------------------------------------------------------------------
def record_story_view(page, request) -> bool:
    """Record that the request's reader opened story ``page``; True when a view was counted."""
    if request.method != "GET" or getattr(request, "is_preview", False):
        return False
    return count_view(reader_of(request), page)


def count_view(reader: Reader, page) -> bool:
    """One STORY_VIEWED event, unless the reader is a bot or opened ``page`` within VIEW_WINDOW."""
    if reader.is_bot:
        return False
    visitor_id = reader.get_or_create_visitor_id()
    timeout = int(VIEW_WINDOW.total_seconds())
    # A browser that keeps no cookie gets a new visitor id on every request: its address's keyed
    # hash tells its reloads apart. cache.add is atomic: of two racing reloads, one counts.
    cookieless_key = f"stories:viewed:{page.pk}:a{reader.client_key}"
    if reader.visitor_id_is_new and reader.client_key and not cache.add(cookieless_key, 1, timeout=timeout):
        return False
    if not cache.add(f"stories:viewed:{page.pk}:v{visitor_id}", 1, timeout=timeout):
        return False
    return record_event(Event.Kind.STORY_VIEWED, reader=reader, article=page) is not None


def record_sign_up(sender, request, user, **kwargs):
    """A new account is a SIGNED_UP event of the browser that made it (allauth's signal)."""
    if request is None:
        return
    record_event(Event.Kind.SIGNED_UP, reader=reader_of(request), user=user)


def connect():
    user_signed_up.connect(record_sign_up, dispatch_uid="stories.record_sign_up")


# --- Figures --------------------------------------------------------------------------------
@dataclass
class StoryFigures:
    story_id: int | None
    title: str = ""
    views: int = 0
    visitors: int = 0
    contact_started: int = 0
    ticket_created: int = 0
    forum_started: int = 0
    signed_up: int = 0
    #: Sign-ups after reading, by their answer to "How did you hear about us?" ("" = no answer).
    referrals: dict[str, int] = field(default_factory=dict)


def _views(period: Period):
    return Event.objects.filter(kind=Event.Kind.STORY_VIEWED, **period.filter()).exclude(visitor_id="")


def _soon_after_the_view(condition: Q):
    """Events matching ``condition`` by the view's visitor within ACTION_WINDOW after the view."""
    return Event.objects.filter(
        condition,
        visitor_id=OuterRef("visitor_id"),
        created_at__gt=OuterRef("created_at"),
        created_at__lte=OuterRef("created_at") + ACTION_WINDOW,
    )


def story_figures(period: Period) -> list[StoryFigures]:
    """Every story viewed in the period, most viewed first (two queries).

    Views and unique visitors count the period's STORY_VIEWED events; each next action counts the
    distinct visitors who did it within ACTION_WINDOW after one of those views. The referral
    breakdown counts distinct accounts whose SIGNED_UP followed a view of the story.
    """
    actions = {
        key: Count("visitor_id", distinct=True, filter=Q(Exists(_soon_after_the_view(condition))))
        for key, condition in NEXT_ACTIONS.items()
    }
    rows = (
        _views(period)
        .values("article_id", "article__title")
        .annotate(views=Count("pk"), visitors=Count("visitor_id", distinct=True), **actions)
        .order_by("-views", "article_id")
    )
    figures = {
        row["article_id"]: StoryFigures(
            story_id=row["article_id"],
            title=row["article__title"] or "",
            views=row["views"],
            visitors=row["visitors"],
            **{key: row[key] for key in NEXT_ACTIONS},
        )
        for row in rows
    }
    for story_id, referral, accounts in _sign_ups_after_views(_views(period), group_by_story=True):
        if story_id in figures:
            figures[story_id].referrals[referral] = accounts
    return list(figures.values())


def sign_ups_by_referral(period: Period) -> dict[str, int]:
    """Accounts that signed up after reading any story in the period, by referral answer (one query).

    An account that read three stories counts once here (and once in each story's row).
    """
    return {referral: accounts for _story, referral, accounts in _sign_ups_after_views(_views(period))}


def _sign_ups_after_views(views, *, group_by_story=False):
    """(story id or None, referral answer, distinct accounts) for sign-ups that followed ``views``."""
    sign_up = _soon_after_the_view(NEXT_ACTIONS["signed_up"]).exclude(user=None).order_by("created_at")
    rows = (
        views.annotate(
            account=Subquery(sign_up.values("user_id")[:1]),
            referral=Subquery(sign_up.values("user__referral_source")[:1]),
        )
        .exclude(account=None)
        .values(*(["article_id"] if group_by_story else []), "referral")
        .annotate(accounts=Count("account", distinct=True))
        .order_by()
    )
    return [(row.get("article_id"), row["referral"] or "", row["accounts"]) for row in rows]
