"""Demo support activity, so the deflection and resolution reports have something to show.

:func:`load_demo_support` is idempotent: every demo visit has a fixed id (derived from its
name), and a visit that already has events or a ticket is left as it is. Everything is written
through the same services the site uses (record_event, open_ticket), backdated over the last
two weeks; votes are rows made directly, since casting one needs a reader's request.

member@example.com (when the demo accounts exist) gets a few requests of their own in "My
requests": an open one, a pending one with an agent's reply (and an internal note the customer
never sees), and a solved one; each is made once, found again by its subject.
"""

import hashlib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from kb.models import ArticlePage
from kb.search.visibility import ARTICLE_LABEL
from support.events import record_event
from support.models import ArticleVote, Event, Ticket, TicketMessage
from support.tickets import open_ticket

#: (name, language, days ago, query typed on the contact form, what happened next)
#: "solved": opened the first suggestion and confirmed it solved the problem;
#: "left": opened a suggestion and left without a ticket; "ticket": wrote to support anyway.
DEMO_VISITS = [
    ("wifi-solved", "en", 13, "wireless network keeps disconnecting", "solved"),
    ("printer-solved", "en", 11, "printer is not printing", "solved"),
    ("sound-left", "en", 9, "no sound from speakers", "left"),
    ("battery-ticket", "en", 8, "battery drains very fast", "ticket"),
    ("password-solved", "ru", 7, "сменить пароль", "solved"),
    ("display-ticket", "en", 6, "second monitor not detected", "ticket"),
    ("bluetooth-left", "en", 5, "bluetooth headphones will not connect", "left"),
    ("files-ticket", "fa", 4, "بازیابی فایل حذف شده", "ticket"),
    ("keyboard-solved", "en", 3, "keyboard layout change", "solved"),
    ("backup-ticket", "en", 2, "how do I back up my files", "ticket"),
    ("screen-ticket", "en", 1, "screen is too dark", "ticket"),
]
DEMO_TICKET_DETAILS = {
    "battery-ticket": ("Battery lasts only two hours", "Since last week my laptop battery drains in two hours."),
    "display-ticket": ("Second monitor stays black", "The external monitor is not detected over HDMI."),
    "files-ticket": ("فایل‌هایم را پاک کردم", "چند فایل را اشتباهی پاک کردم و در سطل زباله نیستند."),
    "backup-ticket": ("Backing up before a reinstall", "I need to reinstall; how do I keep my documents safe?"),
    "screen-ticket": ("Screen brightness is stuck low", "The brightness keys do nothing and the screen is dim."),
}
#: Demo tickets an agent has already resolved with the article that was suggested.
RESOLVED_WITH_ARTICLE = {"battery-ticket", "backup-ticket"}
#: member@example.com's own requests: (subject, description, days ago, status, thread after the
#: description as (author, hours after opening, body); author "agent", "note" (an agent's
#: internal note) or "customer").
MEMBER_REQUESTS = [
    (
        "Export my calendar to another computer",
        "I am moving to a new laptop. How do I take my calendar events with me?",
        12,
        Ticket.Status.SOLVED,
        [
            ("agent", 3, "In Calendar choose Export, save the .ics file and import it on the new laptop."),
            ("customer", 20, "That worked, thank you!"),
        ],
    ),
    (
        "Wi-Fi disconnects after the update",
        "Since yesterday's update my laptop drops the wireless connection every few minutes.",
        4,
        Ticket.Status.PENDING,
        [
            ("note", 1, "Probably the power-saving regression of the new driver; ask for the adapter model."),
            ("agent", 2, "Sorry about that. Which wireless adapter does your laptop have? Settings > About lists it."),
        ],
    ),
    (
        "Printer shows as offline",
        "My network printer shows as offline although it prints from my phone.",
        1,
        Ticket.Status.OPEN,
        [],
    ),
]
#: Readers who voted on the most-read articles: (helpful, reason).
DEMO_VOTES = [(True, ""), (True, ""), (True, ""), (False, "unclear"), (True, ""), (False, "outdated")]


def _demo_id(name: str) -> str:
    return hashlib.md5(f"support-demo:{name}".encode(), usedforsecurity=False).hexdigest()


def _articles(language: str, count: int) -> list:
    return list(ArticlePage.objects.live().filter(locale__language_code=language).order_by("path")[:count])


