"""The demo's support activity: enough for every report, and the same after a second run."""

import pytest
from django.core import mail

from support.demo import load_demo_support
from support.models import ArticleVote, Event, Ticket
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def state():
    return (
        sorted(Event.objects.values_list("kind", "visit_id", "article_id", "ticket_id")),
        sorted(Ticket.objects.values_list("reference", "status", "visit_id")),
        ArticleVote.objects.count(),
    )


def test_the_demo_fills_the_event_log_with_every_kind_of_step_and_is_idempotent(
    help_centers, django_capture_on_commit_callbacks
):
    for n in range(4):
        make_article(f"Demo article {n}")
        make_article(f"Статья {n}", locale="ru")

    with django_capture_on_commit_callbacks(execute=True):
        added = load_demo_support()
    first = state()
    with django_capture_on_commit_callbacks(execute=True):
        added_again = load_demo_support()

    assert added == 11 and added_again == 0
    assert state() == first
    kinds = set(Event.objects.values_list("kind", flat=True))
    # Forum acceptances come from the forum's demo; story views and sign-ups from readers of stories.
    assert kinds >= set(Event.Kind.values) - {
        Event.Kind.FORUM_ANSWER_ACCEPTED,
        Event.Kind.STORY_VIEWED,
        Event.Kind.SIGNED_UP,
    }
    assert (
        Ticket.objects.count() == 5 and Ticket.objects.filter(status="solved").exclude(resolved_with=None).count() == 2
    )
    assert mail.outbox == [], "demo tickets send no email"
    assert all(ticket.journey["suggestions_shown"] for ticket in Ticket.objects.filter(language="en"))
