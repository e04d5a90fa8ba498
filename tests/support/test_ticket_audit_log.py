"""Ticket actions are in Wagtail's audit log beside page actions: who, when, what changed."""

import pytest
from django.test import Client
from wagtail.models import ModelLogEntry

from support.actions import audit
from support.models import Ticket
from tests.factories import UserFactory, make_article
from tests.support.admin_helpers import a_ticket, ticket_url

pytestmark = pytest.mark.django_db


def entries(ticket):
    return list(ModelLogEntry.objects.for_instance(ticket).order_by("timestamp", "pk"))


def test_changing_the_status_replying_and_resolving_each_write_one_log_entry_by_the_agent(
    agent, agent_user, help_centers, django_capture_on_commit_callbacks
):
    ticket = a_ticket()
    article = make_article("Fix a printer that will not print")

    with django_capture_on_commit_callbacks(execute=True):
        agent.post(ticket_url(ticket), {"action": "reply", "body": "Restart the print spooler."})
    agent.post(ticket_url(ticket), {"action": "status", "status": Ticket.Status.OPEN})
    agent.post(ticket_url(ticket), {"action": "resolve", "article": article.pk})

    logged = entries(ticket)
    # The reply made the open ticket pending: that status change is an entry of its own.
    assert [entry.action for entry in logged] == [
        audit.REPLIED,
        audit.STATUS_CHANGED,
        audit.STATUS_CHANGED,
        audit.RESOLVED,
    ]
    assert all(entry.user_id == agent_user.pk for entry in logged)
    assert logged[1].data == {"old": Ticket.Status.OPEN, "new": Ticket.Status.PENDING}
    assert logged[2].data == {"old": Ticket.Status.PENDING, "new": Ticket.Status.OPEN}
    assert logged[3].data["article"] == article.pk
    assert logged[3].message == "Resolved with the article “Fix a printer that will not print”"


def test_a_refused_action_writes_no_log_entry(agent):
    ticket = a_ticket()

    agent.post(ticket_url(ticket), {"action": "status", "status": "no-such-status"})
    agent.post(ticket_url(ticket), {"action": "reply", "body": "   "})

    assert entries(ticket) == []


def test_an_unchanged_status_writes_no_log_entry(agent):
    ticket = a_ticket()

    agent.post(ticket_url(ticket), {"action": "status", "status": ticket.status})

    assert entries(ticket) == []


def test_the_site_history_report_lists_ticket_actions_with_page_actions(agent, help_centers):
    ticket = a_ticket()
    agent.post(ticket_url(ticket), {"action": "status", "status": Ticket.Status.SOLVED})
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))

    page = admin.get("/admin/reports/site-history/").content.decode()

    assert "Change ticket status" in page or "Status changed from" in page
