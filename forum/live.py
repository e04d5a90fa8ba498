"""Live updates: forum signals become channel-layer events for the browsers watching a topic.

The signals are sent after the write commits (forum.services.dispatch), so a rolled-back write
never reaches a browser. An event says only *what* changed, by id; the page then fetches the
permission-checked HTML (forum.views.live), and the consumer re-checks that its reader may still
see the topic before forwarding anything (forum.consumers).

Events to ``forum.topic.<topic id>`` (the JSON a topic page receives is the same dict):

* ``{"type": "post.created", "topic": 7, "post": 81, "position": 12}``
* ``{"type": "post.edited", "topic": 7, "post": 81, "position": 12}`` (also a deletion)
* ``{"type": "post.voted", "topic": 7, "post": 81, "position": 12, "score": 3}``
* ``{"type": "answer.accepted", "topic": 7, "post": 81, "position": 12}``
* ``{"type": "topic.changed", "topic": 7}`` (locked, hidden, moved, retitled, answer cleared...)

Events to ``forum.user.<user id>`` (sent by forum.services.notifications):

* ``{"type": "notification.created", "notification": 5, "kind": "reply", "unread": 3}``
"""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from forum.models import Post
from forum.signals import answer_accepted, post_created, post_edited, post_voted, topic_changed


def topic_group(topic_id: int) -> str:
    """Everyone reading one topic."""
    return f"forum.topic.{topic_id}"


def member_group(user_id: int) -> str:
    """Every open page of one member (their notifications)."""
    return f"forum.user.{user_id}"


def send_event(group: str, event: dict) -> None:
    """Hand ``event`` to the channel layer for ``group`` (in-memory, or Redis across processes)."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, event)


def _post_event(kind: str, post, **extra) -> dict:
    return {"type": kind, "topic": post.topic_id, "post": post.pk, "position": post.position, **extra}


def announce_post_created(sender, post, **kwargs):
    send_event(topic_group(post.topic_id), _post_event("post.created", post))


def announce_post_edited(sender, post, **kwargs):
    # A held post is announced when approved, as post.created: until then its position is news
    # to nobody but its author and the moderators (it is not on anyone else's pages).
    if post.is_approved:
        send_event(topic_group(post.topic_id), _post_event("post.edited", post))


def announce_post_voted(sender, post, **kwargs):
    # The service's post object may predate the vote's F() update: read the committed score.
    score = Post.objects.filter(pk=post.pk).values_list("score", flat=True).first()
    if score is not None:
        send_event(topic_group(post.topic_id), _post_event("post.voted", post, score=score))


def announce_answer_accepted(sender, topic, post, **kwargs):
    send_event(topic_group(topic.pk), _post_event("answer.accepted", post))


def announce_topic_changed(sender, topic, **kwargs):
    send_event(topic_group(topic.pk), {"type": "topic.changed", "topic": topic.pk})


def connect_receivers() -> None:
    """Called once from ForumConfig.ready()."""
    post_created.connect(announce_post_created, dispatch_uid="forum.live.post_created")
    post_edited.connect(announce_post_edited, dispatch_uid="forum.live.post_edited")
    post_voted.connect(announce_post_voted, dispatch_uid="forum.live.post_voted")
    answer_accepted.connect(announce_answer_accepted, dispatch_uid="forum.live.answer_accepted")
    topic_changed.connect(announce_topic_changed, dispatch_uid="forum.live.topic_changed")
