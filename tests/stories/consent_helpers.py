"""Steps the consent tests share: a draft story through editorial review, and its emailed link."""

import re

from django.contrib.auth.models import Group
from django.core import mail

from stories.approval_workflow import ensure_story_workflow
from stories.models import StoryPage
from tests.factories import UserFactory
from tests.factories.stories import make_customer, make_story

LINK = re.compile(r"https?://[^\s]+/stories/(approve|withdraw)/([^/\s]+)/")
QUOTES = [
    ("quote", {"quote": "We sleep at night.", "person": "Ana", "role": "CTO"}),
    ("quote", {"quote": "Customers find answers.", "person": "Bo", "role": "Support lead"}),
]


def make_editor():
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    return editor


def draft_story(**fields) -> StoryPage:
    customer = fields.pop("customer", None) or make_customer(
        "Acme Logistics", contact_name="Dana", contact_email="dana@acme.example", contact_language="he"
    )
    return make_story("Acme halves its tickets", customer=customer, quotes=QUOTES, publish=False, **fields)


def submit_and_review(story, editor=None) -> StoryPage:
    """Submit the story to "Story approval" and pass editorial review: the customer's link is emailed."""
    editor = editor or make_editor()
    ensure_story_workflow().start(story, editor)
    story = StoryPage.objects.get(pk=story.pk)
    story.current_workflow_task_state.approve(user=editor)
    return StoryPage.objects.get(pk=story.pk)


def last_link(purpose="approve") -> tuple[str, str]:
    """(path, token) of the newest link of ``purpose`` in the outbox."""
    for message in reversed(mail.outbox):
        for found in LINK.finditer(message.body):
            if found.group(1) == purpose:
                url = found.group(0)
                return url[url.index("/", url.index("//") + 2) :], found.group(2)
    raise AssertionError(f"no {purpose} link emailed")
