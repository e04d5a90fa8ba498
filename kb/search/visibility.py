"""Who may see a search hit: decided in the index for narrowing, and again in the database.

The index stores each document's audiences ("public", "login", "group:<id>", "password:<id>")
so a search only ranks and counts documents its reader could plausibly open. The index can lag
behind the database, so every hit is checked again against the database before it is shown:
only live pages, and pages under Wagtail privacy restrictions only for those the restrictions
accept. Other content types register their own database check with :func:`register`.
"""

from collections.abc import Callable, Iterable

from wagtail.models import Page, PageViewRestriction

PUBLIC = "public"
#: model label ("app_label.modelname") -> function(request, ids) returning the visible ids.
_checks: dict[str, Callable] = {}


def register(model_label: str, check: Callable) -> None:
    _checks[model_label.lower()] = check


def registered_labels() -> frozenset[str]:
    """The content types search can return ("kb.articlepage", and what higher apps register)."""
    return frozenset(_checks)


def _ancestor_paths(paths: Iterable[str]) -> set[str]:
    steplen = Page.steplen
    return {path[:end] for path in paths for end in range(steplen, len(path) + 1, steplen)}


def page_audiences(page: Page) -> list[str]:
    """The audiences a page is shown to, from the restrictions on it and its ancestors."""
    restrictions = PageViewRestriction.objects.filter(page__path__in=_ancestor_paths([page.path])).prefetch_related(
        "groups"
    )
    audiences = []
    for restriction in restrictions:
        if restriction.restriction_type == PageViewRestriction.LOGIN:
            audiences.append("login")
        elif restriction.restriction_type == PageViewRestriction.GROUPS:
            audiences.extend(f"group:{group.pk}" for group in restriction.groups.all())
        elif restriction.restriction_type == PageViewRestriction.PASSWORD:
            audiences.append(f"password:{restriction.pk}")
    return audiences or [PUBLIC]


def reader_audiences(request) -> list[str]:
    """The audiences a reader belongs to (a superset check: the database decides in the end)."""
    audiences = [PUBLIC]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        audiences.append("login")
        if user.is_superuser:
            audiences.extend(f"group:{pk}" for pk in user.groups.model.objects.values_list("pk", flat=True))
        else:
            audiences.extend(f"group:{pk}" for pk in user.groups.values_list("pk", flat=True))
    session = getattr(request, "session", None)
    if session is not None:
        passed = session.get(PageViewRestriction.passed_view_restrictions_session_key, [])
        audiences.extend(f"password:{pk}" for pk in passed)
    return audiences


def visible_page_ids(request, ids: Iterable) -> set[int]:
    """Of these page ids, the ones that are live and whose restrictions accept this request."""
    pages = list(Page.objects.filter(pk__in=list(ids)).live().values_list("pk", "path"))
    if not pages:
        return set()
    restrictions = list(
        PageViewRestriction.objects.filter(page__path__in=_ancestor_paths(path for _pk, path in pages)).select_related(
            "page"
        )
    )
    accepted = {restriction.pk: restriction.accept_request(request) for restriction in restrictions}
    return {pk for pk, path in pages if all(accepted[r.pk] for r in restrictions if path.startswith(r.page.path))}


def visible_ids(request, model_label: str, ids: Iterable) -> set:
    """The ids of ``model_label`` objects this request may see; unknown types show nothing."""
    check = _checks.get(model_label.lower())
    if check is None:
        return set()
    return {int(pk) for pk in check(request, [int(pk) for pk in ids])}


register("kb.articlepage", visible_page_ids)
