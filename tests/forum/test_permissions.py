"""The one permission check: restricted categories, hidden and deleted topics, moderators."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from forum.permissions import can_view_category, can_view_topic, visible_categories, visible_topics
from tests.factories.forum import make_category, make_group, make_member, make_moderator, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def insiders():
    return make_group("Insiders")


def test_anyone_can_see_a_topic_in_a_public_category():
    topic = make_topic()
    assert can_view_topic(AnonymousUser(), topic)
    assert can_view_topic(make_member(), topic)


def test_only_group_members_can_see_a_restricted_category_and_its_topics(insiders):
    category = make_category(restricted_to=[insiders])
    topic = make_topic(category=category)
    outsider, insider = make_member(), make_member(insiders)
    assert not can_view_category(AnonymousUser(), category)
    assert not can_view_category(outsider, category)
    assert can_view_category(insider, category)
    assert not can_view_topic(AnonymousUser(), topic)
    assert not can_view_topic(outsider, topic)
    assert can_view_topic(insider, topic)


def test_a_category_restricted_to_two_groups_is_listed_once(insiders):
    other = make_group()
    category = make_category(restricted_to=[insiders, other])
    member = make_member(insiders, other)
    assert list(visible_categories(member)) == [category]


def test_a_hidden_topic_is_seen_by_moderators_only():
    topic = make_topic(is_hidden=True)
    assert not can_view_topic(AnonymousUser(), topic)
    assert not can_view_topic(make_member(), topic)
    assert can_view_topic(make_moderator(), topic)


def test_moderators_see_a_restricted_category_only_as_its_members_do_and_superusers_see_every_one(insiders):
    """Moderating the forum is no way into the council: a moderator outside the restricting group
    sees neither the category nor its topics, hidden or not."""
    category = make_category(restricted_to=[insiders])
    topic = make_topic(category=category, is_hidden=True)
    outside, inside = make_moderator(), make_moderator()
    inside.groups.add(insiders)
    assert not can_view_category(outside, category)
    assert topic not in visible_topics(outside)
    assert can_view_category(inside, category)
    assert topic in visible_topics(inside)
    administrator = make_member(is_superuser=True)
    assert can_view_category(administrator, category)
    assert topic in visible_topics(administrator)


def test_nobody_sees_a_deleted_topic():
    topic = make_topic(deleted_at=timezone.now())
    assert list(visible_topics(make_moderator())) == []
    assert not can_view_topic(AnonymousUser(), topic)


def test_an_inactive_member_is_treated_as_anonymous(insiders):
    topic = make_topic(category=make_category(restricted_to=[insiders]))
    member = make_member(insiders, is_active=False)
    assert not can_view_topic(member, topic)
