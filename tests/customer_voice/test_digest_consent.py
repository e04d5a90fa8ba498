"""Nobody who has not agreed to newsletters is ever sent the digest."""

import pytest
from django.core import mail

from accounts.consent import set_consent
from accounts.models import ConsentRecord
from customer_voice.models import DigestDelivery
from customer_voice.services.digest import prepare_issue, send_issue
from tests.customer_voice.test_digest_support import PERIOD, article_during, opted_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NEWSLETTER = ConsentRecord.Topic.NEWSLETTER
PREFERENCES = ConsentRecord.Source.PREFERENCES


@pytest.fixture
def news(help_centers):
    return article_during("How to export invoices")


def test_only_people_who_agreed_are_sent_the_digest(news):
    agreed = opted_in(email="agreed@example.com")
    UserFactory(email="never@example.com")
    withdrew = opted_in(email="withdrew@example.com")
    set_consent(withdrew, NEWSLETTER, False, PREFERENCES)
    opted_in(email="inactive@example.com", is_active=False)
    feedback_only = UserFactory(email="feedback@example.com")
    set_consent(feedback_only, ConsentRecord.Topic.FEEDBACK, True, PREFERENCES)

    result = send_issue(prepare_issue(PERIOD))

    assert [message.to for message in mail.outbox] == [[agreed.email]]
    assert result.sent == 1
    assert list(DigestDelivery.objects.values_list("user__email", flat=True)) == [agreed.email]


def test_someone_who_withdraws_after_the_issue_is_prepared_is_skipped(news):
    stays = opted_in(email="stays@example.com")
    leaves = opted_in(email="leaves@example.com")
    issue = prepare_issue(PERIOD)
    set_consent(leaves, NEWSLETTER, False, PREFERENCES)

    result = send_issue(issue)

    assert [message.to for message in mail.outbox] == [[stays.email]]
    assert DigestDelivery.objects.get(user=leaves).state == DigestDelivery.State.SKIPPED
    assert (result.sent, result.skipped) == (1, 1)


def test_an_account_deactivated_after_the_issue_is_prepared_is_skipped(news):
    gone = opted_in(email="gone@example.com")
    issue = prepare_issue(PERIOD)
    type(gone).objects.filter(pk=gone.pk).update(is_active=False)

    send_issue(issue)

    assert mail.outbox == []
    assert DigestDelivery.objects.get(user=gone).state == DigestDelivery.State.SKIPPED


def test_staff_who_opted_in_get_the_digest_like_anyone_who_agreed(news):
    # Decided: consent, not the role, decides a newsletter (staff are never *surveyed*).
    agent = opted_in(email="agent@example.com", is_staff=True)
    UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)

    send_issue(prepare_issue(PERIOD))

    assert [message.to for message in mail.outbox] == [[agent.email]]
