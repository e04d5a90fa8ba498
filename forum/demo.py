"""The demo forum: categories, the coffee.stackexchange.com dump, and a few native topics.

Idempotent: categories are matched by slug, imported posts by their Stack Exchange id, and the
native demo topics by ``source="demo"``, so a second run changes nothing. The demo accounts
(load_demo) must exist first; without them only the categories and the import are made.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from forum.management.commands.import_stackexchange import import_stackexchange
from forum.models import Category, Topic
from forum.permissions import MODERATORS_GROUP
from forum.services import accept_answer, create_topic, reply
from forum.services.moderation import approve_post

CATEGORIES = [
    # slug, name, description, language, restricted to group
    ("getting-started", _("Getting started"), _("New here? Introduce yourself and ask anything about the product."),
     "", None),
    ("coffee", "Coffee", "Brewing, grinding and beans. Imported from coffee.stackexchange.com (CC BY-SA 3.0, "
     "Stack Exchange contributors) to show a community moving here.", "en", None),
    ("moderators-lounge", _("Moderators' lounge"), _("Private: only community moderators see this category."),
     "", MODERATORS_GROUP),
]  # fmt: skip

DEMO_MODERATOR = "moderator@example.com"

DEMO_TOPICS = [
    # source id, category slug, author email, title, body, pinned, answer (author email, body, accepted)
    ("welcome", "getting-started", "moderator@example.com", "Welcome to the community: read this first",
     "Hi everyone! Search before you ask: the box under the title suggests similar topics and help articles.\n\n"
     "* Be kind and specific.\n* Mark the answer that solved your question as **accepted**.\n"
     "* Upvote helpful posts: reputation and badges follow.", True, None),
    ("first-question", "getting-started", "member@example.com", "How do I change the language of the help center?",
     "I'd like to read the articles in Russian. Where is the switch?", False,
     ("moderator@example.com", "Use the language links at the top right of every page (top left in Persian "
      "and Hebrew). Your choice is kept in your profile too.", True)),
    ("lounge", "moderators-lounge", "moderator@example.com", "Spam wave this week: what we are seeing",
     "Posts with shortened links from brand-new accounts. Please hide them and note it here.", False, None),
]  # fmt: skip


def ensure_categories() -> dict:
    categories = {}
    for position, (slug, name, description, language, group_name) in enumerate(CATEGORIES, start=1):
        category, _created = Category.objects.get_or_create(
            slug=slug,
            defaults={"name": str(name), "description": str(description), "position": position, "language": language},
        )
        if group_name:
            group, _created = Group.objects.get_or_create(name=group_name)
            category.restricted_to.add(group)
        categories[slug] = category
    return categories


def load_demo_topics(categories) -> int:
    users = {user.email: user for user in get_user_model().objects.filter(email__endswith="@example.com")}
    created = 0
    for source_id, slug, author, title, body, pinned, answer in DEMO_TOPICS:
        if author not in users or Topic.objects.filter(source="demo", source_id=source_id).exists():
            continue
        topic = create_topic(users[author], category=categories[slug], title=title, body=body)
        opening = topic.posts.get(position=1)
        if not opening.is_approved and DEMO_MODERATOR in users:
            # A demo member is a new member whose first posts wait for approval (FORUM_HOLD_FIRST_POSTS);
            # the demo moderator approves them, so the demo forum shows them (and the moderation log a decision).
            approve_post(users[DEMO_MODERATOR], opening)
        Topic.objects.filter(pk=topic.pk).update(source="demo", source_id=source_id, is_pinned=pinned)
        if answer and answer[0] in users:
            post = reply(users[answer[0]], topic, answer[1])
            if answer[2]:
                accept_answer(users[author], post)
        created += 1
    return created


def load_demo_forum(*, progress=True, stderr=None) -> str:
    """Build the demo forum; returns a one-line summary for load_demo to print."""
    categories = ensure_categories()
    dump = settings.CORPORA_DIR / "coffee-stackexchange" / "Posts.xml"
    summary = "coffee dump not found (set CORPORA_DIR)"
    if dump.is_file():
        result = import_stackexchange(dump, category="coffee", language="en", progress=progress, stderr=stderr)
        summary = (
            f"coffee.stackexchange.com: {result.created_topics} topics and {result.created_posts} answers created, "
            f"{result.unchanged} unchanged"
        )
    return f"Forum demo: {load_demo_topics(categories)} demo topics added; {summary}"
