"""The council's messages, for every role: websocket, live events, email (status changes,
meeting invitations, overdue action items).

Roles as in the privacy matrix (test_privacy_matrix.ROLES). Each role (but the anonymous
visitor, who has no address) holds a vote and a follow on an idea, as someone who was a member
when they voted would, and opted in to activity email; a manager then changes the idea's status.
Only those who may enter the council *when it is sent* (active members, managers) are told, live
or by email; the others get nothing, not even a subject line. The council socket itself accepts
insiders only (test_idea_live covers its closing on a term's end).
"""

import pytest
from asgiref.sync import async_to_sync
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from customer_council.consumers import CLOSE_NOT_ALLOWED
from customer_council.models import IdeaFollow, IdeaStatus, IdeaVote
from customer_council.routing import websocket_urlpatterns
from customer_council.services import ideas, meetings
from forum.models import NotificationPreference
from tests.customer_council.area_helpers import make_idea
from tests.customer_council.channel_helpers import empty_channel_layer, listen, received  # noqa: F401
from tests.customer_council.meeting_helpers import add_action_item, make_meeting
from tests.customer_council.test_privacy_matrix import INSIDERS, ROLES, make_role
from tests.factories.council import make_agreements, make_council_manager

pytestmark = pytest.mark.usefixtures("empty_channel_layer")

IDEA_TITLE = "Periwinkle bulk export"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_a_status_change_reaches_only_those_who_may_enter(role, django_capture_on_commit_callbacks):
    make_agreements()
    user = make_role(role)
    idea = make_idea(IDEA_TITLE)
    IdeaVote.objects.create(idea=idea, user=user)
    IdeaFollow.objects.create(idea=idea, user=user)
    NotificationPreference.objects.create(user=user, email_on_activity=True)
    channel = listen(user)

    with django_capture_on_commit_callbacks(execute=True):
        ideas.change_status(idea, IdeaStatus.objects.get(name="Planned"), "Next quarter", by=make_council_manager())

    sent_to_them = [message for message in mail.outbox if user.email in message.to]
    live = received(channel)
    if role in INSIDERS:
        assert sent_to_them and IDEA_TITLE in sent_to_them[0].body
        assert any(event["type"] == "idea.status_changed" for event in live)
    else:
        assert sent_to_them == [], f"{role} was emailed"
        assert live == [], f"{role} got a live event"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("role", ROLES)
def test_the_council_socket_accepts_insiders_only(role):
    make_agreements()
    user = make_role(role)

    async def scenario():
        communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/council/")
        communicator.scope["user"] = user or AnonymousUser()
        connected, _ = await communicator.connect()
        if role in INSIDERS:
            assert connected and await communicator.receive_nothing(timeout=0.2)
            await communicator.disconnect()
        else:
            closing = await communicator.receive_output(timeout=1)
            assert closing == {"type": "websocket.close", "code": CLOSE_NOT_ALLOWED}, role

    async_to_sync(scenario)()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_meeting_invitations_and_action_reminders_reach_only_those_who_may_enter(role):
    """Each role owns an overdue action item (given while they were on the council) and the
    meeting is for the whole council; the invitation (with its .ics) and the overdue reminder go
    only to insiders."""
    make_agreements()
    user = make_role(role)
    meeting = make_meeting("Saffron council meeting")
    add_action_item(meeting, user, "Send the usage survey", due_in_days=-3)

    meetings.send_invitations(meeting, include_managers=True)
    meetings.remind_overdue()

    theirs = [message for message in mail.outbox if user.email in message.to]
    if role in INSIDERS:
        subjects = " ".join(message.subject for message in theirs)
        assert "Saffron council meeting" in subjects and len(theirs) == 2, subjects
        assert any(name.endswith(".ics") for message in theirs for name, *_ in message.attachments)
    else:
        assert theirs == [], f"{role} was emailed: {[message.subject for message in theirs]}"
