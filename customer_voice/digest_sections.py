"""What a digest lists: its sections, each built from the site's own public data for one language.

Two sections belong to this app's floor: new and updated help articles (kb's visibility filter,
as the article feeds use it: live and public only) and featured forum answers (forum.permissions
for an anonymous reader: public categories, visible topics, visible posts only). Apps above this
one (stories) add theirs through the Wagtail hook :data:`DIGEST_SECTIONS_HOOK`, so this app never
imports them.

A section is ``{"title": str, "items": [{"title": str, "url": str, "summary": str}]}``; a URL may
be a path ("/ru/stories/...") and is made absolute with the site's base URL. An empty section is
left out.
"""

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail import hooks

from forum.permissions import visible_posts, visible_topics
from kb.models import ArticlePage
from kb.visibility import visible_pages

#: Hook: ``def hook(language, since, until) -> {"title": ..., "items": [{"title", "url", "summary"}]}``,
#: called inside ``translation.override(language)``; only public content may be returned.
DIGEST_SECTIONS_HOOK = "digest_sections"
#: At most this many items per section.
SECTION_SIZE = 8
SUMMARY_LENGTH = 200


def absolute_url(url: str) -> str:
    """A path on this site made absolute with BASE_URL (the way the site's other emails link)."""
    if url.startswith("/") and not url.startswith("//"):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    return url


def article_section(language: str, since, until) -> dict:
    """Help articles in ``language`` first published or updated in the period, public ones only."""
    articles = (
        visible_pages(
            ArticlePage.objects.filter(
                locale__language_code=language, last_published_at__gte=since, last_published_at__lt=until
            )
        )
        .order_by("-last_published_at", "-pk")
        .only("id", "title", "summary", "url_path", "path", "depth", "locale_id", "last_published_at")[:SECTION_SIZE]
    )
    return {
        "title": _("New and updated help articles"),
        "items": [
            {"title": article.title, "url": article.get_url(None) or "", "summary": article.summary}
            for article in articles
        ],
    }


def forum_answer_section(language: str, since, until) -> dict:
    """Accepted answers written in the period to questions in ``language`` that anyone may read.

    The forum keeps no time of acceptance, so the answer's own date places it in a period.
    """
    topics = (
        visible_topics(None)
        .filter(
            language=language,
            accepted_answer__in=visible_posts(None),
            accepted_answer__created_at__gte=since,
            accepted_answer__created_at__lt=until,
        )
        .select_related("accepted_answer")
        .order_by("-accepted_answer__score", "-pk")[:SECTION_SIZE]
    )
    return {
        "title": _("Featured forum answers"),
        "items": [
            {
                "title": topic.title,
                "url": topic.accepted_answer.get_absolute_url(),
                "summary": Truncator(strip_tags(topic.accepted_answer.body_html).strip()).chars(SUMMARY_LENGTH),
            }
            for topic in topics
        ],
    }


def digest_sections(language: str, since, until) -> list[dict]:
    """The non-empty sections of a digest for readers of ``language`` (call it in that language)."""
    builders = [article_section, forum_answer_section, *hooks.get_hooks(DIGEST_SECTIONS_HOOK)]
    sections = []
    for build in builders:
        section = build(language, since, until) or {}
        items = [
            {
                "title": str(item.get("title", "")),
                "url": absolute_url(str(item.get("url", ""))),
                "summary": str(item.get("summary", "") or ""),
            }
            for item in section.get("items", [])
        ]
        if items:
            sections.append({"title": str(section.get("title", "")), "items": items})
    return sections
