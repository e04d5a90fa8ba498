"""Forum topic pages in the shared page cache (sitewide.page_cache).

A topic page depends on the scopes "pages" (the site's chrome), "forum" (category names) and
"topic:<id>": every forum signal about the topic (a reply, an approval, an edit or deletion, a
vote, an accepted answer, a lock, move or hide; forum.signals, all sent after commit) renders it
afresh. Only what an anonymous reader without a session was shown is stored, which is public by
construction (visible_topics of an anonymous user). A hit still counts the view (forum.services.reading).
"""

from django.db.models.signals import post_delete, post_save

from forum import signals
from forum.models import Category, Topic
from forum.services.reading import record_view
from forum.views.moderation import topic_page
from sitewide import page_cache
from sitewide.reader import reader_of


def topic_scope(topic_id: int) -> str:
    return f"topic:{topic_id}"


def claim_topic_page(view_func, view_kwargs):
    if view_func is topic_page:
        topic_id = view_kwargs["pk"]
        return page_cache.Claim(kind="topic", object_id=topic_id, scopes=("pages", "forum", topic_scope(topic_id)))
    return None


def count_topic_view(request, entry) -> None:
    record_view(reader_of(request), Topic(pk=entry["object_id"]))


def forget_post_topic(sender, post, **kwargs) -> None:
    page_cache.bump(topic_scope(post.topic_id))


def forget_topic(sender, topic, **kwargs) -> None:
    page_cache.bump(topic_scope(topic.pk))


def forget_forum(**kwargs) -> None:
    page_cache.bump("forum")


def connect() -> None:
    page_cache.register_claim("forum", claim_topic_page)
    page_cache.add_hit_action("topic", count_topic_view)
    for signal in (signals.post_created, signals.post_approved, signals.post_edited, signals.post_voted):
        signal.connect(forget_post_topic, dispatch_uid=f"forum.page_cache.{id(signal)}")
    signals.answer_accepted.connect(forget_topic, dispatch_uid="forum.page_cache.answer_accepted")
    signals.topic_changed.connect(forget_topic, dispatch_uid="forum.page_cache.topic_changed")
    post_save.connect(forget_forum, sender=Category, dispatch_uid="forum.page_cache.category_saved")
    post_delete.connect(forget_forum, sender=Category, dispatch_uid="forum.page_cache.category_deleted")
