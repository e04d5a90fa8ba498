"""Haystack indexes for knowledge-base content.

Later content types (forum topics, success stories) join the unified search by adding an index
like this one with the same shared fields (text, title, title_words, language, category, content_type,
audience, url, summary) and registering who may see a hit (kb.search.visibility).
"""

import html
import re

from haystack import indexes
from wagtail import blocks
from wagtail.models import Page

from kb.models import ArticlePage
from kb.search.analysis import text_analyzer, title_analyzer, words_analyzer
from kb.search.visibility import PUBLIC, page_audiences
from kb.visibility import pages_audiences

#: How much a word in the title weighs against the same word in the body.
TITLE_BOOST = 1.5
#: Tags of stored rich text (well-formed: the importer's allow-list or the editor wrote it): those
#: that end a line of text, and the rest (inline: bold, links, code).
BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|br|h\d|blockquote|div|pre|table|tr|td|th)\b[^>]*>", re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")


def searchable_html(source: str) -> str:
    """The words of stored rich text: a tag that ends a line becomes a space, other tags go, and
    entities are unescaped (see :func:`searchable_text`)."""
    return html.unescape(TAG.sub("", BLOCK_TAG.sub(" ", source)))


def searchable_text(block, value) -> list[str]:
    """Wagtail's ``get_searchable_content``, with rich text stripped without parsing its HTML.

    Parsing each paragraph's HTML was the slow part of preparing a document; stored rich text is
    well-formed (the importer's allow-list or the editor wrote it), so a tag that ends a line
    becomes a space (the words on either side never run together), other tags go, and entities
    are unescaped.
    """
    if isinstance(block, blocks.RichTextBlock):
        return [searchable_html(value.source)]
    if isinstance(block, blocks.StructBlock):
        return [text for name, child in block.child_blocks.items() for text in searchable_text(child, value[name])]
    if isinstance(block, blocks.ListBlock):
        return [text for item in value for text in searchable_text(block.child_block, item)]
    return [str(text) for text in block.get_searchable_content(value)]


def spelling_field():
    """The words "Did you mean" may offer: a public document's text, unstemmed (see :func:`public_words`)."""
    return indexes.CharField(analyzer=words_analyzer(), stored=False, null=True)


def public_words(prepared: dict) -> str:
    """The text a document lends to spelling suggestions: all of it if it is public, else nothing.

    The spelling corrector draws on every word of its field, and cannot be narrowed to a reader,
    so a word that occurs only in restricted content must never reach it.
    """
    return prepared.get("text", "") if list(prepared.get("audience") or []) == [PUBLIC] else ""


class ArticlePageIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, analyzer=text_analyzer())
    title = indexes.CharField(model_attr="title", boost=TITLE_BOOST, analyzer=title_analyzer())
    #: The title's words unstemmed, for matching a word still being typed ("jamm" -> "jammed").
    title_words = indexes.CharField(model_attr="title", analyzer=words_analyzer(), stored=False)
    language = indexes.CharField(faceted=True)
    category = indexes.CharField(faceted=True)
    content_type = indexes.CharField(faceted=True)
    #: Who may see the hit: "public", "login", "superuser", "group:<id>", "password:<id>" (kb.visibility).
    audience = indexes.MultiValueField()
    url = indexes.CharField(indexed=False)
    summary = indexes.CharField(model_attr="summary", indexed=False)
    #: Public documents' words only: what "Did you mean" draws on.
    spelling = spelling_field()

    def get_model(self):
        return ArticlePage

    def prepare(self, page):
        data = super().prepare(page)
        data["spelling"] = public_words(data)
        return data

    def preload(self, pages):
        """Read what ``prepare`` needs of a batch of pages in two queries, not two per page.

        (kb.search.backend calls it before preparing a batch; the values ride on the pages.)
        """
        steplen = Page.steplen
        parents = dict(
            Page.objects.filter(path__in={page.path[:-steplen] for page in pages}).values_list("path", "title")
        )
        audiences = pages_audiences(pages)
        for page in pages:
            page.search_category = parents.get(page.path[:-steplen], "")
            page.search_audiences = audiences[page.pk]

    def index_queryset(self, using=None):
        return self.get_model().objects.live().select_related("locale")

    def prepare_language(self, page):
        return page.locale.language_code

    def prepare_category(self, page):
        if hasattr(page, "search_category"):
            return page.search_category
        parent = page.get_parent()
        return parent.title if parent else ""

    def prepare_content_type(self, page):
        return "article"

    def prepare_audience(self, page):
        if hasattr(page, "search_audiences"):
            return page.search_audiences
        return page_audiences(page)

    def prepare_url(self, page):
        return page.url or ""

    def prepare_text(self, page):
        parts = [page.title, page.summary]
        for block in page.body:
            parts.extend(searchable_text(block.block, block.value))
        return "\n".join(part for part in parts if part)
