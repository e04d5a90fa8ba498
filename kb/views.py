"""Public search: the search page and the typeahead suggestions API (both on kb.search.service)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from kb.search.service import FACETS, SearchResults, SearchUnavailable, clean_query, search, suggest

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


@require_GET
def search_page(request):
    query = clean_query(request.GET.get("q", ""))
    language = get_language() or settings.LANGUAGE_CODE
    filters = {name: request.GET.get(name, "")[:200] for name in FACETS if request.GET.get(name)}
    status, unavailable = 200, False
    try:
        results = search(request, query, language=language, page=_page_number(request.GET.get("page")), filters=filters)
    except SearchUnavailable:
        results, status, unavailable = SearchResults(query=query, language=language), 503, True
    context = {
        "query": query,
        "results": results,
        "filters": filters,
        "unavailable": unavailable,
        "next_steps": _next_steps(),
        "language_names": settings.LANGUAGE_NATIVE_NAMES,
    }
    return render(request, "kb/search_page.html", context, status=status)


@require_GET
def suggest_api(request):
    """GET /api/suggest/?q=…&lang=… -> {"results": [{"title", "url", "snippet", "type"}]}."""
    language = _language(request.GET.get("lang"))
    try:
        hits = suggest(request, request.GET.get("q", ""), language=language)
    except SearchUnavailable:
        return JsonResponse({"results": [], "error": "search is temporarily unavailable"}, status=503)
    return JsonResponse({"results": [hit.as_json() for hit in hits]})
