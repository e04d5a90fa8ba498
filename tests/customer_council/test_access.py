"""The one rule of who may enter the council, and the group that carries it to every other exit."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from customer_council.access import CouncilAccessMiddleware, access_group_id, may_enter, sync_access
from customer_council.models import Membership
from sitewide.reader import Reader
from tests.factories import UserFactory
from tests.factories.council import (
    accept_agreements,
    make_agreements,
    make_council_manager,
    make_council_member,
    make_membership,
)

pytestmark = pytest.mark.django_db


def in_access_group(user) -> bool:
    return user.groups.filter(pk=access_group_id()).exists()


def test_an_active_member_in_term_who_accepted_the_agreements_may_enter_and_is_in_the_group():
    make_agreements()
    member = make_council_member()

    assert may_enter(member) and in_access_group(member)


@pytest.mark.parametrize(
    "state", [Membership.State.INVITED, Membership.State.EXPIRED, Membership.State.REVOKED, Membership.State.DECLINED]
)
def test_a_membership_in_any_other_state_does_not_let_in(state):
    user = UserFactory()
    make_membership(user, state=state)

    assert not may_enter(user) and not in_access_group(user)


def test_anonymous_visitors_outsiders_and_managers_without_a_seat_are_not_members():
    assert not may_enter(AnonymousUser())
    assert not may_enter(UserFactory())
    assert not may_enter(make_council_manager())


def test_a_term_that_has_not_started_or_has_ended_does_not_let_in():
    today = timezone.localdate()
    early, late = UserFactory(), UserFactory()
    make_membership(early, term_start=today + timedelta(days=1), term_end=today + timedelta(days=300))
    make_membership(late, term_start=today - timedelta(days=300), term_end=today - timedelta(days=1))

    assert not may_enter(early) and not may_enter(late)
    assert not in_access_group(early) and not in_access_group(late)


def test_a_new_version_of_an_agreement_shuts_members_out_until_they_accept_it():
    make_agreements(version=1)
    member = make_council_member()

    make_agreements(version=2)

    assert not may_enter(member)
    assert sync_access(member) is False and not in_access_group(member)

    accept_agreements(member)

    assert sync_access(member) is True and in_access_group(member)


def test_a_term_that_ends_shuts_the_member_out_on_the_next_request_before_any_view(client, help_centers):
    make_agreements()
    member = make_council_member()
    client.force_login(member)
    Membership.objects.filter(user=member).update(term_end=timezone.localdate() - timedelta(days=1))

    client.get("/en/")

    assert not in_access_group(member)


def test_the_access_check_costs_an_outsider_one_query_at_most(client, help_centers, django_assert_max_num_queries):
    """The middleware reads the user's groups (the Reader reads them anyway) and nothing else."""
    outsider = UserFactory()
    request = RequestFactory().get("/en/")
    request.user = outsider
    request.reader = Reader.for_user(outsider, "en")
    middleware = CouncilAccessMiddleware(lambda request: None)
    access_group_id()  # cached once per process

    with django_assert_max_num_queries(1):
        middleware(request)
