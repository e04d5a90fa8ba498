"""Managers run meetings from the admin: the list, the form, and the three confirm actions."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from customer_council.models import Meeting
from customer_council.viewsets.meetings import MeetingViewSet
from tests.customer_council.area_helpers import make_council_document
from tests.customer_council.meeting_helpers import add_pre_read, make_meeting
from tests.factories import UserFactory
from tests.factories.council import make_agreements, make_council_manager, make_council_member

pytestmark = pytest.mark.django_db

ADMIN = "/admin/council/meetings/"


@pytest.fixture
def manager_client(client):
    make_agreements()
    client.force_login(make_council_manager())
    return client


def test_a_manager_lists_meetings_and_opens_the_form(manager_client):
    meeting = make_meeting("Quarterly council")

    assert "Quarterly council" in manager_client.get(ADMIN).content.decode()
    assert manager_client.get(f"{ADMIN}edit/{meeting.pk}/").status_code == 200
    assert manager_client.get(f"{ADMIN}new/").status_code == 200


def test_sending_the_invitations_emails_the_members_with_the_ics(manager_client):
    member = make_council_member()
    meeting = make_meeting("Quarterly council")

    response = manager_client.post(f"{ADMIN}invite/{meeting.pk}/", {})

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert mail.outbox[0].attachments[0][0].endswith(".ics")
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is not None


def test_publishing_empty_minutes_is_refused_with_the_reason_on_the_page(manager_client):
    meeting = make_meeting("Quarterly council", starts_in=timedelta(days=-2))

    response = manager_client.post(f"{ADMIN}publish-minutes/{meeting.pk}/", {})

    assert response.status_code == 400
    assert "Write the minutes before publishing them." in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).minutes_published_at is None


def test_cancelling_twice_is_a_conflict(manager_client):
    meeting = make_meeting("Quarterly council")

    assert manager_client.post(f"{ADMIN}cancel/{meeting.pk}/", {}).status_code == 302
    again = manager_client.post(f"{ADMIN}cancel/{meeting.pk}/", {})

    assert again.status_code == 409 and "already cancelled" in again.content.decode()


def test_a_pre_read_outside_the_council_collection_is_refused_by_the_form(manager_client):
    meeting = make_meeting("Quarterly council")
    add_pre_read(meeting, make_council_document())
    public = get_document_model()(title="Brochure", collection=Collection.get_first_root_node())
    public.file.save("brochure.txt", ContentFile(b"public"), save=False)
    public.save()
    form_class = MeetingViewSet("check").get_form_class()

    def checked_with(document):
        return form_class(
            data={
                "title": "Quarterly council",
                "starts_at": meeting.starts_at.strftime("%Y-%m-%d %H:%M"),
                "duration_minutes": 60,
                "pre_reads-TOTAL_FORMS": 1,
                "pre_reads-INITIAL_FORMS": 0,
                "pre_reads-MIN_NUM_FORMS": 0,
                "pre_reads-MAX_NUM_FORMS": 1000,
                "pre_reads-0-document": document.pk,
                "pre_reads-0-ORDER": 1,
                "agenda_items-TOTAL_FORMS": 0,
                "agenda_items-INITIAL_FORMS": 0,
                "agenda_items-MIN_NUM_FORMS": 0,
                "agenda_items-MAX_NUM_FORMS": 1000,
                "action_items-TOTAL_FORMS": 0,
                "action_items-INITIAL_FORMS": 0,
                "action_items-MIN_NUM_FORMS": 0,
                "action_items-MAX_NUM_FORMS": 1000,
            },
            instance=Meeting(),
            for_user=UserFactory(is_superuser=True),
        )

    refused = checked_with(public)
    assert not refused.is_valid() and refused.formsets["pre_reads"].errors
    assert checked_with(make_council_document("Kestrel", filename="k.txt")).is_valid()


def test_staff_outside_the_council_are_refused(client):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    meeting = make_meeting("Quarterly council")
    client.force_login(editor)

    assert client.post(f"{ADMIN}invite/{meeting.pk}/", {}).status_code in (302, 403)
    assert mail.outbox == []
