"""The demo's readers of stories: four weeks of views and what the readers did next, so the admin's
Stories report shows something on ``make run``.

Written as the site records them (support.events.record_event): STORY_VIEWED by a visitor id, then,
for some readers, the contact form opened (CONTACT_STARTED) and a sign-up (SIGNED_UP, by a demo
account with an answer to "How did you hear about us?"). The readers are invented and repeatable (a
seeded random generator); their accounts (``story-reader-N@example.com``) cannot log in. Once: a
second run finds the first reader's view and adds nothing.
"""

import hashlib
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from stories.models import StoryPage
from support.events import record_event
from support.models import Event

READERS = 80
DAYS = 26
#: Of the readers: who opens the contact form afterwards, and who signs up.
CONTACT_SHARE = 0.2
SIGN_UP_SHARE = 0.12


def _visitor_id(number: int) -> str:
    return hashlib.md5(f"stories-demo:reader-{number}".encode(), usedforsecurity=False).hexdigest()


@transaction.atomic
def load_demo_story_readers(now=None) -> int:
    """Record the demo readers (once); returns how many readers were added."""
    if Event.objects.filter(kind=Event.Kind.STORY_VIEWED, visitor_id=_visitor_id(0)).exists():
        return 0
    stories = list(StoryPage.objects.live().select_related("locale").order_by("-featured", "-publish_date", "pk"))
    if not stories:
        return 0
    now = now or timezone.now()
    User = get_user_model()
    sources = [choice for choice, _label in User.ReferralSource.choices]
    generator = random.Random(2026)
    # Featured and recent stories are read more: a simple decreasing weight by position.
    weights = [1 / (position + 1) for position in range(len(stories))]
    for number in range(READERS):
        visitor_id = _visitor_id(number)
        read = generator.choices(stories, weights=weights, k=generator.choice([1, 1, 2]))
        at = now - timedelta(days=generator.uniform(0.5, DAYS))
        for story in read:
            language = story.locale.language_code
            record_event(Event.Kind.STORY_VIEWED, visitor_id=visitor_id, article=story, language=language, at=at)
            at += timedelta(minutes=generator.randint(2, 40))
        chance = generator.random()
        if chance < SIGN_UP_SHARE:
            user = User.objects.create_user(
                email=f"story-reader-{number}@example.com",
                display_name=User.objects.free_display_name(f"Story reader {number}"),
                preferred_language=language,
                referral_source=generator.choice(sources + [""]),
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            record_event(Event.Kind.SIGNED_UP, visitor_id=visitor_id, user=user, language=language, at=at)
        elif chance < SIGN_UP_SHARE + CONTACT_SHARE:
            record_event(
                Event.Kind.CONTACT_STARTED, visitor_id=visitor_id, flow=Event.Flow.CONTACT, language=language, at=at
            )
    return READERS
