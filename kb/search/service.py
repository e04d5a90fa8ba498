"""The one way the site searches: the search page, suggestions, the contact form, the forum's
similar questions and reports all call :func:`search` or :func:`suggest`.

A query is reduced to its words (so query syntax, quotes, operators and control characters can
never break it), matched against titles and bodies with any-term ranking, narrowed to the
reader's audiences, run in the reader's language first (falling back to all languages when that
finds nothing), and every hit is re-checked against the database before it is shown.
"""

import logging
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from haystack import connections
from haystack.inputs import Raw
from haystack.query import SQ, SearchQuerySet

from kb.search.analysis import COMPOUND, WORD, analyzed_terms, normalize, stem
from kb.search.backend import MultilingualWhooshSearchBackend
from kb.search.limits import COUNT_LIMIT
from kb.search.visibility import reader_audiences, visible_urls
from sitewide.reader import Reader
from sitewide.text import clean_line

logger = logging.getLogger(__name__)

#: Longer queries are cut here: a customer's sentence fits, a pasted log file does not.
MAX_QUERY_CHARACTERS = 300
#: At most this many distinct words of a query are searched for.
MAX_QUERY_WORDS = 32
#: Words longer than this are not words a reader typed (hashes, pasted junk): not searched.
MAX_WORD_LENGTH = 40
MAX_SPELLING_WORDS = 6
SNIPPET_CHARACTERS = 220
#: Facets shown on the search page.
FACETS = ("content_type", "category", "language")


class SearchUnavailable(Exception):
    """The search engine cannot answer; callers show a plain message instead of results."""


@dataclass
class Hit:
    title: str
    url: str
    snippet: SafeString
    type: str
    language: str
    category: str
    score: float
    #: What the hit is ("kb.articlepage", "forum.topic") and its primary key, for callers that
    #: record or re-check it (kb.search.visibility.visible_urls takes both).
    model_label: str = ""
    pk: str = ""

    def as_json(self) -> dict:
        return {"title": self.title, "url": self.url, "snippet": str(self.snippet), "type": self.type}


@dataclass
class SearchResults:
    query: str
    language: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 10
    facets: dict = field(default_factory=dict)
    #: True when nothing matched in the reader's language and other languages were searched.
    fell_back: bool = False
    suggestion: str = ""

    @property
    def total_is_lower_bound(self) -> bool:
        """The engine stopped counting: there are more than COUNT_LIMIT matches."""
        return self.total > COUNT_LIMIT

    @property
    def count_limit(self) -> int:
        return COUNT_LIMIT

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(min(self.total, COUNT_LIMIT) / self.per_page))


def clean_query(query: str) -> str:
    """The query as it is searched and recorded: no control characters, bounded, tidy spaces."""
    return clean_line(str(query or "")[:MAX_QUERY_CHARACTERS])


def query_words(query: str) -> list[str]:
    """Distinct normalised words of the query, in order (the only thing sent to the engine)."""
    words = []
    normalized = normalize(query)
    candidates = WORD.findall(normalized) + [re.sub(r"[-\u2010]", "", word) for word in COMPOUND.findall(normalized)]
    for word in candidates:
        if word not in words and len(word) <= MAX_WORD_LENGTH:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


#: A word being typed is also matched as the start of title words once it has this many letters.
MIN_PREFIX_LENGTH = 3


def _match(words: list[str], prefix: str = "") -> SQ:
    terms = " OR ".join(words)
    match = SQ(title=Raw(f"({terms})")) | SQ(text=Raw(f"({terms})"))
    if prefix:
        match |= SQ(title_words=Raw(f"{prefix}*"))
    return match


def _narrowing(**filters) -> str:
    """A filter as the engine's query syntax, for SearchQuerySet.narrow().

    Narrowing restricts which documents may match without taking part in their score: Whoosh
    (kb.search.backend) keeps it as a cached document set, Elasticsearch and Solr as filter
    queries. The string is built by the engine's own query builder, so values are escaped.
    """
    query = connections["default"].get_query()
    query.add_filter(SQ(**filters))
    return query.build_query()


