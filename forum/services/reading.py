"""Views and read positions: counted cheaply, never blocking the page."""

from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from forum.models import Topic, TopicReadState
from sitewide.reader import Reader

#: A reader's repeated visits to one topic within this many seconds count as one view.
VIEW_WINDOW_SECONDS = 60 * 60


def record_view(reader: Reader, topic) -> bool:
    """Count a view of ``topic`` (not by bots; once per reader per hour). True when counted."""
    if reader.is_bot:
        return False
    user = reader.authenticated_user
    who = f"u{user.pk}" if user is not None else reader.visitor_id
    who = who or f"a{reader.client_key}"
    if not cache.add(f"forum:viewed:{topic.pk}:{who}", 1, timeout=VIEW_WINDOW_SECONDS):
        return False
    Topic.objects.filter(pk=topic.pk).update(view_count=F("view_count") + 1)
    return True


def read_state(user, topic) -> TopicReadState | None:
    if user is None or not user.is_authenticated:
        return None
    return TopicReadState.objects.filter(user=user, topic=topic).first()


def mark_read(user, topic, position: int, *, state=None) -> None:
    """Remember that ``user`` has read ``topic`` up to ``position`` (never moving backwards).

    At most two queries and no read: an UPDATE that only moves forwards, then, when it matched
    nothing, an INSERT that a concurrent first visit cannot turn into an error. ``state`` is the
    member's TopicReadState when the caller has it (skips both when already far enough), or
    False when the caller knows there is none (skips the UPDATE).
    """
    if user is None or not user.is_authenticated:
        return
    if state and state.last_read_position >= position:
        return
    now = timezone.now()
    moved = 0
    if state is not False:
        moved = TopicReadState.objects.filter(user=user, topic=topic, last_read_position__lt=position).update(
            last_read_position=position, updated_at=now
        )
    if state:
        state.last_read_position = position
    elif not moved:
        TopicReadState.objects.bulk_create(
            [TopicReadState(user=user, topic=topic, last_read_position=position, updated_at=now)],
            ignore_conflicts=True,
        )
