"""A run sends each due customer one email, once: running it again sends nothing new."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from customer_voice.models import SurveyInvitation, SurveyRun
from customer_voice.services.surveys import send_nps_run
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def a_customer(**fields):
    fields.setdefault("feedback_opt_in", True)
    return UserFactory(last_login=timezone.now(), **fields)


def test_a_second_call_of_the_same_run_sends_nothing():
    a_customer(), a_customer()
    run = SurveyRun.objects.create(name="Spring")

    first = send_nps_run(run)
    second = send_nps_run(run)

    assert first.sent == 2 and second.sent == 0 and second.already_sent == 2
    assert len(mail.outbox) == 2
    assert SurveyInvitation.objects.filter(run=run, sent_at__isnull=False).count() == 2
    run.refresh_from_db()
    assert run.sent_at is not None


def test_a_second_run_within_the_interval_is_throttled():
    a_customer()
    send_nps_run(SurveyRun.objects.create(name="Spring"))

    outcome = send_nps_run(SurveyRun.objects.create(name="Spring again"))

    assert outcome.sent == 0 and outcome.skipped_throttle == 1
    assert len(mail.outbox) == 1


def test_an_invitation_the_run_made_but_never_sent_is_sent_on_the_next_call():
    customer = a_customer()
    run = SurveyRun.objects.create(name="Spring")
    SurveyInvitation.objects.create(kind="nps", run=run, user=customer, email=customer.email, language="en")

    outcome = send_nps_run(run)

    assert outcome.sent == 1
    assert SurveyInvitation.objects.get(user=customer).sent_at is not None


def test_the_command_reports_what_it_sent_and_skipped():
    a_customer()
    a_customer(feedback_opt_in=False)
    out = StringIO()

    call_command("send_nps_survey", "--audience", "everyone", "--name", "Spring", stdout=out, stderr=StringIO())
    call_command("send_nps_survey", "--audience", "everyone", "--name", "Spring", stdout=out, stderr=StringIO())

    first, second = out.getvalue().strip().splitlines()
    assert "sent 1;" in first and "skipped (no consent): 1" in first
    assert "sent 0;" in second and "already sent by this run: 1" in second
    assert len(mail.outbox) == 1
    assert SurveyRun.objects.filter(name="Spring").count() == 1


def test_a_dry_run_sends_nothing_and_makes_no_run():
    a_customer()
    out = StringIO()

    call_command("send_nps_survey", "--audience", "everyone", "--dry-run", stdout=out)

    assert "Would send: 1" in out.getvalue()
    assert mail.outbox == []
    assert not SurveyRun.objects.exists() and not SurveyInvitation.objects.exists()
