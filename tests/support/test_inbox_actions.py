"""What an agent does on a ticket page: reply, change status, resolve with an article, draft one.

Every change goes through support.actions; the forms refuse bad input with a message, never a
server error.
"""

from importlib import import_module

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation
from wagtail.models import Page

from kb.models import ArticlePage
from support import actions
from support.models import Event, Ticket, TicketMessage
from tests.factories import make_article
from tests.support.admin_helpers import a_ticket, an_editor, ticket_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(help_centers):
    return make_article("Fix a printer that will not print")


def test_a_reply_is_stored_and_emailed_to_the_customer_after_the_commit(agent, django_capture_on_commit_callbacks):
    ticket = a_ticket(email="ada@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        response = agent.post(ticket_url(ticket), {"action": "reply", "body": "Restart the print spooler."})

    assert response.status_code == 302 and response["Location"] == ticket_url(ticket)
    reply = TicketMessage.objects.get(ticket=ticket, is_from_customer=False)
    assert reply.body == "Restart the print spooler." and reply.emailed_at is not None
    [sent] = mail.outbox
    assert sent.to == ["ada@example.com"]
    assert ticket.reference in sent.subject and "Restart the print spooler." in sent.body
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.PENDING


def test_the_reply_email_is_written_in_the_tickets_language(
    agent_user, monkeypatch, django_capture_on_commit_callbacks
):
    ticket = a_ticket(language="ru")
    languages = []
    reply_module = import_module("support.actions.reply_to_ticket")
    render = reply_module.render_to_string

    def rendering(*args, **kwargs):
        languages.append(translation.get_language())
        return render(*args, **kwargs)

    monkeypatch.setattr(reply_module, "render_to_string", rendering)
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply_to_ticket(agent_user, ticket, "Перезапустите службу печати.")

    assert languages == ["ru", "ru"]
    assert "Перезапустите службу печати." in mail.outbox[0].body


def test_a_subject_with_line_breaks_cannot_add_mail_headers(agent_user, django_capture_on_commit_callbacks):
    ticket = a_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(subject="Help\r\nBcc: everyone@example.com\nX-Evil: 1")
    ticket.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        actions.reply_to_ticket(agent_user, ticket, "Hello")

    [sent] = mail.outbox
    assert "\n" not in sent.subject and "\r" not in sent.subject
    assert sent.bcc == [] and sent.recipients() == ["ada@example.com"]
    headers = sent.message()
    assert headers["Bcc"] is None and headers["X-Evil"] is None


def test_a_broken_address_keeps_the_reply_without_sending(agent, django_capture_on_commit_callbacks):
    ticket = a_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(requester_email="ada@example.com\nBcc: everyone@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        response = agent.post(ticket_url(ticket), {"action": "reply", "body": "Hello"})

    assert response.status_code == 302
    assert mail.outbox == []
    assert TicketMessage.objects.get(is_from_customer=False).emailed_at is None
    assert "not emailed yet" in agent.get(ticket_url(ticket)).content.decode()


def test_an_agent_changes_the_status(agent):
    ticket = a_ticket()

    agent.post(ticket_url(ticket), {"action": "status", "status": "closed"})

    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.CLOSED


def test_resolving_with_an_article_records_the_article_the_time_and_an_event(agent, agent_user, article):
    ticket = a_ticket()

    response = agent.post(ticket_url(ticket), {"action": "resolve", "article": article.pk})

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolved_with_id) == (Ticket.Status.SOLVED, article.pk)
    assert ticket.resolved_at is not None
    event = Event.objects.get(kind=Event.Kind.TICKET_RESOLVED)
    assert (event.article_id, event.ticket_id, event.user_id) == (article.pk, ticket.pk, agent_user.pk)


def test_resolving_twice_with_the_same_article_records_one_event(agent_user, article):
    ticket = a_ticket()

    actions.resolve_ticket(agent_user, ticket, article)
    actions.resolve_ticket(agent_user, ticket, article)

    assert Event.objects.filter(kind=Event.Kind.TICKET_RESOLVED).count() == 1


def test_the_actions_refuse_someone_who_is_not_an_agent(article):
    ticket = a_ticket()
    editor = an_editor()

    for action, args in [
        (actions.resolve_ticket, (article,)),
        (actions.reply_to_ticket, ("Hello",)),
        (actions.change_status, ("closed",)),
        (actions.draft_article_from_ticket, ()),
    ]:
        with pytest.raises(PermissionDenied):
            action(editor, ticket, *args)
    assert not Event.objects.filter(kind=Event.Kind.TICKET_RESOLVED).exists()


def test_drafting_an_article_creates_an_unpublished_page_and_opens_its_editor(agent, agent_user, help_centers):
    ticket = a_ticket("Printer prints blank pages", description="Every page comes out <b>blank</b>.")
    actions.reply_to_ticket(agent_user, ticket, "Replace the toner cartridge.")

    response = agent.post(ticket_url(ticket), {"action": "draft"})

    draft = ArticlePage.objects.get(title="Printer prints blank pages")
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{draft.pk}/edit/"
    assert not draft.live and draft.locale.language_code == "en"
    assert draft.get_parent().specific.slug == "support-answers" and not draft.get_parent().live
    body = str(draft.body)
    assert "&lt;b&gt;blank&lt;/b&gt;" in body and "Replace the toner cartridge." in body
    assert agent.get(response["Location"]).status_code == 200
    again = agent.post(ticket_url(ticket), {"action": "draft"})
    assert again["Location"] == response["Location"]
    assert ArticlePage.objects.filter(title="Printer prints blank pages").count() == 1


def test_a_draft_goes_under_the_category_of_the_article_that_resolved_the_ticket(agent_user, article):
    ticket = a_ticket("Printer is offline")
    actions.resolve_ticket(agent_user, ticket, article)

    draft = actions.draft_article_from_ticket(agent_user, ticket)

    assert draft.get_parent().pk == article.get_parent().pk


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "reply", "body": ""}, "This field is required."),
        ({"action": "reply", "body": "   \n  "}, "This field is required."),
        ({"action": "reply", "body": "Null \x00 byte"}, "Null characters are not allowed."),
        ({"action": "reply", "body": "x" * 10_001}, "Ensure this value has at most 10000 characters"),
        ({"action": "status", "status": "deleted"}, "Select a valid choice."),
        ({"action": "status"}, "This field is required."),
        ({"action": "resolve", "article": ""}, "This field is required."),
        ({"action": "resolve", "article": "abc"}, "Choose a published help article."),
        ({"action": "resolve", "article": "99999999999999999999999"}, "Choose a published help article."),
        ({"action": "resolve", "article": "-3"}, "Choose a published help article."),
    ],
)
def test_bad_input_on_a_ticket_form_is_a_form_error(agent, data, message):
    ticket = a_ticket()

    response = agent.post(ticket_url(ticket), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TicketMessage.objects.filter(is_from_customer=False).exists()
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.OPEN


def test_a_page_that_is_not_a_live_article_cannot_resolve_a_ticket(agent, article, help_centers):
    ticket = a_ticket()
    draft = make_article("Unpublished")
    draft.unpublish()

    for page in (help_centers["en"], Page.objects.get(depth=1), draft):
        response = agent.post(ticket_url(ticket), {"action": "resolve", "article": page.pk})
        assert response.status_code == 400
        assert "Choose a published help article." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).resolved_with is None


def test_an_unknown_action_changes_nothing(agent):
    ticket = a_ticket()

    response = agent.post(ticket_url(ticket), {"action": "delete"})

    assert response.status_code == 302
    assert Ticket.objects.filter(pk=ticket.pk, status=Ticket.Status.OPEN).exists()


def test_a_post_without_the_csrf_token_is_refused(agent_user):
    ticket = a_ticket()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(agent_user)

    response = browser.post(ticket_url(ticket), {"action": "status", "status": "closed"})

    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.OPEN
