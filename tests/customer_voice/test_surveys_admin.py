"""The survey runs listing in the admin's "Customer voice" menu: invited, answered, response rate."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from customer_voice.models import SurveyInvitation, SurveyRun
from customer_voice.services.surveys import record_answer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
RUNS = "/admin/customer-voice/survey-runs/"


def a_run_with(invited, answered, name="Spring"):
    run = SurveyRun.objects.create(name=name)
    for index in range(invited):
        customer = UserFactory()
        invitation = SurveyInvitation.objects.create(kind="nps", run=run, user=customer, language="en")
        if index < answered:
            record_answer(invitation, 8)
    return run


def a_council_manager():
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Council managers"))
    return user


def test_the_listing_shows_the_counts_and_the_rate(django_assert_max_num_queries):
    a_run_with(4, 1)
    a_run_with(2, 0, name="Autumn")
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))

    with django_assert_max_num_queries(25):
        page = admin.get(RUNS)

    html = page.content.decode()
    assert page.status_code == 200
    assert "Spring" in html and "Autumn" in html and "25%" in html


def test_the_listing_exports_as_csv():
    a_run_with(2, 1)
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))

    export = admin.get(RUNS, {"export": "csv"})

    body = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert "Spring" in body and "0.5" in body


def test_council_managers_see_the_runs_and_customers_do_not():
    a_run_with(1, 0)
    manager, customer = Client(), Client()
    manager.force_login(a_council_manager())
    customer.force_login(UserFactory())

    assert manager.get(RUNS).status_code == 200
    assert customer.get(RUNS).status_code in (302, 403)


def test_the_customer_voice_menu_holds_the_runs():
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))

    dashboard = admin.get("/admin/").content.decode()

    assert "Customer voice" in dashboard and RUNS in dashboard
