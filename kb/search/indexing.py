"""Keeping the search index in step with publishing.

Index writes happen after the transaction commits (a rolled-back publish never reaches the
index) and follow what readers see, not what editors draft:

* publish -> (re)index the page;
* unpublish or delete -> remove it (and its subtree);
* move, or a privacy restriction added, changed or removed -> re-index the subtree, so its
  audiences follow the new restrictions. Wagtail's privacy form saves a group restriction
  before its groups, each in its own commit: the restriction's groups changing re-indexes
  again, and in between the page's audience is "superusers" (kb.visibility), never "public";
* saving a draft revision changes nothing: the page row keeps its live content and no signal
  here fires for it.
"""

import logging

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from haystack import connections
from haystack.exceptions import NotHandled
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)


def _index_for(model):
    try:
        return connections["default"].get_unified_index().get_index(model)
    except NotHandled:
        return None


def index_pages(page_ids) -> None:
    """Index the live pages among these ids and remove the rest (runs after commit).

    One write per index for the pages to update and one for those to remove, however many.
    """
    page_ids = list(page_ids)
    live = {page.pk: page for page in Page.objects.filter(pk__in=page_ids).live().specific()}
    backend = connections["default"].get_backend()
    by_index, gone = {}, []
    for pk in page_ids:
        page = live.get(pk)
        if page is None:
            gone.extend(f"{model._meta.label_lower}.{pk}" for model in indexed_page_models())
        elif (index := _index_for(type(page))) is not None:
            by_index.setdefault(index, []).append(page)
    for index, pages in by_index.items():
        backend.update(index, pages)
    if gone:
        remove_pages(gone)


def index_objects(model, ids) -> None:
    """Index the objects of ``model`` among these ids that its index keeps (``index_queryset``)
    and remove the documents of the rest (hidden, merged, deleted): the forum's topics and the
    council's ideas alike. One write to update and one to remove, however many."""
    ids = [int(pk) for pk in ids]
    index = _index_for(model)
    if index is None:
        return
    kept = list(index.index_queryset().filter(pk__in=ids))
    if kept:
        connections["default"].get_backend().update(index, kept)
    kept_ids = {obj.pk for obj in kept}
    gone = [f"{model._meta.label_lower}.{pk}" for pk in ids if pk not in kept_ids]
    if gone:
        remove_pages(gone)


def remove_pages(identifiers) -> None:
    backend = connections["default"].get_backend()
    if hasattr(backend, "remove_many"):
        backend.remove_many(identifiers)
    else:
        for identifier in identifiers:
            backend.remove(identifier)


def indexed_page_models():
    return [
        model for model in connections["default"].get_unified_index().get_indexed_models() if issubclass(model, Page)
    ]


def after_commit(function, *args) -> None:
    def run():
        try:
            function(*args)
        except Exception:
            # The page change itself succeeded; a failed index write is logged and repaired by
            # the next publish or `manage.py rebuild_index`.
            logger.exception("Search index update failed")

    transaction.on_commit(run)


def subtree_ids(page) -> list[int]:
    return list(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


#: A container page (a category) with at most this many children re-indexes them when published,
#: so hits show its new title; bigger ones wait for `rebuild_index`.
MAX_CHILDREN_REINDEXED = 1000


def on_published(sender, instance, **kwargs):
    ids = [instance.pk]
    if _index_for(type(instance)) is None:
        children = list(Page.objects.child_of(instance).values_list("pk", flat=True)[: MAX_CHILDREN_REINDEXED + 1])
        if len(children) <= MAX_CHILDREN_REINDEXED:
            ids += children
    after_commit(index_pages, ids)


def on_unpublished(sender, instance, **kwargs):
    after_commit(index_pages, subtree_ids(instance))


def on_moved(sender, instance, **kwargs):
    after_commit(index_pages, subtree_ids(instance))


def on_page_deleted(sender, instance, **kwargs):
    identifiers = [f"{model._meta.label_lower}.{instance.pk}" for model in indexed_page_models()]
    after_commit(remove_pages, identifiers)


def on_restriction_changed(sender, instance, **kwargs):
    try:
        page = Page.objects.get(pk=instance.page_id)
    except Page.DoesNotExist:
        return
    after_commit(index_pages, subtree_ids(page))


def on_restriction_groups_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, PageViewRestriction):
        on_restriction_changed(sender, instance)


def connect() -> None:
    page_published.connect(on_published, dispatch_uid="kb.search.published")
    page_unpublished.connect(on_unpublished, dispatch_uid="kb.search.unpublished")
    post_page_move.connect(on_moved, dispatch_uid="kb.search.moved")
    # Deleting a specific page deletes its Page row too, so one receiver on Page sees them all.
    pre_delete.connect(on_page_deleted, sender=Page, dispatch_uid="kb.search.deleted")
    post_save.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="kb.search.restriction")
    post_delete.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="kb.search.unrestricted")
    m2m_changed.connect(
        on_restriction_groups_changed, sender=PageViewRestriction.groups.through, dispatch_uid="kb.search.groups"
    )
