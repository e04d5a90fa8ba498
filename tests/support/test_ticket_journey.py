"""A ticket carries the customer's journey in that visit, for the agent who answers it."""

import pytest

from kb.models import SearchEvent
from support.models import Event, Ticket
from tests.search_helpers import publish_article
from tests.support.helpers import a_reader, vote_url

pytestmark = pytest.mark.django_db


def test_the_ticket_captures_searches_reading_votes_and_suggestions_of_the_visit(
    help_centers, django_capture_on_commit_callbacks
):
    article = publish_article(django_capture_on_commit_callbacks, "Fix a dropping wireless connection")
    reader = a_reader()
    reader.get("/en/search/", {"q": "wireless drops"})
    reader.get(article.url)
    reader.post(vote_url(article), {"helpful": "no", "reason": "doesnt_apply"})
    visit = reader.get("/en/support/contact/").context["visit_id"]
    reader.get("/en/support/contact/suggestions/", {"visit": visit, "subject": "wireless dropping"})
    reader.get(f"/en/support/articles/{article.pk}/open/", {"visit": visit, "rank": 1, "flow": "contact"}, follow=True)

    with django_capture_on_commit_callbacks(execute=True):
        reader.post(
            "/en/support/contact/",
            {
                "subject": "Wireless still drops",
                "description": "Nothing helped.",
                "email": "c@example.com",
                "visit": visit,
            },
        )

    journey = Ticket.objects.get().journey
    assert [search["query"] for search in journey["searches"]] == ["wireless drops"]
    read = [entry["article"] for entry in journey["articles_read"]]
    assert read == [{"id": article.pk, "title": "Fix a dropping wireless connection"}] * 2, "read, then opened"
    assert [(vote["helpful"], vote["reason"]) for vote in journey["votes"]] == [(False, "doesnt_apply")]
    assert [shown["query"] for shown in journey["suggestions_shown"]] == ["wireless dropping"]
    assert journey["suggestions_shown"][0]["articles"] == [{"id": article.pk, "title": article.title}]
    assert [(opened["rank"], opened["article"]["id"]) for opened in journey["suggestions_opened"]] == [(1, article.pk)]


def test_another_visitors_activity_is_not_in_the_journey(help_centers, django_capture_on_commit_callbacks):
    someone_else = a_reader()
    someone_else.get("/en/search/", {"q": "printer jam"})
    reader = a_reader()
    visit = reader.get("/en/support/contact/").context["visit_id"]

    with django_capture_on_commit_callbacks(execute=True):
        reader.post(
            "/en/support/contact/",
            {"subject": "Printer", "description": "It jams.", "email": "c@example.com", "visit": visit},
        )

    assert SearchEvent.objects.count() == 1
    assert Ticket.objects.get().journey["searches"] == []
    assert Event.objects.get(kind=Event.Kind.TICKET_CREATED).visitor_id == Ticket.objects.get().visitor_id
