"""Staff turn a solved topic into a draft help article, for an editor to finish and publish.

The draft goes under the help category of the first article the accepted answer links in the
topic's language, or else under a "Community answers" category (created as a draft itself, so
nothing appears on the help center until an editor publishes). Asking twice returns the same
draft.
"""

from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from forum.services.errors import ActionRefused, NotAllowed
from kb.article_links import linked_articles
from kb.importing import ensure_help_center, translation_key_for
from kb.models import ArticlePage, CategoryPage

COMMUNITY_CATEGORY = "community-answers"


def can_draft_article(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("wagtailadmin.access_admin")
    )


def _category(topic, answer_html) -> CategoryPage:
    for article in linked_articles(answer_html):
        if article.locale.language_code == topic.language:
            return article.get_parent().specific
    home = ensure_help_center(topic.language)
    key = translation_key_for("category", COMMUNITY_CATEGORY)
    category = CategoryPage.objects.filter(translation_key=key, locale=home.locale).first()
    if category is None:
        with override(topic.language):
            category = CategoryPage(
                title=_("Community answers"),
                slug=COMMUNITY_CATEGORY,
                locale=home.locale,
                translation_key=key,
                live=False,
            )
        home.add_child(instance=category)
    return category


def draft_article_from_topic(user, topic) -> ArticlePage:
    if not can_draft_article(user):
        raise NotAllowed(_("Only staff can turn a topic into a help article."))
    answer = topic.accepted_answer
    if answer is None or answer.deleted_at is not None:
        raise ActionRefused(_("Only a solved topic can become a help article."))
    question = topic.posts.filter(position=1).first()
    key = translation_key_for("forum-topic", str(topic.pk))
    existing = ArticlePage.objects.filter(translation_key=key, locale__language_code=topic.language).first()
    if existing is not None:
        return existing
    with transaction.atomic(), override(topic.language):
        category = _category(topic, answer.body_html)
        base = slugify(topic.title, allow_unicode=True)[:60].strip("-") or "community-answer"
        slug = base if not category.get_children().filter(slug=base).exists() else f"{base}-{topic.pk}"
        summary = " ".join(strip_tags(question.body_html if question else "").split())[:300]
        article = ArticlePage(
            title=topic.title[:255],
            slug=slug,
            summary=summary,
            locale=category.locale,
            translation_key=key,
            live=False,
            body=[
                ("paragraph", question.body_html if question else ""),
                ("heading", {"text": _("Answer"), "level": "h2"}),
                ("paragraph", answer.body_html),
            ],
        )
        category.add_child(instance=article)
        article.save_revision(user=user, log_action=True)
    return article
