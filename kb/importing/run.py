"""One import run: articles written once each, links resolved in two passes, indexes at the end.

See kb.importing for what a run does.
"""

import hashlib
import json
import logging
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.models import ReferenceIndex, Revision
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

from kb.importing.pages import admin_search_deferred, ensure_category, go_live
from kb.importing.sources import (
    TRANSLATION_KEY_NAMESPACE,
    ArticleSource,
    ImportFileError,
    parse_article_file,
    translation_key_for,
)
from kb.markdown_blocks import anchor_key, classify_link, map_rich_text, rewrite_links, section_headings
from kb.models import ArticlePage, CategoryPage, section_anchors
from kb.search.backend import SearchIndexMissing, parallel_writes
from kb.search.indexing import index_pages

logger = logging.getLogger(__name__)

#: Pages whose search and reference indexes are written together at the end of a run.
INDEX_BATCH = 500


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    #: One line per file that failed, naming it.
    errors: list[str] = field(default_factory=list)
    #: One line per imported file with something to say (links kept as text, unsafe HTML
    #: removed), and about the search index.
    warnings: list[str] = field(default_factory=list)


def raw_blocks(body: list) -> list[dict]:
    """Blocks as ``{"type", "value"}`` dicts, whether given so or as (type, value) pairs."""
    pairs = ((block["type"], block["value"]) if isinstance(block, dict) else block for block in body)
    return [{"type": kind, "value": value} for kind, value in pairs]


def with_block_ids(blocks: list[dict], locale: str, key: str) -> list[dict]:
    """The blocks with ids that stay the same from one import to the next (by position)."""
    return [
        {**block, "id": str(uuid.uuid5(TRANSLATION_KEY_NAMESPACE, f"block:{locale}:{key}:{number}"))}
        for number, block in enumerate(blocks)
    ]


