"""Support agents work tickets in the Wagtail admin: who may, what the list and a ticket show."""

from datetime import timedelta

import pytest
from django.utils import timezone

from support.events import record_event
from support.models import Event, Ticket
from tests.factories import UserFactory
from tests.support.admin_helpers import INBOX, XHR, a_ticket, an_agent, an_editor, ticket_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(client):
    client.force_login(an_agent())
    return client


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client):
    ticket = a_ticket()

    for url in (INBOX, ticket_url(ticket)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_staff_outside_the_support_agents_group_are_refused(client):
    ticket = a_ticket(subject="Private matter")
    client.force_login(an_editor())

    for url in (INBOX, ticket_url(ticket)):
        refused = client.get(url)
        assert refused.status_code == 302 and refused["Location"] == "/admin/"
        assert client.get(url, **XHR).status_code == 403
    posted = client.post(ticket_url(ticket), {"action": "status", "status": "closed"}, **XHR)
    assert posted.status_code == 403
    assert Ticket.objects.get().status == Ticket.Status.OPEN
    assert "Private matter" not in client.get("/admin/").content.decode()


def test_a_member_without_admin_access_is_refused(client):
    a_ticket()
    client.force_login(UserFactory())

    response = client.get(INBOX)

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_support_agent_sees_the_inbox_in_the_support_menu(agent):
    response = agent.get("/admin/")

    assert response.status_code == 200
    assert INBOX in response.content.decode()


def test_the_inbox_lists_tickets_newest_first(agent):
    older = a_ticket("Older question", at=timezone.now() - timedelta(days=2))
    newer = a_ticket("Newer question")

    response = agent.get(INBOX)

    assert response.status_code == 200
    assert [ticket.pk for ticket in response.context["object_list"]] == [newer.pk, older.pk]
    assert older.reference in response.content.decode()


def test_the_inbox_filters_by_status_language_and_date(agent):
    solved = a_ticket("Solved one")
    Ticket.objects.filter(pk=solved.pk).update(status=Ticket.Status.SOLVED)
    russian = a_ticket("Вопрос", language="ru")
    old = a_ticket("Old one", at=timezone.now() - timedelta(days=40))
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    def listed(**params):
        return {ticket.pk for ticket in agent.get(INBOX, params).context["object_list"]}

    assert listed(status="solved") == {solved.pk}
    assert listed(language="ru") == {russian.pk}
    assert listed(created_at_from=yesterday) == {solved.pk, russian.pk}
    assert listed(created_at_to=yesterday) == {old.pk}


def test_the_inbox_searches_reference_subject_and_email(agent):
    printer = a_ticket("Printer jams", email="grace@example.com")
    wifi = a_ticket("Wifi drops", email="linus@example.com")

    def found(query):
        return {ticket.pk for ticket in agent.get(INBOX, {"q": query}).context["object_list"]}

    assert found(printer.reference.lower()) == {printer.pk}
    assert found("wifi") == {wifi.pk}
    assert found("grace@") == {printer.pk}


@pytest.mark.parametrize("tickets", [5, 50])
def test_the_inbox_runs_the_same_few_queries_for_5_or_50_tickets(agent, django_assert_max_num_queries, tickets):
    Ticket.objects.bulk_create(
        Ticket(subject=f"Question {n}", description="…", requester_email=f"c{n}@example.com", language="en")
        for n in range(tickets)
    )

    # 16: the inbox's own few, plus the admin menu's (the Support menu's open follow-up count and
    # the council menu's group check) - the same for 5 tickets or 50.
    with django_assert_max_num_queries(16):
        response = agent.get(INBOX)

    assert response.status_code == 200
    assert len(response.context["object_list"]) == tickets


def test_a_ticket_shows_the_thread_the_requester_the_language_and_the_journey(agent, help_centers):
    visitor = "a" * 32
    record_event(Event.Kind.CONTACT_STARTED, flow="contact", visit_id="visit-1", visitor_id=visitor)
    record_event(
        Event.Kind.SUGGESTIONS_SHOWN, flow="contact", visit_id="visit-1", visitor_id=visitor, query="printer offline"
    )
    ticket = a_ticket("Printer offline", language="fa", visitor_id=visitor, visit_id="visit-1")

    response = agent.get(ticket_url(ticket))

    page = response.content.decode()
    assert response.status_code == 200
    assert ticket.reference in page and "ada@example.com" in page and "Persian" in page
    assert "It stopped after the update." in page
    assert 'data-journey="suggestions_shown"' in page and "printer offline" in page


def test_the_customers_words_are_shown_as_text(agent):
    ticket = a_ticket("<script>alert(1)</script>", description="<img src=x onerror=alert(1)>")

    page = agent.get(ticket_url(ticket)).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.parametrize("pk", ["0", "abc", "99999999999999999999999", "-1"])
def test_an_unknown_or_impossible_ticket_id_is_not_found(agent, pk):
    response = agent.get(f"{INBOX}{pk}/")

    assert response.status_code in (302, 404)
    assert response.status_code != 500


def test_a_superuser_works_the_inbox_too(client):
    ticket = a_ticket()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert client.get(INBOX).status_code == 200
    page = client.get(ticket_url(ticket)).content.decode()
    assert "Submit as Solved" in page and "Resolve with this article" in page


@pytest.mark.parametrize(
    "params",
    [
        {"status": "deleted"},
        {"language": "xx"},
        {"created_at_from": "yesterday"},
        {"created_at_from": "2026-02-30", "created_at_to": "0000-00-00"},
        {"q": "\x00"},
        {"q": "x" * 5000},
        {"p": "abc"},
        {"ordering": "password"},
    ],
)
def test_bad_filter_input_never_breaks_the_inbox(agent, params):
    a_ticket()

    assert agent.get(INBOX, params).status_code in (200, 404)


def test_a_ticket_with_a_damaged_journey_still_opens(agent):
    ticket = a_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(
        journey={"searches": ["text", {"at": "2026-13-45T99:00:00", "query": "q"}], "votes": {"not": "a list"}}
    )

    response = agent.get(ticket_url(ticket))

    assert response.status_code == 200
    assert 'data-journey="searches"' in response.content.decode()


def test_a_ticket_address_with_a_superscript_digit_is_not_found_rather_than_an_error(client):
    """The digit "²" passes isdigit() but not int(): the inbox answers it like any unknown ticket."""
    client.force_login(an_agent())

    unknown = client.get(f"{INBOX}999999/")
    superscript = client.get(f"{INBOX}\u00b2/")

    assert superscript.status_code == unknown.status_code < 500
