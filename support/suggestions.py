"""Suggest while typing: the one service behind every "these may answer your question" list.

The contact form, the forum's "ask a question" page (and any later form that wants to head off
a question, such as the council's idea form) call :func:`suggest_while_typing` with their flow.
Help articles and other results (forum topics) come from the search service
(kb.search.service.suggest), which checks every hit against the database for this reader: an
article under a privacy restriction, or a topic in a category the reader cannot open, is never
suggested.

Every flow records the same events with the same data (support.events.DATA_SHAPES):
SUGGESTIONS_SHOWN when a list is shown, SUGGESTION_OPENED when one is opened through its
``open_url`` (support:open_suggestion for an article, support:open_result for anything else),
both carrying the flow and the visit. The deflection reports and a ticket's journey read them.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from kb.search.service import Hit, SearchUnavailable, clean_query, query_words, suggest
from kb.search.visibility import ARTICLE_LABEL, registered_labels, touches_confidential
from sitewide.ids import parse_id
from sitewide.reader import Reader
from support.events import record_event
from support.models import Event

#: Suggestions shown beside a form.
MAX_SUGGESTIONS = 5
#: Fewer letters than this are not a question yet.
MIN_QUERY_CHARACTERS = 3
#: The subject and the start of the description are searched; the rest of a long text adds noise.
MAX_SEARCHED_CHARACTERS = 300
#: The flows that suggest while typing, and so may appear on a suggestion's link.
FLOWS = (Event.Flow.CONTACT, Event.Flow.FORUM)


@dataclass
class Suggestion:
    hit: Hit
    #: The help article's page id, or None for another kind of result (a community answer).
    article_id: int | None
    rank: int
    #: The link through support:open_suggestion / open_result, which records the opening.
    open_url: str

    @property
    def is_article(self) -> bool:
        return self.article_id is not None

    def as_data(self) -> dict:
        """The result as the events record it (support.events.RESULT)."""
        return {"kind": self.hit.model_label, "id": int(self.hit.pk), "title": self.hit.title[:255]}


@dataclass
class ShownSuggestions:
    query: str
    suggestions: list[Suggestion]
    unavailable: bool = False


def suggest_while_typing(
    reader: Reader,
    text: str,
    *,
    flow: str,
    visit_id: str,
    language: str,
    limit: int = MAX_SUGGESTIONS,
    min_characters: int = MIN_QUERY_CHARACTERS,
    models=(),
) -> ShownSuggestions:
    """What to show for what the person typed so far (recorded as SUGGESTIONS_SHOWN when any are).

    ``flow=None`` is a confidential flow (the council's idea form): what was typed names what only
    its audience may know, so nothing is recorded and each suggestion links straight to its
    result. A list that holds confidential content is treated the same, whatever the flow.
    ``models``: suggest only these kinds of result (kb.search.service.suggest).
    """
    if flow is not None and flow not in FLOWS:
        raise ValueError(f"Not a suggesting flow: {flow!r}")
    query = clean_query(str(text or "")[:MAX_SEARCHED_CHARACTERS])
    if len(query) < min_characters or not query_words(query):
        return ShownSuggestions(query, [])
    try:
        hits = suggest(reader, query, language=language, limit=limit, models=models)
    except SearchUnavailable:
        return ShownSuggestions(query, [], unavailable=True)
    # A list holding confidential content (the council's) is a confidential flow too: what was
    # typed may name what only that audience knows, and a ticket's journey or the deflection
    # reports are read by agents outside it (kb.search.visibility.touches_confidential).
    if touches_confidential(hits):
        flow = None
    suggestions = []
    for hit in hits:
        # A hit names its model and id: no URL is turned back into a page.
        pk = parse_id(hit.pk)
        if pk is None or hit.model_label not in registered_labels():
            continue
        rank = len(suggestions) + 1
        if flow is None:
            suggestions.append(Suggestion(hit=hit, article_id=None, rank=rank, open_url=hit.url))
            continue
        params = {"visit": visit_id, "rank": rank, "flow": flow, "q": query}
        if hit.model_label == ARTICLE_LABEL:
            open_url = reverse("support:open_suggestion", args=[pk]) + "?" + urlencode(params)
            suggestions.append(Suggestion(hit=hit, article_id=pk, rank=rank, open_url=open_url))
        else:
            params |= {"kind": hit.model_label, "id": pk}
            open_url = reverse("support:open_result") + "?" + urlencode(params)
            suggestions.append(Suggestion(hit=hit, article_id=None, rank=rank, open_url=open_url))
    if suggestions and flow is not None:
        record_event(
            Event.Kind.SUGGESTIONS_SHOWN,
            reader=reader,
            flow=flow,
            visit_id=visit_id,
            query=query,
            language=language,
            data={"results": [suggestion.as_data() for suggestion in suggestions]},
        )
    return ShownSuggestions(query, suggestions)
