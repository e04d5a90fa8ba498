"""An agent changes a detractor follow-up through one service: who may, what is valid, what is recorded."""

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import ModelLogEntry

from customer_voice.models import FollowUp, SurveyInvitation, SurveyResponse
from customer_voice.services.followup_actions import change_follow_up
from sitewide.errors import ActionRefused
from tests.factories import UserFactory
from tests.support.admin_helpers import an_agent, an_editor

pytestmark = pytest.mark.django_db


def a_follow_up(customer=None, *, score=3, comment="Too slow", **fields) -> FollowUp:
    customer = customer or UserFactory()
    invitation = SurveyInvitation.objects.create(kind="nps", user=customer, email=customer.email, language="en")
    answer = SurveyResponse.objects.create(
        invitation=invitation, kind="nps", user=customer, score=score, comment=comment
    )
    return FollowUp.objects.create(response=answer, customer=customer, **fields)


def entries(follow_up, action):
    return ModelLogEntry.objects.filter(object_id=str(follow_up.pk), action=action)


def test_an_agent_closes_the_loop_and_the_time_is_kept():
    agent, follow_up = an_agent(), a_follow_up()

    change_follow_up(agent, follow_up, state=FollowUp.State.CLOSED)

    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.CLOSED
    assert follow_up.closed_at is not None


def test_dropping_a_follow_up_also_sets_when_it_was_closed():
    follow_up = a_follow_up()

    change_follow_up(an_agent(), follow_up, state=FollowUp.State.DROPPED)

    assert FollowUp.objects.get().closed_at is not None


def test_reopening_a_closed_follow_up_clears_when_it_was_closed():
    agent, follow_up = an_agent(), a_follow_up()
    change_follow_up(agent, follow_up, state=FollowUp.State.CLOSED)

    change_follow_up(agent, follow_up, state=FollowUp.State.CONTACTED)

    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.CONTACTED
    assert follow_up.closed_at is None


def test_moving_between_closed_and_dropped_keeps_the_first_closing_time():
    agent, follow_up = an_agent(), a_follow_up()
    first = change_follow_up(agent, follow_up, state=FollowUp.State.CLOSED).closed_at

    change_follow_up(agent, follow_up, state=FollowUp.State.DROPPED)

    assert FollowUp.objects.get().closed_at == first


@pytest.mark.parametrize("state", ["done", "", "OPEN", "open'; DROP TABLE x;--", "\x00"])
def test_a_state_that_is_not_listed_is_refused_and_nothing_changes(state):
    follow_up = a_follow_up()

    with pytest.raises(ActionRefused):
        change_follow_up(an_agent(), follow_up, state=state, note="Called them")

    follow_up.refresh_from_db()
    assert (follow_up.state, follow_up.note) == (FollowUp.State.OPEN, "")
    assert not ModelLogEntry.objects.filter(object_id=str(follow_up.pk)).exists()


@pytest.mark.parametrize("who", ["customer", "editor", "inactive agent", "anonymous"])
def test_only_an_active_agent_may_change_a_follow_up(who):
    user = {
        "customer": UserFactory,
        "editor": an_editor,
        "inactive agent": lambda: an_agent(is_active=False),
        "anonymous": AnonymousUser,
    }[who]()
    follow_up = a_follow_up()

    with pytest.raises(ActionRefused) as refused:
        change_follow_up(user, follow_up, state=FollowUp.State.CLOSED)

    assert refused.value.status == 403
    assert FollowUp.objects.get().state == FollowUp.State.OPEN


def test_a_follow_up_is_given_to_an_agent_and_taken_back():
    agent, colleague, follow_up = an_agent(), an_agent(), a_follow_up()

    change_follow_up(agent, follow_up, assignee=colleague)
    assert FollowUp.objects.get().assignee == colleague

    change_follow_up(agent, follow_up, assignee=None)
    assert FollowUp.objects.get().assignee is None


@pytest.mark.parametrize("who", ["customer", "editor", "inactive agent"])
def test_a_follow_up_cannot_be_given_to_someone_who_is_not_an_agent(who):
    assignee = {"customer": UserFactory, "editor": an_editor, "inactive agent": lambda: an_agent(is_active=False)}[
        who
    ]()
    follow_up = a_follow_up()

    with pytest.raises(ActionRefused, match="support agent"):
        change_follow_up(an_agent(), follow_up, assignee=assignee, state=FollowUp.State.CONTACTED)

    follow_up.refresh_from_db()
    assert follow_up.assignee is None and follow_up.state == FollowUp.State.OPEN


def test_leaving_the_assignee_out_keeps_it():
    colleague = an_agent()
    follow_up = a_follow_up(assignee=colleague)

    change_follow_up(an_agent(), follow_up, state=FollowUp.State.CONTACTED)

    assert FollowUp.objects.get().assignee == colleague


def test_the_note_is_cleaned_of_invisible_characters():
    follow_up = a_follow_up()

    change_follow_up(an_agent(), follow_up, note="  Called\u202e them\r\nback  ")

    assert FollowUp.objects.get().note == "Called them\nback"


@pytest.mark.parametrize("note", ["x" * 4_001, "Called\x00them"])
def test_a_note_too_long_or_with_a_nul_is_refused(note):
    follow_up = a_follow_up()

    with pytest.raises(ActionRefused):
        change_follow_up(an_agent(), follow_up, note=note, state=FollowUp.State.CLOSED)

    assert FollowUp.objects.get().state == FollowUp.State.OPEN


def test_each_change_is_written_to_wagtails_audit_log_with_who_did_it():
    agent, colleague, follow_up = an_agent(), an_agent(), a_follow_up()

    change_follow_up(agent, follow_up, state=FollowUp.State.CLOSED, assignee=colleague, note="Called them")

    state = entries(follow_up, "customer_voice.follow_up.state").get()
    assert state.user == agent
    assert state.data == {"old": "open", "new": "closed"}
    assert entries(follow_up, "customer_voice.follow_up.assign").get().data["assignee_id"] == colleague.pk
    assert entries(follow_up, "customer_voice.follow_up.note").count() == 1
    assert state.message == "State changed from “open” to “closed”"


def test_saving_the_same_values_again_writes_nothing_to_the_log():
    agent, follow_up = an_agent(), a_follow_up()
    change_follow_up(agent, follow_up, state=FollowUp.State.CONTACTED, note="Called")

    change_follow_up(agent, follow_up, state=FollowUp.State.CONTACTED, note="Called", assignee=None)

    assert ModelLogEntry.objects.filter(object_id=str(follow_up.pk)).count() == 2