def load_demo_support() -> int:
    """Create the demo visits, tickets, views and votes that are missing; return how many visits were added."""
    now = timezone.now()
    agent = get_user_model().objects.filter(email="agent@example.com").first()
    added = 0
    for name, language, days_ago, query, outcome in DEMO_VISITS:
        visit_id = visitor_id = _demo_id(name)
        if Event.objects.filter(visit_id=visit_id).exists() or Ticket.objects.filter(visit_id=visit_id).exists():
            continue
        added += 1
        at = now - timedelta(days=days_ago, hours=2)
        shown = _articles(language, 3)
        common = {"visitor_id": visitor_id, "visit_id": visit_id, "flow": Event.Flow.CONTACT, "language": language}
        record_event(Event.Kind.CONTACT_STARTED, at=at, **common)
        if shown:
            record_event(
                Event.Kind.SUGGESTIONS_SHOWN,
                query=query,
                data={"results": [{"kind": ARTICLE_LABEL, "id": a.pk, "title": a.title} for a in shown]},
                at=at + timedelta(seconds=20),
                **common,
            )
            record_event(
                Event.Kind.SUGGESTION_OPENED,
                article=shown[0],
                rank=1,
                query=query,
                at=at + timedelta(seconds=40),
                **common,
            )
            record_event(
                Event.Kind.ARTICLE_VIEWED,
                visitor_id=visitor_id,
                article=shown[0],
                language=language,
                at=at + timedelta(seconds=41),
            )
        if outcome == "solved" and shown:
            record_event(Event.Kind.SOLVED_CONFIRMED, article=shown[0], at=at + timedelta(minutes=3), **common)
        if outcome == "ticket":
            subject, description = DEMO_TICKET_DETAILS[name]
            ticket = open_ticket(
                subject=subject,
                description=description,
                email=f"customer-{name}@example.com",
                language=language,
                visitor_id=visitor_id,
                visit_id=visit_id,
                notify=False,
                at=at + timedelta(minutes=5),
            ).ticket
            if name in RESOLVED_WITH_ARTICLE and shown:
                resolved_at = at + timedelta(hours=20)
                Ticket.objects.filter(pk=ticket.pk).update(
                    status=Ticket.Status.SOLVED, resolved_with=shown[0], resolved_at=resolved_at
                )
                record_event(
                    Event.Kind.TICKET_RESOLVED,
                    user=agent,
                    ticket=ticket,
                    article=shown[0],
                    language=language,
                    at=resolved_at,
                )
    _load_demo_reading(now)
    _load_member_requests(now, agent)
    return added


def _load_member_requests(now, agent) -> None:
    """member@example.com's requests in several states (each once), for "My requests"."""
    member = get_user_model().objects.filter(email="member@example.com").first()
    if member is None:
        return
    for subject, description, days_ago, status, thread in MEMBER_REQUESTS:
        if Ticket.objects.filter(requester=member, subject=subject).exists():
            continue
        opened = now - timedelta(days=days_ago)
        ticket = open_ticket(
            subject=subject, description=description, email=member.email, language="en", requester=member,
            notify=False, at=opened,
        ).ticket  # fmt: skip
        last, first_response = opened, None
        for author, hours, body in thread:
            at = opened + timedelta(hours=hours)
            from_customer = author == "customer"
            TicketMessage.objects.create(
                ticket=ticket,
                author=member if from_customer else agent,
                body=body,
                is_from_customer=from_customer,
                is_internal=author == "note",
                emailed_at=at if author == "agent" else None,
                created_at=at,
            )
            if author != "note":
                last = at
            if author == "agent" and first_response is None:
                first_response = at
        Ticket.objects.filter(pk=ticket.pk).update(
            status=status,
            first_response_at=first_response,
            solved_at=last if status == Ticket.Status.SOLVED else None,
            updated_at=last,
        )


def _load_demo_reading(now) -> None:
    """Views and votes from a few readers on the first English articles (once)."""
    for article_number, article in enumerate(_articles("en", 4)):
        for reader, (helpful, reason) in enumerate(DEMO_VOTES[: 6 - article_number]):
            visitor_id = _demo_id(f"reader-{reader}")
            voter_key = f"visitor:{visitor_id}"
            _vote, created = ArticleVote.objects.get_or_create(
                voter_key=voter_key,
                article=article,
                revision_id=article.live_revision_id,
                defaults={"helpful": helpful, "reason": reason},
            )
            if not created:
                continue
            at = now - timedelta(days=reader + 1, hours=article_number)
            record_event(Event.Kind.ARTICLE_VIEWED, visitor_id=visitor_id, article=article, language="en", at=at)
            record_event(
                Event.Kind.VOTED,
                visitor_id=visitor_id,
                article=article,
                flow=Event.Flow.ARTICLE,
                language="en",
                data={"helpful": helpful, "reason": reason, "revision": article.live_revision_id, "changed": False},
                at=at + timedelta(minutes=2),
            )
