"""Sending is idempotent per period and resumable after a crash without sending anything twice."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from customer_voice.models import DigestDelivery, DigestIssue
from customer_voice.services.digest import prepare_issue, send_issue
from tests.customer_voice.test_digest_support import PERIOD, article_during, opted_in

pytestmark = pytest.mark.django_db
State = DigestDelivery.State


@pytest.fixture
def news(help_centers):
    return article_during("How to export invoices")


def send_digest(*args) -> str:
    out = StringIO()
    call_command("send_digest", *args, "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_second_run_for_the_same_period_sends_nothing(news):
    opted_in(), opted_in()

    first = send_digest("--period", PERIOD)
    second = send_digest("--period", PERIOD)

    assert len(mail.outbox) == 2
    assert "sent 2, skipped 0, failed 0, uncertain 0" in first
    assert "sent 0, skipped 0, failed 0, uncertain 0" in second
    assert DigestIssue.objects.get(period=PERIOD).finished_at is not None


def test_someone_who_opts_in_after_the_period_was_sent_does_not_get_that_issue(news):
    send_digest("--period", PERIOD)
    opted_in()

    output = send_digest("--period", PERIOD)

    assert "sent 0," in output
    assert mail.outbox == []


def test_preparing_twice_makes_one_delivery_per_person(news):
    person = opted_in()

    prepare_issue(PERIOD)
    prepare_issue(PERIOD)

    assert DigestDelivery.objects.filter(user=person).count() == 1


def test_after_a_crash_a_run_sends_the_waiting_ones_but_not_the_one_caught_while_sending(news):
    waiting, caught, done = opted_in(), opted_in(), opted_in()
    issue = prepare_issue(PERIOD)
    DigestDelivery.objects.filter(user=caught).update(state=State.SENDING)
    DigestDelivery.objects.filter(user=done).update(state=State.SENT)

    result = send_issue(issue)

    assert [message.to for message in mail.outbox] == [[waiting.email]]
    assert (result.sent, result.uncertain) == (1, 1)
    assert DigestDelivery.objects.get(user=caught).state == State.SENDING


def test_retry_uncertain_sends_the_interrupted_delivery_once_with_the_same_message_id(news):
    caught = opted_in()
    issue = prepare_issue(PERIOD)
    DigestDelivery.objects.filter(user=caught).update(state=State.SENDING)

    send_issue(issue, retry_uncertain=True)
    send_issue(issue, retry_uncertain=True)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<digest-{PERIOD}-{caught.pk}@127.0.0.1>"
    assert DigestDelivery.objects.get(user=caught).state == State.SENT


@override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=9)
def test_an_smtp_failure_is_recorded_and_the_next_run_retries_it(news):
    person = opted_in()
    issue = prepare_issue(PERIOD)

    result = send_issue(issue)

    delivery = DigestDelivery.objects.get(user=person)
    assert (result.failed, delivery.state) == (1, State.FAILED)
    assert delivery.error
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert send_issue(issue).sent == 1
    assert len(mail.outbox) == 1


def test_a_period_with_nothing_new_sends_nothing_and_says_so(help_centers):
    opted_in()

    output = send_digest("--period", PERIOD)

    assert mail.outbox == []
    assert "the issue sends nothing" in output


def test_the_command_shows_a_progress_bar_and_defaults_to_the_last_complete_week(news):
    opted_in()
    out, err = StringIO(), StringIO()

    call_command("send_digest", stdout=out, stderr=err)

    assert f"{PERIOD}: sent 1, skipped 0, failed 0, uncertain 0" in out.getvalue()
    assert "1/1" in err.getvalue()


def test_a_dry_run_writes_and_sends_nothing(news):
    opted_in()

    output = send_digest("--period", PERIOD, "--dry-run")

    assert "1 would get it" in output
    assert (DigestIssue.objects.count(), len(mail.outbox)) == (0, 0)


@pytest.mark.parametrize("period", ["2026-W54", "2026-13", "26-W01", "2026-w01", "2026-W1", "next week", "2099-W01"])
def test_a_bad_or_unfinished_period_is_refused_clearly(db, period):
    with pytest.raises(CommandError, match="period|week|month|ended"):
        send_digest("--period", period)
    assert DigestIssue.objects.count() == 0


def test_a_month_covers_the_whole_month(db):
    issue = prepare_issue("2025-12")

    assert (issue.starts_at.day, issue.starts_at.month, issue.ends_at.month, issue.ends_at.year) == (1, 12, 1, 2026)
