"""Council content in the unified search: for council members and managers, and nobody else.

Two kinds of document join the index with the shared fields of kb.search_indexes (text, title,
title_words, language, category, content_type, audience, url, summary, spelling) and the result
type ``"council"``:

* council pages (:class:`~customer_council.models.CouncilPage`), whose audiences come from
  kb.visibility like any help page's: the council section's Wagtail restriction makes them
  ``superuser`` + ``group:<Council members>`` + ``group:<Council managers>``. kb.search.indexing
  already keeps Wagtail pages fresh (publish, unpublish, move, privacy changes);
* ideas on the board (not hidden by a moderator, not merged into another), roadmap items and
  meetings, with the audiences of the council groups (:class:`CouncilObjectIndex`).
  :func:`reindex_after_commit` keeps them fresh (``post_save``/``post_delete``, and the
  services for their ``.update()`` writes).

Restricted documents lend no word to "Did you mean" (``spelling`` is empty: kb's public_words).

Each hit is re-checked against the database before it is shown (kb.search.visibility):
council pages through kb.visibility's page filter, ideas, roadmap items and meetings through
:func:`visible_idea_urls` / :func:`visible_object_urls`, which ask customer_council.access
whether the reader may enter *now*, so a member whose term
ended at midnight finds nothing even before the index or their groups catch up.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import override
from haystack import indexes
from wagtail.models import Page

from customer_council.access import ACCESS_GROUP, MANAGERS_GROUP, is_manager, may_enter, visible_meetings
from customer_council.models import AgendaItem, CouncilIndexPage, CouncilPage, Idea, Meeting, Membership, RoadmapItem
from kb import search_indexes as kb_indexes
from kb.search.analysis import text_analyzer, title_analyzer, words_analyzer
from kb.search.indexing import index_objects
from kb.search.visibility import register, register_confidential_type
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


def users_languages(user_ids) -> dict[int, str]:
    """The language of each user's latest membership (the invitation's language), else their
    preferred language (a manager or staff member has no membership)."""
    ids = [pk for pk in user_ids if pk]
    languages = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "preferred_language"))
    rows = Membership.objects.filter(user_id__in=ids).order_by("user_id", "created_at")
    languages.update(rows.values_list("user_id", "language"))
    return languages


class CouncilObjectIndex(indexes.SearchIndex):
    """The shared document of the council's own objects (ideas, roadmap items, meetings): the
    unified search's fields, the council's audiences and result type, no spelling words.
    Not Indexable itself: each kind below is."""

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

    #: Whose language stands in for the object's (it records none): its author's or creator's.
    language_user_field = "created_by_id"

    def preload(self, objects):
        """What ``prepare`` needs of a batch, in two queries however many."""
        audiences = council_audiences()
        user_ids = {getattr(obj, self.language_user_field) for obj in objects}
        languages = users_languages(user_ids)
        for obj in objects:
            obj.search_audiences = audiences
            obj.search_language = languages.get(getattr(obj, self.language_user_field), settings.LANGUAGE_CODE)

    def prepare(self, obj):
        data = super().prepare(obj)
        data["spelling"] = public_words(data)
        return data

    def prepare_language(self, obj):
        if hasattr(obj, "search_language"):
            return obj.search_language
        user_id = getattr(obj, self.language_user_field)
        return users_languages({user_id}).get(user_id, settings.LANGUAGE_CODE)

    def prepare_category(self, obj):
        return obj.product_area.name if getattr(obj, "product_area_id", None) else ""

    def prepare_content_type(self, obj):
        return RESULT_TYPE

    def prepare_audience(self, obj):
        if hasattr(obj, "search_audiences"):
            return obj.search_audiences
        return council_audiences()

    def prepare_url(self, obj):
        return council_url(self.url_name, obj.pk)


class IdeaIndex(CouncilObjectIndex, indexes.Indexable):
    language_user_field = "author_id"
    url_name = "customer_council:idea"

    def get_model(self):
        return Idea

    def index_queryset(self, using=None):
        return Idea.objects.filter(hidden=False, merged_into__isnull=True).select_related("product_area")

    def should_update(self, instance, **kwargs):
        return not instance.hidden and instance.merged_into_id is None

    def prepare_summary(self, idea):
        return " ".join(idea.problem.split())[:SUMMARY_CHARACTERS]

    def prepare_text(self, idea):
        parts = [idea.title, idea.problem, strip_tags(idea.body_html), " ".join(idea.tags or [])]
        return "\n".join(part for part in parts if part)[:MAX_INDEXED_CHARACTERS]


class RoadmapItemIndex(CouncilObjectIndex, indexes.Indexable):
    """Roadmap previews, embargoed or not: the preview's text is the council's, always (what the
    public may read is the separate "What's new" entry, which is not in the index)."""

    url_name = "customer_council:roadmap_item"

    def get_model(self):
        return RoadmapItem

    def index_queryset(self, using=None):
        return RoadmapItem.objects.select_related("product_area")

    def prepare_summary(self, item):
        return " ".join(strip_tags(item.summary_html).split())[:SUMMARY_CHARACTERS]

    def prepare_text(self, item):
        return "\n".join(part for part in [item.title, strip_tags(item.summary_html)] if part)[:MAX_INDEXED_CHARACTERS]


class MeetingIndex(CouncilObjectIndex, indexes.Indexable):
    """Meetings: title, description, agenda and (once published) minutes."""

    url_name = "customer_council:meeting"

    def get_model(self):
        return Meeting

    def index_queryset(self, using=None):
        return Meeting.objects.prefetch_related("agenda_items")

    def prepare_summary(self, meeting):
        return " ".join(strip_tags(meeting.description_html).split())[:SUMMARY_CHARACTERS]

    def prepare_text(self, meeting):
        parts = [meeting.title, strip_tags(meeting.description_html)]
        parts += [f"{item.title} {item.notes}" for item in meeting.agenda_items.all()]
        if meeting.minutes_published_at:
            parts.append(strip_tags(meeting.minutes))
        return "\n".join(part for part in parts if part)[:MAX_INDEXED_CHARACTERS]


def council_url(url_name: str, pk: int, language: str | None = None) -> str:
    """An object's council page in ``language`` (the default language if none)."""
    with override(language or settings.LANGUAGE_CODE):
        return reverse(url_name, args=[pk])


