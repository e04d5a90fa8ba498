"""Public search: the search page, the typeahead suggestions API (both on kb.search.service) and
the result-click redirect that feeds the staff search reports (kb.search.analytics)."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kb.models import SearchEvent
from kb.search.analytics import record_click, record_search
from kb.search.service import FACETS, SearchResults, SearchUnavailable, clean_query, search, suggest
from sitewide.ratelimit import rate_limited
from sitewide.redirects import is_local_path

MAX_PAGE = 100
#: Where a reader goes when the help articles have no answer (shown once those features exist).
NEXT_STEPS = [("forum:index", _("Ask the community")), ("support:contact", _("Contact support"))]


def _page_number(value) -> int:
    try:
        return min(max(1, int(value)), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def _next_steps():
    steps = []
    for name, label in NEXT_STEPS:
        try:
            steps.append({"url": reverse(name), "label": label})
        except NoReverseMatch:
            continue
    return steps


def _language(value) -> str:
    languages = dict(settings.LANGUAGES)
    return value if value in languages else (get_language() or settings.LANGUAGE_CODE)


def _click_urls(request, event: SearchEvent | None, results: SearchResults) -> dict:
    """Each shown hit's URL -> the click-recording link to it (rank counts across pages)."""
    if event is None:
        return {}
    base = reverse("kb:search_click")
    first_rank = (results.page - 1) * results.per_page + 1
    return {
        hit.url: f"{base}?{urlencode({'e': event.pk, 'r': rank, 'to': hit.url})}"
        for rank, hit in enumerate(results.hits, start=first_rank)
        if is_local_path(request, hit.url)
    }


@require_GET
@rate_limited("search")
def search_page(request):
    """The search page. A non-empty query is recorded as a "page" search event.

    Paging through or filtering the results continues the same recorded search. Nothing is
    recorded while search is unavailable: a zero there would claim the help center has no
    answer, when the engine simply did not ask (the outage itself is logged by the service).
    """
    query = clean_query(request.GET.get("q", ""))
    language = get_language() or settings.LANGUAGE_CODE
    filters = {name: request.GET.get(name, "")[:200] for name in FACETS if request.GET.get(name)}
    page = _page_number(request.GET.get("page"))
    status, unavailable, event = 200, False, None
    try:
        results = search(request.reader, query, language=language, page=page, filters=filters)
    except SearchUnavailable:
        results, status, unavailable = SearchResults(query=query, language=language), 503, True
    if query and not unavailable:
        event = record_search(
            request.reader, results, source=SearchEvent.Source.PAGE, continues=page > 1 or bool(filters)
        )
    context = {
        "query": query,
        "results": results,
        "filters": filters,
        "unavailable": unavailable,
        "next_steps": _next_steps(),
        "language_names": settings.LANGUAGE_NATIVE_NAMES,
        "click_urls": _click_urls(request, event, results),
    }
    return render(request, "kb/search_page.html", context, status=status)


@require_GET
@rate_limited("suggest", json=True)
def suggest_api(request):
    """GET /api/suggest/?q=…&lang=… -> {"results": [{"title", "url", "snippet", "type"}], "event": id}.

    A non-empty query is recorded as a "suggest" search event; ``event`` (null when nothing was
    recorded) lets the typeahead send a chosen suggestion through the click link like the page.
    """
    language = _language(request.GET.get("lang"))
    query = request.GET.get("q", "")
    try:
        hits = suggest(request.reader, query, language=language)
    except SearchUnavailable:
        return JsonResponse({"results": [], "error": "search is temporarily unavailable"}, status=503)
    event = record_search(
        request.reader, query, source=SearchEvent.Source.SUGGEST, language=language, result_count=len(hits), hits=hits
    )
    return JsonResponse({"results": [hit.as_json() for hit in hits], "event": event.pk if event else None})


@never_cache
@require_GET
def search_click(request):
    """GET /<lang>/search/click/?e=<event>&r=<rank>&to=<path>: record a result click, then go there.

    Only paths on this site are followed (anything else is 400, so this is no open redirect).
    An unknown event, or one of another visitor, still leads to the page but records nothing.
    """
    target = request.GET.get("to", "")
    if not is_local_path(request, target):
        return HttpResponseBadRequest(
            _gettext("This link can only lead to a page on this help center."),
            content_type="text/plain; charset=utf-8",
        )
    record_click(request.reader, request.GET.get("e"), rank=request.GET.get("r"), url=target)
    response = HttpResponseRedirect(target)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
