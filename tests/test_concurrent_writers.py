"""Fifty customers writing at the same moment: nothing lost, no server error, the index follows.

Each writer is a thread with its own test client (and so its own database connection), its own
account and its own client address (rate limits count per address, as for real customers). All
of them start together and go through the real views: a vote on one article, a new forum topic,
a reply to one of two shared topics, a ticket from the contact form and a vote on one council
idea, each writer in its own order so that every kind of write is in flight at once.

On SQLite (WAL, busy timeout, IMMEDIATE transactions: config/settings/base.py) writers queue;
on PostgreSQL (`pytest --postgres`, tests/postgres.py) they run side by side and the row locks
and F() updates of the services must keep the counters right.
"""

import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from customer_council.models import Idea, IdeaVote
from forum.models import Post, Topic
from forum.search_indexes import MAX_INDEXED_POSTS
from kb.search.service import search
from support.models import ArticleVote, Ticket, TicketMessage
from tests.customer_council.area_helpers import make_idea
from tests.factories import BROWSER_HEADERS, ensure_help_centers, make_article
from tests.factories.council import make_agreements, make_council_member
from tests.factories.forum import make_category, make_topic
from tests.search_helpers import reader

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WRITERS = 50
CONTACT = "/en/support/contact/"


class Writer:
    """One customer: a logged-in council member with a browser of their own."""

    def __init__(self, number):
        self.number = number
        self.user = make_council_member(email=f"writer{number}@example.com")
        # A documentation address (RFC 5737) per writer: rate limits count per client address.
        self.client = Client(**BROWSER_HEADERS, REMOTE_ADDR=f"198.51.100.{number + 1}")
        self.client.force_login(self.user)
        self.statuses = []

    def post(self, url, data=None):
        response = self.client.post(url, data or {})
        self.statuses.append((url, response.status_code))
        return response


@pytest.fixture
def world():
    ensure_help_centers()
    make_agreements()
    category = make_category("Concurrency")
    article = make_article("Reset a router", category="concurrency", category_title="Concurrency")
    topics = [make_topic(f"Shared topic {n}", category=category, body="Opening post.") for n in range(2)]
    idea = make_idea("Dark mode for the dashboard")
    writers = [Writer(number) for number in range(WRITERS)]
    return {"category": category, "article": article, "topics": topics, "idea": idea, "writers": writers}


def run_at_once(writers, work):
    """Start ``work(writer)`` in one thread per writer at the same moment; exceptions raised."""
    start = threading.Barrier(len(writers))
    errors = []

    def run(writer):
        try:
            start.wait(timeout=60)
            work(writer)
        except Exception as error:  # collected and asserted by the caller
            errors.append((writer.number, repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(writer,)) for writer in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(thread.is_alive() for thread in threads), "a writer is still running after 10 minutes"
    return errors


def test_fifty_writers_voting_posting_and_asking_at_once_lose_nothing(world):
    article, topics, idea, category = world["article"], world["topics"], world["idea"], world["category"]
    assert len(topics) + WRITERS // len(topics) <= MAX_INDEXED_POSTS  # every reply fits in its topic's document

    def vote_on_article(writer):
        writer.post(reverse("support:vote", args=[article.pk]), {"helpful": "yes"})

    def open_topic(writer):
        writer.post(
            reverse("forum:new_topic"),
            {
                "category": category.pk,
                "title": f"Question number {writer.number} from a writer",
                "body": f"topicmarker{writer.number} is what my question is about.",
            },
        )

    def reply(writer):
        topic = topics[writer.number % len(topics)]
        writer.post(reverse("forum:reply", args=[topic.pk]), {"body": f"replymarker{writer.number} helped me."})

    def open_ticket(writer):
        visit = writer.client.get(CONTACT).context["visit_id"]
        writer.post(
            CONTACT,
            {
                "subject": f"Ticket {writer.number}: the router keeps restarting",
                "description": f"Writer {writer.number} sees the router restart every hour since the update.",
                "email": writer.user.email,
                "visit": visit,
                "website": "",
            },
        )

    def vote_on_idea(writer):
        writer.post(reverse("customer_council:idea_vote", args=[idea.pk]))

    actions = [vote_on_article, open_topic, reply, open_ticket, vote_on_idea]

    def write(writer):
        # Each writer starts at a different action, so every kind of write is in flight at once.
        shift = writer.number % len(actions)
        for action in actions[shift:] + actions[:shift]:
            action(writer)

    errors = run_at_once(world["writers"], write)

    assert errors == []
    statuses = Counter(status for writer in world["writers"] for _url, status in writer.statuses)
    assert statuses == {302: WRITERS * len(actions)}, statuses
    assert ArticleVote.objects.filter(article=article, helpful=True).count() == WRITERS
    assert Topic.objects.filter(category=category).count() == len(topics) + WRITERS
    for topic in topics:
        topic.refresh_from_db()
        replies = WRITERS // len(topics)
        positions = list(Post.objects.filter(topic=topic).order_by("position").values_list("position", flat=True))
        assert positions == list(range(1, replies + 2))
        assert (topic.post_count, topic.reply_count) == (replies + 1, replies)
    assert Ticket.objects.count() == WRITERS
    assert TicketMessage.objects.count() == WRITERS
    assert len(set(Ticket.objects.values_list("reference", flat=True))) == WRITERS
    assert IdeaVote.objects.filter(idea=idea).count() == WRITERS
    assert Idea.objects.get(pk=idea.pk).vote_count == WRITERS
    for writer in world["writers"]:
        n = writer.number
        assert [hit.title for hit in search(reader(), f"topicmarker{n}", language="en").hits] == [
            f"Question number {n} from a writer"
        ]
        assert [hit.title for hit in search(reader(), f"replymarker{n}", language="en").hits] == [
            f"Shared topic {n % len(topics)}"
        ]
