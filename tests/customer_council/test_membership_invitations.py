"""Invitations: a single-use link, emailed in the invitee's language, that only the invited
(verified) address can use, and that refuses every forged, reused, expired or withdrawn copy."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from customer_council.access import access_group_id, may_enter
from customer_council.models import Invitation, Membership, MembershipEvent
from customer_council.services import membership as services
from customer_council.services.membership import InvitationRefused, hash_token
from sitewide.errors import ActionRefused
from tests.factories import UserFactory
from tests.factories.council import make_agreements, make_cohort, make_council_manager, make_council_member

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/\S+/council/join/[^/\s]+/)")


def invite(email="invitee@example.com", language="en", *, manager=None, cohort=None):
    manager = manager or make_council_manager()
    today = timezone.localdate()
    membership = services.nominate(
        cohort or make_cohort(), email, language, today, today + timedelta(days=365), by=manager
    )
    return membership, services.invite(membership, by=manager)


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def test_the_invitation_email_is_in_the_invitees_language_and_its_link_opens_the_invitation(client, help_centers):
    membership, invitation = invite(language="ru")

    message = mail.outbox[-1]
    assert message.to == ["invitee@example.com"]
    path = link_in(message)
    assert path.startswith("/ru/council/join/")
    response = client.get(path)
    assert response.status_code == 200
    assert membership.cohort.name in response.content.decode()


def test_the_email_is_rendered_with_the_invitees_language_active(monkeypatch):
    seen = []
    real = services.render_to_string

    def spy(template, context=None, *args, **kwargs):
        seen.append(services.translation.get_language())
        return real(template, context, *args, **kwargs)

    monkeypatch.setattr(services, "render_to_string", spy)
    invite(language="he")

    assert seen and set(seen) == {"he"}


def test_only_the_tokens_hash_is_stored():
    _membership, invitation = invite()

    stored = Invitation.objects.get(pk=invitation.pk)
    assert stored.token_hash == hash_token(invitation.token)
    assert invitation.token not in stored.token_hash


def test_the_invited_account_accepts_once_and_becomes_an_active_member(client, help_centers):
    make_agreements()
    membership, invitation = invite()
    invitee = UserFactory(email="invitee@example.com")
    client.force_login(invitee)
    path = link_in(mail.outbox[-1])

    response = client.post(path, {"answer": "accept"})

    assert response.status_code == 302 and response["Location"].endswith("/council/agreements/")
    membership.refresh_from_db()
    assert membership.state == Membership.State.ACTIVE and membership.user == invitee
    assert Invitation.objects.get(pk=invitation.pk).used_at is not None
    assert MembershipEvent.objects.filter(membership=membership, kind="accepted", actor=invitee).exists()
    # Used up: the same link refuses a second time, and writes nothing.
    again = client.post(path, {"answer": "accept"})
    assert again.status_code == 410
    assert MembershipEvent.objects.filter(membership=membership, kind="accepted").count() == 1


def test_accepting_with_no_agreements_to_accept_goes_straight_to_council_home(client, help_centers):
    _membership, _invitation = invite()
    invitee = UserFactory(email="invitee@example.com")
    client.force_login(invitee)

    response = client.post(link_in(mail.outbox[-1]), {"answer": "accept"})

    assert response.status_code == 302 and response["Location"] == "/en/council/"
    assert invitee.groups.filter(pk=access_group_id()).exists()


def test_an_anonymous_visitor_sees_the_invitation_and_a_login_that_returns_here(client, help_centers):
    invite()
    path = link_in(mail.outbox[-1])

    response = client.get(path)

    body = response.content.decode()
    assert response.status_code == 200
    assert f"next={path.replace('/', '%2F')}" in body
    assert client.post(path, {"answer": "accept"}).status_code == 302  # to the login page, nothing written
    assert Membership.objects.get().state == Membership.State.INVITED


@pytest.mark.parametrize("token", ["forged-token", "x" * 5000, "", "%00", "<script>"])
def test_a_forged_link_is_refused_with_a_clear_404(client, help_centers, token):
    invite()
    client.force_login(UserFactory(email="invitee@example.com"))

    response = client.post(f"/en/council/join/{token}/", {"answer": "accept"})

    assert response.status_code == 404
    assert Membership.objects.get().state == Membership.State.INVITED


def test_the_service_refuses_a_forged_token():
    invite()
    user = UserFactory(email="invitee@example.com")

    with pytest.raises(InvitationRefused) as refusal:
        services.accept("not-a-real-token", user)
    assert refusal.value.status == 404


def test_an_expired_link_is_refused(client, help_centers):
    _membership, invitation = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(UserFactory(email="invitee@example.com"))

    response = client.post(link_in(mail.outbox[-1]), {"answer": "accept"})

    assert response.status_code == 410 and "expired" in response.content.decode()
    assert Membership.objects.get().state == Membership.State.INVITED


def test_sending_again_withdraws_the_earlier_link(client, help_centers):
    membership, first = invite()
    manager = make_council_manager()
    second = services.invite(membership, by=manager)
    client.force_login(UserFactory(email="invitee@example.com"))

    old = client.post(link_in(mail.outbox[0]), {"answer": "accept"})

    assert old.status_code == 410
    assert Invitation.objects.get(pk=first.pk).withdrawn_at is not None
    assert Invitation.objects.get(pk=second.pk).withdrawn_at is None
    assert client.post(link_in(mail.outbox[1]), {"answer": "accept"}).status_code == 302


def test_another_users_link_is_refused_even_when_logged_in(client, help_centers):
    invite()
    client.force_login(UserFactory(email="someone-else@example.com"))

    response = client.post(link_in(mail.outbox[-1]), {"answer": "accept"})

    assert response.status_code == 403
    assert Membership.objects.get().state == Membership.State.INVITED


def test_an_unverified_matching_address_is_refused():
    _membership, invitation = invite()
    user = UserFactory(email="invitee@example.com", verified=False)
    user.emailaddress_set.create(email="invitee@example.com", verified=False, primary=True)

    with pytest.raises(InvitationRefused) as refusal:
        services.accept(invitation.token, user)
    assert refusal.value.status == 403
    assert not may_enter(user)


def test_the_address_matches_whatever_its_case():
    _membership, invitation = invite(email="Invitee@Example.com")
    user = UserFactory(email="invitee@example.com")

    assert services.accept(invitation.token, user).state == Membership.State.ACTIVE


def test_declining_ends_the_invitation_and_is_recorded(client, help_centers):
    membership, _invitation = invite()
    invitee = UserFactory(email="invitee@example.com")
    client.force_login(invitee)
    path = link_in(mail.outbox[-1])

    response = client.post(path, {"answer": "decline"})

    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.state == Membership.State.DECLINED and membership.user is None
    assert MembershipEvent.objects.filter(membership=membership, kind="declined").exists()
    assert client.post(path, {"answer": "accept"}).status_code == 410


def test_a_revoked_invitation_no_longer_works():
    membership, invitation = invite()
    services.revoke(membership, by=make_council_manager(), reason="Wrong address")

    with pytest.raises(InvitationRefused):
        services.accept(invitation.token, UserFactory(email="invitee@example.com"))


def test_an_unknown_answer_is_a_400_and_changes_nothing(client, help_centers):
    invite()
    client.force_login(UserFactory(email="invitee@example.com"))

    response = client.post(link_in(mail.outbox[-1]), {"answer": "\x00<script>"})

    assert response.status_code == 400
    assert Membership.objects.get().state == Membership.State.INVITED


def test_only_managers_nominate_and_invite():
    member = make_council_member()
    today = timezone.localdate()

    with pytest.raises(ActionRefused) as refusal:
        services.nominate(make_cohort(), "a@example.com", "en", today, today + timedelta(days=1), by=member)
    assert refusal.value.status == 403
    assert not Membership.objects.filter(email="a@example.com").exists()


@pytest.mark.parametrize(
    "email, language, days",
    [("not an email", "en", 30), ("ok@example.com", "xx", 30), ("ok@example.com", "en", -5), ("a\x00@b.com", "en", 5)],
)
def test_bad_nominations_are_refused_and_write_nothing(email, language, days):
    today = timezone.localdate()

    with pytest.raises(ActionRefused):
        services.nominate(
            make_cohort(), email, language, today, today + timedelta(days=days), by=make_council_manager()
        )
    assert not Membership.objects.exists() and not MembershipEvent.objects.exists()


def test_a_second_seat_for_the_same_address_on_a_cohort_is_refused():
    cohort = make_cohort()
    invite("dup@example.com", cohort=cohort)

    with pytest.raises(ActionRefused) as refusal:
        invite("DUP@example.com", cohort=cohort)
    assert refusal.value.status == 409
    assert Membership.objects.filter(cohort=cohort).count() == 1


def test_a_failing_mail_server_saves_nothing(settings):
    settings.EMAIL_BACKEND = "tests.customer_council.test_membership_invitations.BrokenBackend"
    manager = make_council_manager()
    today = timezone.localdate()
    membership = services.nominate(make_cohort(), "x@example.com", "en", today, today + timedelta(days=9), by=manager)

    with pytest.raises(ActionRefused) as refusal:
        services.invite(membership, by=manager)
    assert refusal.value.status == 503
    assert not Invitation.objects.exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")
