"""Who may see what in the forum: the one check every exit uses.

Pages, search results and suggestions (kb.search.visibility), websockets and notifications all
ask these functions, so a restricted category, a hidden topic or a deleted one stays invisible
everywhere at once.

* A category is visible when it is public (no ``restricted_to`` groups) or the reader is in one
  of its groups.
* A topic is visible when it is not deleted, not hidden, and its category is visible; a topic
  whose opening post is held for approval is visible only to its author (and moderators).
* Moderators (staff, superusers and the "Community moderators" group) see hidden and held topics
  too, but only in the categories they may read as members: moderating the forum gives no way
  into a restricted category (the council's). Superusers, who administer the whole site, see
  every category. Nobody sees a deleted topic.
"""

from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from forum.models import Category, Post, Topic

MODERATORS_GROUP = "Community moderators"


def is_moderator(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    cached = getattr(user, "_forum_is_moderator", None)
    if cached is None:
        cached = user.groups.filter(name=MODERATORS_GROUP).exists()
        user._forum_is_moderator = cached
    return cached


def visible_categories(user) -> QuerySet:
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return Category.objects.all()
    return categories_by_membership(user)


def categories_by_membership(user) -> QuerySet:
    """The categories ``user`` may read as a member, moderator powers aside: the public ones and
    those restricted to one of their groups. A moderator outside the council's group neither sees
    nor counts nor acts on the council's posts in the review queue
    (forum.services.moderation.reviewable_posts)."""
    restriction = Category.restricted_to.through.objects.filter(category_id=OuterRef("pk"))
    allowed = Q(~Exists(restriction))
    if user is not None and user.is_authenticated and user.is_active:
        allowed |= Q(Exists(restriction.filter(group__user=user)))
    return Category.objects.filter(allowed)


def opening_post_held(topic="pk") -> Exists:
    """True for a topic whose opening post waits for a moderator: a condition or an annotation
    (``is_held``, the listings' "Waiting for a moderator" badge) in the query itself. ``topic``
    names the topic's id in the outer query ("topic" in a query of posts)."""
    return Exists(Post.objects.filter(topic=OuterRef(topic), position=1, is_approved=False))


def visible_topics(user) -> QuerySet:
    topics = Topic.objects.filter(deleted_at__isnull=True)
    if is_moderator(user):
        if user.is_superuser:
            return topics
        return topics.filter(category__in=visible_categories(user))
    topics = topics.filter(is_hidden=False, category__in=visible_categories(user))
    held = opening_post_held()
    if user is not None and user.is_authenticated:
        return topics.filter(~held | Q(author=user))
    return topics.filter(~held)


def can_view_category(user, category) -> bool:
    return visible_categories(user).filter(pk=category.pk).exists()


def can_view_topic(user, topic) -> bool:
    return visible_topics(user).filter(pk=topic.pk).exists()


def visible_topic_ids(user, ids) -> set[int]:
    """Of these topic ids, the ones this user may open (the search re-check)."""
    return set(visible_topics(user).filter(pk__in=list(ids)).values_list("pk", flat=True))


def can_see_post(user, post) -> bool:
    """Whether the post's text is shown (its topic being visible): hidden or held posts are shown
    only to moderators, and held ones also to their author; deleted ones to nobody."""
    if post.deleted_at is not None:
        return False
    if is_moderator(user):
        return True
    if post.is_hidden:
        return False
    if not post.is_approved:
        return user is not None and user.is_authenticated and post.author_id == user.pk
    return True


def visible_posts(user) -> QuerySet:
    """The posts whose text ``user`` may read, their topics aside: can_see_post as a queryset."""
    posts = Post.objects.filter(deleted_at__isnull=True)
    if is_moderator(user):
        return posts
    posts = posts.filter(is_hidden=False)
    if user is not None and user.is_authenticated:
        return posts.filter(Q(is_approved=True) | Q(author=user))
    return posts.filter(is_approved=True)


def last_visible_position(user, topic) -> int:
    """The last position at which ``user`` sees a post of ``topic`` (its topic being visible):
    where the reader's last page ends.

    Everyone sees approved posts, deleted and hidden ones as placeholders, up to
    ``topic.last_approved_position``; held posts after it count only for moderators and their
    author. No query unless held (or rejected) posts come after the last approved one.
    """
    last = topic.last_approved_position
    if topic.post_count <= last or user is None or not user.is_authenticated:
        return last
    held = Post.objects.filter(topic=topic, position__gt=last, is_approved=False, deleted_at__isnull=True)
    if not is_moderator(user):
        held = held.filter(author=user, is_hidden=False)
    return held.aggregate(last=Max("position"))["last"] or last
