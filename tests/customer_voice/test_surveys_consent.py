"""Nobody who did not agree to feedback surveys is emailed one; staff are never surveyed."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from customer_voice.models import SurveyInvitation, SurveyRun
from customer_voice.services.surveys import is_due_for_nps, send_nps_run
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def a_customer(**fields):
    fields.setdefault("feedback_opt_in", True)
    return UserFactory(last_login=timezone.now(), **fields)


def test_a_customer_without_feedback_consent_gets_no_survey_email():
    a_customer(feedback_opt_in=False, email="no@example.com")
    a_customer(email="yes@example.com")

    outcome = send_nps_run(SurveyRun.objects.create(name="Spring"))

    assert [message.to for message in mail.outbox] == [["yes@example.com"]]
    assert outcome.sent == 1 and outcome.skipped_consent == 1
    assert not SurveyInvitation.objects.filter(user__email="no@example.com").exists()


def test_a_customer_who_only_agreed_to_newsletters_is_not_surveyed():
    customer = a_customer(feedback_opt_in=False, marketing_opt_in=True)

    assert not is_due_for_nps(customer)


@pytest.mark.parametrize("staff", [{"is_staff": True}, {"is_superuser": True}])
def test_staff_are_never_surveyed(staff):
    member_of_staff = a_customer(**staff)

    send_nps_run(SurveyRun.objects.create(name="Spring"))

    assert not is_due_for_nps(member_of_staff)
    assert mail.outbox == []


def test_an_editor_with_admin_access_is_never_surveyed():
    editor = a_customer()
    editor.groups.add(Group.objects.get(name="Editors"))

    send_nps_run(SurveyRun.objects.create(name="Spring"))

    assert not is_due_for_nps(editor)
    assert mail.outbox == []


def test_a_deactivated_account_is_never_surveyed():
    a_customer(is_active=False)

    send_nps_run(SurveyRun.objects.create(name="Spring"))

    assert mail.outbox == []
