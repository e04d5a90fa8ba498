"""The council is private in the customer voice screens too: who is a member, what members answered
in the council's own survey runs and what they did in the council are shown to council managers
(and superusers) only, never to support agents who are not council managers. Each exit is checked
both ways: the agent does not see the council thing, the council manager does."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from customer_council.access import ACCESS_GROUP, MANAGERS_GROUP
from customer_council.models import Idea, IdeaStatus, MembershipEvent
from customer_voice.models import FollowUp, SurveyInvitation, SurveyResponse, SurveyRun
from customer_voice.models.surveys import Audience, SurveyKind
from customer_voice.services.audiences import may_see_audience
from tests.customer_voice.test_timeline_touches import many_touches, touches_in
from tests.factories import BROWSER_HEADERS, UserFactory
from tests.factories.council import make_council_manager, make_council_member
from tests.support.admin_helpers import XHR, an_agent

pytestmark = pytest.mark.django_db

NPS = "/admin/customer-voice/reports/nps/"
COMMENTS = "/admin/customer-voice/reports/comments/"
FOLLOW_UPS = "/admin/support/follow-ups/"
RUNS = "/admin/customer-voice/survey-runs/"
CUSTOMERS = "/admin/customers/"

COUNCIL_RUN = "Council pulse, winter"
EVERYONE_RUN = "Everyone, winter"
COUNCIL_COMMENT = "The roadmap session ran over time"
EVERYONE_COMMENT = "Search finds nothing"


def ago(days):
    return timezone.now() - timedelta(days=days)


def a_council_manager_who_is_an_agent():
    """Council managers open the timeline and the follow-ups only as support agents too."""
    user = an_agent()
    user.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    return user


def logged_in(client, user):
    client.force_login(user)
    return client


def body_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body_of(response))))


def an_answer(customer, *, audience, score=3, comment="", days_ago=2, plan="", follow_up=False) -> SurveyResponse:
    """An NPS answer given in a run to ``audience`` (emailed, then answered ``days_ago``), marked as
    a council member's when the customer is one (as customer_voice.services.surveys records it)."""
    name = COUNCIL_RUN if audience == Audience.COUNCIL else EVERYONE_RUN
    run, _created = SurveyRun.objects.get_or_create(name=name, defaults={"audience": audience})
    at = ago(days_ago)
    invitation = SurveyInvitation.objects.create(
        kind=SurveyKind.NPS, run=run, user=customer, email=customer.email, language="en", sent_at=at, answered_at=at
    )
    answer = SurveyResponse.objects.create(
        invitation=invitation,
        kind=SurveyKind.NPS,
        user=customer,
        score=score,
        comment=comment,
        answered_at=at,
        language="en",
        plan=plan,
        is_council=customer.groups.filter(name=ACCESS_GROUP).exists(),
        audience=audience,
    )
    if follow_up:
        FollowUp.objects.create(response=answer, customer=customer)
    return answer


# --- The rule -------------------------------------------------------------------------------------


def test_only_council_managers_and_superusers_may_see_the_council_audience():
    superuser = UserFactory(is_superuser=True, is_staff=True)

    assert may_see_audience(make_council_manager(), Audience.COUNCIL)
    assert may_see_audience(superuser, Audience.COUNCIL)
    assert not may_see_audience(an_agent(), Audience.COUNCIL)
    assert not may_see_audience(make_council_member(), Audience.COUNCIL)
    assert not may_see_audience(None, Audience.COUNCIL)


def test_everyone_is_open_to_any_reader_and_an_audience_nobody_registers_to_none():
    assert may_see_audience(an_agent(), Audience.EVERYONE)
    assert not may_see_audience(UserFactory(is_superuser=True, is_staff=True), "partners")


# --- The customer timeline ------------------------------------------------------------------------


def a_member_with_council_activity():
    member = make_council_member(date_joined=ago(30))
    MembershipEvent.objects.create(membership=member.council_memberships.get(), kind="accepted", at=ago(5))
    Idea.objects.create(
        author=member, title="Offline mode for the app", problem="No signal", status=IdeaStatus.objects.first()
    )
    return member


