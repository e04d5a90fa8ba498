"""The customers list: those with no contact for N days, and those whose detractor follow-up is
open; searchable, never listing staff, in a constant number of queries per page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customer_voice.models import FollowUp, SurveyInvitation, SurveyResponse
from forum.models import Post
from tests.factories import UserFactory
from tests.factories.forum import make_topic
from tests.support.admin_helpers import a_ticket, an_agent, an_editor

pytestmark = pytest.mark.django_db

CUSTOMERS = "/admin/customers/"


def ago(days):
    return timezone.now() - timedelta(days=days)


def a_customer(joined_days_ago, **fields):
    customer = UserFactory(**fields)
    customer.date_joined = ago(joined_days_ago)
    customer.save(update_fields=["date_joined"])
    return customer


def listed(client, **params) -> str:
    response = client.get(CUSTOMERS, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def agent(client):
    client.force_login(an_agent())
    return client


def test_a_customer_last_seen_100_days_ago_is_listed_at_90_days_not_at_120(agent):
    customer = a_customer(400, email="quiet@example.com")
    a_ticket(email=customer.email, requester=customer, at=ago(100))

    assert "quiet@example.com" in listed(agent, days=90)
    assert "quiet@example.com" not in listed(agent, days=120)


def test_90_days_is_the_default(agent):
    a_customer(100, email="quiet@example.com")
    a_customer(80, email="recent@example.com")

    html = listed(agent)

    assert "quiet@example.com" in html and "recent@example.com" not in html


@pytest.mark.parametrize(
    "touch",
    ["ticket message", "survey answer", "survey email", "forum post"],
)
def test_every_kind_of_contact_counts_as_recent(agent, touch):
    customer = a_customer(400, email="busy@example.com")
    if touch == "ticket message":
        ticket = a_ticket(email=customer.email, requester=customer, at=ago(300))
        ticket.messages.create(body="Reply", is_from_customer=False, created_at=ago(10))
    elif touch in ("survey answer", "survey email"):
        invitation = SurveyInvitation.objects.create(
            kind="nps", user=customer, email=customer.email, language="en", sent_at=ago(10)
        )
        if touch == "survey answer":
            SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=None)
            SurveyResponse.objects.create(
                invitation=invitation, kind="nps", user=customer, score=8, answered_at=ago(10)
            )
    else:
        topic = make_topic(author=UserFactory())
        Post.objects.create(topic=topic, author=customer, position=2, created_at=ago(10))

    assert "busy@example.com" not in listed(agent, days=90)


def test_staff_are_never_listed(agent):
    for staff in (an_agent(), an_editor(), UserFactory(is_staff=True), UserFactory(is_superuser=True)):
        staff.date_joined = ago(500)
        staff.save(update_fields=["date_joined"])
    a_customer(500, email="customer@example.com")

    html = listed(agent, days=90)

    assert html.count("data-customer-row=") == 1 and "customer@example.com" in html


@pytest.mark.parametrize("days", ["0", "3651", "-5", "abc", "9" * 30, "12.5", "١٢"])
def test_days_outside_1_to_3650_are_refused_with_a_message(agent, days):
    a_customer(100, email="quiet@example.com")

    response = agent.get(CUSTOMERS, {"days": days})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Days must be a whole number from 1 to 3650" in html
    assert "quiet@example.com" in html  # the default list, 90 days


def test_customers_with_an_open_follow_up_have_their_own_list(agent):
    for email, state in (
        ("open@example.com", "open"),
        ("called@example.com", "contacted"),
        ("done@example.com", "closed"),
    ):
        customer = a_customer(1, email=email)
        invitation = SurveyInvitation.objects.create(kind="nps", user=customer, email=email, language="en")
        answer = SurveyResponse.objects.create(invitation=invitation, kind="nps", user=customer, score=1)
        FollowUp.objects.create(response=answer, customer=customer, state=state)

    html = listed(agent, tab="follow-up")

    assert "open@example.com" in html and "called@example.com" in html and "done@example.com" not in html


def test_the_list_is_searchable_by_email_and_name(agent):
    a_customer(200, email="grace@example.com", display_name="Grace Hopper")
    a_customer(200, email="alan@example.com", display_name="Alan Turing")

    by_name = listed(agent, q="hopper")
    by_email = listed(agent, q="alan@")

    assert "grace@example.com" in by_name and "alan@example.com" not in by_name
    assert "alan@example.com" in by_email and "grace@example.com" not in by_email


@pytest.mark.parametrize("query", ["' OR 1=1 --", "<script>alert(1)</script>", "x" * 5000, "%_%"])
def test_hostile_searches_find_nothing_and_are_shown_as_text(agent, query):
    a_customer(200, email="grace@example.com")

    html = listed(agent, q=query)

    assert "grace@example.com" not in html
    assert "<script>alert(1)" not in html


def test_a_search_of_a_nul_or_bidi_controls_alone_is_no_search(agent):
    a_customer(200, email="grace@example.com")

    assert "grace@example.com" in listed(agent, q="\x00\u202e")


def test_a_hostile_name_is_shown_as_text(agent):
    a_customer(200, display_name="<img src=x onerror=alert(1)>")

    html = listed(agent)

    assert "<img src=x" not in html and "&lt;img src=x" in html


@pytest.mark.parametrize("customers", [3, 60])
def test_the_list_runs_the_same_queries_for_3_or_60_customers(agent, django_assert_max_num_queries, customers):
    for n in range(customers):
        customer = a_customer(200 + n)
        a_ticket(email=customer.email, requester=customer, at=ago(150))

    with django_assert_max_num_queries(20):
        html = listed(agent)

    assert html.count("data-customer-row=") == min(customers, 50)


def test_the_longest_silent_come_first(agent):
    a_customer(100, email="b@example.com")
    a_customer(300, email="a@example.com")

    html = listed(agent)

    assert html.index("a@example.com") < html.index("b@example.com")


def test_an_unknown_page_number_shows_a_page_not_an_error(agent):
    a_customer(100, email="quiet@example.com")

    assert "quiet@example.com" in listed(agent, p="999")
    assert "quiet@example.com" in listed(agent, p="abc")
