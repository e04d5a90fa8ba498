"""A solved ticket sends its requester the "Your request is solved" email with one-click good/bad
links (transactional: no feedback opt-in needed), once per ticket."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from customer_voice.models import FollowUp, SurveyInvitation, SurveyResponse
from support.actions.change_status import change_status
from support.actions.resolve_ticket import resolve_ticket
from support.models import Ticket
from tests.factories import BROWSER_HEADERS, UserFactory, make_article
from tests.support.admin_helpers import a_ticket, an_agent

pytestmark = pytest.mark.django_db


def solve(ticket, django_capture_on_commit_callbacks, agent=None):
    with django_capture_on_commit_callbacks(execute=True):
        change_status(agent or an_agent(), ticket, Ticket.Status.SOLVED)


def link_after(label: str, body: str) -> str:
    url = urlsplit(re.search(rf"{re.escape(label)}\n(\S+)", body).group(1))
    return f"{url.path}?{url.query}"


def test_solving_a_ticket_emails_the_requester_with_good_and_bad_links(django_capture_on_commit_callbacks):
    ticket = a_ticket(email="ada@example.com")

    solve(ticket, django_capture_on_commit_callbacks)

    [email] = mail.outbox
    assert email.to == ["ada@example.com"]
    assert ticket.reference in email.subject and "solved" in email.subject
    assert "Good, I'm satisfied" in email.body and "Bad, I'm unsatisfied" in email.body
    html = email.alternatives[0][0]
    assert 'data-csat="good"' in html and 'data-csat="bad"' in html
    invitation = SurveyInvitation.objects.get(ticket=ticket)
    assert (invitation.kind, invitation.email, invitation.sent_at is not None) == ("csat", "ada@example.com", True)


def test_a_requester_without_feedback_consent_still_gets_it(django_capture_on_commit_callbacks):
    requester = UserFactory(feedback_opt_in=False, email="bob@example.com")
    ticket = a_ticket(email="bob@example.com", requester=requester)

    solve(ticket, django_capture_on_commit_callbacks)

    assert [message.to for message in mail.outbox] == [["bob@example.com"]]


def test_resolving_with_an_article_asks_too(django_capture_on_commit_callbacks):
    ticket = a_ticket()
    article = make_article("Printing")

    with django_capture_on_commit_callbacks(execute=True):
        resolve_ticket(an_agent(), ticket, article)

    assert SurveyInvitation.objects.filter(ticket=ticket, kind="csat").count() == 1
    assert len(mail.outbox) == 1


def test_solving_again_after_a_reopen_does_not_ask_twice(django_capture_on_commit_callbacks):
    ticket, agent = a_ticket(), an_agent()
    solve(ticket, django_capture_on_commit_callbacks, agent)
    with django_capture_on_commit_callbacks(execute=True):
        change_status(agent, ticket, Ticket.Status.OPEN)

    solve(ticket, django_capture_on_commit_callbacks, agent)

    assert SurveyInvitation.objects.filter(ticket=ticket).count() == 1
    assert len(mail.outbox) == 1


def test_the_good_link_records_satisfaction_in_one_click(django_capture_on_commit_callbacks):
    ticket = a_ticket()
    solve(ticket, django_capture_on_commit_callbacks)

    page = Client(**BROWSER_HEADERS).get(link_after("Good, I'm satisfied:", mail.outbox[0].body))

    assert page.status_code == 200
    answer = SurveyResponse.objects.get()
    assert (answer.kind, answer.score, answer.ticket) == ("csat", 1, ticket)
    assert not FollowUp.objects.exists()


def test_the_bad_link_opens_a_follow_up(django_capture_on_commit_callbacks):
    ticket = a_ticket()
    solve(ticket, django_capture_on_commit_callbacks)

    Client(**BROWSER_HEADERS).get(link_after("Bad, I'm unsatisfied:", mail.outbox[0].body))

    assert SurveyResponse.objects.get().score == 0
    assert FollowUp.objects.get().state == "open"


def test_a_csat_link_takes_no_nps_score(django_capture_on_commit_callbacks):
    ticket = a_ticket()
    solve(ticket, django_capture_on_commit_callbacks)
    good = link_after("Good, I'm satisfied:", mail.outbox[0].body)

    page = Client(**BROWSER_HEADERS).get(good.replace("score=1", "score=7"))

    assert page.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_the_email_is_in_the_language_of_the_ticket(django_capture_on_commit_callbacks):
    ticket = a_ticket(language="ru")

    solve(ticket, django_capture_on_commit_callbacks)

    assert "/ru/feedback/answer/" in mail.outbox[0].body