def test_an_agent_sees_no_council_activity_on_a_members_timeline(client):
    member = a_member_with_council_activity()

    html = logged_in(client, an_agent()).get(f"{CUSTOMERS}{member.pk}/").content.decode()

    assert not [kind for kind in touches_in(html) if kind.startswith("council")]
    assert "Offline mode for the app" not in html and "Council membership" not in html


def test_a_council_manager_sees_the_council_activity_on_a_members_timeline(client):
    member = a_member_with_council_activity()

    html = logged_in(client, a_council_manager_who_is_an_agent()).get(f"{CUSTOMERS}{member.pk}/").content.decode()

    assert {"council_membership", "council_idea"} <= set(touches_in(html))
    assert "Offline mode for the app" in html


def a_member_who_answered_both_runs():
    member = make_council_member(date_joined=ago(400))
    an_answer(member, audience=Audience.EVERYONE, score=9, comment=EVERYONE_COMMENT, days_ago=200)
    an_answer(member, audience=Audience.COUNCIL, score=2, comment=COUNCIL_COMMENT, days_ago=2, follow_up=True)
    return member


def test_an_agent_sees_neither_the_council_survey_nor_its_follow_up_on_the_timeline(client):
    member = a_member_who_answered_both_runs()

    html = logged_in(client, an_agent()).get(f"{CUSTOMERS}{member.pk}/").content.decode()

    assert EVERYONE_COMMENT in html
    assert COUNCIL_COMMENT not in html
    assert touches_in(html).count("survey_answer") == 1 and touches_in(html).count("email_survey") == 1
    assert "data-open-follow-up" not in html


def test_a_council_manager_sees_the_council_survey_and_its_follow_up_on_the_timeline(client):
    member = a_member_who_answered_both_runs()

    html = logged_in(client, a_council_manager_who_is_an_agent()).get(f"{CUSTOMERS}{member.pk}/").content.decode()

    assert EVERYONE_COMMENT in html and COUNCIL_COMMENT in html
    assert touches_in(html).count("survey_answer") == 2 and touches_in(html).count("email_survey") == 2
    assert "data-open-follow-up" in html


def test_a_council_survey_is_no_contact_in_the_customers_lists_of_an_agent(client):
    member = a_member_who_answered_both_runs()
    row = f'data-customer-row="{member.pk}"'

    agent = logged_in(client, an_agent())
    silent, follow_up = agent.get(CUSTOMERS, {"days": 90}), agent.get(CUSTOMERS, {"tab": "follow-up"})

    # Last heard of 200 days ago as far as the agent may know, and no follow-up they may open.
    assert row in silent.content.decode()
    assert row not in follow_up.content.decode()


def test_a_council_survey_is_a_contact_in_the_customers_lists_of_a_council_manager(client):
    member = a_member_who_answered_both_runs()
    row = f'data-customer-row="{member.pk}"'

    manager = logged_in(client, a_council_manager_who_is_an_agent())
    silent, follow_up = manager.get(CUSTOMERS, {"days": 90}), manager.get(CUSTOMERS, {"tab": "follow-up"})

    assert row not in silent.content.decode()
    assert row in follow_up.content.decode()


@pytest.mark.parametrize("count", [3, 60])
def test_a_council_managers_timeline_runs_the_same_queries_for_3_or_60_touches(
    client, django_assert_max_num_queries, count
):
    customer = UserFactory()
    many_touches(customer, count)
    manager = logged_in(client, a_council_manager_who_is_an_agent())

    with django_assert_max_num_queries(30):
        response = manager.get(f"{CUSTOMERS}{customer.pk}/")

    assert touches_in(response.content.decode()).count("council_membership") == count


# --- Detractor follow-ups -------------------------------------------------------------------------


def two_follow_ups():
    """A detractor answer in the council's run and one in everyone's, each with its follow-up."""
    member = make_council_member()
    council = an_answer(member, audience=Audience.COUNCIL, comment=COUNCIL_COMMENT, follow_up=True)
    an_answer(UserFactory(), audience=Audience.EVERYONE, comment=EVERYONE_COMMENT, follow_up=True)
    return council.follow_up


def test_an_agent_does_not_find_a_council_follow_up_in_the_list_or_the_menu_count(client):
    two_follow_ups()
    agent = logged_in(client, an_agent())

    listed = agent.get(FOLLOW_UPS).content.decode()
    searched = agent.get(FOLLOW_UPS, {"q": "roadmap"}).content.decode()
    menu = agent.get("/admin/").content.decode()

    assert EVERYONE_COMMENT in listed and COUNCIL_COMMENT not in listed
    assert COUNCIL_COMMENT not in searched
    assert "Detractor follow-ups (1)" in menu


