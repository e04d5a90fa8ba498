"""An agent's everyday ticket work: submit a reply as a status, internal notes, assignee and
priority, the inbox's views, and the first-response and resolution times."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from support import actions
from support.actions import audit
from support.metrics import Period, format_duration, response_times
from support.models import Ticket, TicketMessage
from tests.factories import UserFactory, make_article
from tests.support.admin_helpers import INBOX, a_ticket, an_agent, an_editor, ticket_url

pytestmark = pytest.mark.django_db


def logged(ticket):
    return [entry.action for entry in ModelLogEntry.objects.for_instance(ticket).order_by("timestamp", "pk")]


def newest_message(ticket):
    return ticket.messages.order_by("-pk").first().pk


def test_submit_as_solved_sends_the_reply_and_solves_in_one_post(agent, django_capture_on_commit_callbacks):
    ticket = a_ticket()

    with django_capture_on_commit_callbacks(execute=True):
        response = agent.post(
            ticket_url(ticket),
            {"action": "reply", "body": "Restart the spooler.", "status": "solved", "seen": newest_message(ticket)},
        )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED and ticket.solved_at is not None
    assert ticket.first_response_at is not None
    # The reply, once (a solved ticket may also send the satisfaction survey: customer_voice).
    assert [sent.to for sent in mail.outbox if "Restart the spooler." in sent.body] == [["ada@example.com"]]
    assert logged(ticket) == [audit.REPLIED, audit.STATUS_CHANGED]


def test_the_ticket_page_offers_a_submit_button_per_status(agent):
    page = agent.get(ticket_url(a_ticket())).content.decode()

    for status in ("open", "pending", "solved"):
        assert f'name="status" value="{status}"' in page
    assert "Submit as Solved" in page and "Internal note" in page


def test_an_internal_note_is_never_emailed_never_a_response_and_keeps_the_status(
    agent, django_capture_on_commit_callbacks
):
    ticket = a_ticket()
    before = Ticket.objects.get(pk=ticket.pk).updated_at

    with django_capture_on_commit_callbacks(execute=True):
        response = agent.post(ticket_url(ticket), {"action": "reply", "kind": "internal", "body": "Customer is on v2."})

    assert response.status_code == 302
    ticket.refresh_from_db()
    note = TicketMessage.objects.get(is_internal=True)
    assert note.body == "Customer is on v2." and note.emailed_at is None
    assert mail.outbox == []
    assert ticket.status == Ticket.Status.OPEN and ticket.first_response_at is None
    assert ticket.updated_at > before
    assert logged(ticket) == [audit.NOTE_ADDED]
    assert list(ticket.messages.public()) == list(ticket.messages.filter(is_from_customer=True))
    assert note not in TicketMessage.objects.public()


def test_a_note_submitted_as_pending_changes_the_status_but_sends_nothing(agent, django_capture_on_commit_callbacks):
    ticket = a_ticket()

    with django_capture_on_commit_callbacks(execute=True):
        agent.post(ticket_url(ticket), {"action": "reply", "kind": "internal", "body": "Waiting", "status": "pending"})

    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.PENDING
    assert mail.outbox == []
    assert logged(ticket) == [audit.NOTE_ADDED, audit.STATUS_CHANGED]


def test_a_note_is_labelled_in_words_in_the_thread(agent):
    ticket = a_ticket()
    agent.post(ticket_url(ticket), {"action": "reply", "kind": "internal", "body": "Secret remark"})

    page = agent.get(ticket_url(ticket)).content.decode()

    assert "data-internal-note" in page and "data-internal-label" in page
    assert "not sent to the customer" in page


def test_the_first_response_time_is_the_first_public_reply(agent_user):
    ticket = a_ticket(at=timezone.now() - timedelta(hours=2, minutes=5))
    actions.add_internal_note(agent_user, ticket, "Looking into it")
    assert Ticket.objects.get(pk=ticket.pk).first_response_at is None

    first = actions.reply_to_ticket(agent_user, ticket, "Try this")
    actions.reply_to_ticket(agent_user, ticket, "And this")

    ticket.refresh_from_db()
    assert ticket.first_response_at == first.created_at
    assert format_duration(ticket.first_response_at - ticket.created_at) == "2 h 5 min"


def test_solved_at_is_set_when_solved_and_cleared_when_reopened(agent_user):
    ticket = a_ticket()

    actions.change_status(agent_user, ticket, Ticket.Status.SOLVED)
    assert Ticket.objects.get(pk=ticket.pk).solved_at is not None
    actions.change_status(agent_user, ticket, Ticket.Status.OPEN)
    assert Ticket.objects.get(pk=ticket.pk).solved_at is None


def test_resolving_with_an_article_sets_the_solved_time(agent_user, help_centers):
    ticket = a_ticket()
    actions.resolve_ticket(agent_user, ticket, make_article("Fix it"))

    assert Ticket.objects.get(pk=ticket.pk).solved_at is not None


def test_the_ticket_page_shows_the_waiting_times(agent, agent_user):
    ticket = a_ticket(at=timezone.now() - timedelta(days=1, hours=3, minutes=2))
    Ticket.objects.filter(pk=ticket.pk).update(
        first_response_at=ticket.created_at + timedelta(hours=2, minutes=5),
        solved_at=ticket.created_at + timedelta(days=1, hours=3),
        status=Ticket.Status.SOLVED,
    )

    page = agent.get(ticket_url(ticket)).content.decode()

    assert "First response after 2 h 5 min" in page
    assert "Solved after 1 day 3 h" in page


def test_an_agent_assigns_to_a_colleague_to_themselves_and_to_nobody(agent, agent_user):
    ticket = a_ticket()
    colleague = an_agent(display_name="Kim Colleague")

    agent.post(ticket_url(ticket), {"action": "assign", "assignee": colleague.pk})
    assert Ticket.objects.get(pk=ticket.pk).assignee == colleague
    page = agent.get(ticket_url(ticket)).content.decode()
    assert "Kim Colleague" in page and "Assign to me" in page

    agent.post(ticket_url(ticket), {"action": "assign", "assignee": agent_user.pk})
    assert Ticket.objects.get(pk=ticket.pk).assignee == agent_user
    agent.post(ticket_url(ticket), {"action": "assign", "assignee": ""})
    assert Ticket.objects.get(pk=ticket.pk).assignee is None
    assert logged(ticket) == [audit.ASSIGNED] * 3
    entry = ModelLogEntry.objects.for_instance(ticket).order_by("timestamp", "pk").first()
    assert entry.message == "Assignee changed from “nobody” to “Kim Colleague”"


def test_the_assignee_choices_are_the_agents_only(agent):
    editor = an_editor()
    page = agent.get(ticket_url(a_ticket())).content.decode()

    assert "Sam Support" in page and editor.email not in page


def test_an_agent_changes_the_priority_with_a_log_entry(agent):
    ticket = a_ticket()

    agent.post(ticket_url(ticket), {"action": "priority", "priority": "urgent"})
    agent.post(ticket_url(ticket), {"action": "priority", "priority": "urgent"})

    assert Ticket.objects.get(pk=ticket.pk).priority == Ticket.Priority.URGENT
    assert logged(ticket) == [audit.PRIORITY_CHANGED]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "assign", "assignee": "99999"}, "Select a valid choice."),
        ({"action": "assign", "assignee": "abc"}, "Select a valid choice."),
        ({"action": "assign", "assignee": "99999999999999999999999"}, "Select a valid choice."),
        ({"action": "priority", "priority": "whenever"}, "Select a valid choice."),
        ({"action": "priority"}, "This field is required."),
        ({"action": "reply", "body": "Hello", "status": "deleted"}, "Select a valid choice."),
        ({"action": "reply", "body": "", "status": "solved"}, "This field is required."),
        ({"action": "reply", "kind": "internal", "body": "x" * 10_001}, "Ensure this value has at most 10000"),
        ({"action": "reply", "kind": "internal", "body": "a\x00b"}, "Null characters are not allowed."),
        ({"action": "reply", "kind": "shout", "body": "Hello"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_a_form_error_and_writes_nothing(agent, data, message):
    ticket = a_ticket()

    response = agent.post(ticket_url(ticket), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.assignee_id) == ("open", "normal", None)
    assert ticket.messages.count() == 1 and logged(ticket) == []


def test_a_non_agent_cannot_be_assigned(agent, agent_user):
    ticket = a_ticket()
    editor = an_editor()

    response = agent.post(ticket_url(ticket), {"action": "assign", "assignee": editor.pk})

    assert response.status_code == 400
    assert Ticket.objects.get(pk=ticket.pk).assignee is None
    with pytest.raises(actions.ActionRefused):
        actions.assign_ticket(agent_user, ticket, editor)


def test_a_double_submitted_reply_is_written_and_emailed_once(agent, django_capture_on_commit_callbacks):
    ticket = a_ticket()
    data = {"action": "reply", "body": "Restart it.", "status": "pending", "seen": newest_message(ticket)}

    with django_capture_on_commit_callbacks(execute=True):
        first = agent.post(ticket_url(ticket), data)
        second = agent.post(ticket_url(ticket), data)

    assert first.status_code == 302 and second.status_code == 400
    assert "already sent" in second.content.decode()
    assert TicketMessage.objects.filter(is_from_customer=False).count() == 1
    assert len(mail.outbox) == 1


def test_the_inbox_shows_assignee_priority_and_last_activity_columns(agent, agent_user):
    ticket = a_ticket("Broken screen")
    actions.assign_ticket(agent_user, ticket, agent_user)

    page = agent.get(INBOX).content.decode()

    for heading in ("Priority", "Assignee", "Last activity", "Opened", "Status"):
        assert heading in page
    assert "Sam Support" in page


def test_the_inbox_views_mine_unassigned_and_all_open(agent, agent_user):
    mine = a_ticket("Mine")
    actions.assign_ticket(agent_user, mine, agent_user)
    nobodys = a_ticket("Nobody's")
    theirs = a_ticket("Theirs")
    actions.assign_ticket(agent_user, theirs, an_agent())
    done = a_ticket("Done")
    actions.change_status(agent_user, done, Ticket.Status.SOLVED)

    def listed(**params):
        return {ticket.pk for ticket in agent.get(INBOX, params).context["object_list"]}

    assert listed(view="mine") == {mine.pk}
    assert listed(view="unassigned") == {nobodys.pk}
    assert listed(view="open") == {mine.pk, nobodys.pk, theirs.pk}
    assert listed() == {mine.pk, nobodys.pk, theirs.pk, done.pk}
    assert listed(view="open", q="theirs") == {theirs.pk}


def test_the_view_tabs_keep_the_other_filters_and_show_counts(agent):
    a_ticket()
    response = agent.get(INBOX, {"language": "en", "view": "open"})

    tabs = {str(tab["label"]): tab for tab in response.context["inbox_views"]}
    assert tabs["Mine"]["url"] == f"{INBOX}?language=en&view=mine"
    assert tabs["All open"]["current"] and tabs["All open"]["count"] == 1
    assert tabs["Unassigned"]["count"] == 1 and tabs["Mine"]["count"] == 0
    assert 'aria-current="page"' in response.content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_the_inbox_with_views_runs_the_same_few_queries(agent, agent_user, django_assert_max_num_queries, count):
    for n in range(count):
        ticket = a_ticket(f"Question {n}")
        actions.assign_ticket(agent_user, ticket, an_agent() if n % 2 else agent_user)

    with django_assert_max_num_queries(16):
        response = agent.get(INBOX, {"view": "open"})

    assert len(response.context["object_list"]) == count


@pytest.mark.parametrize("count", [1, 30])
def test_the_ticket_page_runs_the_same_few_queries(agent, agent_user, django_assert_max_num_queries, count):
    ticket = a_ticket()
    actions.assign_ticket(agent_user, ticket, agent_user)
    for n in range(count):
        actions.add_internal_note(agent_user, ticket, f"Note {n}")
        actions.reply_to_ticket(agent_user, ticket, f"Reply {n}")

    with django_assert_max_num_queries(30):
        response = agent.get(ticket_url(ticket))

    assert response.status_code == 200
    assert len(response.context["thread"]) == 1 + 2 * count


def test_response_time_percentiles_over_the_range(agent_user):
    now = timezone.now()
    for minutes in (10, 20, 30, 40, 50, 60, 70, 80, 90, 600):
        ticket = a_ticket(at=now - timedelta(hours=20))
        Ticket.objects.filter(pk=ticket.pk).update(
            first_response_at=ticket.created_at + timedelta(minutes=minutes),
            solved_at=ticket.created_at + timedelta(hours=minutes // 10),
        )
    old = a_ticket(at=now - timedelta(days=90))
    Ticket.objects.filter(pk=old.pk).update(first_response_at=old.created_at + timedelta(days=1))

    times = response_times(Period.last_days(7))

    assert times.first_response.count == 10
    assert times.first_response.median == timedelta(minutes=55)
    assert times.first_response.p90 == timedelta(minutes=90)
    assert times.resolution.p90 == timedelta(hours=9)


def test_the_response_times_report_shows_the_key_figures(client):
    ticket = a_ticket(at=timezone.now() - timedelta(hours=3))
    Ticket.objects.filter(pk=ticket.pk).update(first_response_at=ticket.created_at + timedelta(hours=2, minutes=5))
    client.force_login(an_agent())

    response = client.get("/admin/support/reports/response-times/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "data-response-times" in page and "Median first response" in page and "2 h 5 min" in page
    assert ticket.reference in page


def test_the_support_report_command_prints_response_times():
    ticket = a_ticket(at=timezone.now() - timedelta(hours=3))
    Ticket.objects.filter(pk=ticket.pk).update(first_response_at=ticket.created_at + timedelta(minutes=45))
    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    out = StringIO()
    call_command("support_report", since=since, output_format="json", stdout=out)
    data = json.loads(out.getvalue())["response_times"]
    assert data["first_response"] == {"tickets": 1, "median_seconds": 2700, "p90_seconds": 2700}
    assert data["resolution"]["tickets"] == 0

    text = StringIO()
    call_command("support_report", since=since, stdout=text)
    assert "First response: median 45 min, 90th percentile 45 min (1 tickets)" in text.getvalue()


def test_only_agents_can_use_the_new_actions():
    ticket = a_ticket()
    member = UserFactory()

    for action, args in [
        (actions.add_internal_note, ("Hi",)),
        (actions.assign_ticket, (None,)),
        (actions.set_priority, ("high",)),
    ]:
        with pytest.raises(PermissionDenied):
            action(member, ticket, *args)
    assert logged(ticket) == []
