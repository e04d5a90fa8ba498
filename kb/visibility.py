"""Who may see a page: the one filter every listing, feed, sitemap and search re-check goes through.

A page is visible to a reader when it is live and every Wagtail view restriction on it or on an
ancestor accepts the reader, exactly as ``PageViewRestriction.accept_request`` decides when the
page itself is opened:

* login: any logged-in reader;
* groups: a superuser, or a member of one of the restriction's groups (no groups: superusers only);
* password: a reader whose session has passed that restriction's password form;
* none: everyone.

:func:`visible_pages` narrows any page queryset in SQL, in the same single query (one ``NOT
EXISTS`` over the restrictions that keep this reader out), so a listing costs no extra query and
no parameter per restricted section however much private content there is. A reader is a
sitewide.reader.Reader (``request.reader`` in a view) or None for an anonymous visitor with no
session: feeds and the sitemap are fetched without one and list public pages only.

The search index stores the same decision as audiences (:func:`page_audiences`,
:func:`reader_audiences`) so that it can narrow before ranking; the database re-check
(:func:`visible_page_urls`, which also gives each hit its page's current URL) is this module's
filter again.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from wagtail.models import Page, PageViewRestriction

from sitewide.reader import LOGIN, PUBLIC, SUPERUSER, Reader


def _reader(reader) -> Reader:
    """None is an anonymous visitor with no session (feeds, the sitemap)."""
    if reader is None:
        return Reader.anonymous()
    if not isinstance(reader, Reader):
        raise TypeError(f"Expected a sitewide.reader.Reader (request.reader), got {type(reader).__name__}")
    return reader


def _accepted_q(reader) -> Q:
    """The restrictions that let this reader in, as a condition on PageViewRestriction."""
    reader = _reader(reader)
    accepted = Q(restriction_type=PageViewRestriction.NONE)
    passed = reader.passed_password_restrictions
    if passed:
        accepted |= Q(restriction_type=PageViewRestriction.PASSWORD, pk__in=passed)
    user = reader.authenticated_user
    if user is not None:
        accepted |= Q(restriction_type=PageViewRestriction.LOGIN)
        if user.is_superuser:
            accepted |= Q(restriction_type=PageViewRestriction.GROUPS)
        else:
            in_a_group = PageViewRestriction.groups.through.objects.filter(
                pageviewrestriction_id=OuterRef("pk"), group__user=user
            )
            accepted |= Q(Exists(in_a_group), restriction_type=PageViewRestriction.GROUPS)
    return accepted


def excluding_restrictions(reader) -> QuerySet:
    """The view restrictions that keep this reader out."""
    return PageViewRestriction.objects.exclude(_accepted_q(reader))


def _keeping_out(reader) -> Exists:
    """Whether a restriction on the page (an outer query's row) or an ancestor keeps ``reader`` out."""
    # A restriction covers a page when the restricted page's path is a prefix of the page's path.
    covering = excluding_restrictions(reader).filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path")),
    )
    return Exists(covering)


def visible_pages(queryset: QuerySet, reader=None) -> QuerySet:
    """``queryset`` narrowed to live pages whose restrictions (and their ancestors') accept ``reader``."""
    return queryset.live().exclude(_keeping_out(reader))


def is_public():
    """An annotation: True for a page whose restrictions (and its ancestors') let in a visitor with
    no session; liveness is the listing's own filter. For a listing shown to a member that must also
    say what is public (the hreflang alternates, which crawlers follow), in the listing's query."""
    return ~_keeping_out(None)


def visible_in_order(pages: Iterable[Page], reader=None) -> list[Page]:
    """Of these pages, the visible ones, in the given order (one query)."""
    pages = [page for page in pages if page is not None]
    allowed = visible_page_ids(reader, [page.pk for page in pages])
    return [page for page in pages if page.pk in allowed]


def visible_page_ids(reader, ids: Iterable) -> set[int]:
    """Of these page ids, the ones this reader may see (the search hits' database re-check)."""
    ids = list(ids)
    if not ids:
        return set()
    return set(visible_pages(Page.objects.filter(pk__in=ids), reader).values_list("pk", flat=True))


def visible_page_urls(reader, ids: Iterable) -> dict[int, str]:
    """Of these page ids, the ones this reader may see, each with its URL as routed now.

    The search hits' database re-check: a hit links to where the page is today, whatever URL the
    index stored when it was written (before its category moved, or before its language's home
    joined the site). One query however many ids; the URLs come from Wagtail's site root paths,
    which it keeps in the cache. The reader is not passed to Wagtail: it need not be a request,
    and a page's URL is the same for every reader. A page no site routes has the URL "".
    """
    ids = list(ids)
    if not ids:
        return {}
    pages = visible_pages(Page.objects.filter(pk__in=ids), reader).only("pk", "url_path")
    return {page.pk: page.get_url() or "" for page in pages}


def _ancestor_paths(paths: Iterable[str]) -> set[str]:
    steplen = Page.steplen
    return {path[:end] for path in paths for end in range(steplen, len(path) + 1, steplen)}


def restriction_audiences(restriction: PageViewRestriction) -> list[str]:
    """Who one restriction lets in, as index audiences (fail closed: never "public")."""
    if restriction.restriction_type == PageViewRestriction.LOGIN:
        return [LOGIN]
    if restriction.restriction_type == PageViewRestriction.GROUPS:
        return [SUPERUSER] + [f"group:{group.pk}" for group in restriction.groups.all()]
    if restriction.restriction_type == PageViewRestriction.PASSWORD:
        return [f"password:{restriction.pk}"]
    return [PUBLIC]


def page_audiences(page: Page) -> list[str]:
    """The audiences a page is shown to, from the restrictions on it and its ancestors.

    A superset: a reader in any of them may be let in, the database decides (a page under two
    restrictions needs both). A group restriction whose groups are not saved yet (Wagtail's
    privacy form saves the restriction first) is shown to superusers only, never to "public".
    """
    return pages_audiences([page])[page.pk]


def pages_audiences(pages: Iterable[Page]) -> dict[int, list[str]]:
    """:func:`page_audiences` of many pages (by id), from one query for all their restrictions."""
    pages = list(pages)
    restrictions = (
        PageViewRestriction.objects.filter(page__path__in=_ancestor_paths(page.path for page in pages))
        .exclude(restriction_type=PageViewRestriction.NONE)
        .select_related("page")
        .prefetch_related("groups")
    )
    by_path = {}
    for restriction in restrictions:
        by_path.setdefault(restriction.page.path, []).append(restriction)
    steplen = Page.steplen
    audiences = {}
    for page in pages:
        applying = [
            restriction
            for end in range(steplen, len(page.path) + 1, steplen)
            for restriction in by_path.get(page.path[:end], ())
        ]
        found = [
            audience
            for restriction in sorted(applying, key=lambda r: r.pk)
            for audience in restriction_audiences(restriction)
        ]
        audiences[page.pk] = list(dict.fromkeys(found)) or [PUBLIC]
    return audiences


def reader_audiences(reader) -> list[str]:
    """The audiences a reader belongs to (a superset check: the database decides in the end)."""
    return _reader(reader).audiences