def test_a_council_manager_finds_the_council_follow_up_in_the_list_and_the_menu_count(client):
    two_follow_ups()
    manager = logged_in(client, a_council_manager_who_is_an_agent())

    listed = manager.get(FOLLOW_UPS).content.decode()
    menu = manager.get("/admin/").content.decode()

    assert EVERYONE_COMMENT in listed and COUNCIL_COMMENT in listed
    assert "Detractor follow-ups (2)" in menu


def test_an_agent_cannot_open_or_change_a_council_follow_up_by_its_address(client):
    follow_up = two_follow_ups()
    agent = logged_in(client, an_agent())
    page = f"{FOLLOW_UPS}{follow_up.pk}/"

    opened = agent.get(page, follow=True)
    # The admin answers a 404 without a language prefix with a redirect to the prefixed address.
    posted = agent.post(f"/en{page}", {"state": "closed", "note": "Closed by an outsider"}, **XHR)

    assert opened.status_code == 404 and COUNCIL_COMMENT not in opened.content.decode()
    assert posted.status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.OPEN and follow_up.note == ""


def test_a_council_manager_opens_the_council_follow_up(client):
    follow_up = two_follow_ups()

    page = logged_in(client, a_council_manager_who_is_an_agent()).get(f"{FOLLOW_UPS}{follow_up.pk}/")

    assert page.status_code == 200 and COUNCIL_COMMENT in page.content.decode()


# --- Survey comments ------------------------------------------------------------------------------


def comments_of_both_runs():
    """A council run's comment, and a council member's comment in everyone's run (with its plan)."""
    member = make_council_member()
    an_answer(member, audience=Audience.COUNCIL, comment=COUNCIL_COMMENT)
    an_answer(member, audience=Audience.EVERYONE, comment=EVERYONE_COMMENT, plan="team")
    an_answer(UserFactory(), audience=Audience.EVERYONE, comment="Pricing is unclear", plan="team")


def test_an_agent_reads_no_council_comment_nor_who_is_a_member_in_the_comments(client):
    comments_of_both_runs()
    agent = logged_in(client, an_agent())

    page = agent.get(COMMENTS).content.decode()
    rows = csv_rows(agent.get(COMMENTS, {"export": "csv"}))
    narrowed = agent.get(COMMENTS, {"is_council": "true"}).content.decode()

    assert EVERYONE_COMMENT in page and COUNCIL_COMMENT not in page
    assert "Council, Team" not in page and 'name="is_council"' not in page
    assert "Council member" not in rows[0]
    assert not [row for row in rows if COUNCIL_COMMENT in row]
    assert len(rows) == 3
    # The filter is ignored rather than telling members from other customers.
    assert "Pricing is unclear" in narrowed and EVERYONE_COMMENT in narrowed


def test_a_council_manager_reads_the_council_comments_and_the_member_segment(client):
    comments_of_both_runs()
    manager = logged_in(client, make_council_manager())

    page = manager.get(COMMENTS).content.decode()
    rows = csv_rows(manager.get(COMMENTS, {"export": "csv"}))
    narrowed = manager.get(COMMENTS, {"is_council": "true"}).content.decode()

    assert EVERYONE_COMMENT in page and COUNCIL_COMMENT in page
    assert "Council, Team" in page and 'name="is_council"' in page
    assert "Council member" in rows[0]
    assert [row for row in rows if COUNCIL_COMMENT in row]
    assert "Pricing is unclear" not in narrowed and COUNCIL_COMMENT in narrowed


# --- The NPS report -------------------------------------------------------------------------------


def answers_of_members_and_others():
    """Lately three members in the council's run and two other customers; one answer long ago."""
    for _n in range(3):
        an_answer(make_council_member(), audience=Audience.COUNCIL, score=10)
    for _n in range(2):
        an_answer(UserFactory(), audience=Audience.EVERYONE, score=3)
    an_answer(UserFactory(), audience=Audience.EVERYONE, score=8, days_ago=200)