def _base_queryset(reader, words, *, language=None, filters=None, prefix="") -> SearchQuerySet:
    sqs = SearchQuerySet().filter(_match(words, prefix)).narrow(_narrowing(audience__in=reader_audiences(reader)))
    if language:
        sqs = sqs.narrow(_narrowing(language=language))
    for name, value in (filters or {}).items():
        if value:
            sqs = sqs.narrow(_narrowing(**{f"{name}_exact": value}))
    return sqs


@lru_cache(maxsize=100_000)
def word_key(word: str) -> str:
    """How a word of a document compares with the query's words (normalised, stemmed)."""
    return stem(normalize(word))


def highlight(text: str, words: list[str], *, length: int = SNIPPET_CHARACTERS) -> SafeString:
    """A snippet of ``text`` around the first query match, with matches in <mark> (escaped)."""
    text = " ".join((text or "").split())
    keys = set(analyzed_terms(" ".join(words))) or {stem(word) for word in words}
    first = next((m for m in WORD.finditer(text) if word_key(m.group(0)) in keys), None)
    start = 0
    if first is not None:
        start = max(0, first.start() - length // 4)
        space = text.rfind(" ", 0, start)
        start = space + 1 if space > 0 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces, cursor = [], start
    for match in WORD.finditer(text, start, end):
        if word_key(match.group(0)) in keys:
            pieces.append(escape(text[cursor : match.start()]))
            pieces.append(f"<mark>{escape(match.group(0))}</mark>")
            cursor = match.end()
    pieces.append(escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 - every piece is escaped above


def without_leading_title(text: str, title: str) -> str:
    """``text`` less a copy of ``title`` it starts with, so a snippet does not repeat its heading.

    Indexes put the title first in the document text (title words must match the body field
    too); the hit shows the title already, so the snippet starts after it.
    """
    text = " ".join((text or "").split())
    title = " ".join((title or "").split())
    if title and text[: len(title)].casefold() == title.casefold():
        return text[len(title) :].lstrip(" .:;,-–—|·")
    return text


def _visible_hits(reader, results, words) -> list[Hit]:
    """Re-check each engine hit against the database; drop what this reader may not open.

    The link is the one the re-check found in the database where the type gives one (a help
    page's URL follows moves; the index's may have gone stale); a hit with no URL cannot be opened.
    """
    by_model = {}
    for result in results:
        by_model.setdefault(result.model._meta.label_lower, []).append(result.pk)
    allowed = {label: visible_urls(reader, label, ids) for label, ids in by_model.items()}
    hits = []
    for result in results:
        current_urls = allowed.get(result.model._meta.label_lower, {})
        if int(result.pk) not in current_urls:
            continue
        url = current_urls[int(result.pk)]
        if url is None:
            url = getattr(result, "url", "") or ""
        if not url:
            continue
        hits.append(
            Hit(
                title=result.title,
                url=url,
                snippet=highlight(
                    without_leading_title(getattr(result, "text", "") or getattr(result, "summary", ""), result.title),
                    words,
                ),
                type=getattr(result, "content_type", "") or "",
                language=getattr(result, "language", "") or "",
                category=getattr(result, "category", "") or "",
                score=result.score or 0.0,
                model_label=result.model._meta.label_lower,
                pk=str(result.pk),
            )
        )
    return hits


def _without_unseen(total: int, facet_counts: dict, results, hits: list[Hit]) -> tuple[int, dict]:
    """The count and facet counts less the hits the database re-check dropped.

    The engine counts what the index says the reader may see; where the index lags behind a
    privacy change or an unpublish, the re-check drops the hit and the count must not reveal it
    either ("1 result" for a word only a restricted page contains).
    """
    if total > COUNT_LIMIT:
        return total, facet_counts  # "more than 1,000": a few dropped hits change nothing it says
    shown = {(hit.model_label, hit.pk) for hit in hits}
    dropped = [r for r in results if (r.model._meta.label_lower, str(r.pk)) not in shown]
    if not dropped:
        return total, facet_counts
    logger.warning("Search index out of step with the database: %d hit(s) dropped by the re-check", len(dropped))
    fields = {}
    for name, values in (facet_counts.get("fields") or {}).items():
        counts = dict(values)
        for result in dropped:
            value = getattr(result, name, None)
            if value in counts:
                counts[value] -= 1
        fields[name] = [(value, count) for value, count in counts.items() if count > 0]
    return max(0, total - len(dropped)), {**facet_counts, "fields": fields}


def _run(callable_, *args, **kwargs):
    try:
        return callable_(*args, **kwargs)
    except Exception as error:  # any engine failure (missing index, lock, network) means "unavailable"
        logger.warning("Search engine unavailable: %s", error)
        raise SearchUnavailable(str(error)) from error


def search(
    reader: Reader, query: str, *, language: str, page: int = 1, per_page: int = 10, filters=None
) -> SearchResults:
    """A page of permission-checked results for the search page and reports."""
    query = clean_query(query)
    results = SearchResults(query=query, language=language, page=max(1, page), per_page=per_page)
    words = query_words(query)
    if not words:
        return results

    def execute(lang):
        sqs = _base_queryset(reader, words, language=lang, filters=filters)
        for facet in FACETS:
            sqs = sqs.facet(facet)
        start = (results.page - 1) * per_page
        # One engine search: the slice runs it, the count and the facets come with it.
        page_results = list(sqs[start : start + per_page])
        return sqs.count(), page_results, sqs.facet_counts()

    total, page_results, facet_counts = _run(execute, language)
    if total == 0 and not (filters or {}).get("language"):
        total, page_results, facet_counts = _run(execute, None)
        results.fell_back = total > 0
    results.hits = _visible_hits(reader, page_results, words)
    results.total, facet_counts = _without_unseen(total, facet_counts, page_results, results.hits)
    results.facets = {
        name: sorted(values, key=lambda item: -item[1]) for name, values in (facet_counts.get("fields") or {}).items()
    }
    if total == 0:
        results.suggestion = _run(spelling_suggestion, query)
    return results


def suggest(reader: Reader, query: str, *, language: str, limit: int = 5, models=()) -> list[Hit]:
    """Typeahead: the best few permission-checked hits, reader's language first.

    The last word, while still being typed (no space after it), also matches title words it
    begins: "batt" finds "Battery". ``models``: only hits of these models (all kinds if empty).
    """
    query = clean_query(query)
    words = query_words(query)
    if not words:
        return []
    still_typing = query == str(query).rstrip() and len(words[-1]) >= MIN_PREFIX_LENGTH
    prefix = words[-1] if still_typing and WORD.fullmatch(words[-1]) else ""

    def execute(lang):
        sqs = _base_queryset(reader, words, language=lang, prefix=prefix)
        if models:
            sqs = sqs.models(*models)
        sqs.query.typeahead = True  # no count, best few fast: engines that can, take the shortcut
        # Ask for a few more than shown: some may be dropped by the database re-check.
        return list(sqs[: limit * 2])

    page_results = _run(execute, language) or _run(execute, None)
    return _visible_hits(reader, page_results, words)[:limit]


def spelling_suggestion(query: str) -> str:
    """Did you mean: the query with misspelt words replaced by indexed words, or "".

    Asked only when a search finds nothing (it is slow on a large vocabulary), and only for a
    short query of ordinary words. The words come from public content only (see
    MultilingualWhooshSearchBackend.create_spelling_suggestion), whoever asks.
    """
    words = query_words(query)
    if not words or len(words) > MAX_SPELLING_WORDS or any(len(word) > MAX_WORD_LENGTH for word in words):
        return ""
    backend = connections["default"].get_backend()
    if not isinstance(backend, MultilingualWhooshSearchBackend):
        # Other engines suggest from every word of the index, restricted content included: a
        # suggestion could reveal a word of a page the reader may not open. None is offered.
        return ""
    suggestion = backend.create_spelling_suggestion(" ".join(words))
    suggestion = " ".join((suggestion or "").split())
    if not suggestion or analyzed_terms(suggestion) == analyzed_terms(" ".join(words)):
        return ""
    return suggestion
