"""Answers suggested beside the contact form while the customer types, and the record of them.

Help articles and community answers (forum topics) come from the search service
(kb.search.service.suggest), which checks every hit against the database for this reader: an
article under a privacy restriction, or a topic in a category the reader cannot open, is never
suggested. Each list shown is a SUGGESTIONS_SHOWN event of the visit.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from kb.search.service import Hit, SearchUnavailable, clean_query, query_words, suggest
from kb.search.visibility import registered_labels
from support.article_links import page_ids_for_urls
from support.events import record_event
from support.models import Event

#: Suggestions shown beside the form.
MAX_SUGGESTIONS = 5
#: Fewer letters than this are not a question yet.
MIN_QUERY_CHARACTERS = 3
#: The subject and the start of the description are searched; the rest of a long text adds noise.
MAX_SEARCHED_CHARACTERS = 300


@dataclass
class Suggestion:
    hit: Hit
    #: The help article's page id, or None for another kind of result (a community answer).
    article_id: int | None
    rank: int
    #: The link through support:open_suggestion, which records the opening.
    open_url: str


@dataclass
class ShownSuggestions:
    query: str
    suggestions: list[Suggestion]
    unavailable: bool = False


def suggest_for_contact(
    request, text: str, *, visit_id: str, language: str, flow=Event.Flow.CONTACT
) -> ShownSuggestions:
    """The articles to show for what the customer typed so far (recorded when any are shown)."""
    query = clean_query(text[:MAX_SEARCHED_CHARACTERS])
    if len(query) < MIN_QUERY_CHARACTERS or not query_words(query):
        return ShownSuggestions(query, [])
    try:
        hits = suggest(request, query, language=language, limit=MAX_SUGGESTIONS)
    except SearchUnavailable:
        return ShownSuggestions(query, [], unavailable=True)
    ids = page_ids_for_urls([hit.url for hit in hits])
    suggestions = []
    for hit in hits:
        rank = len(suggestions) + 1
        params = {"visit": visit_id, "rank": rank, "flow": flow, "q": query}
        if hit.url in ids:
            open_url = reverse("support:open_suggestion", args=[ids[hit.url]]) + "?" + urlencode(params)
            suggestions.append(Suggestion(hit=hit, article_id=ids[hit.url], rank=rank, open_url=open_url))
        elif hit.model_label in registered_labels() and hit.pk.isdecimal():
            # Another kind of result a higher app put in the search (a community answer).
            params |= {"kind": hit.model_label, "id": hit.pk}
            open_url = reverse("support:open_result") + "?" + urlencode(params)
            suggestions.append(Suggestion(hit=hit, article_id=None, rank=rank, open_url=open_url))
    if suggestions:
        record_event(
            Event.Kind.SUGGESTIONS_SHOWN,
            request=request,
            flow=flow,
            visit_id=visit_id,
            query=query,
            language=language,
            data={
                "article_ids": [suggestion.article_id for suggestion in suggestions if suggestion.article_id],
                "results": [f"{suggestion.hit.model_label}:{suggestion.hit.pk}" for suggestion in suggestions],
            },
        )
    return ShownSuggestions(query, suggestions)
