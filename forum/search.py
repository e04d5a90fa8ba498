"""Keeping forum topics in the search index, and re-checking every forum hit against the database.

Index writes happen after the transaction commits (as in kb.search.indexing): a rolled-back
reply never reaches the index. forum.services calls :func:`reindex_topic_after_commit` after
every change that can alter what a topic's document says or who may see it (create, reply,
edit, delete, accept, hide, move, a category's restriction). A topic that is hidden or deleted
is removed instead of indexed.

Hits are re-checked by :func:`visible_topic_ids_for_reader`, registered with kb.search.visibility,
so the index lagging behind (or an audience computed before a move) never shows a topic to someone
who cannot open it.
"""

import logging

from django.db import transaction

from forum.models import Topic
from forum.permissions import visible_topic_ids
from kb.search.indexing import index_objects

logger = logging.getLogger(__name__)


def index_topics(topic_ids) -> None:
    """Index the indexable topics among these ids and remove the rest."""
    index_objects(Topic, topic_ids)


def reindex_topic_after_commit(*topics) -> None:
    ids = [getattr(topic, "pk", topic) for topic in topics]

    def run():
        try:
            index_topics(ids)
        except Exception:
            # The forum change itself succeeded; the next change or `rebuild_index` repairs the index.
            logger.exception("Search index update failed for forum topics %s", ids)

    transaction.on_commit(run)


def reindex_category_after_commit(category) -> None:
    """A category's restriction or name changed: its topics' audiences and facet follow."""
    reindex_topic_after_commit(*category.topics.values_list("pk", flat=True))


def visible_topic_ids_for_reader(reader, ids) -> set[int]:
    return visible_topic_ids(reader.user, ids)
