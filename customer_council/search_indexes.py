"""Council content in the unified search: for council members and managers, and nobody else.

Two kinds of document join the index with the shared fields of kb.search_indexes (text, title,
title_words, language, category, content_type, audience, url, summary, spelling) and the result
type ``"council"``:

* council pages (:class:`~customer_council.models.CouncilPage`), whose audiences come from
  kb.visibility like any help page's: the council section's Wagtail restriction makes them
  ``superuser`` + ``group:<Council members>`` + ``group:<Council managers>``. kb.search.indexing
  already keeps Wagtail pages fresh (publish, unpublish, move, privacy changes);
* ideas on the board (not hidden by a moderator, not merged into another), with the audiences
  of the council groups. :func:`reindex_ideas_after_commit` keeps them fresh.

Restricted documents lend no word to "Did you mean" (``spelling`` is empty: kb's public_words).

Each hit is re-checked against the database before it is shown (kb.search.visibility):
council pages through kb.visibility's page filter, ideas through :func:`visible_idea_urls`,
which asks customer_council.access whether the reader may enter *now*, so a member whose term
ended at midnight finds nothing even before the index or their groups catch up.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import override
from haystack import indexes
from wagtail.models import Page

from customer_council.access import ACCESS_GROUP, MANAGERS_GROUP, is_manager, may_enter
from customer_council.models import CouncilIndexPage, CouncilPage, Idea, Membership
from kb import search_indexes as kb_indexes
from kb.search.analysis import text_analyzer, title_analyzer, words_analyzer
from kb.search.indexing import index_objects
from kb.search.visibility import register
from kb.search_indexes import TITLE_BOOST, public_words, spelling_field
from kb.visibility import visible_page_urls
from sitewide.reader import SUPERUSER

logger = logging.getLogger(__name__)

#: The result type of every council hit (the search page labels it "Council").
RESULT_TYPE = "council"
#: The search-index kinds of council content (kb.search.visibility's model labels).
PAGE_LABEL = "customer_council.councilpage"
IDEA_LABEL = "customer_council.idea"
SUMMARY_CHARACTERS = 240
MAX_INDEXED_CHARACTERS = 40_000


class CouncilPageIndex(kb_indexes.ArticlePageIndex):
    """Council pages: an article's document, under the council's type.

    (The base class is named through its module: haystack registers every index class a
    search_indexes module holds, and would find the help articles' index here a second time.)
    """

    def get_model(self):
        return CouncilPage

    def prepare_content_type(self, page):
        return RESULT_TYPE


def council_audiences() -> list[str]:
    """Who may see an idea's document: superusers and the two council groups (never "public")."""
    groups = Group.objects.filter(name__in=[ACCESS_GROUP, MANAGERS_GROUP]).order_by("pk")
    return [SUPERUSER] + [f"group:{pk}" for pk in groups.values_list("pk", flat=True)]


def authors_languages(user_ids) -> dict[int, str]:
    """The language of each author's latest membership (the invitation's language)."""
    rows = Membership.objects.filter(user_id__in=[pk for pk in user_ids if pk]).order_by("user_id", "created_at")
    return dict(rows.values_list("user_id", "language"))


class IdeaIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, analyzer=text_analyzer())
    title = indexes.CharField(model_attr="title", boost=TITLE_BOOST, analyzer=title_analyzer())
    title_words = indexes.CharField(model_attr="title", analyzer=words_analyzer(), stored=False)
    language = indexes.CharField(faceted=True)
    category = indexes.CharField(faceted=True)
    content_type = indexes.CharField(faceted=True)
    #: "superuser" and "group:<id>" of "Council members" and "Council managers": never "public".
    audience = indexes.MultiValueField()
    url = indexes.CharField(indexed=False)
    summary = indexes.CharField(indexed=False)
    #: Always empty: council words never reach "Did you mean".
    spelling = spelling_field()

    def get_model(self):
        return Idea

    def index_queryset(self, using=None):
        return Idea.objects.filter(hidden=False, merged_into__isnull=True).select_related("product_area")

    def should_update(self, instance, **kwargs):
        return not instance.hidden and instance.merged_into_id is None

    def preload(self, ideas):
        """What ``prepare`` needs of a batch of ideas, in two queries however many."""
        audiences = council_audiences()
        languages = authors_languages({idea.author_id for idea in ideas if idea.author_id})
        for idea in ideas:
            idea.search_audiences = audiences
            idea.search_language = languages.get(idea.author_id, settings.LANGUAGE_CODE)

    def prepare(self, idea):
        data = super().prepare(idea)
        data["spelling"] = public_words(data)
        return data

    def prepare_language(self, idea):
        # An idea does not record its language: its author's (their membership's) stands in.
        if hasattr(idea, "search_language"):
            return idea.search_language
        return authors_languages({idea.author_id}).get(idea.author_id, settings.LANGUAGE_CODE)

    def prepare_category(self, idea):
        return idea.product_area.name if idea.product_area_id else ""

    def prepare_content_type(self, idea):
        return RESULT_TYPE

    def prepare_audience(self, idea):
        if hasattr(idea, "search_audiences"):
            return idea.search_audiences
        return council_audiences()

    def prepare_url(self, idea):
        return idea_url(idea.pk)

    def prepare_summary(self, idea):
        return " ".join(idea.problem.split())[:SUMMARY_CHARACTERS]

    def prepare_text(self, idea):
        parts = [idea.title, idea.problem, strip_tags(idea.body_html), " ".join(idea.tags or [])]
        return "\n".join(part for part in parts if part)[:MAX_INDEXED_CHARACTERS]


