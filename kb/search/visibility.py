"""Who may see a search hit: decided in the index for narrowing, and again in the database.

The index stores each document's audiences ("public", "login", "superuser", "group:<id>",
"password:<id>", see kb.visibility) so a search only ranks and counts documents its reader could
plausibly open. The index can lag behind the database, so every hit is checked again against the
database before it is shown: help pages through kb.visibility's one page filter. Other content
types register their own database check with :func:`register`.
"""

from collections.abc import Callable, Iterable

from kb.visibility import PUBLIC, page_audiences, reader_audiences, visible_page_ids

__all__ = ["PUBLIC", "page_audiences", "reader_audiences", "register", "registered_labels", "visible_ids"]

#: model label ("app_label.modelname") -> function(request, ids) returning the visible ids.
_checks: dict[str, Callable] = {}


def register(model_label: str, check: Callable) -> None:
    _checks[model_label.lower()] = check


def registered_labels() -> frozenset[str]:
    """The content types search can return ("kb.articlepage", and what higher apps register)."""
    return frozenset(_checks)


def visible_ids(request, model_label: str, ids: Iterable) -> set:
    """The ids of ``model_label`` objects this request may see; unknown types show nothing."""
    check = _checks.get(model_label.lower())
    if check is None:
        return set()
    return {int(pk) for pk in check(request, [int(pk) for pk in ids])}


register("kb.articlepage", visible_page_ids)
