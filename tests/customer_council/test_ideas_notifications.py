"""Status changes reach the idea's voters and followers who may still enter: live and by email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from customer_council.models import IdeaStatus, Membership
from customer_council.services import idea_notifications, ideas
from forum.models import NotificationPreference
from tests.customer_council.channel_helpers import empty_channel_layer, listen, received  # noqa: F401
from tests.factories import UserFactory
from tests.factories.council import make_council_manager, make_council_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_channel_layer")]


def opt_in(*users):
    for user in users:
        NotificationPreference.objects.create(user=user, email_on_activity=True)


def end_term(user):
    Membership.objects.filter(user=user).update(term_end=timezone.localdate() - timedelta(days=1))


@pytest.fixture
def idea_with_audience():
    author, voter, follower, bystander = (make_council_member() for _ in range(4))
    idea = ideas.post_idea(author, "Dark mode", "Bright screens")
    ideas.vote(voter, idea)
    ideas.follow(follower, idea)
    return {"idea": idea, "author": author, "voter": voter, "follower": follower, "bystander": bystander}


def test_voters_and_followers_are_told_live_and_by_email_if_they_opted_in(
    idea_with_audience, django_capture_on_commit_callbacks
):
    a = idea_with_audience
    opt_in(a["voter"], a["bystander"])
    channels = {name: listen(a[name]) for name in ("author", "voter", "follower", "bystander")}
    manager = make_council_manager()

    with django_capture_on_commit_callbacks(execute=True):
        change = ideas.change_status(a["idea"], IdeaStatus.objects.get(name="Planned"), "Soon", by=manager)

    expected = {"type": "idea.status_changed", "idea": a["idea"].pk, "change": change.pk}
    for name in ("author", "voter", "follower"):
        assert expected in received(channels[name]), name
    assert received(channels["bystander"]) == []
    assert [message.to for message in mail.outbox] == [[a["voter"].email]]
    assert "Dark mode" in mail.outbox[0].subject and "Planned" in mail.outbox[0].subject
    assert "Soon" in mail.outbox[0].body


def test_a_voter_who_may_no_longer_enter_gets_nothing(idea_with_audience, django_capture_on_commit_callbacks):
    a = idea_with_audience
    opt_in(a["voter"])
    channel = listen(a["voter"])
    end_term(a["voter"])

    with django_capture_on_commit_callbacks(execute=True):
        ideas.change_status(a["idea"], IdeaStatus.objects.get(name="Shipped"), "", by=make_council_manager())

    assert received(channel) == []
    assert mail.outbox == []


def test_the_recipients_are_decided_when_sending_not_when_changing(idea_with_audience):
    a = idea_with_audience
    change = ideas.change_status(a["idea"], IdeaStatus.objects.get(name="Planned"), "", by=make_council_manager())
    a["follower"].is_active = False
    a["follower"].save()

    told = idea_notifications.send_status_change(change.pk)

    assert {user.pk for user in told} == {a["author"].pk, a["voter"].pk}


def test_the_manager_who_changed_it_is_not_told_and_outsiders_never_are(idea_with_audience):
    a = idea_with_audience
    manager, outsider = make_council_manager(), UserFactory()
    ideas.follow(manager, a["idea"])
    change = ideas.change_status(a["idea"], IdeaStatus.objects.get(name="Planned"), "", by=manager)

    told = idea_notifications.send_status_change(change.pk, {manager.pk, outsider.pk, a["voter"].pk})

    assert [user.pk for user in told] == [a["voter"].pk]


def test_a_member_lists_status_changes_of_ideas_they_vote_for_or_follow_since_their_last_visit(idea_with_audience):
    a = idea_with_audience
    manager = make_council_manager()
    ideas.change_status(a["idea"], IdeaStatus.objects.get(name="Planned"), "", by=manager)
    Membership.objects.filter(user=a["voter"]).update(last_visit_at=timezone.now())
    later = ideas.change_status(a["idea"], IdeaStatus.objects.get(name="Shipped"), "", by=manager)

    visible = ideas.visible_ideas(a["voter"])
    assert list(idea_notifications.status_updates_for(a["voter"], visible)) == [later]
    assert len(idea_notifications.status_updates_for(a["follower"], ideas.visible_ideas(a["follower"]))) == 2
    assert not idea_notifications.status_updates_for(a["bystander"], ideas.visible_ideas(a["bystander"])).exists()


def test_merging_tells_the_duplicates_voters(django_capture_on_commit_callbacks):
    author, voter = make_council_member(), make_council_member()
    source = ideas.post_idea(author, "Dark mode", "p")
    target = ideas.post_idea(make_council_member(), "Night theme", "p")
    ideas.vote(voter, source)
    channel = listen(voter)

    with django_capture_on_commit_callbacks(execute=True):
        ideas.merge(source, target, by=make_council_manager())

    events = received(channel)
    assert any(event["type"] == "idea.status_changed" and event["idea"] == source.pk for event in events)