def idea_url(idea_id: int, language: str | None = None) -> str:
    """The idea's page in ``language`` (the active one by default)."""
    with override(language or settings.LANGUAGE_CODE):
        return reverse("customer_council:idea", args=[idea_id])


# --- Keeping ideas in the index --------------------------------------------------------------------


def index_ideas(idea_ids) -> None:
    """Index the indexable ideas among these ids and remove the rest (hidden, merged, deleted)."""
    index_objects(Idea, idea_ids)


def reindex_ideas_after_commit(*ideas) -> None:
    """After the transaction commits, bring these ideas' documents in step (ideas or ids).

    customer_council.services.ideas should call it wherever an idea's text, visibility or merge
    changes (its ``.update()`` writes send no ``post_save``).
    """
    ids = [getattr(idea, "pk", idea) for idea in ideas]

    def run():
        try:
            index_ideas(ids)
        except Exception:
            # The change itself succeeded; the next change or `rebuild_index` repairs the index.
            logger.exception("Search index update failed for council ideas %s", ids)

    transaction.on_commit(run)


def _idea_saved(sender, instance, **kwargs):
    reindex_ideas_after_commit(instance.pk)


def _idea_deleted(sender, instance, **kwargs):
    reindex_ideas_after_commit(instance.pk)


# --- Re-checking every council hit against the database ---------------------------------------------


def may_read_council(reader) -> bool:
    """Whether this reader may see council content now (the one rule, or a council manager)."""
    user = reader.authenticated_user if reader is not None else None
    return user is not None and (is_manager(user) or may_enter(user))


def visible_council_page_urls(reader, ids) -> dict[int, str]:
    """Of these council page ids, those this reader may open, each with its current URL.

    kb.visibility's page filter decides, as for help pages (a council page moved out of the
    council section is shown by its new restrictions); pages inside a council section are
    also checked against the one rule, so a reader whose group membership is stale (a term
    that ended since their groups were last synced) sees none of them.
    """
    urls = visible_page_urls(reader, ids)
    if not urls or may_read_council(reader):
        return urls
    sections = list(CouncilIndexPage.objects.values_list("path", flat=True))
    inside = {
        pk
        for pk, path in Page.objects.filter(pk__in=list(urls)).values_list("pk", "path")
        if any(path.startswith(section) for section in sections)
    }
    return {pk: url for pk, url in urls.items() if pk not in inside}


def visible_idea_urls(reader, ids) -> dict[int, str]:
    """Of these idea ids, those this reader may open now, each with its URL in the reader's language."""
    if not ids or not may_read_council(reader):
        return {}
    visible = Idea.objects.filter(pk__in=list(ids), hidden=False, merged_into__isnull=True).values_list("pk", flat=True)
    return {pk: idea_url(pk, reader.language) for pk in visible}


def connect() -> None:
    """Register the council's hit checks and keep ideas fresh (idempotent).

    Called by customer_council's AppConfig.ready, so an idea saved before the first search of a
    process is indexed, and when haystack imports this module.
    """
    register(PAGE_LABEL, visible_council_page_urls)
    register(IDEA_LABEL, visible_idea_urls)
    post_save.connect(_idea_saved, sender=Idea, dispatch_uid="council.search.idea_saved")
    post_delete.connect(_idea_deleted, sender=Idea, dispatch_uid="council.search.idea_deleted")


connect()
