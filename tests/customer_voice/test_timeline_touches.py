"""The customer timeline shows every touch with a customer in time order, escaped, in a constant
number of queries; the council adds its touches through a hook."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page

from accounts.models import ConsentRecord
from customer_council.access import MANAGERS_GROUP
from customer_council.models import Idea, IdeaStatus, MembershipEvent
from customer_council.wagtail_hooks import council_timeline_touches
from customer_voice import timeline
from customer_voice.models import (
    DigestDelivery,
    DigestIssue,
    FollowUp,
    Referral,
    ReferralLink,
    SurveyInvitation,
    SurveyResponse,
)
from forum.models import Post
from support.models import ArticleVote, Ticket, TicketMessage
from tests.factories import UserFactory
from tests.factories.council import make_council_member, make_membership
from tests.factories.forum import make_topic
from tests.support.admin_helpers import a_ticket, an_agent

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>'


def timeline_url(user) -> str:
    return f"/admin/customers/{user.pk}/"


def ago(days, hours=0):
    return timezone.now() - timedelta(days=days, hours=hours)


@pytest.fixture
def agent(client):
    client.force_login(an_agent())
    return client


def a_council_manager_who_is_an_agent():
    """Only council managers see council activity on a timeline (tests/customer_voice/
    test_council_privacy_in_voice.py); the agent's permission opens the page."""
    user = an_agent()
    user.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    return user


def touches_in(html: str) -> list[str]:
    return re.findall(r'data-touch="([a-z_]+)"', html)


def a_customer_with_every_kind_of_touch():
    referrer = UserFactory(display_name="Ada Referrer")
    customer = UserFactory(referral_source="friend")
    customer.date_joined = ago(400)
    customer.save(update_fields=["date_joined"])
    Referral.objects.create(link=ReferralLink.objects.create(owner=referrer), referred=customer)
    ConsentRecord.objects.create(user=customer, topic="feedback", granted=True, source="sign_up", at=ago(399))
    ticket = a_ticket(subject="Printer on fire", email=customer.email, requester=customer, at=ago(300))
    TicketMessage.objects.create(ticket=ticket, author=customer, body="Any news?", created_at=ago(299))
    TicketMessage.objects.create(
        ticket=ticket, body="Fixed", is_from_customer=False, created_at=ago(298, 1), emailed_at=ago(298)
    )
    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=ago(297))
    ArticleVote.objects.create(
        article=Page.objects.get(depth=1), voter_key=f"user:{customer.pk}", user=customer, helpful=True
    )
    ArticleVote.objects.filter(user=customer).update(created_at=ago(250))
    topic = make_topic("How do I print?", author=customer)
    Post.objects.filter(topic=topic).update(created_at=ago(200))
    invitation = SurveyInvitation.objects.create(
        kind="nps", user=customer, email=customer.email, language="en", sent_at=ago(150)
    )
    answer = SurveyResponse.objects.create(
        invitation=invitation, kind="nps", user=customer, score=2, comment="Slow", answered_at=ago(149)
    )
    FollowUp.objects.create(response=answer, customer=customer)
    issue = DigestIssue.objects.create(period="2026-01", starts_at=ago(131), ends_at=ago(101))
    DigestDelivery.objects.create(issue=issue, user=customer, state="sent", sent_at=ago(100))
    return customer


EXPECTED_ORDER = [
    "sign_up",
    "consent",
    "ticket_opened",
    "ticket_message_customer",
    "ticket_message_agent",
    "email_ticket_reply",
    "ticket_resolved",
    "article_vote",
    "forum_post",
    "email_survey",
    "survey_answer",
    "email_digest",
]


def test_every_kind_of_touch_appears_oldest_first(agent):
    customer = a_customer_with_every_kind_of_touch()

    html = agent.get(timeline_url(customer)).content.decode()

    assert touches_in(html) == EXPECTED_ORDER
    assert "via Ada Referrer&#x27;s link" in html or "via Ada Referrer's link" in html
    assert "A friend or colleague" in html
    assert "Printer on fire" in html and "How do I print?" in html


def test_first_and_last_contact_are_the_sign_up_and_the_latest_contact():
    customer = a_customer_with_every_kind_of_touch()

    built = timeline.build_timeline(timeline.customer_with_contact(customer.pk))

    assert built.first_contact == customer.date_joined
    assert built.last_contact == DigestDelivery.objects.get().sent_at
    assert built.open_follow_up == FollowUp.objects.get()


