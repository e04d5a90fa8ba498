"""A membership's life after the invitation: revoke, term end, renewal, reminders, and the audit
trail of all of it. Access ends at once, at the page and at an already-open socket."""

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from customer_council.access import access_group_id, may_enter
from customer_council.models import Membership, MembershipEvent
from customer_council.services import membership as services
from sitewide.errors import ActionRefused
from tests.factories import UserFactory
from tests.factories.council import make_agreements, make_cohort, make_council_manager, make_membership

pytestmark = pytest.mark.django_db

MEMBERS_PAGE = "/en/council/members/"


def in_access_group(user) -> bool:
    return user.groups.filter(pk=access_group_id()).exists()


def listen_to_council_socket(user) -> str:
    """A channel subscribed to the user's council group, as an open council socket is."""
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(f"council.user.{user.pk}", channel)
    return channel


def receive_within_a_second(channel):
    """The next message on ``channel``, or None when nothing arrives (never hangs)."""

    async def receive():
        try:
            return await asyncio.wait_for(get_channel_layer().receive(channel), timeout=1)
        except TimeoutError:
            return None

    return async_to_sync(receive)()


def test_revoking_shuts_the_member_out_at_once_page_and_open_socket(
    client, help_centers, django_capture_on_commit_callbacks
):
    make_agreements()
    member = UserFactory()
    membership = make_membership(member)
    client.force_login(member)
    assert client.get(MEMBERS_PAGE).status_code == 200
    channel = listen_to_council_socket(member)

    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(membership, by=make_council_manager(), reason="Left the company")

    assert client.get(MEMBERS_PAGE).status_code == 404
    assert not in_access_group(member)
    assert receive_within_a_second(channel) == {"type": "council.access_ended"}
    event = MembershipEvent.objects.get(membership=membership, kind="revoked")
    assert event.detail["reason"] == "Left the company" and event.detail["state_was"] == "active"


def test_a_revoke_that_is_refused_writes_nothing():
    membership = make_membership(state=Membership.State.DECLINED)

    with pytest.raises(ActionRefused):
        services.revoke(membership, by=make_council_manager())
    assert not MembershipEvent.objects.exists()


def test_a_term_that_ended_shuts_out_on_the_next_request_and_the_command_expires_it_once(client, help_centers):
    member = UserFactory()
    membership = make_membership(member)
    client.force_login(member)
    Membership.objects.filter(pk=membership.pk).update(term_end=timezone.localdate() - timedelta(days=1))

    assert client.get(MEMBERS_PAGE).status_code == 404
    assert not in_access_group(member)

    call_command("council_memberships", "--expire", stdout=(out := _Out()))
    call_command("council_memberships", "--expire", stdout=(again := _Out()))

    membership.refresh_from_db()
    assert membership.state == Membership.State.EXPIRED
    assert "1 membership(s) expired" in out.text and "0 membership(s) expired" in again.text
    assert MembershipEvent.objects.filter(membership=membership, kind="expired").count() == 1


def test_a_member_in_term_is_not_expired():
    membership = make_membership()

    assert services.expire_ended_terms() == []
    membership.refresh_from_db()
    assert membership.state == Membership.State.ACTIVE


def test_renewing_an_expired_membership_lets_the_member_back_in():
    member = UserFactory()
    membership = make_membership(member, term_start=timezone.localdate() - timedelta(days=60))
    Membership.objects.filter(pk=membership.pk).update(term_end=timezone.localdate() - timedelta(days=1))
    services.expire_ended_terms()
    assert not may_enter(member)

    services.renew(membership, timezone.localdate() + timedelta(days=365), by=make_council_manager())

    membership.refresh_from_db()
    assert membership.state == Membership.State.ACTIVE and may_enter(member) and in_access_group(member)
    assert MembershipEvent.objects.filter(membership=membership, kind="renewed").exists()


@pytest.mark.parametrize("days", [-400, 0])
def test_renewing_to_an_earlier_or_the_same_end_is_refused(days):
    membership = make_membership()

    with pytest.raises(ActionRefused):
        services.renew(membership, membership.term_end + timedelta(days=days), by=make_council_manager())
    assert not MembershipEvent.objects.filter(kind="renewed").exists()


def test_only_managers_renew_or_revoke():
    membership = make_membership()
    outsider = UserFactory()

    with pytest.raises(ActionRefused):
        services.renew(membership, membership.term_end + timedelta(days=30), by=outsider)
    with pytest.raises(ActionRefused):
        services.revoke(membership, by=outsider)
    membership.refresh_from_db()
    assert membership.state == Membership.State.ACTIVE


def test_renewal_reminders_go_to_the_member_and_every_manager_once_per_term(
    django_capture_on_commit_callbacks, settings
):
    settings.COUNCIL_RENEWAL_REMINDER_DAYS = 30
    first, second = make_council_manager(), make_council_manager()
    member = UserFactory()
    today = timezone.localdate()
    soon = make_membership(member, term_end=today + timedelta(days=10))
    make_membership(term_end=today + timedelta(days=100))  # not yet

    with django_capture_on_commit_callbacks(execute=True):
        reminded = services.send_renewal_reminders(today)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.send_renewal_reminders(today)

    assert reminded == [soon] and again == []
    assert sorted(message.to[0] for message in mail.outbox) == sorted([member.email, first.email, second.email])
    assert MembershipEvent.objects.filter(membership=soon, kind="reminded").count() == 1
    # A renewal starts a new term, which gets its own reminder.
    services.renew(soon, today + timedelta(days=20), by=first)
    assert services.send_renewal_reminders(today) == [soon]


def test_the_command_sends_reminders_and_refuses_nonsense(django_capture_on_commit_callbacks):
    make_membership(term_end=timezone.localdate() + timedelta(days=5))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("council_memberships", "--remind", stdout=(out := _Out()))

    assert "1 renewal reminder(s) sent" in out.text
    with pytest.raises(CommandError):
        call_command("council_memberships")
    with pytest.raises(CommandError):
        call_command("council_memberships", "--remind", "--today", "\x00yesterday")


def test_every_change_leaves_an_audit_row():
    manager = make_council_manager()
    today = timezone.localdate()
    membership = services.nominate(
        make_cohort(), "life@example.com", "en", today, today + timedelta(days=30), by=manager
    )
    invitation = services.invite(membership, by=manager)
    user = UserFactory(email="life@example.com")
    services.accept(invitation.token, user)
    services.update_details(membership, manager, segment="Enterprise")
    services.renew(membership, today + timedelta(days=60), by=manager)
    services.revoke(membership, by=manager)

    kinds = list(MembershipEvent.objects.filter(membership=membership).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["invited", "invited", "accepted", "updated", "renewed", "revoked"]


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass
