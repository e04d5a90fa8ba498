"""Detractor follow-ups in the agent inbox: who sees them, what the list and a follow-up's page show,
and the one form that changes them."""

import pytest
from django.test import Client
from django.utils import timezone

from customer_voice.models import FollowUp, SurveyInvitation, SurveyResponse
from tests.factories import UserFactory
from tests.support.admin_helpers import XHR, a_ticket, an_agent, an_editor

pytestmark = pytest.mark.django_db

FOLLOW_UPS = "/admin/support/follow-ups/"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def a_follow_up(customer=None, *, score=3, comment="Too slow", **fields) -> FollowUp:
    customer = customer or UserFactory()
    invitation = SurveyInvitation.objects.create(kind="nps", user=customer, email=customer.email, language="en")
    answer = SurveyResponse.objects.create(
        invitation=invitation, kind="nps", user=customer, score=score, comment=comment
    )
    return FollowUp.objects.create(response=answer, customer=customer, **fields)


def page_of(follow_up) -> str:
    return f"{FOLLOW_UPS}{follow_up.pk}/"


@pytest.fixture
def agent(client):
    user = an_agent()
    client.force_login(user)
    client.user = user
    return client


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client):
    follow_up = a_follow_up()

    for url in (FOLLOW_UPS, page_of(follow_up)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_customer_without_admin_access_is_refused(client):
    follow_up = a_follow_up()
    client.force_login(follow_up.customer)

    for url in (FOLLOW_UPS, page_of(follow_up)):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_editor_who_is_not_a_support_agent_is_refused(client):
    follow_up = a_follow_up(comment="Private complaint")
    client.force_login(an_editor())

    for url in (FOLLOW_UPS, page_of(follow_up)):
        refused = client.get(url)
        assert refused.status_code == 302 and refused["Location"] == "/admin/"
        assert client.get(url, **XHR).status_code == 403
    posted = client.post(page_of(follow_up), {"state": "closed"}, **XHR)
    assert posted.status_code == 403
    assert FollowUp.objects.get().state == FollowUp.State.OPEN
    assert "Private complaint" not in client.get("/admin/").content.decode()


def test_an_agent_sees_the_open_follow_ups_with_the_customer_score_and_comment(agent):
    customer = UserFactory(display_name="Grace Hopper", email="grace@example.com")
    a_follow_up(customer, score=2, comment="Support never answered")

    html = agent.get(FOLLOW_UPS).content.decode()

    assert "Grace Hopper" in html and "grace@example.com" in html
    assert "Support never answered" in html
    assert 'dir="auto"' in html


def test_the_list_shows_only_open_and_contacted_follow_ups_unless_asked(agent):
    a_follow_up(comment="Waiting for a call", state=FollowUp.State.OPEN)
    a_follow_up(comment="Called on Monday", state=FollowUp.State.CONTACTED)
    a_follow_up(comment="Refunded and happy", state=FollowUp.State.CLOSED)

    html = agent.get(FOLLOW_UPS).content.decode()
    closed = agent.get(FOLLOW_UPS, {"state": "closed"}).content.decode()

    assert "Waiting for a call" in html and "Called on Monday" in html and "Refunded and happy" not in html
    assert "Refunded and happy" in closed and "Waiting for a call" not in closed


def test_mine_and_unassigned_narrow_the_list(agent):
    a_follow_up(comment="Given to me", assignee=agent.user)
    a_follow_up(comment="Given to a colleague", assignee=an_agent())
    a_follow_up(comment="Nobody has it")

    mine = agent.get(FOLLOW_UPS, {"assignee": "mine"}).content.decode()
    unassigned = agent.get(FOLLOW_UPS, {"assignee": "unassigned"}).content.decode()

    assert "Given to me" in mine and "Given to a colleague" not in mine and "Nobody has it" not in mine
    assert "Nobody has it" in unassigned and "Given to me" not in unassigned


def test_a_hostile_comment_and_name_are_shown_as_text(agent):
    follow_up = a_follow_up(UserFactory(display_name="<b>Mallory</b>"), comment=HOSTILE)

    for url in (FOLLOW_UPS, page_of(follow_up)):
        html = agent.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>Mallory" not in html
        assert "&lt;script&gt;" in html


@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_runs_the_same_few_queries_for_5_or_50_follow_ups(agent, django_assert_max_num_queries, rows):
    for n in range(rows):
        a_follow_up(comment=f"Reason {n}", assignee=agent.user if n % 2 else None)

    with django_assert_max_num_queries(20):
        response = agent.get(FOLLOW_UPS)

    assert response.status_code == 200
    assert response.content.decode().count("data-follow-up-comment") == rows


def test_the_menu_shows_how_many_follow_ups_are_still_to_do(agent):
    a_follow_up()
    a_follow_up(state=FollowUp.State.CONTACTED)
    a_follow_up(state=FollowUp.State.CLOSED)

    html = agent.get("/admin/").content.decode()

    assert "Detractor follow-ups (2)" in html


def test_a_follow_up_page_shows_the_answer_the_latest_tickets_and_the_timeline_link(agent):
    customer = UserFactory()
    a_ticket(subject="Invoice is wrong", email=customer.email, requester=customer)
    follow_up = a_follow_up(customer, score=1, comment="Billing is a mess")

    html = agent.get(page_of(follow_up)).content.decode()

    assert "Billing is a mess" in html
    assert "Invoice is wrong" in html
    assert f"/admin/customers/{customer.pk}/" in html


def test_an_agent_changes_state_assignee_and_note_in_one_post(agent):
    colleague, follow_up = an_agent(), a_follow_up()

    response = agent.post(page_of(follow_up), {"state": "closed", "assignee": colleague.pk, "note": "Refunded"})

    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.state, follow_up.assignee, follow_up.note) == ("closed", colleague, "Refunded")
    assert follow_up.closed_at is not None


