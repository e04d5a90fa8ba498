"""A ticket carries the customer's journey in that visit, for the agent who answers it."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from forum import services as forum_services
from kb.models import SearchEvent
from support.models import Event, Ticket
from tests.factories.forum import make_category, make_member
from tests.search_helpers import publish_article
from tests.support.admin_helpers import an_agent, ticket_url
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
    shown = journey["suggestions_shown"][0]
    assert shown["results"] == [{"kind": "kb.articlepage", "id": article.pk, "title": article.title}]
    assert shown["flow"] == "contact"
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


def open_topic_links(reader, path, params) -> list[str]:
    html = reader.get(path, params).content.decode()
    return [
        unescape(href) for href in re.findall(r'<a href="([^"]+)"', html) if "open_result" in href or "/open" in href
    ]


def submit(reader, capture, visit, subject="Grinder is loud"):
    with capture(execute=True):
        reader.post(
            "/en/support/contact/",
            {"subject": subject, "description": "Still loud.", "email": "c@example.com", "visit": visit},
        )
    return Ticket.objects.get()


def test_suggestions_of_the_forum_ask_page_are_in_the_journey_too(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        topic = forum_services.create_topic(
            make_member(), category=make_category(), title="Why is my gecko grinder loud", body="It squeals."
        )
    reader = a_reader()
    forum_visit = "f" * 32
    [link] = open_topic_links(reader, reverse("forum:similar"), {"q": "gecko grinder loud", "visit": forum_visit})
    assert reader.get(link).url == topic.get_absolute_url()
    visit = reader.get("/en/support/contact/").context["visit_id"]

    ticket = submit(reader, django_capture_on_commit_callbacks, visit)

    result = {"kind": "forum.topic", "id": topic.pk, "title": topic.title}
    assert [(shown["flow"], shown["results"]) for shown in ticket.journey["suggestions_shown"]] == [("forum", [result])]
    assert [(opened["flow"], opened["result"]) for opened in ticket.journey["suggestions_opened"]] == [
        ("forum", result)
    ]
    client.force_login(an_agent())
    page = client.get(ticket_url(ticket)).content.decode()
    assert 'data-result-kind="forum.topic"' in page and topic.title in page and "asking in the forum" in page


def test_the_inbox_leaves_out_a_suggested_topic_the_agent_may_not_open(client, django_capture_on_commit_callbacks):
    council = Group.objects.create(name="Advisory council")
    member = make_member(council)
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.create_topic(
            member, category=make_category(restricted_to=[council]), title="Roadmap gecko secrets", body="Private."
        )
    reader = a_reader()
    reader.force_login(member)
    assert open_topic_links(reader, reverse("forum:similar"), {"q": "roadmap gecko secrets", "visit": "f" * 32})
    visit = reader.get("/en/support/contact/").context["visit_id"]
    ticket = submit(reader, django_capture_on_commit_callbacks, visit, subject="Question")
    assert ticket.journey["suggestions_shown"], "the member was shown the council topic"

    client.force_login(an_agent())
    page = client.get(ticket_url(ticket)).content.decode()
    assert "Roadmap gecko secrets" not in page
    assert 'data-journey="suggestions_shown"' in page, "the entry stays, without what the agent may not see"