def test_hostile_text_in_a_subject_comment_or_name_is_shown_as_text(agent):
    customer = UserFactory(display_name=HOSTILE)
    a_ticket(subject=HOSTILE, email=customer.email, requester=customer)
    invitation = SurveyInvitation.objects.create(kind="nps", user=customer, email=customer.email, language="en")
    SurveyResponse.objects.create(invitation=invitation, kind="nps", user=customer, score=0, comment=HOSTILE)

    html = agent.get(timeline_url(customer)).content.decode()

    assert "<script>alert" not in html
    assert html.count("&lt;script&gt;") >= 3
    assert 'dir="auto" data-touch-text' in html


def test_older_touches_are_left_out_and_said_so(agent, monkeypatch):
    customer = UserFactory()
    for days in (3, 2, 1):
        a_ticket(subject=f"Ticket {days}", email=customer.email, requester=customer, at=ago(days))
    monkeypatch.setattr(timeline, "DEFAULT_LIMIT", 2)

    html = agent.get(timeline_url(customer)).content.decode()

    assert "Ticket 1" in html and "Ticket 2" in html and "Ticket 3" not in html
    assert "Older touches not shown for: tickets" in html


def many_touches(customer, count):
    """``count`` touches of every kind our sources read, written in bulk."""
    now = timezone.now()
    tickets = Ticket.objects.bulk_create(
        Ticket(subject=f"T{n}", description="…", requester=customer, requester_email=customer.email, language="en")
        for n in range(count)
    )
    TicketMessage.objects.bulk_create(
        TicketMessage(ticket=ticket, body="Reply", is_from_customer=False, emailed_at=now) for ticket in tickets
    )
    ArticleVote.objects.bulk_create(
        ArticleVote(article=Page.objects.get(depth=1), voter_key=f"user:{customer.pk}", user=customer, helpful=False)
        for _ in range(count)
    )
    topic = make_topic(author=customer)
    Post.objects.bulk_create(Post(topic=topic, author=customer, position=n + 2) for n in range(count))
    invitations = SurveyInvitation.objects.bulk_create(
        SurveyInvitation(kind="nps", user=customer, email=customer.email, language="en", sent_at=now)
        for _ in range(count)
    )
    SurveyResponse.objects.bulk_create(
        SurveyResponse(invitation=invitation, kind="nps", user=customer, score=9, category="promoter")
        for invitation in invitations
    )
    issues = DigestIssue.objects.bulk_create(
        DigestIssue(period=f"P{customer.pk}-{n}", starts_at=now, ends_at=now) for n in range(count)
    )
    DigestDelivery.objects.bulk_create(
        DigestDelivery(issue=issue, user=customer, state="sent", sent_at=now) for issue in issues
    )
    ConsentRecord.objects.bulk_create(
        ConsentRecord(user=customer, topic="newsletter", granted=bool(n % 2), source="profile") for n in range(count)
    )
    membership = make_membership(customer)
    MembershipEvent.objects.bulk_create(MembershipEvent(membership=membership, kind="updated") for _ in range(count))


@pytest.mark.parametrize("count", [3, 60])
def test_the_timeline_runs_the_same_queries_for_3_or_60_touches_per_source(agent, django_assert_max_num_queries, count):
    customer = UserFactory()
    many_touches(customer, count)

    with django_assert_max_num_queries(30):
        response = agent.get(timeline_url(customer))

    assert response.status_code == 200
    assert touches_in(response.content.decode()).count("email_digest") == count


def test_the_council_adds_its_touches_through_the_timeline_hook():
    assert council_timeline_touches in hooks.get_hooks(timeline.TIMELINE_SOURCES_HOOK)


def test_a_council_members_activity_appears_on_their_timeline_to_a_council_manager(client):
    client.force_login(a_council_manager_who_is_an_agent())
    member = make_council_member(date_joined=ago(30))
    membership = member.council_memberships.get()
    MembershipEvent.objects.create(membership=membership, kind="accepted", at=ago(5))
    Idea.objects.create(
        author=member,
        title="Dark mode please",
        problem="Eyes hurt",
        status=IdeaStatus.objects.first(),
        created_at=ago(4),
    )

    html = client.get(timeline_url(member)).content.decode()

    assert touches_in(html) == ["sign_up", "council_membership", "council_idea"]
    assert "Dark mode please" in html


def test_someone_outside_the_council_has_no_council_touches(agent):
    customer = UserFactory()

    html = agent.get(timeline_url(customer)).content.decode()

    assert not [kind for kind in touches_in(html) if kind.startswith("council")]


@pytest.mark.parametrize("user_id", ["999999", "0", "9" * 30])
def test_a_customer_who_does_not_exist_is_a_404(agent, user_id):
    assert agent.get(f"/admin/customers/{user_id}/", follow=True).status_code == 404