#: The last 60 days (the default period is the last twelve months).
LATELY = {
    "answered_at_from": (timezone.localdate() - timedelta(days=60)).isoformat(),
    "answered_at_to": timezone.localdate().isoformat(),
}


def overall_answers(rows) -> str:
    return next(row[2] for row in rows if row[0] == "Overall")


def test_an_agent_sees_no_council_segment_nor_audience_in_the_nps_report(client):
    answers_of_members_and_others()
    agent = logged_in(client, an_agent())

    page = agent.get(NPS).content.decode()
    rows = csv_rows(agent.get(NPS, {"export": "csv"}))
    lately = csv_rows(agent.get(NPS, {"export": "csv", **LATELY}))
    council_lately = csv_rows(agent.get(NPS, {"export": "csv", "audience": "council", **LATELY}))

    assert "Council members" not in page and "Other customers" not in page
    assert 'value="council"' not in page
    assert not [row for row in rows if row[0] == "Council" or row[1] in ("Council members", "Other customers")]
    # The council run's three answers are not counted for them (a count is a leak too); asking for
    # the council's is ignored, not the period.
    assert overall_answers(rows) == "3" and overall_answers(lately) == "2"
    assert council_lately == lately


def test_a_council_manager_sees_the_council_segment_and_audience_in_the_nps_report(client):
    answers_of_members_and_others()
    manager = logged_in(client, make_council_manager())

    page = manager.get(NPS).content.decode()
    rows = csv_rows(manager.get(NPS, {"export": "csv"}))
    council_lately = csv_rows(manager.get(NPS, {"export": "csv", "audience": "council", **LATELY}))

    assert "Council members" in page and 'value="council"' in page
    assert next(row[:3] for row in rows if row[0] == "Council") == ["Council", "Council members", "3"]
    assert overall_answers(rows) == "6"
    assert overall_answers(council_lately) == "3"


# --- Survey runs ----------------------------------------------------------------------------------


def an_agent_who_may_list_runs():
    """Support agents are not given the runs listing; an outsider who is given it."""
    agent = an_agent()
    agent.user_permissions.add(Permission.objects.get(codename="view_surveyrun"))
    return agent


def test_an_outsider_does_not_see_the_councils_runs(client):
    an_answer(make_council_member(), audience=Audience.COUNCIL)
    an_answer(UserFactory(), audience=Audience.EVERYONE)
    outsider = logged_in(client, an_agent_who_may_list_runs())

    page = outsider.get(RUNS).content.decode()
    exported = body_of(outsider.get(RUNS, {"export": "csv"}))

    assert EVERYONE_RUN in page and COUNCIL_RUN not in page
    assert EVERYONE_RUN in exported and COUNCIL_RUN not in exported


def test_a_council_manager_sees_the_councils_runs(client):
    an_answer(make_council_member(), audience=Audience.COUNCIL)
    an_answer(UserFactory(), audience=Audience.EVERYONE)
    manager = logged_in(client, make_council_manager())

    page = manager.get(RUNS).content.decode()
    exported = body_of(manager.get(RUNS, {"export": "csv"}))

    assert EVERYONE_RUN in page and COUNCIL_RUN in page
    assert COUNCIL_RUN in exported


def test_the_loop_closed_figure_of_an_agent_counts_no_council_follow_up(client):
    an_answer(make_council_member(), audience=Audience.COUNCIL, score=2, follow_up=True)
    an_answer(UserFactory(), audience=Audience.EVERYONE, score=3, follow_up=True)
    FollowUp.objects.update(state=FollowUp.State.CLOSED)

    agent_page = logged_in(client, an_agent()).get(NPS).content.decode()
    manager_page = logged_in(Client(**BROWSER_HEADERS), make_council_manager()).get(NPS).content.decode()

    assert "100% of 1 follow-ups" in agent_page
    assert "100% of 2 follow-ups" in manager_page


def test_an_answer_records_the_audience_of_its_run():
    from customer_voice.services.surveys import record_answer

    member = make_council_member()
    run = SurveyRun.objects.create(name=COUNCIL_RUN, audience=Audience.COUNCIL)
    invitation = SurveyInvitation.objects.create(kind=SurveyKind.NPS, run=run, user=member, language="en")

    record_answer(invitation, 6)

    assert SurveyResponse.objects.get(invitation=invitation).audience == Audience.COUNCIL