@pytest.mark.parametrize(
    "data",
    [{"state": "done"}, {"state": "closed", "assignee": "999999"}, {"state": "closed", "note": "x\x00y"}],
)
def test_bad_input_is_refused_with_a_400_and_nothing_changes(agent, data):
    follow_up = a_follow_up()

    response = agent.post(page_of(follow_up), data)

    assert response.status_code == 400
    assert FollowUp.objects.get().state == FollowUp.State.OPEN


def test_giving_a_follow_up_to_a_customer_is_refused(agent):
    follow_up, customer = a_follow_up(), UserFactory()

    response = agent.post(page_of(follow_up), {"state": "contacted", "assignee": customer.pk})

    assert response.status_code == 400
    assert FollowUp.objects.get().assignee is None


def test_the_form_needs_the_csrf_token():
    follow_up, user = a_follow_up(), an_agent()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(page_of(follow_up), {"state": "closed"})

    assert response.status_code == 403
    assert FollowUp.objects.get().state == FollowUp.State.OPEN


@pytest.mark.parametrize("pk", ["0", "abc", "9" * 40, "-1"])
def test_a_follow_up_that_does_not_exist_is_a_404(agent, pk):
    assert agent.get(f"{FOLLOW_UPS}{pk}/", follow=True).status_code == 404


def test_the_age_is_shown_for_an_old_follow_up(agent):
    a_follow_up(created_at=timezone.now() - timezone.timedelta(days=12))

    assert "1\xa0week" in agent.get(FOLLOW_UPS).content.decode()


def test_the_list_is_searchable_by_the_customers_email(agent):
    a_follow_up(UserFactory(email="grace@example.com"), comment="Found by email")
    a_follow_up(comment="Someone else")

    html = agent.get(FOLLOW_UPS, {"q": "grace@"}).content.decode()

    assert "Found by email" in html and "Someone else" not in html
