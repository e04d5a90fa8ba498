"""The demo council that `make run` shows (customer_council.demo), built on an empty site."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from customer_council.access import MANAGERS_GROUP
from customer_council.demo import load_demo_council
from customer_council.models import ActionItem, Idea, Meeting, Membership, RoadmapItem
from customer_council.services.roadmap import published_items
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(help_centers):
    user = UserFactory(email="manager@example.com")
    user.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    return user


def test_the_demo_council_has_members_ideas_a_preview_under_embargo_and_two_meetings(manager):
    line = load_demo_council(manager)

    states = list(Membership.objects.values_list("state", flat=True))
    assert states.count("active") == 7 and states.count("expired") == 1 and states.count("invited") == 1
    assert Idea.objects.count() == 30 and "30 ideas" in line
    now = timezone.now()
    embargoed = RoadmapItem.objects.filter(embargo_until__gt=now)
    assert embargoed.count() == 1 and embargoed.get().ideas.exists() and embargoed.get().published_at is None
    assert [item.public_title for item in published_items()] == ["Dark mode"]
    shipped = RoadmapItem.objects.get(stage=RoadmapItem.Stage.SHIPPED)
    assert all(idea.status.kind == "shipped" for idea in shipped.ideas.all())
    past = Meeting.objects.get(starts_at__lt=now)
    assert past.minutes_published_at and past.action_items.count() == 3 and past.agenda_items.exists()
    assert ActionItem.objects.filter(status="open", due_on__lt=timezone.localdate()).exists(), "one is overdue"
    upcoming = Meeting.objects.get(starts_at__gt=now)
    assert upcoming.pre_reads.count() == 1 and upcoming.agenda_items.filter(idea__isnull=False).count() == 2
    assert upcoming.rsvps.count() == 1


def test_loading_it_again_changes_nothing(manager):
    load_demo_council(manager)
    counts = (Idea.objects.count(), RoadmapItem.objects.count(), Meeting.objects.count(), ActionItem.objects.count())

    load_demo_council(manager)

    assert (
        Idea.objects.count(),
        RoadmapItem.objects.count(),
        Meeting.objects.count(),
        ActionItem.objects.count(),
    ) == counts