def idea_url(idea_id: int, language: str | None = None) -> str:
    """The idea's page in ``language`` (the default language if none)."""
    return council_url(IdeaIndex.url_name, idea_id, language)


# --- Keeping the council's objects in the index ----------------------------------------------------


def reindex_after_commit(model, *objects) -> None:
    """After the transaction commits, bring these objects' documents (objects or ids) in step:
    index the indexable ones, remove the rest (hidden, merged, deleted)."""
    ids = [getattr(obj, "pk", obj) for obj in objects]

    def run():
        try:
            index_objects(model, ids)
        except Exception:
            # The change itself succeeded; the next change or `rebuild_index` repairs the index.
            logger.exception("Search index update failed for %s %s", model._meta.label, ids)

    transaction.on_commit(run)


def reindex_ideas_after_commit(*ideas) -> None:
    """The ideas' documents in step after commit. customer_council.services.ideas calls it
    wherever an idea's text, visibility or merge changes (its ``.update()`` writes send no
    ``post_save``)."""
    reindex_after_commit(Idea, *ideas)


def _saved_or_deleted(sender, instance, **kwargs):
    reindex_after_commit(sender, instance.pk)


def _agenda_changed(sender, instance, **kwargs):
    # A meeting's form saves its agenda after the meeting itself (and outside a transaction,
    # the meeting's own reindex has already run): the agenda's words join the meeting's document.
    reindex_after_commit(Meeting, instance.meeting_id)


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


def visible_object_urls(index_class):
    """The hit check of a council object every member may open (roadmap items)."""
    model, url_name = index_class().get_model(), index_class.url_name

    def check(reader, ids) -> dict[int, str]:
        if not ids or not may_read_council(reader):
            return {}
        existing = model.objects.filter(pk__in=list(ids)).values_list("pk", flat=True)
        return {pk: council_url(url_name, pk, reader.language) for pk in existing}

    return check


def visible_meeting_urls(reader, ids) -> dict[int, str]:
    """Of these meeting ids, those this reader may open now (a cohort's meeting is its members'
    and the managers'), each with its URL in the reader's language."""
    user = reader.authenticated_user if reader is not None else None
    if not ids or user is None:
        return {}
    visible = visible_meetings(user).filter(pk__in=list(ids)).values_list("pk", flat=True)
    return {pk: council_url(MeetingIndex.url_name, pk, reader.language) for pk in visible}


def connect() -> None:
    """Register the council's hit checks and keep ideas fresh (idempotent).

    Called by customer_council's AppConfig.ready, so an idea saved before the first search of a
    process is indexed, and when haystack imports this module.
    """
    register_confidential_type(RESULT_TYPE)
    register(PAGE_LABEL, visible_council_page_urls)
    register(IDEA_LABEL, visible_idea_urls)
    register(RoadmapItem._meta.label_lower, visible_object_urls(RoadmapItemIndex))
    register(Meeting._meta.label_lower, visible_meeting_urls)
    for model in (Idea, RoadmapItem, Meeting):
        uid = f"council.search.{model._meta.model_name}"
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=f"{uid}_deleted")
    post_save.connect(_agenda_changed, sender=AgendaItem, dispatch_uid="council.search.agenda_saved")
    post_delete.connect(_agenda_changed, sender=AgendaItem, dispatch_uid="council.search.agenda_deleted")


connect()
