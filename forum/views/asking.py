"""Asking well: similar topics and help articles appear while a member types a new topic's title.

They come from the one search service (kb.search.service.suggest), which re-checks every hit
for this reader. Showing a list records SUGGESTIONS_SHOWN and opening one records
SUGGESTION_OPENED (flow "forum", the attempt's visit id), so the support reports count a
question answered before it was asked as a deflection.
"""

import re
from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import get_language

from forum.kb_links import articles_by_path
from kb.ratelimit import rate_limited
from kb.search.service import SearchUnavailable, clean_query, query_words, suggest
from support.events import record_event
from support.models import Event

MAX_SIMILAR = 6
MIN_QUERY_CHARACTERS = 4
VISIT_ID = re.compile(r"^[0-9a-f]{32}$")


def _visit(request, source) -> str:
    visit = str(source.get("visit", ""))
    return visit if VISIT_ID.match(visit) else ""


def _topic_id(path: str):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.namespace == "forum" and match.url_name == "topic":
        return match.kwargs["pk"]
    return None


@rate_limited("suggest")
def similar(request):
    """The similar topics and articles for the title typed so far (an HTML fragment)."""
    query = clean_query(request.GET.get("q", ""))
    visit = _visit(request, request.GET)
    language = get_language()
    hits, unavailable = [], False
    if len(query) >= MIN_QUERY_CHARACTERS and query_words(query):
        try:
            hits = suggest(request, query, language=language, limit=MAX_SIMILAR)
        except SearchUnavailable:
            unavailable = True
    items = []
    for rank, hit in enumerate(hits, start=1):
        params = urlencode({"url": hit.url, "rank": rank, "visit": visit, "q": query})
        items.append({"hit": hit, "open_url": f"{request.path}open/?{params}", "is_topic": hit.type == "forum_topic"})
    if items:
        record_event(
            Event.Kind.SUGGESTIONS_SHOWN,
            request=request,
            flow=Event.Flow.FORUM,
            visit_id=visit,
            query=query,
            language=language,
            data={"urls": [hit.url for hit in hits], "types": [hit.type for hit in hits]},
        )
    return render(request, "forum/includes/similar.html", {"items": items, "query": query, "unavailable": unavailable})


def open_similar(request):
    """Record that a suggestion was opened, then go to it (only paths on this site)."""
    url = request.GET.get("url", "")
    if not url.startswith("/") or url.startswith("//") or "\\" in url or any(ord(c) < 32 for c in url):
        raise Http404
    article = articles_by_path([url]).get(url)
    topic_id = _topic_id(url)
    if article is None and topic_id is None:
        raise Http404
    rank = request.GET.get("rank", "")
    record_event(
        Event.Kind.SUGGESTION_OPENED,
        request=request,
        flow=Event.Flow.FORUM,
        visit_id=_visit(request, request.GET),
        article=article,
        query=request.GET.get("q", ""),
        rank=int(rank) if rank.isdecimal() and len(rank) < 4 else None,
        language=get_language(),
        data={"url": url, "type": "article" if article else "forum_topic", **({"topic": topic_id} if topic_id else {})},
    )
    return HttpResponseRedirect(url)