def fingerprint(source: ArticleSource, body: list[dict]) -> str:
    """A digest of everything imported from a file, links resolved: equal digests mean nothing to update."""
    payload = json.dumps(
        [source.title, source.slug, source.summary, source.category, source.category_title, source.tags, body],
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def validation_reasons(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in error.message_dict.items())
    return " ".join(error.messages)


def section_keys(blocks: list[dict]) -> dict[str, str]:
    """How a link's #anchor finds a section of these blocks: anchor key -> the id the page renders."""
    headings = section_headings(blocks)
    return dict(zip(map(anchor_key, headings), section_anchors(headings), strict=True))


def _normalised(path: Path) -> str:
    return os.path.normpath(os.path.abspath(path))


#: Why a link to a file of the run has no page (yet): in the first pass it waits for the second.
NOT_IMPORTED = "its file was not imported"


class ImportRun:
    """One import of a set of files, or of sources given directly (:func:`import_article`).

    ``run = ImportRun(files)``; iterate :meth:`import_each`, which yields ``(file, error)`` for
    each file in order (error None when it imported); then :meth:`finish`, which fills in links to
    articles that the run created after the article linking to them, writes the reference and
    search indexes once for every page the run wrote, and returns the :class:`ImportResult`.
    """

    def __init__(self, files: Iterable[Path] = ()):
        self.files = list(files)
        self.result = ImportResult()
        #: The sources of the run's files, by normalised absolute path.
        self._sources: dict[str, ArticleSource] = {}
        #: The page of each file this run has imported (created, updated or unchanged).
        self._pages: dict[str, int] = {}
        #: Articles of the run's files that existed before it: (locale, translation key) -> id.
        self._existing: dict[tuple, int] = {}
        self._categories: dict[tuple[str, str], CategoryPage] = {}
        #: Articles linking to a file of the run that had no page yet: id -> (source, page).
        self._waiting: dict[int, tuple[ArticleSource, ArticlePage]] = {}
        #: The revision this run made for a page.
        self._revisions: dict[int, Revision] = {}
        #: The pages this run wrote, in order (a dict as an ordered set).
        self._written: dict[int, None] = {}
        #: Links outside the run's files resolved by slug: (locale, slug) -> target or reason.
        self._by_slug: dict[tuple[str, str], tuple | str] = {}

    # --- the run ----------------------------------------------------------------------------
    def import_each(self) -> Iterator[tuple[Path, str | None]]:
        parsed, claimed = [], {}
        for file in self.files:
            try:
                source = parse_article_file(file)
                # A second file with the same key would silently overwrite the first: it fails.
                first = claimed.setdefault((source.locale, source.translation_key), file)
                if first != file:
                    raise ImportFileError(f"translation_key '{source.translation_key}' is already used by {first}")
            except ImportFileError as error:
                parsed.append((file, None, str(error)))
            except OSError as error:
                parsed.append((file, None, f"cannot read: {error.strerror or error}"))
            else:
                self._sources[_normalised(file)] = source
                parsed.append((file, source, None))
        self._find_existing([source for _file, source, _error in parsed if source is not None])
        for file, source, error in parsed:
            if source is not None:
                try:
                    outcome = self.import_source(source)
                except ImportFileError as failure:
                    error = str(failure)
                else:
                    setattr(self.result, outcome, getattr(self.result, outcome) + 1)
                    if source.removed:
                        removed = ", ".join(f"{what} ×{count}" for what, count in sorted(source.removed.items()))
                        self.result.warnings.append(f"{file}: removed from the body (not allowed): {removed}")
            if error:
                self.result.failed += 1
                self.result.errors.append(f"{file}: {error}")
            yield file, error

    def finish(self) -> ImportResult:
        """Fill in the links that waited for later articles, then index what the run wrote."""
        for source, article in self._waiting.values():
            self._complete_links(source, article)
        self._waiting.clear()
        written = list(self._written)
        for start in range(0, len(written), INDEX_BATCH):
            self._index(written[start : start + INDEX_BATCH])
        self._written.clear()
        return self.result

    # --- one article --------------------------------------------------------------------------
    def import_source(self, source: ArticleSource) -> str:
        """Create or update one article; returns "created", "updated" or "unchanged".

        An article whose source file has not changed since the last import is left alone, so a
        re-import neither makes empty revisions nor overwrites what editors changed since.
        Raises ImportFileError, leaving nothing behind.
        """
        staged_categories = {}
        try:
            with transaction.atomic(), disable_reference_index_auto_update(), admin_search_deferred():
                category = self._category(source, staged_categories)
                key = translation_key_for("article", source.translation_key)
                article = ArticlePage.objects.filter(translation_key=key, locale=category.locale).first()
                body, unresolved, waiting = self._resolve(source, final=False)
                digest = fingerprint(source, body)
                if article is not None and article.import_fingerprint == digest and article.live:
                    outcome = "unchanged"
                else:
                    outcome = "created" if article is None else "updated"
                    article = self._write(article, source, category, key, body, digest)
        except IntegrityError as error:
            raise ImportFileError(f"the database refused it: {error}") from None
        # Only what the transaction committed is remembered (a failed file leaves nothing behind).
        self._categories.update(staged_categories)
        if source.path is not None:
            self._pages[_normalised(source.path)] = article.pk
        if waiting:
            self._waiting[article.pk] = (source, article)
        else:
            self._report_links(source, unresolved)
        return outcome

    def _category(self, source: ArticleSource, staged: dict) -> CategoryPage:
        key = (source.locale, source.category)
        category = self._categories.get(key)
        if category is None or category.title != source.category_title:
            category = staged[key] = ensure_category(source)
        return category

    def _write(self, article, source, category, key, body, digest) -> ArticlePage:
        """Create or update the article, live, with a new revision (:func:`go_live`)."""
        created = article is None
        if created:
            article = ArticlePage(locale=category.locale, translation_key=key)
        elif not article.path.startswith(category.path) or article.depth != category.depth + 1:
            article.move(category, pos="last-child")
            article.refresh_from_db()
            category.refresh_from_db(fields=["numchild"])
        article.title, article.slug, article.summary = source.title, source.slug, source.summary
        article.body = with_block_ids(body, source.locale, source.translation_key)
        article.import_fingerprint = digest
        article.tags.set(source.tags, clear=True)
        try:
            revision = go_live(article, parent=category if created else None)
        except ValidationError as error:
            raise ImportFileError(validation_reasons(error)) from None
        self._revisions[article.pk] = revision
        self._written[article.pk] = None
        return article

    # --- links --------------------------------------------------------------------------------
    def _find_existing(self, sources: list[ArticleSource]) -> None:
        keys = list({translation_key_for("article", source.translation_key) for source in sources})
        for start in range(0, len(keys), INDEX_BATCH):
            found = ArticlePage.objects.filter(translation_key__in=keys[start : start + INDEX_BATCH])
            for key, language, pk in found.values_list("translation_key", "locale__language_code", "pk"):
                self._existing[(language, key)] = pk

    def _resolve(self, source: ArticleSource, *, final: bool) -> tuple[list[dict], list[str], bool]:
        """The body with its links resolved, the links kept as text (why, one line each), and
        whether a link waits for a file of the run that has no page yet (never when ``final``)."""
        blocks = raw_blocks(source.body)
        own_sections = section_keys(blocks)
        unresolved, waiting = {}, False

        def opening_tag(href: str) -> str | None:
            nonlocal waiting
            if not href:
                return None  # the allow-list removed an unsafe address (already reported)
            link = classify_link(href)
            if link.kind == "web":
                return f'<a href="{escape(href)}">'
            if link.kind == "section":
                anchor = own_sections.get(anchor_key(link.anchor))
                return f'<a href="#{escape(anchor)}">' if anchor else None
            if link.kind == "other":
                unresolved.setdefault(href, "not a link to an article file")
                return None
            target = self._target(source, link.target)
            if isinstance(target, str):
                if target is NOT_IMPORTED and not final:
                    waiting = True
                else:
                    unresolved.setdefault(href, target)
                return None
            page_id, sections = target
            anchor = sections.get(anchor_key(link.anchor)) if link.anchor else None
            return f'<a linktype="page" id="{page_id}"' + (f' anchor="{escape(anchor)}">' if anchor else ">")

        body = map_rich_text(blocks, lambda fragment: rewrite_links(fragment, opening_tag))
        return body, [f"link to '{href}' kept as text: {reason}" for href, reason in unresolved.items()], waiting

    def _target(self, source: ArticleSource, relative: str) -> tuple[int, dict] | str:
        """The page a link to ``relative`` (a .md path) leads to and its sections, or why none."""
        if source.path is not None:
            path = _normalised(source.path.parent / relative)
            target = self._sources.get(path)
            if target is not None:
                if target.locale != source.locale:
                    return "that article is in another language"
                key = translation_key_for("article", target.translation_key)
                page_id = self._pages.get(path) or self._existing.get((target.locale, key))
                if page_id is None:
                    return NOT_IMPORTED
                return page_id, section_keys(raw_blocks(target.body))
        slug = slugify(Path(relative).stem, allow_unicode=True)
        found = self._by_slug.get((source.locale, slug))
        if found is None:
            pages = list(ArticlePage.objects.filter(slug=slug, locale__language_code=source.locale)[:2])
            if len(pages) == 1:
                found = (pages[0].pk, {anchor_key(s["text"]): s["anchor"] for s in pages[0].sections})
            else:
                found = f"no article '{slug}' in '{source.locale}'" + (" (more than one)" if pages else "")
            self._by_slug[(source.locale, slug)] = found
        return found

    def _complete_links(self, source: ArticleSource, article: ArticlePage) -> None:
        """Second pass: resolve the links that waited, into the revision this run made."""
        body, unresolved, _waiting = self._resolve(source, final=True)
        self._report_links(source, unresolved)
        digest = fingerprint(source, body)
        if digest == article.import_fingerprint:
            return
        article.body = with_block_ids(body, source.locale, source.translation_key)
        article.import_fingerprint = digest
        revision = self._revisions.get(article.pk)
        with transaction.atomic(), disable_reference_index_auto_update(), admin_search_deferred():
            if revision is not None:
                # Only links changed (their text did not): no save signals, no second revision.
                ArticlePage.objects.filter(pk=article.pk).update(body=article.body, import_fingerprint=digest)
                # The revision's copy of the body, as Wagtail serialises it (the rest is unchanged).
                revision.content["body"] = ArticlePage._meta.get_field("body").value_to_string(article)
                revision.content["import_fingerprint"] = digest
                Revision.objects.filter(pk=revision.pk).update(content=revision.content)
            else:
                # Unchanged in the first pass, but a link now leads somewhere: a real update.
                self._revisions[article.pk] = go_live(article)
                self.result.unchanged -= 1
                self.result.updated += 1
        self._written[article.pk] = None

    def _report_links(self, source: ArticleSource, unresolved: list[str]) -> None:
        name = source.path if source.path is not None else source.slug
        self.result.warnings.extend(f"{name}: {line}" for line in unresolved)

    # --- indexes ------------------------------------------------------------------------------
    def _index(self, page_ids: list[int]) -> None:
        """The reference index now, the public search index after commit: once per page, in bulk."""
        pages = list(ArticlePage.get_indexed_objects().filter(pk__in=page_ids))
        with transaction.atomic():
            for page in pages:
                ReferenceIndex.create_or_update_for_object(page)
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(ArticlePage, pages)
        transaction.on_commit(lambda: self._index_search(page_ids))

    def _index_search(self, page_ids: list[int]) -> None:
        try:
            with parallel_writes():
                index_pages(page_ids)
        except SearchIndexMissing as error:
            warning = f"search index not updated: {error}"
            if warning not in self.result.warnings:
                self.result.warnings.append(warning)
        except Exception as error:
            # The pages are committed: an index that cannot be read or written (corrupt, disk
            # full) must not fail the import; `manage.py update_index` catches up.
            logger.exception("Search index update failed for imported pages")
            warning = f"search index not updated ({type(error).__name__}): run `manage.py update_index`"
            if warning not in self.result.warnings:
                self.result.warnings.append(warning)


def import_article(source: ArticleSource) -> str:
    """Create or update one article (see :meth:`ImportRun.import_source`) and index it after commit."""
    run = ImportRun()
    outcome = run.import_source(source)
    run.finish()
    return outcome
