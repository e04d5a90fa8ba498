"""Builders shared by the tests of the agent inbox, the support reports and support_report."""

from django.contrib.auth.models import Group

from support.tickets import open_ticket
from tests.factories import UserFactory

INBOX = "/admin/support/tickets/"
DEFLECTION = "/admin/support/reports/deflection/"
SELF_SERVICE = "/admin/support/reports/self-service/"
ARTICLES = "/admin/support/reports/articles/"
GAPS = "/admin/support/reports/content-gaps/"
REPORTS = [DEFLECTION, SELF_SERVICE, ARTICLES, GAPS]
#: Sent by Wagtail's own scripts: the admin then answers a refusal with 403 instead of a redirect.
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def ticket_url(ticket) -> str:
    return f"{INBOX}{ticket.pk}/"


def an_agent(**kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name="Support agents"))
    return user


def an_editor():
    """Staff with admin access who are not support agents."""
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def a_ticket(subject="My printer does not print", *, language="en", email="ada@example.com", **kwargs):
    return open_ticket(
        subject=subject,
        description=kwargs.pop("description", "It stopped after the update."),
        email=email,
        language=language,
        notify=False,
        **kwargs,
    ).ticket
