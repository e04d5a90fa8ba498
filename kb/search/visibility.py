"""Who may see a search hit: decided in the index for narrowing, and again in the database.

The index stores each document's audiences ("public", "login", "superuser", "group:<id>",
"password:<id>", see kb.visibility) so a search only ranks and counts documents its reader could
plausibly open. The index can lag behind the database, so every hit is checked again against the
database before it is shown: help pages through kb.visibility's one page filter. Other content
types register their own database check with :func:`register`.

The re-check also says where a hit links to now: a help page's URL follows moves and the site's
structure, so the index may store one that went stale. A check that returns the visible objects'
current URLs is believed over the index; a check that returns ids only leaves the stored URL.
"""

from collections.abc import Callable, Iterable, Mapping

from kb.visibility import PUBLIC, page_audiences, reader_audiences, visible_page_ids, visible_page_urls

__all__ = [
    "ARTICLE_LABEL",
    "PUBLIC",
    "page_audiences",
    "reader_audiences",
    "register",
    "register_confidential_type",
    "registered_labels",
    "touches_confidential",
    "visible_ids",
    "visible_page_ids",
    "visible_urls",
]

#: The search-index kind of a help article.
ARTICLE_LABEL = "kb.articlepage"

#: Result types whose words and counts must stay with their audience: a search that found any
#: of them is kept out of the staff's search analytics (kb.search.analytics), since the query
#: itself may name what only that audience knows (a council's roadmap code name).
_confidential_types: set[str] = set()


def register_confidential_type(result_type: str) -> None:
    _confidential_types.add(result_type)


def touches_confidential(hits=(), facets=None) -> bool:
    """Whether these hits, or the ``content_type`` facet of their search, include a confidential type."""
    if any(hit.type in _confidential_types for hit in hits):
        return True
    counts = (facets or {}).get("content_type") or ()
    return any(value in _confidential_types and count for value, count in counts)


#: model label ("app_label.modelname") -> function(reader, ids) returning the visible ids, or a
#: mapping of the visible ids to their current URLs.
_checks: dict[str, Callable] = {}


def register(model_label: str, check: Callable) -> None:
    _checks[model_label.lower()] = check


def registered_labels() -> frozenset[str]:
    """The content types search can return ("kb.articlepage", and what higher apps register)."""
    return frozenset(_checks)


def visible_ids(reader, model_label: str, ids: Iterable) -> set:
    """The ids of ``model_label`` objects this reader may see; unknown types show nothing."""
    return set(visible_urls(reader, model_label, ids))


def visible_urls(reader, model_label: str, ids: Iterable) -> dict[int, str | None]:
    """The ids of ``model_label`` objects this reader may see, each with its current URL from the
    database, or None where the type's check gives none (the index's URL stands)."""
    check = _checks.get(model_label.lower())
    if check is None:
        return {}
    visible = check(reader, [int(pk) for pk in ids])
    if isinstance(visible, Mapping):
        return {int(pk): url for pk, url in visible.items()}
    return dict.fromkeys((int(pk) for pk in visible), None)


register(ARTICLE_LABEL, visible_page_urls)
