"""Forum builders: categories, topics with posts (bulk for big topics), members in groups."""

from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from forum.models import Category, Post, Topic
from forum.permissions import MODERATORS_GROUP
from tests.factories import UserFactory

_counter = iter(range(1, 10**9))


def make_category(name=None, *, restricted_to=(), language="", description="") -> Category:
    n = next(_counter)
    name = name or f"Category {n}"
    category = Category.objects.create(
        name=name, slug=f"{slugify(name)}-{n}", description=description, position=n, language=language
    )
    if restricted_to:
        category.restricted_to.set(restricted_to)
    return category


def make_group(name=None) -> Group:
    return Group.objects.get_or_create(name=name or f"Group {next(_counter)}")[0]


def make_member(*groups, **kwargs):
    user = UserFactory(**kwargs)
    for group in groups:
        user.groups.add(group)
    return user


def make_moderator(**kwargs):
    return make_member(make_group(MODERATORS_GROUP), **kwargs)


def make_topic(title=None, *, category=None, author=None, posts=1, body="Some text.", language="en", **fields) -> Topic:
    """A topic with ``posts`` posts (the first is the opening post), written straight to the
    database in one bulk insert, so a 5,000-post topic takes a moment."""
    n = next(_counter)
    title = title or f"Topic {n}"
    category = category or make_category()
    author = author or UserFactory()
    now = timezone.now()
    topic = Topic.objects.create(
        category=category,
        title=title,
        slug=slugify(title) or "topic",
        author=author,
        language=language,
        post_count=posts,
        reply_count=max(0, posts - 1),
        last_approved_position=posts,
        created_at=now,
        last_posted_at=now,
        **fields,
    )
    Post.objects.bulk_create(
        [
            Post(
                topic=topic,
                author=author,
                position=position,
                body_markdown=f"{body} ({position})",
                body_html=f"<p>{body} ({position})</p>",
                created_at=now,
            )
            for position in range(1, posts + 1)
        ],
        batch_size=500,
    )
    return topic
